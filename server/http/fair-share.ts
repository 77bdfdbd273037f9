// Each address's fair share of the one event loop (issue 11). No request is expensive alone,
// but two hundred parallel cheap ones from one address (the config, a 422 for an unknown
// category) kept the loop so busy that /healthz took 0.65–3 s for everybody else. So every
// request of every route spends a token of its address's bucket first, before anything else
// runs for it (logging, headers, body parsing):
//
// - within the burst, or at most the rate, a request goes straight on;
// - past that it waits in its address's line until its turn (the generic cell rate
//   algorithm: a due time per address, so no list and no per-request bookkeeping but a timer),
//   which holds no work, no database connection and no body read: a shelter's hundred phones
//   behind one address get slower, not refused;
// - a request that would wait more than `maxWaitMs` is refused with 429, but only after
//   `tarpitMs`: an answer at once would let a client ask again at once, and answering refusals
//   as fast as a client can send them is itself what fills the loop. A client that piles up
//   more refusals in flight than `maxHeld` (hundreds of connections), or pipelines more than
//   a few requests on one connection (no browser does), is shut out: its connections are
//   closed without an answer and new ones refused for a while (server/http/connections.ts).
//
// Clients are told apart as the other limits tell them apart (server/http/rate-limit.ts).
import type { Socket } from 'node:net';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { shutOut } from './connections';
import { AppError } from './errors';
import { clientAddress } from './rate-limit';

export interface FairShareOptions {
  /** Requests per second one address may make for as long as it likes (0: no limit). */
  ratePerS: number;
  /** Requests one address may make at once before the rate applies (a page and its map). */
  burst: number;
  logger: Logger;
  /** The longest a request waits for its turn before it is refused. */
  maxWaitMs?: number;
  /** How long a refusal waits before it is sent. */
  tarpitMs?: number;
  /** Refusals of one address waiting to be sent, past which its connections are closed. */
  maxHeld?: number;
}

interface Line {
  /** When the address's next request would be on time (the algorithm's "theoretical arrival"). */
  due: number;
  waiting: number;
  held: number;
}

const MAX_WAIT_MS = 10_000;
const TARPIT_MS = 1000;
const MAX_HELD = 64;
/** Lines of addresses gone quiet are dropped once per this many requests. */
const SWEEP_EVERY = 4096;
/** Refusals are logged as one line per this period, never one per request (a flood would fill the disk). */
const LOG_EVERY_MS = 60_000;

/** Requests one connection may send behind an unanswered one (browsers send none). */
const MAX_PIPELINED = 16;
const inFlight = new WeakMap<Socket, number>();

/**
 * Whether `socket` has more than MAX_PIPELINED requests unanswered: thousands written at once
 * on one connection (HTTP/1.1 pipelining, which no browser uses) are parsed in one go, each
 * costing the loop more than its answer would, so the connection is closed instead.
 */
function pipelinedTooDeep(socket: Socket, res: Response): boolean {
  // The answer being written on the connection is another request's only when this one came
  // pipelined behind it (Node's own record, which on-finished reads too): ordinary requests,
  // one at a time, are not counted and get no listener.
  const current = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
  if (!current || current === res) return false;
  const n = (inFlight.get(socket) ?? 0) + 1;
  if (n > MAX_PIPELINED) return true;
  inFlight.set(socket, n);
  res.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  return false;
}

export function fairShare(opts: FairShareOptions): RequestHandler {
  if (opts.ratePerS <= 0) return (_req, _res, next) => next();
  const maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
  const tarpitMs = opts.tarpitMs ?? TARPIT_MS;
  const maxHeld = opts.maxHeld ?? MAX_HELD;
  const interval = 1000 / opts.ratePerS;
  // How far ahead of now an address's due time may run before its requests wait.
  const tolerance = Math.max(0, opts.burst - 1) * interval;
  const lines = new Map<string, Line>();
  let seen = 0;
  let refused = 0;
  let closed = 0;
  let loggedAt = performance.now();

  const sweep = (now: number) => {
    for (const [key, line] of lines) {
      if (line.due <= now && line.waiting === 0 && line.held === 0) lines.delete(key);
    }
  };
  const report = (now: number) => {
    if (now - loggedAt < LOG_EVERY_MS) return;
    if (refused || closed) {
      // Counts only: an address is personal data and the log keeps none (docs/SECURITY.md).
      opts.logger.warn(
        { refused, closed, seconds: Math.round((now - loggedAt) / 1000) },
        'Requests refused for going over the per-address request rate',
      );
    }
    refused = closed = 0;
    loggedAt = now;
  };

  return (req, res, next) => {
    // Requests pipelined behind one whose connection was closed still come, parsed from what
    // had arrived: nobody can be answered on it any more.
    if (req.socket.destroyed) return;
    if (pipelinedTooDeep(req.socket, res)) {
      closed++;
      return void shutOut(req.socket);
    }
    const now = performance.now();
    if (++seen % SWEEP_EVERY === 0) sweep(now);
    const key = clientAddress(req);
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { due: now, waiting: 0, held: 0 }));
    const due = Math.max(line.due, now);
    const wait = due - tolerance - now;
    if (wait <= 0) {
      line.due = due + interval;
      return next();
    }
    const current = line;
    if (wait <= maxWaitMs) {
      current.due = due + interval;
      current.waiting++;
      setTimeout(() => {
        current.waiting--;
        // Gone while it waited: nothing is left to answer.
        if (!req.socket.destroyed) next();
      }, wait);
      return;
    }
    report(now);
    if (current.held >= maxHeld) {
      closed++;
      return void shutOut(req.socket);
    }
    refused++;
    current.held++;
    const retryS = Math.ceil((wait - maxWaitMs + tarpitMs) / 1000);
    setTimeout(() => {
      current.held--;
      if (req.socket.destroyed) return;
      next(
        new AppError(
          429,
          'rate_limited',
          'Too many requests',
          `More than ${opts.ratePerS} requests a second from this network address; please try again in ${retryS} s.`,
          [],
          { 'Retry-After': String(retryS) },
        ),
      );
    }, tarpitMs);
  };
}
