// "Something changed" signals for live views. The changes themselves are rows in
// report_events; the bus only says when to look. On a real server it is PostgreSQL
// LISTEN/NOTIFY, so every app process behind a load balancer hears every change; the
// embedded database cannot carry NOTIFY over its socket, so there it is in-process.
import { EventEmitter, setMaxListeners } from 'node:events';
import pg from 'pg';
import type { Logger } from '../logger';

export interface EventBus {
  /** Call after committing a change. */
  notify(): void;
  subscribe(listener: () => void): () => void;
  /** Aborted when the bus closes (the server is shutting down): long-lived streams end. */
  readonly closing: AbortSignal;
  close(): Promise<void>;
}

const CHANNEL = 'wegfrei_report_events';
const NOTIFY_COALESCE_MS = 25;

export function inProcessBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const closing = new AbortController();
  // Every open live stream listens for it (live.routes.ts); Node warns of a leak past ten.
  setMaxListeners(0, closing.signal);
  return {
    notify: () => emitter.emit('change'),
    subscribe(listener) {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    closing: closing.signal,
    close() {
      closing.abort();
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

export function postgresBus(url: string, pool: pg.Pool, logger: Logger): EventBus {
  const local = inProcessBus();
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => local.notify());
    c.on('error', (err) => {
      logger.warn({ err }, 'Live updates lost their database connection; reconnecting');
      client = undefined;
      c.end().catch(() => undefined);
      setTimeout(() => void connect(), 1000).unref();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
      local.notify(); // catch up on whatever happened while disconnected
    } catch (err) {
      logger.warn({ err }, 'Could not listen for live updates; retrying');
      await c.end().catch(() => undefined);
      setTimeout(() => void connect(), 2000).unref();
    }
  };
  void connect();
  // Listeners re-read report_events anyway, so a burst of changes needs one NOTIFY, not one each.
  let pending: NodeJS.Timeout | undefined;
  return {
    notify() {
      if (closed) return;
      pending ??= setTimeout(() => {
        pending = undefined;
        pool.query(`NOTIFY ${CHANNEL}`).catch((err: unknown) => logger.warn({ err }, 'NOTIFY failed'));
      }, NOTIFY_COALESCE_MS);
    },
    subscribe: (listener) => local.subscribe(listener),
    closing: local.closing,
    async close() {
      closed = true;
      clearTimeout(pending);
      await local.close();
      await client?.end().catch(() => undefined);
    },
  };
}
