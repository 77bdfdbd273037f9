// Serves an in-process PGlite over the PostgreSQL wire protocol on a loopback port.
//
// Our own small server instead of @electric-sql/pglite-socket's, which may interleave the
// messages of two connections and, after an error, lets PGlite answer the rest of an
// extended-protocol query (Bind, Describe, Execute) and send an early ReadyForQuery, so that
// `pg` then reads every later answer out of step. Here a connection's messages are handled
// in order, a query's messages (up to its Sync) as one turn for the whole database, a
// connection in a transaction keeps the database until it ends it, and after an error the
// rest of the query is skipped up to its Sync, as a PostgreSQL server does.
//
// Anyone on the machine can reach a loopback port, so a client must first prove it knows
// the password of this start (SCRAM-SHA-256, wire-auth.ts) before PGlite sees a byte of it;
// a transaction left idle is ended, so that no client can keep the database from the others;
// and no client can make the server buffer more than one bounded message.
import crypto from 'node:crypto';
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { SCRAM_MECHANISM, ScramExchange, scramVerifier } from './wire-auth';
import { Gate, READS_APPLICATION_NAME, type IdleLimits } from './wire-gate';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Message types after which the client waits for an answer. */
const FLUSHING = new Set(['S', 'Q', 'H', 'F']);

const ERROR_RESPONSE = 'E'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);

/** PostgreSQL's bound on a startup packet (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP_BYTES = 10_000;
/** A SCRAM message is a few hundred bytes. */
const MAX_AUTH_BYTES = 2_000;

export interface WireLimits extends IdleLimits {
  /** From connecting to the end of the password exchange (PostgreSQL's authentication_timeout). */
  authenticationMs: number;
  /** The largest message, and the largest unfinished query, a signed-in client may send. */
  maxMessageBytes: number;
}

export const WIRE_LIMITS: WireLimits = {
  // The app's own transactions are a few statements with nothing else awaited in between.
  idleInTransactionMs: 10_000,
  idleInTransactionContendedMs: 2_000,
  authenticationMs: 5_000,
  // The largest the app sends is a seeding batch of 25,000 reports (about 5 MB).
  maxMessageBytes: 64 * 1024 * 1024,
};

/** Backend messages: a type byte, then a length that counts itself and the body. */
function splitMessages(data: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let at = 0;
  while (at + 5 <= data.length) {
    const end = at + 1 + data.readInt32BE(at + 1);
    messages.push(data.subarray(at, end));
    at = end;
  }
  return messages;
}

function backendMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

/** AuthenticationSASL (10), SASLContinue (11), SASLFinal (12), with their payload. */
function authentication(code: number, payload: string): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(code);
  return backendMessage('R', Buffer.concat([body, Buffer.from(payload)]));
}

function fatal(code: string, message: string): Buffer {
  const fields = [`SFATAL`, `VFATAL`, `C${code}`, `M${message}`].map((f) => `${f}\0`).join('');
  return backendMessage('E', Buffer.from(`${fields}\0`));
}

/**
 * What a client has sent and we have not read, kept as the chunks that arrived: a large
 * message is joined once when complete, not copied again on every chunk.
 */
class Inbox {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (a header), joined; the caller checks `length >= n`. */
  peek(n: number): Buffer {
    while (this.chunks[0]!.length < n) this.chunks.splice(0, 2, Buffer.concat(this.chunks.slice(0, 2)));
    return this.chunks[0]!;
  }

  take(n: number): Buffer {
    const parts: Buffer[] = [];
    for (let need = n; need > 0;) {
      const chunk = this.chunks[0]!;
      if (chunk.length <= need) {
        parts.push(chunk);
        this.chunks.shift();
        need -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, need));
        this.chunks[0] = chunk.subarray(need);
        need = 0;
      }
    }
    this.length -= n;
    return Buffer.concat(parts, n);
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}

/** The one line the server logs; embedded-worker.ts forwards it to the app's logger. */
export interface WireLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface WireServer {
  /** A libpq connection string for `pg`, with this start's password: never log it. */
  url: string;
  close(): Promise<void>;
}

