// Clients of the slow-and-hostile suite, each from a loopback address of its own (127.0.0.x:
// Linux answers on all of 127/8, and the server sees each as a different client, as it would
// see different people behind a proxy). Every client is bounded in bytes and time, talks only
// to the server under test, and can be stopped at once.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export interface Answer {
  status: number;
  ms: number;
  text: string;
  /** The answer's headers (a login's session cookie); absent when there was no answer. */
  headers?: http.IncomingHttpHeaders;
}

export interface RequestOptions {
  from: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The request is abandoned (status 0) after this long. */
  timeoutMs?: number;
}

/** One request on a fresh connection from `from`; a failure or timeout comes back as status 0. */
export function hit(baseUrl: string, path: string, opts: RequestOptions): Promise<Answer> {
  const started = performance.now();
  const url = new URL(path, baseUrl);
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  return new Promise((resolve) => {
    const done = (status: number, text = '', headers?: http.IncomingHttpHeaders) =>
      resolve({ status, ms: performance.now() - started, text, headers });
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: opts.method ?? 'GET',
      localAddress: opts.from,
      agent: false,
      headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...opts.headers },
      timeout: opts.timeoutMs ?? 30_000,
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // Only the start of an answer is kept: an export is read through, not held.
        if (size < 64 * 1024) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), res.headers));
      res.on('error', () => done(0));
    });
    req.end(body);
  });
}

/** A raw connection that the test drives byte by byte, and that notices the server closing it. */
export interface RawClient {
  socket: net.Socket;
  openedAt: number;
  /** When the server closed it (undefined while open, or if we closed it first). */
  closedByServerAt?: number;
  /** The status of the answer, once its first line has come (0 until then). */
  status(): number;
  /** Stops whatever the client does, leaving the connection open. */
  halt(): void;
  /** Closes the connection from our side. */
  stop(): void;
}

function rawClient(port: number, from: string): Promise<RawClient & { timers: Set<NodeJS.Timeout> }> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  const timers = new Set<NodeJS.Timeout>();
  let first = '';
  let stoppedByUs = false;
  const client: RawClient & { timers: Set<NodeJS.Timeout> } = {
    socket,
    openedAt: performance.now(),
    timers,
    status: () => Number(/^HTTP\/1\.1 (\d{3})/.exec(first)?.[1] ?? 0),
    halt: () => {
      for (const t of timers) clearInterval(t);
      timers.clear();
    },
    stop: () => {
      client.halt();
      stoppedByUs = true;
      socket.destroy();
    },
  };
  socket.on('error', () => undefined);
  socket.on('close', () => {
    client.halt();
    if (!stoppedByUs) client.closedByServerAt = performance.now();
  });
  // The first bytes of the answer say its status; what follows is read only when asked.
  socket.once('data', (c: Buffer) => {
    first = c.toString('latin1', 0, 32);
    socket.pause();
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

/** GETs `path` and then reads `bytes` every `everyMs` (the attacker: 512 bytes every 0.5 s). */
export async function slowReader(
  port: number,
  from: string,
  path: string,
  opts: { bytes: number; everyMs: number; headers?: Record<string, string> },
): Promise<RawClient & { read(): number }> {
  const client = await rawClient(port, from);
  let read = 0;
  const headers = Object.entries(opts.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  client.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers.join('')}\r\n`);
  client.timers.add(
    setInterval(() => {
      const chunk = client.socket.read(opts.bytes) as Buffer | null;
      read += chunk?.length ?? 0;
    }, opts.everyMs),
  );
  return Object.assign(client, { read: () => read });
}

/**
 * POSTs a multipart `body` whose head says its full length: `burst` bytes at once, then
 * `trickle` bytes every `everyMs` (0: it stalls after the burst and never finishes).
 */
export async function slowUpload(
  port: number,
  from: string,
  body: { bytes: Buffer; contentType: string },
  opts: { burst: number; trickle: number; everyMs: number },
): Promise<RawClient & { sent(): number }> {
  const client = await rawClient(port, from);
  const head =
    `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${body.contentType}\r\n` +
    `Content-Length: ${body.bytes.length}\r\n\r\n`;
  let sent = Math.min(opts.burst, body.bytes.length);
  client.socket.write(Buffer.concat([Buffer.from(head), body.bytes.subarray(0, sent)]));
  if (opts.trickle > 0) {
    client.timers.add(
      setInterval(() => {
        if (sent >= body.bytes.length) return client.halt();
        // Only while the last slice has left: the server pushing back is not the client's doing.
        if (client.socket.writableLength > 0) return;
        client.socket.write(body.bytes.subarray(sent, (sent += opts.trickle)));
      }, opts.everyMs),
    );
  }
  return Object.assign(client, { sent: () => sent });
}

/** Slowloris: a request head that never ends, one more header line every `everyMs`. */
export async function slowloris(port: number, from: string, everyMs: number): Promise<RawClient> {
  const client = await rawClient(port, from);
  client.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
  let n = 0;
  client.timers.add(
    setInterval(() => {
      // 16 kB of head at most, as Node allows, long before which the server must give up.
      if (n < 500) client.socket.write(`X-Wait-${n++}: ${'w'.repeat(16)}\r\n`);
    }, everyMs),
  );
  return client;
}

/**
 * Requests as fast as `connections` kept-alive connections from one address carry them, each
 * path in turn, until `deadline`: the cheapest way to ask a server for the most work.
 */
export async function flood(
  baseUrl: string,
  from: string,
  opts: { connections: number; deadline: number; requests: { method: string; path: string; body?: string }[] },
): Promise<{ status: number; ms: number }[]> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, localAddress: from });
  const answers: { status: number; ms: number }[] = [];
  const one = (n: number) =>
    new Promise<void>((resolve) => {
      const r = opts.requests[n % opts.requests.length]!;
      const started = performance.now();
      const done = (status: number) => {
        answers.push({ status, ms: performance.now() - started });
        resolve();
      };
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: r.path,
        method: r.method,
        agent,
        headers: r.body
          ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(r.body)) }
          : {},
        timeout: 30_000,
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => done(0));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      });
      req.end(r.body);
    });
  await repeatUntil(opts.deadline, opts.connections, one);
  agent.destroy();
  return answers;
}

/**
 * `count` requests for `path` written at once on one connection (HTTP/1.1 pipelining): the
 * server parses them all from one read, so they reach it together however it answers.
 */
export async function pipelined(port: number, from: string, path: string, count: number): Promise<RawClient> {
  const client = await rawClient(port, from);
  client.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(count));
  // Read what comes and drop it, as a client that wants the server busy would.
  // (rawClient pauses after the first chunk, which says the status).
  client.socket.on('data', () => client.socket.resume());
  return client;
}

/** Runs `task` over and over, `concurrency` at a time, until `deadline` (performance.now()). */
export async function repeatUntil(deadline: number, concurrency: number, task: (n: number) => Promise<unknown>) {
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await task(n++);
    }),
  );
}

/**
 * Connections to `port` the server still holds open, by client address: from the kernel's
 * table (/proc/net/tcp, Linux), where a socket no process holds any more has inode 0.
 */
export function heldConnections(port: number): Map<string, number> {
  const held = new Map<string, number>();
  for (const row of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const cols = row.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [, localPort] = cols[1]!.split(':');
    const [remoteHex] = cols[2]!.split(':');
    // 0A: the listening socket itself.
    if (Number.parseInt(localPort!, 16) !== port || cols[3] === '0A' || cols[9] === '0') continue;
    const n = Number.parseInt(remoteHex!, 16);
    const address = [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
    held.set(address, (held.get(address) ?? 0) + 1);
  }
  return held;
}
