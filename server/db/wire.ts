// Serves an in-process PGlite over the PostgreSQL wire protocol on a loopback port.
//
// Our own small server instead of @electric-sql/pglite-socket's, which may interleave the
// messages of two connections and, after an error, lets PGlite answer the rest of an
// extended-protocol query (Bind, Describe, Execute) and send an early ReadyForQuery, so that
// `pg` then reads every later answer out of step. Here a connection's messages are handled
// in order, a query's messages (up to its Sync) as one turn for the whole database, a
// connection in a transaction keeps the database until it ends it, and after an error the
// rest of the query is skipped up to its Sync, as a PostgreSQL server does.
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Message types after which the client waits for an answer. */
const FLUSHING = new Set(['S', 'Q', 'H', 'F']);

const ERROR_RESPONSE = 'E'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);

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

/** One batch at a time; a connection in a transaction keeps its turn. */
class Gate {
  private busy = false;
  private owner: number | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly db: PGlite) {}

  async run<T>(connection: number, work: () => Promise<T>): Promise<T> {
    while (this.busy || (this.owner !== null && this.owner !== connection)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.busy = true;
    try {
      return await work();
    } finally {
      this.owner = this.db.isInTransaction() ? connection : null;
      this.busy = false;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** A connection that went away must not keep its transaction open for everyone else. */
  async release(connection: number): Promise<void> {
    if (this.owner !== connection) return;
    await this.run(connection, () => this.db.exec('ROLLBACK').then(() => undefined));
  }
}

export interface WireServer {
  url: string;
  close(): Promise<void>;
}

export async function serveOverWire(db: PGlite, opts: { host?: string; port?: number } = {}): Promise<WireServer> {
  const gate = new Gate(db);
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let batch: Buffer[] = [];
    // Messages of one connection are handled strictly in order.
    let chain = Promise.resolve();

    const exec = async (message: Buffer): Promise<Buffer> => {
      const out: Uint8Array[] = [];
      await db.execProtocolRawStream(new Uint8Array(message), { onRawData: (chunk) => void out.push(chunk.slice()) });
      return Buffer.concat(out);
    };
    const write = (data: Buffer) => {
      if (data.length && !socket.destroyed) socket.write(data);
    };
    const send = (messages: Buffer[]) =>
      gate.run(id, async () => {
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
      });

    const take = () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (code === SSL_REQUEST) {
            buffer = buffer.subarray(8);
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) return void socket.destroy();
          if (buffer.length < length) return;
          const startup = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code !== PROTOCOL_3) return void socket.destroy();
          started = true;
          const message = Buffer.from(startup);
          chain = chain.then(() => gate.run(id, async () => write(await exec(message))));
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const total = 1 + buffer.readInt32BE(1);
        if (buffer.length < total) return;
        const message = Buffer.from(buffer.subarray(0, total));
        buffer = buffer.subarray(total);
        if (type === 'X') return void socket.end();
        batch.push(message);
        if (FLUSHING.has(type)) {
          const messages = batch;
          batch = [];
          chain = chain.then(() => send(messages));
        }
      }
    };

    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      take();
      chain = chain.catch(() => void socket.destroy());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      chain = chain.finally(() => gate.release(id)).catch(() => undefined);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@${address.address}:${address.port}/postgres`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
