/**
 * The Leaflet map both pages share: raster basemap from /api/v1/config, with the attribution
 * the tile provider requires, and a light background so the map still reads when tiles fail.
 */
import L from 'leaflet';
import type { AppConfig, Category, ReportFeature } from './api';
import { categoryIcon } from './category-icons';
import { t } from './strings';

export interface BaseMapOptions {
  center: L.LatLngExpression;
  zoom: number;
  label: string;
  describedBy?: string;
  onTilesFailed?: () => void;
  /** Names of the zoom buttons in the page's language; Leaflet's English ones otherwise. */
  zoomTitles?: { zoomIn: string; zoomOut: string };
}

/** Animations (zoom, fade, pan) are left out for people who asked their system for less motion. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function createBaseMap(el: HTMLElement, config: AppConfig, opts: BaseMapOptions): L.Map {
  const still = reducedMotion();
  const map = L.map(el, {
    center: opts.center,
    zoom: opts.zoom,
    keyboard: true,
    zoomControl: !opts.zoomTitles,
    zoomAnimation: !still,
    fadeAnimation: !still,
    markerZoomAnimation: !still,
    // Phones scroll the page with one finger; a map that steals that gesture traps people.
    scrollWheelZoom: 'center',
    tapTolerance: 15,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (opts.zoomTitles) {
    L.control.zoom({ zoomInTitle: opts.zoomTitles.zoomIn, zoomOutTitle: opts.zoomTitles.zoomOut }).addTo(map);
  }

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

/**
 * A report marker: the category's SVG icon on a badge whose shape shows the kind (round
 * barrier, square help) and whose ring the severity (the page's stylesheet draws it). Not the taxonomy's emoji, which are empty boxes
 * on phones whose fonts lack them (./category-icons.ts). 44 px: responders tap it in the field.
 */
export function reportIcon(feature: ReportFeature, category: Category | undefined): L.DivIcon {
  const p = feature.properties;
  return L.divIcon({
    className: `report-marker report-marker--${p.kind} report-marker--sev${p.severity}`,
    html: categoryIcon(category, p.category, 24) as unknown as HTMLElement,
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -20],
  });
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The pin for the place being reported; shaped differently from report markers on purpose.
 * Drawn as SVG so its tip sits exactly on the anchor point, i.e. on the chosen place.
 */
export function pinIcon(): L.DivIcon {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 32 44');
  svg.setAttribute('width', '32');
  svg.setAttribute('height', '44');
  svg.setAttribute('aria-hidden', 'true');
  const body = document.createElementNS(SVG, 'path');
  body.setAttribute('d', 'M16 42.5C16 42.5 3 27 3 16a13 13 0 0 1 26 0c0 11-13 26.5-13 26.5z');
  body.setAttribute('class', 'place-pin__body');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('cx', '16');
  dot.setAttribute('cy', '16');
  dot.setAttribute('r', '5');
  dot.setAttribute('fill', '#fff');
  svg.append(body, dot);
  return L.divIcon({
    className: 'place-pin',
    html: svg as unknown as HTMLElement,
    iconSize: [32, 44],
    iconAnchor: [16, 43],
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
