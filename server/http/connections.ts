// The open connections of each peer address, where peers are clients (no reverse proxy in
// front): at most `maxPerAddress` at once, and an address caught abusing the protocol
// (server/http/fair-share.ts) is shut out for a while, all its connections closed at once.
//
// Why whole addresses and not one connection: Node parses every request that has arrived on
// a connection in one go, and a connection closed in the middle still delivers the rest of
// what was read with it (a 64 KB read is over a thousand pipelined requests, ~50 µs of the
// loop each). Five hundred connections, each written full before the first is closed, were
// half a minute of everybody's time. Closed together, the others' bytes are never read; and
// refused while shut out, a new connection costs an accept and a close.
import type http from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from './rate-limit';

/** How long an address that abused the protocol has its new connections refused. */
export const SHUT_OUT_MS = 10_000;

interface Guard {
  sockets: Map<string, Set<Socket>>;
  shutOutUntil: Map<string, number>;
}

const guards = new WeakMap<http.Server, Guard>();

const peerOf = (socket: Socket) => addressKey(socket.remoteAddress ?? 'unknown');

/**
 * Counts `server`'s connections per peer address: past `maxPerAddress` (20,000 idle
 * connections from one address once made the server refuse everybody) or while the address
 * is shut out, a new connection is closed at once.
 */
export function guardConnections(server: http.Server, opts: { maxPerAddress: number }): void {
  const guard: Guard = { sockets: new Map(), shutOutUntil: new Map() };
  guards.set(server, guard);
  server.on('connection', (socket: Socket) => {
    // Grouped as the other limits group them: an IPv6 subscriber has a whole /56 to pick from.
    const peer = peerOf(socket);
    const until = guard.shutOutUntil.get(peer);
    if (until !== undefined) {
      if (performance.now() < until) return void socket.destroy();
      guard.shutOutUntil.delete(peer);
    }
    let open = guard.sockets.get(peer);
    if (!open) guard.sockets.set(peer, (open = new Set()));
    if (open.size >= opts.maxPerAddress) return void socket.destroy();
    const mine = open;
    mine.add(socket);
    socket.once('close', () => {
      mine.delete(socket);
      if (mine.size === 0 && guard.sockets.get(peer) === mine) guard.sockets.delete(peer);
    });
  });
}

/**
 * Closes `socket`, and where its server guards connections (clients connect directly) every
 * other connection of its address too, refusing new ones for SHUT_OUT_MS. Behind a reverse
 * proxy every connection is the proxy's, so only this one closes.
 */
export function shutOut(socket: Socket): void {
  socket.destroy();
  const server = (socket as Socket & { server?: http.Server }).server;
  const guard = server && guards.get(server);
  if (!guard) return;
  const peer = peerOf(socket);
  const now = performance.now();
  if (guard.shutOutUntil.size > 10_000) {
    for (const [key, until] of guard.shutOutUntil) if (until <= now) guard.shutOutUntil.delete(key);
  }
  guard.shutOutUntil.set(peer, now + SHUT_OUT_MS);
  for (const other of guard.sockets.get(peer) ?? []) other.destroy();
}
