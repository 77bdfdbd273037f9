/**
 * Zoomed out, the map and the list show the server's clusters instead of single reports, so
 * a view over a whole country stays as light as one over a street (GET /api/v1/clusters).
 *
 * The server's cells are a grid; drawn as discs, neighbours overlap once zoomed far out
 * (a whole country at zoom 4). Discs that would touch on screen are merged into one, at
 * their count-weighted centre, so every count stays readable at every zoom.
 */
import L from 'leaflet';
import type { ClusterFeature, Severity } from '../lib/api';
import { reducedMotion } from '../lib/basemap';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

/** From this zoom on, the map shows single reports. */
export const SINGLE_REPORTS_FROM_ZOOM = 15;

/** A disc's diameter in CSS px: grows with the count's digits, within 32–56 (its target: clusterTarget). */
export function clusterSize(count: number): number {
  return Math.round(Math.min(32 + Math.log10(Math.max(1, count)) * 8, 56));
}

/** A disc's target in CSS px: never under the phone views' 44 px, whatever the disc's size. */
export function clusterTarget(count: number): number {
  return Math.max(44, clusterSize(count));
}

/** Space kept between two targets, so neither discs nor targets ever touch. */
const GAP_PX = 4;

const latLngOf = (c: ClusterFeature) => L.latLng(c.geometry.coordinates[1], c.geometry.coordinates[0]);

interface Disc {
  x: number;
  y: number;
  p: ClusterFeature['properties'];
}

function merged(a: Disc, b: Disc): Disc {
  const n = a.p.count + b.p.count;
  return {
    x: (a.x * a.p.count + b.x * b.p.count) / n,
    y: (a.y * a.p.count + b.y * b.p.count) / n,
    p: {
      cluster: true,
      count: n,
      count_barrier: a.p.count_barrier + b.p.count_barrier,
      count_help: a.p.count_help + b.p.count_help,
      max_severity: Math.max(a.p.max_severity, b.p.max_severity) as Severity,
    },
  };
}

/**
 * Merges clusters whose discs would overlap at the map's current zoom, largest first, until
 * none do. A few hundred cells at most (the server's grid over one view), so the quadratic
 * pass costs nothing noticeable.
 */
export function mergeOverlapping(map: L.Map, clusters: ClusterFeature[]): ClusterFeature[] {
  let discs: Disc[] = clusters.map((c) => {
    const pt = map.latLngToLayerPoint(latLngOf(c));
    return { x: pt.x, y: pt.y, p: c.properties };
  });
  for (let changed = true; changed;) {
    changed = false;
    discs.sort((a, b) => b.p.count - a.p.count);
    const out: Disc[] = [];
    for (const d of discs) {
      const hit = out.findIndex(
        (o) => Math.hypot(o.x - d.x, o.y - d.y) < (clusterTarget(o.p.count) + clusterTarget(d.p.count)) / 2 + GAP_PX,
      );
      if (hit >= 0) {
        out[hit] = merged(out[hit]!, d);
        changed = true;
      } else {
        out.push(d);
      }
    }
    discs = out;
  }
  return discs.map((d) => {
    const ll = map.layerPointToLatLng(L.point(d.x, d.y));
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [ll.lng, ll.lat] }, properties: d.p };
  });
}

function zoomTo(map: L.Map, c: ClusterFeature): void {
  map.setView(latLngOf(c), Math.min(map.getZoom() + 3, SINGLE_REPORTS_FROM_ZOOM), { animate: !reducedMotion() });
}

export function clusterMarker(map: L.Map, c: ClusterFeature): L.Marker {
  const p = c.properties;
  const size = clusterSize(p.count);
  const target = clusterTarget(p.count);
  const disc = h('span', { class: 'cluster-marker__disc' }, String(p.count));
  disc.style.width = disc.style.height = `${size}px`;
  const icon = L.divIcon({
    className: `cluster-marker cluster-marker--sev${p.max_severity}`,
    html: disc,
    iconSize: [target, target],
  });
  const marker = L.marker(latLngOf(c), { icon, title: t.clusterTitle(p.count), keyboard: true });
  marker.on('click', () => zoomTo(map, c));
  marker.on('add', () => {
    marker.getElement()?.addEventListener('keydown', (e) => {
      if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();
        zoomTo(map, c);
      }
    });
  });
  return marker;
}

export function clusterListItem(map: L.Map, c: ClusterFeature, worst: string): HTMLElement {
  const p = c.properties;
  const button = h('button', { type: 'button', class: 'button button--small' }, t.zoomIn);
  button.addEventListener('click', () => zoomTo(map, c));
  return h(
    'li',
    { class: `report-list__item report-list__item--sev${p.max_severity}` },
    h('span', { class: 'report-list__icon', 'aria-hidden': 'true' }, String(p.count)),
    h(
      'div',
      {},
      h('p', { class: 'report-list__link' }, t.clusterTitle(p.count)),
      h('p', { class: 'report-list__facts' }, t.clusterFacts(p.count_barrier, p.count_help, worst)),
      button,
    ),
  );
}
