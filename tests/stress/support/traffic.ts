// Virtual phones for the load and soak tests: each submits reports one after another for a
// while, retrying a failed attempt with the same Idempotency-Key as the citizen app's outbox
// does, and keeps what the server acknowledged and how long it took.
import crypto from 'node:crypto';
import sharp from 'sharp';
import { multipartBody, percentile, postJsonReport, sendReport, type Reply } from './client';

export interface Outcome {
  description: string;
  withPhoto: boolean;
  status: number;
  attempts: number;
  ms: number;
}

/** Small distinct JPEGs, like photos a phone has already shrunk. */
export async function phonePhotos(count: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: { r: (i * 37) % 256, g: 90, b: 140 } } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
}

// Barriers only: on the embedded database the suites read what was stored back through the
// public export (reports.ts), and a help request's words are not public until a coordinator
// published them (issue 12), so its marker would read as lost.
const CATEGORIES = ['steps', 'kerb_missing', 'lift', 'surface'];
const RETRYABLE = new Set([0, 502, 503, 504]);

export async function submitOne(
  baseUrl: string,
  marker: string,
  photo: Buffer | undefined,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  const key = crypto.randomUUID();
  const description = `${marker}-${key}`;
  const fields = {
    category: CATEGORIES[Math.floor(Math.random() * CATEGORIES.length)]!,
    lat: 52.3 + Math.random() * 0.4,
    lon: 13.1 + Math.random() * 0.6,
    description,
  };
  const started = performance.now();
  let reply: Reply | undefined;
  let attempts = 0;
  do {
    if (attempts) await new Promise((r) => setTimeout(r, 250 * attempts));
    attempts += 1;
    if (photo) {
      reply = await sendReport(baseUrl, multipartBody(fields, photo), { key, headers }).catch(() => ({
        status: 0,
        body: {},
        headers: {},
        ms: 0,
      }));
    } else {
      reply = await postJsonReport(baseUrl, fields, key, headers);
    }
  } while (reply && RETRYABLE.has(reply.status) && attempts < 5);
  return { description, withPhoto: !!photo, status: reply?.status ?? 0, attempts, ms: performance.now() - started };
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(ms: number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(percentile(sorted, 100)),
  };
}

/** Seconds from the environment (the CI runs short, `npm run test:stress` long). */
export function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
