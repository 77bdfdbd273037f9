/**
 * Drawing a deployment area on the map: click to add corners, Enter or double-click to finish,
 * Backspace to remove the last corner, Escape to cancel. Keyboard users have the equivalent
 * "use current map view as area" button beside it.
 */
import type * as maplibregl from 'maplibre-gl';
import { announce } from '../lib/announce';
import type { Polygon } from '../lib/staff-api';
import { showDraft } from './overlays';
import { t } from './strings';

export interface Draw {
  start(): void;
  cancel(): void;
  active(): boolean;
}

export function createDraw(map: maplibregl.Map, status: HTMLElement, onDone: (area: Polygon | null) => void): Draw {
  let points: [number, number][] = [];
  let drawing = false;

  const round = (v: number) => Math.round(v * 1e6) / 1e6;

  function onClick(e: maplibregl.MapMouseEvent): void {
    points.push([round(e.lngLat.lng), round(e.lngLat.lat)]);
    showDraft(map, points);
  }

  function onDblClick(e: maplibregl.MapMouseEvent): void {
    e.preventDefault();
    // The two clicks of a double-click each added a corner at the same place.
    const a = points.at(-1);
    const b = points.at(-2);
    if (a && b && Math.abs(a[0] - b[0]) < 1e-5 && Math.abs(a[1] - b[1]) < 1e-5) points.pop();
    finish();
  }

  function onKey(e: KeyboardEvent): void {
    if (!drawing) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancel();
      announce(t.drawCancelled);
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      e.stopPropagation();
      finish();
    } else if (e.key === 'Backspace' && points.length > 0 && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      points.pop();
      showDraft(map, points);
    }
  }

  function stop(): void {
    drawing = false;
    points = [];
    showDraft(map, []);
    map.off('click', onClick);
    map.off('dblclick', onDblClick);
    document.removeEventListener('keydown', onKey, true);
    map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = '';
    status.textContent = '';
  }

  function finish(): void {
    if (points.length < 3) {
      announce(t.drawTooFew, 'assertive');
      return;
    }
    const ring: [number, number][] = [...points, points[0]!];
    stop();
    onDone({ type: 'Polygon', coordinates: [ring] });
  }

  function cancel(): void {
    if (!drawing) return;
    stop();
    onDone(null);
  }

  function start(): void {
    if (drawing) return;
    drawing = true;
    points = [];
    map.doubleClickZoom.disable();
    map.on('click', onClick);
    map.on('dblclick', onDblClick);
    document.addEventListener('keydown', onKey, true);
    map.getCanvas().style.cursor = 'crosshair';
    status.textContent = t.drawing;
  }

  return { start, cancel, active: () => drawing };
}
