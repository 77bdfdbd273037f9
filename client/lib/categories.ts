import type { Category } from './api';
import { language } from './i18n';
import { t } from './strings';

/** Category names in the UI language, falling back to English, then to the code itself. */
export function categoryLabel(cat: Category | undefined, code = ''): string {
  if (!cat) return code || t.unknownCategory;
  return cat.labels[language()] ?? cat.labels.en ?? cat.code;
}

export function categoryDescription(cat: Category): string {
  return cat.descriptions[language()] ?? cat.descriptions.en ?? '';
}

export function indexCategories(list: Category[]): Map<string, Category> {
  return new Map(list.map((c) => [c.code, c]));
}

/** Great-circle distance in metres; good enough for "120 m away" texts. */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 6_371_000 * 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Parses typed coordinates: "52.52, 13.40", "52.52 13.40", "52.52;13.40" — latitude first,
 * as people read them off other maps. Returns null for anything else (it is then an address).
 */
export function parseCoordinates(text: string): { lat: number; lon: number } | null {
  const m = /^([+-]?\d{1,3}(?:\.\d+)?)(?:\s*[,;]\s*|\s+)([+-]?\d{1,3}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return { lat: Number(m[1]), lon: Number(m[2]) };
}

export function validCoordinates(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}
