// Clients that stall or trickle hold a socket, memory and upload budget for as long as they
// like unless something ends them. Node bounds the headers (headersTimeout) and the whole
// request (requestTimeout); this bounds the gaps in between:
//
// - a request body that brings nothing for `idleMs`, or less than `minBytesPerS` on average
//   over the last `windowMs` once `graceMs` have passed, is cut: 408 problem+json if no answer
//   has started, and the connection closed, which gives back whatever the request held (its
//   upload bytes, see server/http/uploads.ts). Time counts only while the server is ready to
//   read: a body the server itself holds back (an upload waiting for budget, a request
//   waiting for the database before its body is parsed) is not the client's fault.
// - a response the client reads nothing of for `idleMs` (bytes wait in the socket and none
//   leave) is destroyed: an export, a photo or a live stream cannot be parked on a socket.
// - a response the client drains slower than `minReadBytesPerS` over the last `windowMs`, once
//   `graceMs` have passed, is destroyed: a reader that trickles cannot keep its export places
//   and spool file for as long as it likes. Time counts only while bytes wait in the socket
//   (the client is what holds the answer up): a live stream with no events, or an export the
//   database is still writing slower than the client reads, is the server's delay.
//
// The numbers are for phones on bad networks (docs/SECURITY.md, "Slow and hostile clients"):
// a 2G uplink sends 4–8 KB/s, ten times the minimum rate; a tunnel or a cell handover stalls
// a connection for seconds, well below the idle time.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { AppError, sendProblem } from './errors';
import { guardConnections } from './connections';

export interface SlowClientLimits {
  /** A body or a response that makes no progress this long is cut. */
  idleMs: number;
  /** A body that averages less than this (bytes per second) over windowMs is cut; 0: no minimum rate. */
  minBytesPerS: number;
  /** A response the client drains slower than this (bytes per second) over windowMs is cut; 0: no minimum. */
  minReadBytesPerS: number;
  /** The rate is first judged after the body has had this long. */
  graceMs: number;
  windowMs: number;
  /** How often the guard looks. */
  tickMs: number;
}

export const SLOW_CLIENT_DEFAULTS: Readonly<SlowClientLimits> = Object.freeze({
  idleMs: 30_000,
  minBytesPerS: 1024,
  minReadBytesPerS: 2048,
  graceMs: 10_000,
  windowMs: 30_000,
  tickMs: 1000,
});

/** The http server's own timeouts (Node's defaults are 60 s for headers and 300 s for a request). */
export const HTTP_TIMEOUTS = Object.freeze({
  // A phone sends its headers (1–2 KB) within a second or two even on 2G; a slowloris
  // connection dribbling header lines is closed after this.
  headersTimeout: 20_000,
  // The whole request: a 14 MB photo from a phone at 64 kbit/s takes about 30 minutes, which
  // Node's 300 s would cut. Rate and idle limits catch stalling well before this.
  requestTimeout: 60 * 60_000,
  // Node checks the two above this often (30 s by default, which would stretch 20 s to 50 s).
  connectionsCheckingInterval: 5_000,
  // An idle kept-alive connection costs a socket; a phone opening a map reuses it within this.
  keepAliveTimeout: 5_000,
});

/** An http server for the app with HTTP_TIMEOUTS set. */
export function createHttpServer(
  app: http.RequestListener,
  opts: { maxConnectionsPerAddress?: number } = {},
): http.Server {
  const { keepAliveTimeout, ...options } = HTTP_TIMEOUTS;
  // Requests pipelined behind one whose connection was closed are still parsed and delivered
  // (server/http/connections.ts): nobody can be answered on them, so they cost nothing more.
  const listener: http.RequestListener = (req, res) => {
    if (!req.socket.destroyed) app(req, res);
  };
  const server = http.createServer(options, listener);
  // An Expect other than 100-continue would be answered 417 by Node itself, before any limit
  // of ours sees it (thousands a second from one connection: issue 11's second attack). The
  // app answers it as any request (RFC 9110 lets a server ignore what it does not know).
  server.on('checkExpectation', listener);
  server.keepAliveTimeout = keepAliveTimeout;
  if (opts.maxConnectionsPerAddress) guardConnections(server, { maxPerAddress: opts.maxConnectionsPerAddress });
  return server;
}

