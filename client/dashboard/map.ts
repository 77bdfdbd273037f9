/**
 * The live map (MapLibre GL): the raster basemap from /api/v1/config and the staff vector
 * tiles, clustered below zoom 15 by the server. The map keeps working when basemap tiles fail;
 * report symbols are drawn on demand by map-icons, so no sprite or glyph server is needed.
 */
import * as maplibregl from 'maplibre-gl';
import type { MapGeoJSONFeature, StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { h } from '../lib/dom';
import type { Polygon, StaffFeature } from '../lib/staff-api';
import { drawIcon } from './map-icons';
import { filterParams, type Ctx, type Filters } from './state';
import { t } from './strings';

maplibregl.setWorkerUrl(workerUrl);

/** From this zoom on the staff tiles carry single reports (server: SINGLE_REPORT_MIN_ZOOM). */
export const SINGLE_ZOOM = 15;
/** Deepest zoom with clusters: a click there lists the cluster's reports instead of zooming. */
export const MAX_CLUSTER_ZOOM = SINGLE_ZOOM - 1;
const CLOSED = ['resolved', 'rejected', 'duplicate'];

export interface DashboardMap {
  map: maplibregl.Map;
  setFilters(f: Filters): void;
  /** Fetch the report tiles again (a report was added or changed). */
  refresh(): void;
  select(id: number | null): void;
  show(feature: StaffFeature): void;
  fitReports(features: StaffFeature[]): void;
  viewPolygon(): Polygon;
  bbox(): string;
  resize(): void;
  /** While an area is drawn, clicks add corners instead of opening reports. */
  suspendClicks(on: boolean): void;
}

export interface MapHandlers {
  onReport(id: number): void;
  onClusterList(bbox: string, count: number): void;
}

function tileUrl(f: Filters): string {
  const q = new URLSearchParams(filterParams(f)).toString();
  return `${location.origin}/tiles/staff/{z}/{x}/{y}.mvt${q ? `?${q}` : ''}`;
}

function style(ctx: Ctx): StyleSpecification {
  const { tile_url: url, tile_attribution: attribution } = ctx.config;
  return {
    version: 8,
    sources: {
      ...(url ? { basemap: { type: 'raster', tiles: [url], tileSize: 256, maxzoom: 19, attribution } } : {}),
      reports: { type: 'vector', tiles: [tileUrl(ctx.filters)], minzoom: 0, maxzoom: 16 },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e9ecef' } },
      ...(url ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
      {
        id: 'selected-ring',
        type: 'circle',
        source: 'reports',
        'source-layer': 'reports',
        filter: ['==', ['get', 'id'], -1],
        paint: {
          'circle-radius': 19,
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-width': 5,
          'circle-stroke-color': '#ffd23f',
        },
      },
      {
        id: 'clusters',
        type: 'symbol',
        source: 'reports',
        'source-layer': 'reports',
        filter: ['has', 'count'],
        layout: {
          'icon-image': [
            'concat',
            'cl-',
            ['to-string', ['get', 'count']],
            '-',
            ['to-string', ['round', ['*', 8, ['/', ['get', 'count_help'], ['max', 1, ['get', 'count']]]]]],
            '-',
            ['to-string', ['get', 'max_severity']],
          ],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'symbol-sort-key': ['get', 'count'],
        },
      },
      {
        id: 'reports',
        type: 'symbol',
        source: 'reports',
        'source-layer': 'reports',
        filter: ['!', ['has', 'count']],
        layout: {
          'icon-image': [
            'concat',
            'rp-',
            ['get', 'kind'],
            '-',
            ['to-string', ['get', 'severity']],
            '-',
            ['case', ['in', ['get', 'status'], ['literal', CLOSED]], '1', '0'],
          ],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'symbol-sort-key': ['get', 'severity'],
        },
      },
    ],
  };
}

/** The cell of the server's cluster grid (tile zoom + 3) that holds a cluster's point. */
function clusterCell(lngLat: maplibregl.LngLat, zoom: number): string {
  const level = Math.min(Math.floor(zoom), MAX_CLUSTER_ZOOM) + 3;
  const n = 2 ** level;
  const x = Math.floor(((lngLat.lng + 180) / 360) * n);
  const rad = (lngLat.lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  const lon = (i: number) => (i / n) * 360 - 180;
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)].map((v) => v.toFixed(6)).join(',');
}

function bboxOf(map: maplibregl.Map): string {
  const b = map.getBounds();
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 85), clamp(b.getEast(), 180), clamp(b.getNorth(), 85)]
    .map((v) => v.toFixed(6))
    .join(',');
}

