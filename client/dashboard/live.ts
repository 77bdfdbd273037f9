/**
 * Live updates over Server-Sent Events. EventSource reconnects by itself and sends
 * Last-Event-ID, so the server replays what was missed. New reports are announced to screen
 * readers, at most one message every few seconds so a burst does not drown everything else
 * (spoken only: new reports are visible in the queue already). When the session ends the feed
 * stops and the indicator says so instead of "Live"; it starts again after signing in.
 */
import { speak } from '../lib/announce';
import { h } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

const ANNOUNCE_EVERY_MS = 4000;

interface ReportEvent {
  id: number;
  type: 'report.created' | 'report.updated';
  report: StaffFeature;
}

export interface Live {
  el: HTMLElement;
  /** (Re)connects, e.g. after signing in again. */
  start(): void;
  /** Stops the feed: the session ended. */
  stop(): void;
}

export function startLive(ctx: Ctx, onChange: () => void, onInbox?: (messageId: number) => void): Live {
  const status = h('span', { class: 'live live--off' }, t.liveReconnecting);
  const indicator = h('span', { class: 'live-wrap', role: 'status', 'aria-label': t.liveLabel }, status);
  let waiting: StaffFeature[] = [];
  let lastAnnounce = 0;
  let timer = 0;

  function flush(): void {
    timer = 0;
    if (waiting.length === 0) return;
    const [first] = waiting;
    speak(
      waiting.length === 1 && first
        ? t.newReport(
            labelOf(ctx, first.properties.category),
            t.severity(first.properties.kind, first.properties.severity),
          )
        : t.newReports(waiting.length),
    );
    waiting = [];
    lastAnnounce = Date.now();
  }

  function queueAnnouncement(f: StaffFeature): void {
    waiting.push(f);
    if (timer) return;
    timer = window.setTimeout(flush, Math.max(0, lastAnnounce + ANNOUNCE_EVERY_MS - Date.now()));
  }

  function handle(created: boolean) {
    return (e: MessageEvent<string>) => {
      let event: ReportEvent;
      try {
        event = JSON.parse(e.data) as ReportEvent;
      } catch {
        return;
      }
      if (!event.report) return;
      ctx.hub.emit('report', { feature: event.report, created });
      onChange();
      if (created) queueAnnouncement(event.report);
    };
  }

  let source: EventSource | null = null;
  function start(): void {
    source?.close();
    status.className = 'live live--off';
    status.textContent = t.liveReconnecting;
    const es = new EventSource('/api/v1/events');
    es.addEventListener('report.created', handle(true));
    es.addEventListener('report.updated', handle(false));
    // Coordinators and admins only (the server sends responders none): names the message only.
    es.addEventListener('inbox.changed', (e: MessageEvent<string>) => {
      try {
        onInbox?.((JSON.parse(e.data) as { message_id: number }).message_id);
      } catch {
        // A malformed event changes nothing.
      }
    });
    es.addEventListener('open', () => {
      status.className = 'live live--on';
      status.textContent = t.liveConnected;
    });
    es.addEventListener('error', () => {
      if (source !== es) return;
      status.className = 'live live--off';
      status.textContent = t.liveReconnecting;
    });
    source = es;
  }
  function stop(): void {
    source?.close();
    source = null;
    status.className = 'live live--off';
    status.textContent = t.signedOut;
  }
  start();
  window.addEventListener('pagehide', () => source?.close());
  return { el: indicator, start, stop };
}
