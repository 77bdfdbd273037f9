/**
 * "My reports" without an account: the ids of the reports this device sent, kept in
 * localStorage with the last status and publication state seen, so the list also reads
 * offline. Deliberately no words, photos or place: a shared or lost phone gives away no more
 * than a category and a date.
 */
import type { Kind, ReportFeature, Review, Status } from '../lib/api';
import { emit } from './events';

const STORE_KEY = 'wegfrei:my-reports';
const MAX = 100;

export interface MyReport {
  id: number;
  category: string;
  kind: Kind;
  sentAt: string;
  /** The last status seen; `withdrawn` when the report left the public channels. */
  status?: Status | 'withdrawn';
  /** 'pending' until a coordinator published it; missing for reports stored before moderation. */
  review?: Review;
  checkedAt?: string;
}

/** What one look at the public API found; `status` is absent when it could not tell. */
export interface Seen {
  status?: Status | 'withdrawn';
  review?: Review;
}

export function myReports(): MyReport[] {
  try {
    const list = JSON.parse(localStorage.getItem(STORE_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as MyReport[]).filter((r) => Number.isSafeInteger(r?.id)) : [];
  } catch {
    return [];
  }
}

function save(list: MyReport[]): void {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(list.slice(0, MAX)));
  } catch {
    // Storage full or blocked: the report is sent all the same; only the list misses it.
  }
  emit({ type: 'mine' });
}

export function rememberReport(feature: ReportFeature): void {
  const list = myReports().filter((r) => r.id !== feature.id);
  const p = feature.properties;
  list.unshift({
    id: feature.id,
    category: p.category,
    kind: p.kind,
    sentAt: p.created_at ?? new Date().toISOString(),
    status: p.status,
    review: p.review,
    checkedAt: new Date().toISOString(),
  });
  save(list);
}

export function recordStatuses(seen: Map<number, Seen>): void {
  if (!seen.size) return;
  const now = new Date().toISOString();
  const list = myReports().map((r) => {
    const found = seen.get(r.id);
    return found ? { ...r, ...found, checkedAt: now } : r;
  });
  save(list);
}

export function isMine(id: number): boolean {
  return myReports().some((r) => r.id === id);
}
