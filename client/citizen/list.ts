/**
 * Reports in the current map view, twice: as markers with popups, and as a real list that a
 * screen reader can browse. Both refresh after the map stops moving.
 */
import L from 'leaflet';
import { api, type Category, type ClusterFeature, type ReportFeature } from '../lib/api';
import { lonLat, markerTitle } from '../lib/basemap';
import { categoryIcon } from '../lib/category-icons';
import { categoryLabel, distanceM } from '../lib/categories';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { clusterListItem, clusterMarker, mergeOverlapping, SINGLE_REPORTS_FROM_ZOOM } from './clusters';
import type { ReportMap } from './map';
import { reportMarkerIcon } from './markers';
import { groupBySpot, stackMarker } from './stacks';
import type { DraftState } from './state';

const LIMIT = 100;
const DEBOUNCE_MS = 350;

export interface ReportList {
  section: HTMLElement;
  /** Until `signal` aborts (the page is re-rendered), the list follows the map. */
  attach(reportMap: ReportMap, categories: Map<string, Category>, signal: AbortSignal): void;
  refresh(): void;
}

function popupContent(f: ReportFeature, label: string): HTMLElement {
  const p = f.properties;
  return h(
    'div',
    { class: 'popup' },
    h('p', { class: 'popup__title' }, label),
    h('p', {}, `${t.severityLabel}: ${t.severityShort(p.kind, p.severity)}`),
    h('p', {}, `${t.statusLabel}: ${t.status(p.status)}`),
    h('a', { href: `/reports/${f.id}`, class: 'popup__link' }, t.openReport),
  );
}

function createMarker(f: ReportFeature, cat: Category | undefined): L.Marker {
  const label = categoryLabel(cat, f.properties.category);
  const marker = L.marker(lonLat(f), { icon: reportMarkerIcon(f, cat), title: markerTitle(f, label), keyboard: true });
  marker.bindPopup(() => popupContent(f, label));
  // Leaflet opens popups on Enter only; a role=button must answer Space as well.
  marker.on('add', () => {
    marker.getElement()?.addEventListener('keydown', (e) => {
      if (e.key === ' ') {
        e.preventDefault();
        marker.openPopup();
      }
    });
  });
  return marker;
}

export function createReportList(state: DraftState): ReportList {
  const count = h('p', { class: 'hint', 'aria-live': 'polite', id: 'list-count' });
  const list = h('ul', { class: 'report-list', 'aria-labelledby': 'list-heading' });
  const more = h('p', { class: 'hint', hidden: true }, t.listMore);
  const section = h(
    'section',
    { class: 'reports-in-view', 'aria-labelledby': 'list-heading' },
    h('h2', { id: 'list-heading', tabindex: -1 }, t.listHeading),
    count,
    list,
    more,
  );
  let rm: ReportMap | null = null;
  let cats = new Map<string, Category>();
  let timer = 0;
  let inFlight: AbortController | null = null;
  const markers = new Map<string, L.Marker>();
  const clusterLayer = L.layerGroup();

  function clearReportMarkers(): void {
    for (const marker of markers.values()) marker.remove();
    markers.clear();
  }

  function renderClusters(clusters: ClusterFeature[]): void {
    if (!rm) return;
    clearReportMarkers();
    clusterLayer.clearLayers();
    if (!rm.reportLayer.hasLayer(clusterLayer)) clusterLayer.addTo(rm.reportLayer);
    const sorted = mergeOverlapping(rm.map, clusters).sort((a, b) => b.properties.count - a.properties.count);
    for (const c of sorted) clusterMarker(rm.map, c).addTo(clusterLayer);
    list.replaceChildren(
      ...sorted.map((c) => clusterListItem(rm!.map, c, t.severityShort('barrier', c.properties.max_severity))),
    );
    list.hidden = sorted.length === 0;
    const total = sorted.reduce((n, c) => n + c.properties.count, 0);
    count.textContent = t.clusterCount(total, sorted.length);
    more.hidden = true;
  }

  function render(features: ReportFeature[], hasMore: boolean): void {
    if (!rm) return;
    clusterLayer.clearLayers();
    const ref = state.place ? L.latLng(state.place.lat, state.place.lon) : rm.centre();
    // A duplicate repeats a report shown here already (the server's clusters leave them out too).
    const items = features
      .filter((f) => f.properties.status !== 'duplicate')
      .map((f) => ({ f, ll: lonLat(f) }))
      .map((x) => ({ ...x, d: distanceM(ref.lat, ref.lng, x.ll.lat, x.ll.lng) }))
      .sort((a, b) => a.d - b.d);

    // Markers are kept across refreshes: clearing them would close a popup the person just
    // opened (opening one can pan the map, which triggers a refresh).
    // Reports that would cover each other on screen become one badge listing them (./stacks.ts).
    const spots = groupBySpot(
      rm.map,
      items.map(({ f }) => f),
    );
    const wanted = new Map(spots.map((g) => [g.map((f) => `${f.id}@${f.properties.updated_at}`).join('|'), g]));
    for (const [key, marker] of markers) {
      if (!wanted.has(key)) {
        marker.remove();
        markers.delete(key);
      }
    }
    for (const [key, group] of wanted) {
      if (markers.has(key)) continue;
      const marker =
        group.length > 1 ? stackMarker(group, cats) : createMarker(group[0]!, cats.get(group[0]!.properties.category));
      marker.addTo(rm.reportLayer);
      markers.set(key, marker);
    }

    list.replaceChildren(
      ...items.map(({ f, d }) => {
        const p = f.properties;
        const cat = cats.get(p.category);
        const where = state.place ? t.away(d) : p.address || t.fromCentre(d);
        return h(
          'li',
          { class: `report-list__item report-list__item--sev${p.severity}` },
          h('span', { class: 'report-list__icon', 'aria-hidden': 'true' }, categoryIcon(cat, p.category)),
          h(
            'div',
            {},
            h('a', { href: `/reports/${f.id}`, class: 'report-list__link' }, categoryLabel(cat, p.category)),
            h(
              'p',
              { class: 'report-list__facts' },
              [t.severityShort(p.kind, p.severity), t.status(p.status), where].join(' · '),
            ),
          ),
        );
      }),
    );
    list.hidden = items.length === 0;
    count.textContent = t.listCount(items.length, hasMore);
    more.hidden = !hasMore;
  }

  async function load(): Promise<void> {
    if (!rm) return;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const zoom = Math.round(rm.map.getZoom());
      if (zoom < SINGLE_REPORTS_FROM_ZOOM) {
        const clusters = await api.clusters(rm.bbox(), zoom, controller.signal);
        if (!controller.signal.aborted) renderClusters(clusters.features);
        return;
      }
      const result = await api.reports(rm.bbox(), LIMIT, controller.signal);
      if (controller.signal.aborted) return;
      render(result.features, Boolean(result.links?.some((l) => l.rel === 'next')));
    } catch {
      if (!controller.signal.aborted) count.textContent = t.listFailed;
    }
  }

  function schedule(): void {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), DEBOUNCE_MS);
  }

  return {
    section,
    attach(reportMap, categories, signal) {
      rm = reportMap;
      cats = categories;
      reportMap.map.on('moveend', schedule);
      signal.addEventListener('abort', () => {
        window.clearTimeout(timer);
        inFlight?.abort();
        rm = null;
      });
      void load();
    },
    refresh: () => void load(),
  };
}
