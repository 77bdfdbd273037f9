/**
 * The citizen map's report marker: the category's SVG icon on a badge whose ring shows the
 * severity and whose shape the kind (round barrier, square help). An SVG, not the taxonomy's
 * emoji, so it shows on every phone (../lib/category-icons.ts).
 */
import L from 'leaflet';
import type { Category, ReportFeature } from '../lib/api';
import { categoryIcon } from '../lib/category-icons';

export function reportMarkerIcon(feature: ReportFeature, category: Category | undefined): L.DivIcon {
  const p = feature.properties;
  return L.divIcon({
    className: `report-marker report-marker--target report-marker--${p.kind} report-marker--sev${p.severity}`,
    html: categoryIcon(category, p.category, 20) as unknown as HTMLElement,
    // A 44 px target (phone views); the badge drawn inside it stays 36 px (map.css).
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -18],
  });
}
