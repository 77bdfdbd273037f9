// The ingest rows' client: HTTP/1.1 over keep-alive sockets, one request at a time on each,
// with nothing but what posting reports needs (a status, a Content-Length body).
//
// The bench shares the two cores with the server and PostgreSQL, so what its own client costs
// is taken from what it measures. undici's client spent about 0.10 ms of CPU per report, a
// tenth of the machine at 2,000 reports a second; this one about a third of that
// (docs/BENCHMARKS.md, "Towards 2,000 reports a second"). Real phones are elsewhere.
import net from 'node:net';

export interface Answer {
  status: number;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding: *chunked/i;
const CLOSE = /\r\nconnection: *close/i;

/** One keep-alive connection to 127.0.0.1; `send` waits for the answer before the next. */
class Connection {
  private socket: net.Socket | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  private open(): net.Socket {
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    socket.setTimeout(this.timeoutMs, () => socket.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err?: Error) => {
      // A socket already replaced by a newer one has no request of this connection's left.
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.pending = [];
      this.pendingBytes = 0;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(err ?? new Error('the server closed the connection before answering'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    return socket;
  }

  /** `request`: its pieces in order, written as they are (a photo is not copied into one buffer). */
  send(request: Buffer[]): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const socket = (this.socket ??= this.open());
      socket.cork();
      for (const piece of request) socket.write(piece);
      socket.uncork();
    });
  }

  private onData(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const data = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    const headEnd = data.indexOf(HEAD_END);
    if (headEnd < 0) return void (this.pending = [data]);
    const head = data.toString('latin1', 0, headEnd);
    const length = CONTENT_LENGTH.exec(head);
    if (!length || CHUNKED.test(head)) {
      this.socket?.destroy(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length[1]);
    if (data.length < end) return void (this.pending = [data]);
    this.pending = [];
    this.pendingBytes = 0;
    if (CLOSE.test(head)) {
      this.socket?.removeAllListeners('close');
      this.socket?.destroy();
      this.socket = undefined;
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    // "HTTP/1.1 201 Created": the status is the second word.
    waiting?.resolve({ status: Number(head.slice(9, 12)), body: data.subarray(headEnd + HEAD_END.length, end) });
  }

  close(): void {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/** `size` keep-alive connections to one server, each lent to one request at a time. */
export class PostClient {
  private readonly free: Connection[];
  private readonly host: string;

  constructor(
    base: string,
    size: number,
    private readonly timeoutMs = 60_000,
  ) {
    const url = new URL(base);
    if (url.hostname !== '127.0.0.1') throw new Error(`the bench only talks to 127.0.0.1, not ${url.hostname}`);
    this.host = url.host;
    this.free = Array.from({ length: size }, () => new Connection(Number(url.port), this.timeoutMs));
  }

  /** `body`: a string, a buffer, or a buffer's pieces in order (a multipart body around a photo). */
  async post(path: string, headers: Record<string, string>, body: Buffer | Buffer[] | string): Promise<Answer> {
    const connection = this.free.pop();
    if (!connection) throw new Error('more requests at once than connections');
    const pieces = typeof body === 'string' ? [Buffer.from(body)] : Array.isArray(body) ? body : [body];
    const length = pieces.reduce((n, piece) => n + piece.length, 0);
    const lines = [`POST ${path} HTTP/1.1`, `Host: ${this.host}`, `Content-Length: ${length}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    try {
      return await connection.send([head, ...pieces]);
    } finally {
      this.free.push(connection);
    }
  }

  close(): void {
    for (const connection of this.free) connection.close();
  }
}
