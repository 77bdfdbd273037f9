// GET /api/v1/events: Server-Sent Events of new and changed reports for staff. Each event's id
// is its row in report_events, so a browser reconnecting with Last-Event-ID gets what it
// missed, in order: at most the last REPLAY_MAX_EVENTS events of the last REPLAY_MAX_HOURS.
// A responder's stream carries only the reports of their scope (triage.scope.ts); events of
// other reports are left out whole, so it never names them. There is no public stream.
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { Logger } from '../../logger';
import { toFeature } from '../reports/reports.geojson';
import { seesEverything } from '../triage/triage.scope';
import { allowedTransitions } from '../triage/triage.workflow';
import { eventsAfter, replayWindow } from './live.repo';

const HEARTBEAT_MS = 15_000;
const BATCH = 200;
/**
 * A replay goes back at most this many events and hours: enough for a dashboard that lost
 * its network or slept through a night shift, not a dump of every contact since the start
 * for whoever holds a session (`Last-Event-ID: 0`). Further back, the stream says
 * `replay.truncated` and the client reloads its lists.
 */
export const REPLAY_MAX_EVENTS = 1000;
export const REPLAY_MAX_HOURS = 24;
/**
 * Open streams per account: a coordinator's tabs and devices. Each stream reads the database
 * once per event, so five hundred streams of one responder's session held `/healthz` for
 * seconds (issue 11's second attack).
 */
export const MAX_STREAMS_PER_USER = 6;

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
  const open = new Map<number, number>();

  router.get('/api/v1/events', requireStaff(), async (req, res, next) => {
    const userId = staffOf(res)!.user.id;
    const streams = open.get(userId) ?? 0;
    if (streams >= MAX_STREAMS_PER_USER) {
      return next(
        new AppError(
          429,
          'too_many_streams',
          'Too many live streams',
          `At most ${MAX_STREAMS_PER_USER} live streams per account; close another tab or device of this account.`,
          [],
          { 'Retry-After': '30' },
        ),
      );
    }
    open.set(userId, streams + 1);
    res.once('close', () => {
      const left = (open.get(userId) ?? 1) - 1;
      if (left > 0) open.set(userId, left);
      else open.delete(userId);
    });
    const resumeFrom = Number(req.get('Last-Event-ID') ?? req.query.last_event_id);
    const requested = Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : null;
    const window = await replayWindow(deps.pool, requested, REPLAY_MAX_EVENTS, REPLAY_MAX_HOURS);
    let last = window.start;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'private, no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: connected at event ${last}\n\n`);
    // No id: the client's Last-Event-ID stays where it was until a real event arrives.
    if (window.truncated) res.write(`event: replay.truncated\ndata: ${JSON.stringify({ replayed_after: last })}\n\n`);
    const base = deps.baseUrl(req);
    const viewer = staffOf(res)!.user;
    const everything = seesEverything(viewer);
    let closed = false;
    let sending: Promise<void> | undefined;
    let again = false;

    // One query per batch, and the next batch only once the socket has taken the last: a
    // client reading slowly holds no connection and makes the server buffer one batch at most.
    const send = async () => {
      do {
        again = false;
        const events = await eventsAfter(deps.pool, last, BATCH, viewer);
        if (!events.length || closed) return;
        for (const event of events) {
          last = event.id;
          // Outside a responder's scope (or gone: its scope is unknown then): not a word of it.
          if (!event.report && !everything) continue;
          const report = event.report ? toFeature(event.report, { baseUrl: base, audience: 'staff' }) : null;
          if (event.report && report)
            report.properties.allowed_transitions = allowedTransitions(event.report.status, viewer.role);
          // The inbox's changes name the message only: its words and sender are read by id.
          const data =
            event.messageId === null
              ? { id: event.reportId, type: event.type, report }
              : { message_id: event.messageId, type: event.type };
          res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
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
