// GET /api/v1/events: Server-Sent Events of new and changed reports for staff. Each event's id
// is its row in report_events, so a browser reconnecting with Last-Event-ID gets everything
// it missed, in order.
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { requireStaff, staffOf } from '../../http/auth';
import type { EventBus } from '../../live/bus';
import type { Logger } from '../../logger';
import { toFeature } from '../reports/reports.geojson';
import { allowedTransitions } from '../triage/triage.workflow';
import { eventsAfter } from './live.repo';

const HEARTBEAT_MS = 15_000;
const BATCH = 200;

/** Resolves once `res` has sent what it buffered, or is closed. */
function drained(res: Response): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}

export function liveRouter(deps: {
  pool: pg.Pool;
  events: EventBus;
  logger: Logger;
  baseUrl: (req: Request) => string;
}) {
  const router = Router();

  router.get('/api/v1/events', requireStaff(), async (req, res) => {
    const resumeFrom = Number(req.get('Last-Event-ID') ?? req.query.last_event_id);
    let last: number;
    if (Number.isSafeInteger(resumeFrom) && resumeFrom >= 0) last = resumeFrom;
    else {
      const { rows } = await deps.pool.query<{ id: number }>(
        'SELECT coalesce(max(id), 0)::bigint AS id FROM report_events',
      );
      last = rows[0]!.id;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'private, no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: connected at event ${last}\n\n`);
    const base = deps.baseUrl(req);
    const role = staffOf(res)!.user.role;
    let closed = false;
    let sending: Promise<void> | undefined;
    let again = false;

    // One query per batch, and the next batch only once the socket has taken the last: a
    // client reading slowly holds no connection and makes the server buffer one batch at most.
    const send = async () => {
      do {
        again = false;
        const events = await eventsAfter(deps.pool, last, BATCH);
        if (!events.length || closed) return;
        for (const event of events) {
          const report = event.report ? toFeature(event.report, { baseUrl: base, audience: 'staff' }) : null;
          if (event.report && report)
            report.properties.allowed_transitions = allowedTransitions(event.report.status, role);
          res.write(
            `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: event.reportId, type: event.type, report })}\n\n`,
          );
          last = event.id;
        }
        await drained(res);
        if (events.length === BATCH) again = true;
      } while (again && !closed);
    };
    const wake = () => {
      if (closed) return;
      if (sending) {
        again = true;
        return;
      }
      sending = send()
        .catch((err: unknown) => deps.logger.warn({ err }, 'Sending live events failed'))
        .finally(() => {
          sending = undefined;
          if (again) wake();
        });
    };
    const unsubscribe = deps.events.subscribe(wake);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    // On shutdown the stream ends; EventSource reconnects (to another process, or this one
    // restarted) and Last-Event-ID replays what it missed.
    const endStream = () => res.end();
    deps.events.closing.addEventListener('abort', endStream, { once: true });
    req.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      deps.events.closing.removeEventListener('abort', endStream);
    });
    wake(); // replay what a reconnecting client missed
  });

  return router;
}
