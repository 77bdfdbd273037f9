/**
 * Zoomed out, the map and the list show the server's clusters instead of single reports, so
 * a view over a whole country stays as light as one over a street (GET /api/v1/clusters).
 */
import L from 'leaflet';
import type { ClusterFeature } from '../lib/api';
import { reducedMotion } from '../lib/basemap';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

/** From this zoom on, the map shows single reports. */
export const SINGLE_REPORTS_FROM_ZOOM = 15;

const latLngOf = (c: ClusterFeature) => L.latLng(c.geometry.coordinates[1], c.geometry.coordinates[0]);

function zoomTo(map: L.Map, c: ClusterFeature): void {
  map.setView(latLngOf(c), Math.min(map.getZoom() + 3, SINGLE_REPORTS_FROM_ZOOM), { animate: !reducedMotion() });
}

export function clusterMarker(map: L.Map, c: ClusterFeature): L.Marker {
  const p = c.properties;
  const size = Math.round(Math.min(28 + Math.log10(p.count) * 12, 64));
  const icon = L.divIcon({
    className: `cluster-marker cluster-marker--sev${p.max_severity}`,
    html: `<span>${p.count}</span>`,
    iconSize: [size, size],
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
