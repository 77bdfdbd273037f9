/**
 * The outbox: every report is written to IndexedDB before it is sent, with its shrunk
 * photos and the Idempotency-Key made when the person pressed Send, and leaves only once the
 * server has stored it. Whatever fails in between — no signal, a dropped answer, a closed
 * tab — the next attempt sends the same bytes with the same key, and the server answers with
 * the report it already has: one report, however often it is tried.
 *
 * Loaded on demand (it carries idb); ./outbox-client.ts is the always-loaded handle.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ApiError, sendReport, type Problem, type ReportDraft, type ReportFeature } from '../lib/api';
import { emit } from './events';
import { rememberReport } from './my-reports-store';

export interface QueuedReport {
  /** The Idempotency-Key, made once per report. */
  key: string;
  draft: ReportDraft;
  photos: File[];
  createdAt: string;
  attempts: number;
  /** Set when the server refused the report (4xx): it is kept for the person to see, not retried. */
  refused: Problem | null;
}

interface OutboxDb extends DBSchema {
  outbox: { key: string; value: QueuedReport };
}

let database: Promise<IDBPDatabase<OutboxDb>> | null = null;
function db(): Promise<IDBPDatabase<OutboxDb>> {
  database ??= openDB<OutboxDb>('wegfrei', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'key' });
    },
  });
  return database;
}

export async function save(report: { key: string; draft: ReportDraft; photos: File[] }): Promise<void> {
  const d = await db();
  const earlier = await d.get('outbox', report.key);
  await d.put('outbox', {
    createdAt: new Date().toISOString(),
    attempts: 0,
    refused: null,
    ...earlier,
    ...report,
  });
  emit({ type: 'outbox' });
}

export async function list(): Promise<QueuedReport[]> {
  const all = await (await db()).getAll('outbox');
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function remove(key: string): Promise<void> {
  await (await db()).delete('outbox', key);
  emit({ type: 'outbox' });
}

export type Outcome =
  | { kind: 'sent'; feature: ReportFeature }
  /**
   * Not sent: it stays in the outbox for the next attempt. `busy`: the server answered
   * (5xx, 408, 429); `unreachable`: no answer at all; undefined: another tab is sending it.
   */
  | { kind: 'waiting'; reason?: 'busy' | 'unreachable' }
  | { kind: 'refused'; error: ApiError }
  /** No longer in the outbox: another tab sent or someone deleted it meanwhile. */
  | { kind: 'gone' };

const inFlight = new Set<string>();
export const isSending = (key: string) => inFlight.has(key);

/** Several tabs may hold the app; one report is sent by one of them at a time. */
async function exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
  return navigator.locks ? navigator.locks.request(`wegfrei-outbox:${key}`, fn) : fn();
}

/** 408 and 429 say "later", like a 5xx; every other 4xx is a definite no. */
const definite = (err: unknown): err is ApiError =>
  err instanceof ApiError && err.status < 500 && err.status !== 408 && err.status !== 429;

/**
 * One attempt at one queued report. `dropIfRefused`: the form sends its own report first and
 * shows a refusal next to the fields, so that report need not stay in the outbox.
 */
export async function attempt(
  key: string,
  opts: { onProgress?: (fraction: number) => void; dropIfRefused?: boolean } = {},
): Promise<Outcome> {
  if (inFlight.has(key)) return { kind: 'waiting' };
  inFlight.add(key);
  emit({ type: 'outbox' });
  try {
    return await exclusively(key, async (): Promise<Outcome> => {
      const d = await db();
      const item = await d.get('outbox', key);
      if (!item) return { kind: 'gone' };
      try {
        const feature = await sendReport(item.draft, item.photos, item.key, opts.onProgress ?? (() => undefined));
        await d.delete('outbox', key);
        rememberReport(feature);
        emit({ type: 'sent', key, feature });
        return { kind: 'sent', feature };
      } catch (err) {
        if (definite(err)) {
          if (opts.dropIfRefused) await d.delete('outbox', key);
          else await d.put('outbox', { ...item, refused: err.problem ?? { status: err.status, title: err.message } });
          return { kind: 'refused', error: err };
        }
        await d.put('outbox', { ...item, attempts: item.attempts + 1 });
        return { kind: 'waiting', reason: err instanceof ApiError ? 'busy' : 'unreachable' };
      }
    });
  } finally {
    inFlight.delete(key);
    emit({ type: 'outbox' });
  }
}

let draining: Promise<void> | null = null;
let retryTimer = 0;
let failures = 0;
const BACKOFF_S = [15, 30, 60, 120, 300];

/**
 * Online but not getting through (a dropped answer, a busy server): try again after a
 * growing pause. Offline, the `online` event brings the next attempt instead.
 */
export function retrySoon(): void {
  window.clearTimeout(retryTimer);
  failures += 1;
  if (!navigator.onLine) return;
  const delay = BACKOFF_S[Math.min(failures, BACKOFF_S.length) - 1] ?? 300;
  retryTimer = window.setTimeout(() => void drain(), delay * 1000);
}

/** Sends every waiting report, oldest first; stops at the first that cannot get through. */
export function drain(): Promise<void> {
  draining ??= (async () => {
    window.clearTimeout(retryTimer);
    let stuck = false;
    try {
      for (const item of await list()) {
        if (item.refused) continue;
        if (!navigator.onLine || (await attempt(item.key)).kind === 'waiting') {
          stuck = true;
          break;
        }
      }
    } finally {
      draining = null;
    }
    if (stuck) retrySoon();
    else failures = 0;
  })();
  return draining;
}

let started = false;
/** Sends what is waiting now, when the connection returns, and when the app comes back to view. */
export function startAutoSend(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void drain());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) void drain();
  });
  void drain();
}
