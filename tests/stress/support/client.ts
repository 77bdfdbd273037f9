// Submitting reports the way a phone on a bad network does: multipart bodies written in
// slices, connections that die halfway, retries with the same Idempotency-Key.
import crypto from 'node:crypto';
import http from 'node:http';

export interface ReportFields {
  category: string;
  lat: number;
  lon: number;
  description: string;
  contact?: string;
}

export interface Reply {
  status: number;
  body: { id?: number; [key: string]: unknown };
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

export function multipartBody(fields: ReportFields, photo?: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----wegfrei${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(value)}\r\n`),
    );
  }
  if (photo) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\n` +
          'Content-Type: image/jpeg\r\n\r\n',
      ),
      photo,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface SendOptions {
  key?: string;
  headers?: Record<string, string>;
  /** Write the body in slices of this many bytes… */
  sliceBytes?: number;
  /** …with this pause between them (a slow phone network). */
  sliceDelayMs?: number;
  /** Called once this many bytes are out (e.g. to kill the server mid-upload). */
  onProgress?: (sentBytes: number) => void;
  /** Destroy the connection once this many bytes are out: resolves to undefined. */
  abortAfter?: number;
}

/** POST /api/v1/reports over a raw connection; a connection error rejects (unless aborting). */
export function sendReport(
  baseUrl: string,
  payload: { body: Buffer; contentType: string },
  opts: SendOptions = {},
): Promise<Reply | undefined> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: {
        'Content-Type': payload.contentType,
        'Content-Length': String(payload.body.length),
        ...(opts.key ? { 'Idempotency-Key': opts.key } : {}),
        ...opts.headers,
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Reply['body'];
        try {
          body = JSON.parse(text) as Reply['body'];
        } catch {
          body = { text };
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ms: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => (opts.abortAfter !== undefined ? resolve(undefined) : reject(err)));
    const slice = opts.sliceBytes ?? payload.body.length;
    let sent = 0;
    const writeNext = () => {
      if (req.destroyed) return;
      if (opts.abortAfter !== undefined && sent >= opts.abortAfter) {
        req.destroy();
        resolve(undefined);
        return;
      }
      if (sent >= payload.body.length) {
        req.end();
        return;
      }
      const end = Math.min(sent + slice, payload.body.length, opts.abortAfter ?? Infinity);
      req.write(payload.body.subarray(sent, end));
      sent = end;
      opts.onProgress?.(sent);
      setTimeout(writeNext, opts.sliceDelayMs ?? 0);
    };
    writeNext();
  });
}

/** A JSON report over fetch; a network failure or timeout comes back as status 0. */
export async function postJsonReport(
  baseUrl: string,
  fields: ReportFields,
  key: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...headers },
      body: JSON.stringify(fields),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json().catch(() => ({}))) as Reply['body'];
    return { status: res.status, body, headers: Object.fromEntries(res.headers), ms: performance.now() - started };
  } catch {
    return { status: 0, body: {}, headers: {}, ms: performance.now() - started };
  }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