/** After a 408 the client gets this long to read it before the connection is closed under it. */
const LINGER_MS = 2000;

interface Exchange {
  req: Request;
  res: Response;
  socket: Socket;
  answered: boolean;
  cut: boolean;
  /** Socket bytes read when last looked, time without any, and recent (bytes, ms) samples. */
  body: { read: number; idleMs: number; clientMs: number; samples: [number, number][] };
  /**
   * Bytes that left the socket, libuv's write queue, and time with neither moving; bytes the
   * kernel took, the time bytes waited in the socket, and recent (bytes, waited ms) samples.
   */
  out: { sent: number; queued: number; stalledMs: number; taken: number; clientMs: number; samples: Sample[] };
}

/** Bytes that moved in one look, and how much of its time counts against the client. */
type Sample = [number, number];

type Reason = 'idle' | 'slow' | 'unread' | 'slow-read';

/** libuv's bytes still to write: shrinks as the client reads, even inside one large chunk (Node's own socket timeout reads it too). */
const writeQueueSize = (socket: Socket) =>
  (socket as unknown as { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0;

/**
 * Bytes the kernel has taken from this socket: what was handed to libuv less what still waits
 * in its queue. The kernel's own buffers (up to a few MB) hide the client's reading, so over a
 * short time this moves in steps; over the window it follows the client.
 */
const takenByKernel = (socket: Socket) => {
  const dispatched = (socket as unknown as { _bytesDispatched?: number })._bytesDispatched;
  return (dispatched ?? socket.bytesWritten - socket.writableLength) - writeQueueSize(socket);
};

/** Answered (or gone) and its body all read: nothing of it is left to watch. */
const finished = (ex: Exchange) => ex.socket.destroyed || (ex.answered && ex.req.complete);

/** Adds a sample and keeps the last `windowMs` of counted time; the window's bytes and time. */
function slide(samples: Sample[], sample: Sample, windowMs: number): { bytes: number; ms: number } {
  samples.push(sample);
  let ms = samples.reduce((sum, [, t]) => sum + t, 0);
  while (ms - samples[0]![1] >= windowMs) ms -= samples.shift()![1];
  return { bytes: samples.reduce((sum, [b]) => sum + b, 0), ms };
}

function problem(reason: Exclude<Reason, 'unread'>, limits: SlowClientLimits): AppError {
  const idleS = Math.round(limits.idleMs / 1000);
  return reason === 'idle'
    ? new AppError(
        408,
        'request_timeout',
        'Request timeout',
        `Nothing of the request arrived for ${idleS} seconds; please send it again.`,
        [{ field: 'body', detail: `stopped arriving for ${idleS} seconds` }],
      )
    : new AppError(
        408,
        'request_timeout',
        'Request timeout',
        `The request arrived slower than ${limits.minBytesPerS} bytes per second; please send it again.`,
        [{ field: 'body', detail: `arrived slower than ${limits.minBytesPerS} bytes per second` }],
      );
}

/** Watches every request's body and response until both are done; mount it first. */
export function slowClientGuard(overrides: Partial<SlowClientLimits> = {}): RequestHandler {
  const limits: SlowClientLimits = { ...SLOW_CLIENT_DEFAULTS };
  for (const [key, value] of Object.entries(overrides) as [keyof SlowClientLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  const watched = new Set<Exchange>();
  let timer: NodeJS.Timeout | undefined;
  let last = 0;

  const cut = (ex: Exchange, reason: Reason) => {
    ex.cut = true;
    const { req, res, socket } = ex;
    req.log?.warn({ reason, bytesRead: socket.bytesRead, pending: socket.writableLength }, 'slow client cut off');
    if (reason === 'unread' || reason === 'slow-read' || res.headersSent) {
      socket.destroy();
      return;
    }
    // The body never finished, so the connection cannot carry another request; closing it
    // also fails the parser still waiting for the body, which gives back what it held.
    res.setHeader('Connection', 'close');
    sendProblem(req, res, problem(reason, limits));
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };

  const look = (ex: Exchange, dt: number) => {
    const { req, socket, body, out } = ex;
    if (!req.complete) {
      const read = socket.bytesRead;
      const got = read - body.read;
      body.read = read;
      // Paused, or data waiting to be read: the server is holding the body back, not the client.
      if (socket.isPaused() || req.readableLength > 0) {
        body.idleMs = 0;
      } else {
        body.idleMs = got > 0 ? 0 : body.idleMs + dt;
        body.clientMs += dt;
        // The last windowMs of the client's time, and what it brought.
        const { bytes, ms } = slide(body.samples, [got, dt], limits.windowMs);
        if (body.idleMs >= limits.idleMs) return cut(ex, 'idle');
        if (limits.minBytesPerS > 0 && body.clientMs >= limits.graceMs && bytes * 1000 < limits.minBytesPerS * ms) {
          return cut(ex, 'slow');
        }
      }
    }
    if (ex.answered) return;
    const pending = socket.writableLength;
    const sent = socket.bytesWritten - pending;
    const queued = writeQueueSize(socket);
    const moved = sent > out.sent || queued < out.queued;
    out.stalledMs = pending > 0 && !moved ? out.stalledMs + dt : 0;
    out.sent = sent;
    out.queued = queued;
    if (out.stalledMs >= limits.idleMs) return cut(ex, 'unread');
    // What the client drained since the last look always counts for it; the time only while
    // bytes wait in the socket, so a server slower than its client is never the client's fault.
    const taken = takenByKernel(socket);
    const waited = pending > 0 ? dt : 0;
    out.clientMs += waited;
    const { bytes, ms } = slide(out.samples, [Math.max(0, taken - out.taken), waited], limits.windowMs);
    out.taken = taken;
    const min = limits.minReadBytesPerS;
    if (min > 0 && out.clientMs >= limits.graceMs && ms > 0 && bytes * 1000 < min * ms) cut(ex, 'slow-read');
  };

  const tick = () => {
    const now = performance.now();
    // A blocked event loop is the server's delay, not the client's: count at most two ticks.
    const dt = Math.min(now - last, 2 * limits.tickMs);
    last = now;
    for (const ex of watched) {
      if (finished(ex)) watched.delete(ex);
      else if (!ex.cut) look(ex, dt);
    }
    if (!watched.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return (req, res, next) => {
    const socket = req.socket;
    const ex: Exchange = {
      req,
      res,
      socket,
      answered: false,
      cut: false,
      body: { read: socket.bytesRead, idleMs: 0, clientMs: 0, samples: [] },
      out: {
        sent: socket.bytesWritten - socket.writableLength,
        queued: writeQueueSize(socket),
        stalledMs: 0,
        taken: takenByKernel(socket),
        clientMs: 0,
        samples: [],
      },
    };
    // 'close' comes once the response is handed over or the connection is gone; a body the
    // route never read is still drained by Node afterwards, and still watched.
    res.once('close', () => {
      ex.answered = true;
      // Let go now rather than at the next look, up to a second later: kept that long, the
      // finished exchanges (request, response, body, answer) were most of what a heap
      // snapshot held under load (docs/BENCHMARKS.md, "Ingest: the app's thread").
      if (finished(ex)) watched.delete(ex);
    });
    watched.add(ex);
    if (!timer) {
      last = performance.now();
      timer = setInterval(tick, limits.tickMs).unref();
    }
    next();
  };
}
