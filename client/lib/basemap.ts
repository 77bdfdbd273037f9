/**
 * The Leaflet map both pages share: raster basemap from /api/v1/config, with the attribution
 * the tile provider requires, and a light background so the map still reads when tiles fail.
 */
import L from 'leaflet';
import type { AppConfig, Category, ReportFeature } from './api';
import { h } from './dom';
import { t } from './strings';

export interface BaseMapOptions {
  center: L.LatLngExpression;
  zoom: number;
  label: string;
  describedBy?: string;
  onTilesFailed?: () => void;
}

export function createBaseMap(el: HTMLElement, config: AppConfig, opts: BaseMapOptions): L.Map {
  const map = L.map(el, {
    center: opts.center,
    zoom: opts.zoom,
    keyboard: true,
    // Phones scroll the page with one finger; a map that steals that gesture traps people.
    scrollWheelZoom: 'center',
    tapTolerance: 15,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  // role=application lets screen readers pass arrow keys through to the map's own handler.
  el.setAttribute('role', 'application');
  el.setAttribute('aria-label', opts.label);
  if (opts.describedBy) el.setAttribute('aria-describedby', opts.describedBy);

  if (config.tile_url) {
    const tiles = L.tileLayer(config.tile_url, {
      attribution: config.tile_attribution,
      maxZoom: 19,
      crossOrigin: false,
    });
    let failed = false;
    tiles.on('tileerror', () => {
      if (failed) return;
      failed = true;
      el.classList.add('tiles-failed');
      opts.onTilesFailed?.();
    });
    tiles.addTo(map);
  } else {
    opts.onTilesFailed?.();
  }
  return map;
}

/** A report marker: the category's icon on a badge whose ring shows the severity. */
export function reportIcon(feature: ReportFeature, category: Category | undefined): L.DivIcon {
  const p = feature.properties;
  const glyph = h('span', { class: 'report-marker__glyph', 'aria-hidden': 'true' }, category?.icon ?? '•');
  return L.divIcon({
    className: `report-marker report-marker--${p.kind} report-marker--sev${p.severity}`,
    html: glyph,
    iconSize: [36, 36],
    iconAnchor: [18, 18],
    popupAnchor: [0, -16],
  });
}

/** The pin for the place being reported; shaped differently from report markers on purpose. */
export function pinIcon(): L.DivIcon {
  return L.divIcon({
    className: 'place-pin',
    html: h('span', { class: 'place-pin__head', 'aria-hidden': 'true' }),
    iconSize: [32, 44],
    iconAnchor: [16, 44],
  });
}

export function lonLat(feature: ReportFeature): L.LatLng {
  const [lon, lat] = feature.geometry.coordinates;
  return L.latLng(lat, lon);
}

/** A marker's accessible name: what and how bad, because the badge itself is only a glyph. */
export function markerTitle(feature: ReportFeature, label: string): string {
  const p = feature.properties;
  return `${label}, ${t.severityShort(p.kind, p.severity)}, ${t.status(p.status)}`;
}