export async function serveOverWire(
  db: PGlite,
  opts: { host?: string; port?: number; logger?: WireLogger; limits?: Partial<WireLimits> } = {},
): Promise<WireServer> {
  const limits = { ...WIRE_LIMITS, ...opts.limits };
  // A fresh secret every start: it only has to outlive this process, and no one has to type it.
  const password = crypto.randomBytes(32).toString('base64url');
  const verifier = scramVerifier(password);
  const terminators = new Map<number, () => void>();
  const gate = new Gate(db, limits, (connection) => {
    opts.logger?.warn({ connection }, 'Ended a database connection left idle in a transaction');
    terminators.get(connection)?.();
  });
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    const inbox = new Inbox();
    let phase: 'startup' | 'sasl-first' | 'sasl-final' | 'ready' | 'closed' = 'startup';
    let scram: ScramExchange | undefined;
    let startup: Buffer | undefined;
    /** The public reads' connection: its statements give way to the others' (wire-gate.ts). */
    let background = false;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    // Messages of one connection are handled strictly in order.
    let chain = Promise.resolve();
    let pending = 0;
    const authTimer = setTimeout(() => socket.destroy(), limits.authenticationMs);

    /** Refuses or ends the connection the way PostgreSQL does: a FATAL error, then close. */
    const refuse = (code: string, message: string) => {
      if (phase === 'closed') return;
      phase = 'closed';
      inbox.clear();
      batch = [];
      socket.end(fatal(code, message));
      // A client that never closes its side must not keep the socket.
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    terminators.set(id, () => refuse('25P03', 'terminating connection due to idle-in-transaction timeout'));

    const exec = async (message: Buffer): Promise<Buffer> => {
      const out: Uint8Array[] = [];
      await db.execProtocolRawStream(new Uint8Array(message), { onRawData: (chunk) => void out.push(chunk.slice()) });
      return Buffer.concat(out);
    };
    const write = (data: Buffer) => {
      if (data.length && !socket.destroyed && phase !== 'closed') socket.write(data);
    };
    // One batch at a time: what a client sends meanwhile waits in its socket, not in our memory.
    const enqueue = (work: () => Promise<void>) => {
      pending++;
      socket.pause();
      chain = chain
        .then(() => (phase === 'closed' ? undefined : work()))
        .finally(() => {
          if (--pending === 0 && phase !== 'closed') socket.resume();
        })
        .catch(() => void socket.destroy());
    };
    const send = (messages: Buffer[]) =>
      gate.run(
        id,
        async () => {
          let failed = false;
          for (const message of messages) {
            const type = String.fromCharCode(message[0]!);
            if (failed && type !== 'S') continue;
            const out = await exec(message);
            if (type === 'S' || type === 'Q') {
              write(out);
              failed = false;
              continue;
            }
            const answers = splitMessages(out);
            failed = answers.some((m) => m[0] === ERROR_RESPONSE);
            // Until its Sync a query is not over, whatever PGlite says.
            write(Buffer.concat(answers.filter((m) => m[0] !== READY_FOR_QUERY)));
          }
        },
        background,
      );

    /** The password exchange; true when the client may go on. */
    const authenticate = (message: Buffer): boolean => {
      const body = message.subarray(5);
      let answer: string | undefined;
      if (message[0] === 'p'.charCodeAt(0) && phase === 'sasl-first') {
        // SASLInitialResponse: the mechanism, then the length of the client-first-message.
        const nul = body.indexOf(0);
        const data = nul >= 0 && body.length >= nul + 5 ? body.subarray(nul + 5) : undefined;
        if (data && body.subarray(0, nul).toString() === SCRAM_MECHANISM && body.readInt32BE(nul + 1) === data.length) {
          scram = new ScramExchange(verifier);
          answer = scram.first(data.toString());
        }
        if (answer === undefined) return false;
        socket.write(authentication(11, answer));
        phase = 'sasl-final';
        return true;
      }
      if (message[0] === 'p'.charCodeAt(0) && phase === 'sasl-final') answer = scram?.final(body.toString());
      if (answer === undefined) return false;
      clearTimeout(authTimer);
      socket.write(authentication(12, answer));
      phase = 'ready';
      // Only now does PGlite see the client: its answer starts with AuthenticationOk.
      const hello = startup!;
      enqueue(() => gate.run(id, async () => write(await exec(hello)), background));
      return true;
    };

    const take = () => {
      for (;;) {
        if (phase === 'closed') return;
        if (phase === 'startup') {
          if (inbox.length < 8) return;
          const header = inbox.peek(8);
          const length = header.readInt32BE(0);
          const code = header.readInt32BE(4);
          if (length < 8 || length > MAX_STARTUP_BYTES) return refuse('08P01', 'invalid length of startup packet');
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            inbox.take(8);
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) return void socket.destroy();
          if (inbox.length < length) return;
          startup = inbox.take(length);
          if (code !== PROTOCOL_3) return refuse('0A000', 'unsupported frontend protocol');
          background = startupParameter(startup, 'application_name') === READS_APPLICATION_NAME;
          socket.write(authentication(10, `${SCRAM_MECHANISM}\0\0`));
          phase = 'sasl-first';
          continue;
        }
        if (inbox.length < 5) return;
        const header = inbox.peek(5);
        const type = String.fromCharCode(header[0]!);
        const length = header.readInt32BE(1);
        const max = phase === 'ready' ? limits.maxMessageBytes : MAX_AUTH_BYTES;
        // Refused from its header alone: a declared length is never allocated before it arrives.
        if (length < 4 || length > max) return refuse('08P01', `invalid message length ${length}`);
        if (inbox.length < 1 + length) return;
        const message = inbox.take(1 + length);
        if (type === 'X') return void socket.end();
        if (phase !== 'ready') {
          if (authenticate(message)) continue;
          return refuse('28P01', 'password authentication failed');
        }
        batch.push(message);
        batchBytes += message.length;
        if (batchBytes > limits.maxMessageBytes) return refuse('08P01', 'query too large');
        if (FLUSHING.has(type)) {
          const messages = batch;
          batch = [];
          batchBytes = 0;
          enqueue(() => send(messages));
        }
      }
    };

    socket.on('data', (data) => {
      if (phase === 'closed') return;
      inbox.push(data);
      take();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(authTimer);
      sockets.delete(socket);
      terminators.delete(id);
      chain = chain.finally(() => gate.release(id)).catch(() => undefined);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres:${password}@${address.address}:${address.port}/postgres`,
    async close() {
      gate.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A parameter of a startup packet (length, protocol, then name and value pairs, each ended by a 0 byte). */
function startupParameter(packet: Buffer, name: string): string | undefined {
  const fields = packet.toString('utf8', 8).split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
