/**
 * The reporting map: where the person puts the pin (tap, keyboard, GPS, typed coordinates)
 * and where existing reports are shown. Dragging is never needed to place the pin.
 */
import L from 'leaflet';
import type { AppConfig, BBox } from '../lib/api';
import { createBaseMap, pinIcon, reducedMotion } from '../lib/basemap';
import { t } from '../lib/strings';

export type PlaceSource = 'gps' | 'map' | 'typed' | 'photo';

export interface ReportMap {
  map: L.Map;
  reportLayer: L.LayerGroup;
  setPin(lat: number, lon: number, accuracyM: number | null, zoomTo?: boolean): void;
  clearPin(): void;
  centre(): L.LatLng;
  bbox(): BBox;
}

interface Handlers {
  /** The person moved the pin on the map itself (tap, Enter, Shift+arrows). */
  onPick(lat: number, lon: number, source: PlaceSource): void;
  onTilesFailed(): void;
  /** Where Escape sends focus, so the map never traps keyboard users. */
  escapeTarget(): HTMLElement | null;
}

const VIEW_KEY = 'wegfrei:view';
const NUDGE_PX = 8;

function savedView(): { center: L.LatLngTuple; zoom: number } {
  try {
    const v = JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null') as { lat: number; lon: number; zoom: number } | null;
    if (v && Number.isFinite(v.lat) && Number.isFinite(v.lon) && Number.isFinite(v.zoom)) {
      return { center: [v.lat, v.lon], zoom: v.zoom };
    }
  } catch {
    // A broken saved view is not worth an error; fall back to the default.
  }
  return { center: [50.5, 10], zoom: 4 };
}

export function createReportMap(el: HTMLElement, config: AppConfig, helpId: string, on: Handlers): ReportMap {
  const view = savedView();
  const map = createBaseMap(el, config, {
    center: view.center,
    zoom: view.zoom,
    label: t.mapLabel,
    describedBy: helpId,
    onTilesFailed: () => on.onTilesFailed(),
    zoomTitles: { zoomIn: t.zoomInTitle, zoomOut: t.zoomOutTitle },
  });
  const animate = !reducedMotion();
  // Leaflet names the popup's close button in English.
  map.on('popupopen', (e: L.PopupEvent) => {
    e.popup.getElement()?.querySelector('.leaflet-popup-close-button')?.setAttribute('aria-label', t.closePopup);
  });
  const reportLayer = L.layerGroup().addTo(map);
  const pin = L.marker([0, 0], { icon: pinIcon(), keyboard: false, interactive: false, zIndexOffset: 1000 });
  const accuracyCircle = L.circle([0, 0], {
    radius: 1,
    interactive: false,
    color: '#0b5cad',
    weight: 1,
    fillOpacity: 0.12,
  });

  map.on('click', (e: L.LeafletMouseEvent) => on.onPick(e.latlng.lat, e.latlng.lng, 'map'));
  map.on('moveend', () => {
    const c = map.getCenter();
    localStorage.setItem(VIEW_KEY, JSON.stringify({ lat: c.lat, lon: c.lng, zoom: map.getZoom() }));
  });

  // Capture phase, so Shift+arrows move the pin instead of Leaflet's fast pan.
  el.addEventListener(
    'keydown',
    (e) => {
      if (e.target !== el || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        const c = map.getCenter();
        on.onPick(c.lat, c.lng, 'map');
      } else if (e.key === 'Escape' && !el.querySelector('.leaflet-popup')) {
        on.escapeTarget()?.focus();
      } else if (e.shiftKey && e.key.startsWith('Arrow') && map.hasLayer(pin)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        const step: Record<string, [number, number]> = {
          ArrowUp: [0, -NUDGE_PX],
          ArrowDown: [0, NUDGE_PX],
          ArrowLeft: [-NUDGE_PX, 0],
          ArrowRight: [NUDGE_PX, 0],
        };
        const [dx, dy] = step[e.key] ?? [0, 0];
        const p = map.latLngToContainerPoint(pin.getLatLng()).add([dx, dy]);
        const ll = map.containerPointToLatLng(p);
        on.onPick(ll.lat, ll.lng, 'map');
      }
    },
    { capture: true },
  );

  return {
    map,
    reportLayer,
    setPin(lat, lon, accuracyM, zoomTo = false) {
      const ll = L.latLng(lat, lon);
      pin.setLatLng(ll).addTo(map);
      if (accuracyM !== null && accuracyM > 0) {
        accuracyCircle.setLatLng(ll).setRadius(accuracyM).addTo(map);
      } else {
        accuracyCircle.remove();
      }
      if (zoomTo) {
        map.setView(ll, Math.max(map.getZoom(), 17), { animate });
      } else if (!map.getBounds().pad(-0.1).contains(ll)) {
        map.panTo(ll, { animate });
      }
    },
    clearPin() {
      pin.remove();
      accuracyCircle.remove();
    },
    centre: () => map.getCenter(),
    bbox() {
      const b = map.getBounds();
      // Leaflet reports longitudes past ±180 when the world wraps; the API wants real ones.
      const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
      return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
    },
  };
}