export function createMap(ctx: Ctx, container: HTMLElement, handlers: MapHandlers): DashboardMap {
  const summary = h('p', { id: 'map-summary', class: 'map-summary', role: 'status' });
  const help = h('p', { id: 'map-help', class: 'visually-hidden' }, t.mapHelp);
  const notice = h('p', { class: 'map-notice', role: 'status' });
  const canvasHost = h('div', { class: 'map-canvas' });
  container.append(canvasHost, summary, help, notice);

  const map = new maplibregl.Map({
    container: canvasHost,
    style: style(ctx),
    center: [10.45, 51.16],
    zoom: 5,
    hash: 'map',
    maxZoom: 20,
    // Raster tiles through <img> (covered by the page's img-src), not fetch.
    refreshExpiredTiles: false,
    fadeDuration: 0,
    attributionControl: { compact: false },
    locale: { 'Map.Title': t.mapLabel, 'NavigationControl.ZoomIn': t.zoomIn, 'NavigationControl.ZoomOut': t.zoomOut },
    // Staff tiles must show changes at once; revalidation with the server's ETag keeps it cheap.
    transformRequest: (url: string) => (url.includes('/tiles/staff/') ? { url, cache: 'no-cache' } : { url }),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.getCanvas().setAttribute('aria-describedby', 'map-help map-summary');

  map.setMissingStyleImageResolver((id) => {
    const icon = drawIcon(id);
    if (icon && !map.hasImage(id)) map.addImage(id, icon.data, { pixelRatio: icon.pixelRatio });
  });
  let basemapFailed = false;
  map.on('error', (e: { sourceId?: string; error?: { message?: string } }) => {
    if (e.sourceId === 'basemap' && !basemapFailed) {
      basemapFailed = true;
      notice.textContent = t.tilesFailed;
    } else if (e.sourceId !== 'basemap') console.warn('map:', e.error?.message);
  });

  function updateSummary(): void {
    const rendered = map.queryRenderedFeatures({ layers: ['clusters', 'reports'] });
    let reports = 0;
    let clusters = 0;
    const seen = new Set<string>();
    for (const f of rendered) {
      const key = `${String(f.properties.id ?? '')}:${JSON.stringify(f.geometry)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (typeof f.properties.count === 'number') {
        reports += f.properties.count;
        clusters += 1;
      } else reports += 1;
    }
    summary.textContent = t.mapSummary(reports, clusters);
  }
  map.on('idle', updateSummary);

  let clicksSuspended = false;
  function onClick(e: maplibregl.MapMouseEvent & { features?: MapGeoJSONFeature[] }): void {
    const f = e.features?.[0];
    if (!f || clicksSuspended) return;
    if (typeof f.properties.count === 'number') {
      const point =
        f.geometry.type === 'Point' ? maplibregl.LngLat.convert(f.geometry.coordinates as [number, number]) : e.lngLat;
      if (map.getZoom() >= MAX_CLUSTER_ZOOM - 0.01)
        handlers.onClusterList(clusterCell(point, map.getZoom()), f.properties.count);
      else map.easeTo({ center: point, zoom: Math.min(MAX_CLUSTER_ZOOM, Math.floor(map.getZoom()) + 2) });
    } else if (f.properties.id !== undefined) handlers.onReport(Number(f.properties.id));
  }
  for (const layer of ['clusters', 'reports']) {
    map.on('click', layer, onClick);
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }

  // The queue's "only this map view" filter reads the view here.
  ctx.mapBbox = () => bboxOf(map);
  let refreshTimer = 0;
  let lateTimer = 0;
  const source = () => map.getSource<maplibregl.VectorTileSource>('reports');

  return {
    map,
    setFilters(f) {
      source()?.setTiles([tileUrl(f)]);
    },
    refresh() {
      // Coalesce bursts; refresh once more a little later because low zooms read a cell table
      // the server folds every few seconds.
      window.clearTimeout(refreshTimer);
      refreshTimer = window.setTimeout(() => {
        if (map.getSource('reports')) map.refreshTiles('reports');
      }, 150);
      window.clearTimeout(lateTimer);
      lateTimer = window.setTimeout(() => {
        if (map.getSource('reports')) map.refreshTiles('reports');
      }, 4000);
    },
    select(id) {
      if (map.getLayer('selected-ring')) map.setFilter('selected-ring', ['==', ['get', 'id'], id ?? -1]);
    },
    show(feature) {
      const [lon, lat] = feature.geometry.coordinates;
      map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), SINGLE_ZOOM + 1) });
    },
    fitReports(features) {
      if (features.length === 0) return;
      const bounds = new maplibregl.LngLatBounds();
      for (const f of features) bounds.extend(f.geometry.coordinates);
      map.fitBounds(bounds, {
        padding: { top: 100, bottom: 50, left: 50, right: 70 },
        maxZoom: SINGLE_ZOOM + 1,
        duration: 0,
      });
    },
    viewPolygon() {
      const b = map.getBounds();
      const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(
        (v) => Math.round(v * 1e6) / 1e6,
      ) as [number, number, number, number];
      return {
        type: 'Polygon',
        coordinates: [
          [
            [w, s],
            [e, s],
            [e, n],
            [w, n],
            [w, s],
          ],
        ],
      };
    },
    bbox() {
      return bboxOf(map);
    },
    resize() {
      map.resize();
    },
    suspendClicks(on) {
      clicksSuspended = on;
    },
  };
}
