/**
 * "My reports" without an account: the ids of the reports this device sent, kept in
 * localStorage with the last status seen, so the list also reads offline.
 */
import type { Kind, ReportFeature, Status } from '../lib/api';
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
  checkedAt?: string;
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
    checkedAt: new Date().toISOString(),
  });
  save(list);
}

export function recordStatuses(statuses: Map<number, Status | 'withdrawn'>): void {
  if (!statuses.size) return;
  const now = new Date().toISOString();
  const list = myReports().map((r) => {
    const status = statuses.get(r.id);
    return status ? { ...r, status, checkedAt: now } : r;
  });
  save(list);
}

export function isMine(id: number): boolean {
  return myReports().some((r) => r.id === id);
}
