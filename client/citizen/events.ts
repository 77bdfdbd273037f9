/**
 * What happens outside the form that the page shows: the outbox changed, a waiting report
 * was sent, the list of my reports changed, a new version is ready. Other tabs of the app
 * hear about the outbox and my reports too, so no tab shows a stale list.
 */
import type { ReportFeature } from '../lib/api';

export type AppEvent =
  | { type: 'outbox' }
  | { type: 'sent'; key: string; feature: ReportFeature }
  | { type: 'mine' }
  | { type: 'update' }
  | { type: 'installable' };

const target = new EventTarget();
const CHANNEL = 'wegfrei';
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

channel?.addEventListener('message', (e: MessageEvent<AppEvent>) => {
  if (e.data?.type === 'outbox' || e.data?.type === 'mine')
    target.dispatchEvent(new CustomEvent('app', { detail: e.data }));
});

export function emit(event: AppEvent): void {
  target.dispatchEvent(new CustomEvent('app', { detail: event }));
  if (event.type === 'outbox' || event.type === 'mine') channel?.postMessage(event);
}

/** Listens until `signal` aborts (the app instance that listens is rebuilt on a language switch). */
export function listen(fn: (event: AppEvent) => void, signal: AbortSignal): void {
  target.addEventListener('app', (e) => fn((e as CustomEvent<AppEvent>).detail), { signal });
}
