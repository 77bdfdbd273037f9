/**
 * Placing an inbox message: a MapLibre map with the dashboard's basemap and a crosshair at its
 * centre. A click sets the place where it lands; with the keyboard the focused map moves under
 * the crosshair (MapLibre's arrow keys) and Enter sets the place at the crosshair. The field
 * beside it takes "lat, lon" or a full plus code (decoded by the server's own decoder).
 */
import * as maplibregl from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import { decodePlusCode } from '../../server/features/inbound/plus-code';
import { h } from '../lib/dom';
import { is } from './inbox-strings';
import type { Ctx } from './state';
import { t } from './strings';

export interface Place {
  lat: number;
  lon: number;
}

export interface Placer {
  el: HTMLElement;
  /** The chosen place, or null. */
  value(): Place | null;
  /** Shows a field error from the server (lat or lon) beside the coordinates. */
  showError(message: string): void;
  /** Focus for "set a place first". */
  focus(): void;
  destroy(): void;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** "52.52, 13.405", "52.52 13.405", "geo:52.52,13.405" or a full plus code; null if none. */
export function parsePlace(text: string): Place | null {
  const s = text.trim().replace(/^geo:/i, '');
  const m = /^(-?\d{1,2}(?:\.\d+)?)(?:\s*[,;]\s*|\s+)(-?\d{1,3}(?:\.\d+)?)$/.exec(s);
  if (m) {
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon };
    return null;
  }
  const code = decodePlusCode(s.replace(/\s+/g, ''));
  return code ? { lat: round(code.lat), lon: round(code.lon) } : null;
}

function style(ctx: Ctx): StyleSpecification {
  const { tile_url: url, tile_attribution: attribution } = ctx.config;
  return {
    version: 8,
    sources: url ? { basemap: { type: 'raster', tiles: [url], tileSize: 256, maxzoom: 19, attribution } } : {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e9ecef' } },
      ...(url ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
    ],
  };
}

/** Where the main map looks now, if it has been shown; otherwise all of Germany. */
function startView(
  ctx: Ctx,
): { center: [number, number]; zoom: number } | { bounds: [number, number, number, number] } {
  const b = ctx.mapBbox?.().split(',').map(Number);
  // A map never shown (the page opened on the inbox) has a bbox of nothing.
  if (b && b.length === 4 && b.every(Number.isFinite) && b[2]! - b[0]! > 1e-4 && b[3]! - b[1]! > 1e-4)
    return { bounds: [b[0]!, b[1]!, b[2]!, b[3]!] };
  return { center: [10.45, 51.16], zoom: 5 };
}

export function createPlacer(ctx: Ctx, initial: Place | null, idPrefix: string): Placer {
  const s = is();
  let place: Place | null = initial;
  // Its own live region says where the place was set (a visible notice as well would say it twice).
  const status = h('p', { class: 'inbox-place__status', id: `${idPrefix}-place-status`, role: 'status' });
  const hint = h('p', { class: 'hint', id: `${idPrefix}-map-hint` }, s.mapHint);
  const host = h('div', { class: 'inbox-place__canvas' });
  const crosshair = h('div', { class: 'inbox-place__crosshair', 'aria-hidden': 'true' });
  const mapBox = h('div', { class: 'inbox-place__map' }, host, crosshair);
  const coords = h('input', {
    id: `${idPrefix}-coords`,
    class: 'input',
    type: 'text',
    inputmode: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${idPrefix}-coords-hint ${idPrefix}-coords-error`,
  });
  const coordsError = h('p', { class: 'form-error', id: `${idPrefix}-coords-error` });
  const setButton = h('button', { type: 'button', class: 'button button--small' }, s.coordsShow);
  const el = h(
    'fieldset',
    { class: 'inbox-place' },
    h('legend', {}, s.place),
    hint,
    mapBox,
    status,
    h('label', { class: 'label', for: `${idPrefix}-coords` }, s.coords),
    h('p', { class: 'hint', id: `${idPrefix}-coords-hint` }, s.coordsHint),
    h('div', { class: 'inbox-place__coords' }, coords, setButton),
    coordsError,
  );

  const view = initial ? { center: [initial.lon, initial.lat] as [number, number], zoom: 16 } : startView(ctx);
  const map = new maplibregl.Map({
    container: host,
    style: style(ctx),
    ...view,
    maxZoom: 20,
    refreshExpiredTiles: false,
    fadeDuration: 0,
    attributionControl: { compact: false },
    locale: { 'Map.Title': s.mapLabel, 'NavigationControl.ZoomIn': t.zoomIn, 'NavigationControl.ZoomOut': t.zoomOut },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  const canvas = map.getCanvas();
  canvas.setAttribute('aria-describedby', `${idPrefix}-map-hint ${idPrefix}-place-status`);
  const markerEl = h('div', { class: 'inbox-place__marker', 'aria-hidden': 'true' });
  const marker = new maplibregl.Marker({ element: markerEl, anchor: 'center' });

  function set(p: Place, how: 'map' | 'field' | 'initial'): void {
    place = { lat: round(p.lat), lon: round(p.lon) };
    marker.setLngLat([place.lon, place.lat]).addTo(map);
    status.textContent = s.placeSet(place.lat, place.lon);
    coordsError.textContent = '';
    coords.removeAttribute('aria-invalid');
    if (how !== 'field') coords.value = `${place.lat.toFixed(6)}, ${place.lon.toFixed(6)}`;
    if (how === 'field') map.jumpTo({ center: [place.lon, place.lat], zoom: Math.max(map.getZoom(), 16) });
  }

  map.on('click', (e) => set({ lat: e.lngLat.lat, lon: e.lngLat.lng }, 'map'));
  canvas.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    e.stopPropagation();
    const c = map.getCenter();
    set({ lat: c.lat, lon: c.lng }, 'map');
  });

  function fromField(): void {
    const p = parsePlace(coords.value);
    if (!p) {
      coordsError.textContent = s.coordsBad;
      coords.setAttribute('aria-invalid', 'true');
      coords.focus();
      return;
    }
    set(p, 'field');
  }
  setButton.addEventListener('click', fromField);
  coords.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    fromField();
  });

  if (initial) set(initial, 'initial');
  else status.textContent = s.placeNone;
  // The map is built before it is in the page: measure again once it is.
  requestAnimationFrame(() => map.resize());

  return {
    el,
    value: () => place,
    showError(message) {
      coordsError.textContent = message;
      coords.setAttribute('aria-invalid', 'true');
    },
    focus: () => canvas.focus(),
    destroy: () => map.remove(),
  };
}
