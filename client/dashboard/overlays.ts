/**
 * Areas drawn over the report layers: hotspots, the area chosen for a new deployment (or a
 * deployment being looked at), and the polygon being drawn. Plain GeoJSON sources.
 */
import type * as maplibregl from 'maplibre-gl';
import type { HotspotCollection, Polygon } from '../lib/staff-api';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

function whenLoaded(map: maplibregl.Map, fn: () => void): void {
  if (map.isStyleLoaded()) fn();
  else map.once('load', fn);
}

export function addOverlays(map: maplibregl.Map): void {
  whenLoaded(map, () => {
    if (map.getSource('hotspots')) return;
    const before = map.getLayer('selected-ring') ? 'selected-ring' : undefined;
    map.addSource('hotspots', { type: 'geojson', data: EMPTY });
    map.addSource('area', { type: 'geojson', data: EMPTY });
    map.addSource('draw', { type: 'geojson', data: EMPTY });
    map.addLayer(
      {
        id: 'hotspots-fill',
        type: 'fill',
        source: 'hotspots',
        paint: { 'fill-color': '#cc79a7', 'fill-opacity': 0.28 },
      },
      before,
    );
    map.addLayer(
      { id: 'hotspots-line', type: 'line', source: 'hotspots', paint: { 'line-color': '#6b2d57', 'line-width': 2 } },
      before,
    );
    map.addLayer(
      { id: 'area-fill', type: 'fill', source: 'area', paint: { 'fill-color': '#ffd23f', 'fill-opacity': 0.18 } },
      before,
    );
    map.addLayer(
      {
        id: 'area-line',
        type: 'line',
        source: 'area',
        paint: { 'line-color': '#16202b', 'line-width': 3, 'line-dasharray': [2, 1] },
      },
      before,
    );
    map.addLayer({
      id: 'draw-fill',
      type: 'fill',
      source: 'draw',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#d55e00', 'fill-opacity': 0.15 },
    });
    map.addLayer({
      id: 'draw-line',
      type: 'line',
      source: 'draw',
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#a34400', 'line-width': 3 },
    });
    map.addLayer({
      id: 'draw-points',
      type: 'circle',
      source: 'draw',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 5,
        'circle-color': '#ffffff',
        'circle-stroke-color': '#a34400',
        'circle-stroke-width': 3,
      },
    });
  });
}

function setData(map: maplibregl.Map, id: string, data: object): void {
  whenLoaded(map, () => map.getSource<maplibregl.GeoJSONSource>(id)?.setData(data as GeoJSON.GeoJSON));
}

export function showHotspots(map: maplibregl.Map, hotspots: HotspotCollection | null): void {
  setData(map, 'hotspots', hotspots ?? EMPTY);
}

export function showArea(map: maplibregl.Map, area: Polygon | null): void {
  setData(map, 'area', area ? { type: 'Feature', geometry: area, properties: {} } : EMPTY);
}

export function showDraft(map: maplibregl.Map, points: [number, number][]): void {
  const features: object[] = points.map((c) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: c },
    properties: {},
  }));
  if (points.length === 2)
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: points }, properties: {} });
  if (points.length >= 3) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[...points, points[0]]] },
      properties: {},
    });
  }
  setData(map, 'draw', { type: 'FeatureCollection', features });
}

/** The bounds of a polygon, for fitting the map to it. */
export function polygonBounds(area: Polygon): [[number, number], [number, number]] {
  const ring = area.coordinates[0] ?? [];
  const lons = ring.map((c) => c[0]);
  const lats = ring.map((c) => c[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}
