/**
 * A place name for a group of reports, from what we hold and without any internet service:
 * the street most of their addresses name ("Hauptstraße, Potsdam"), else the deployment area
 * they lie in or next to, else their middle as a coordinate ("52.520° N, 13.405° E").
 */
import type { Deployment, StaffFeature } from '../lib/staff-api';
import { t } from './strings';

/** Farther than this from an area's middle, its name would mislead. */
const NEAR_AREA_M = 1500;
/** 12, 12a, 12-14, 3/5, bis, ter: the parts of an address that are not the street's name. */
const HOUSE_NUMBER = /^(?:[0-9]{1,5}[a-z]?(?:[-–/][0-9]{1,5}[a-z]?)?|bis|ter)$/i;
const POSTCODE = /^(?:[A-Z]{1,2}-)?[0-9]{4,5}$/;

/** "Hauptstraße 12a, 10117 Berlin" → "Hauptstraße, Berlin"; "12 rue de la Paix, Lyon" → "rue de la Paix, Lyon". */
export function streetOf(address: string): string | null {
  const parts = address
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  // Word by word, not one pattern: house numbers before (French) or after (German) the name.
  const words = parts[0]!.split(/\s/).filter(Boolean);
  while (words.length && HOUSE_NUMBER.test(words[0]!)) words.shift();
  while (words.length && HOUSE_NUMBER.test(words[words.length - 1]!)) words.pop();
  const street = words.join(' ');
  if (!/\p{L}{2}/u.test(street)) return null;
  const town =
    parts.length > 1
      ? parts[parts.length - 1]!.split(/\s/)
          .filter((w) => w && !POSTCODE.test(w))
          .join(' ')
      : '';
  return town && /\p{L}{2}/u.test(town) && town.toLowerCase() !== street.toLowerCase() ? `${street}, ${town}` : street;
}

/** The street named most often among the reports' addresses (ties: the first seen). */
export function commonStreet(features: StaffFeature[]): string | null {
  const counts = new Map<string, { name: string; n: number }>();
  for (const f of features) {
    const street = f.properties.address ? streetOf(f.properties.address) : null;
    if (!street) continue;
    const key = street.toLocaleLowerCase();
    const entry = counts.get(key) ?? { name: street, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  let best: { name: string; n: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry;
  return best?.name ?? null;
}

export function middleOf(features: StaffFeature[], fallback: [number, number]): [number, number] {
  if (features.length === 0) return fallback;
  const sum = features.reduce<[number, number]>(
    (acc, f) => [acc[0] + f.geometry.coordinates[0], acc[1] + f.geometry.coordinates[1]],
    [0, 0],
  );
  return [sum[0] / features.length, sum[1] / features.length];
}

function inRing([x, y]: [number, number], ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function metres([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const k = Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  return Math.hypot((lon2 - lon1) * k, lat2 - lat1) * 111_320;
}

/** The phrase after "12 reports": "near Hauptstraße, Potsdam", "in the area “Nord”", "at 52.520° N, 13.405° E". */
export function placePhrase(
  features: StaffFeature[],
  middle: [number, number],
  deployments: Pick<Deployment, 'name' | 'area'>[],
): string {
  const street = commonStreet(features);
  if (street) return t.placeStreet(street);
  const named = deployments.filter((d) => d.name.trim() && d.area?.coordinates?.[0]?.length);
  const inside = named.find((d) => inRing(middle, d.area.coordinates[0]!));
  if (inside) return t.placeInArea(inside.name);
  let nearest: { name: string; m: number } | null = null;
  for (const d of named) {
    const ring = d.area.coordinates[0]!;
    const centre = ring.reduce<[number, number]>(
      (acc, p) => [acc[0] + p[0] / ring.length, acc[1] + p[1] / ring.length],
      [0, 0],
    );
    const m = metres(middle, centre);
    if (m <= NEAR_AREA_M && (!nearest || m < nearest.m)) nearest = { name: d.name, m };
  }
  if (nearest) return t.placeNearArea(nearest.name);
  return t.placeAt(t.coordinate(middle[1], middle[0]));
}
