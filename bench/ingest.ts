// Report ingest: JSON at high concurrency, and with a 3-megapixel photo against what sharp
// alone does with the same photos.
import crypto from 'node:crypto';
import { makeScenePhoto } from '../scripts/seed/photos';
import type { Random } from '../scripts/seed/random';
import { processPhoto } from '../server/features/photos/photos.pipeline';
import { type CpuUse, addCpu, cpuUse, noCpu } from './cpu';
import { type Stats, runConcurrent, stats } from './http';
import { PostClient } from './post-client';
import type { Position } from './tiles';

export interface IngestResult {
  sent: number;
  created: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: Stats;
  /** Each 201's latency, ms. */
  times: number[];
  /** Ids the server answered 201 with. */
  ids: number[];
  /** CPU the server (pid given), PostgreSQL and the bench used while the timed reports went in. */
  cpuUsed?: CpuUse;
}

/**
 * Reports in flight at once in the JSON ingest (phones sending at the same moment): enough for
 * group commit to fill its batches (two of up to 64 in flight).
 */
export const INGEST_CONCURRENCY = 128;
/**
 * Reports posted first and not timed, so that the server's code and the database's caches are
 * warm (bench/ingest.ts): at a million reports the first 10,000 go in at about two thirds of the
 * rate of the next. Fewer on the embedded database, which is slower and holds less.
 */
export const ingestWarmup = (kind: 'postgres' | 'embedded') => (kind === 'postgres' ? 5000 : 1000);

const CATEGORIES = ['kerb_missing', 'steps', 'obstacle', 'surface', 'crossing', 'entrance', 'lift', 'works'];
const HELP = ['help_assist', 'help_equipment', 'help_info'];

/** A plausible report a few hundred metres from a known place. */
function reportBody(rng: Random, p: Position): Record<string, string | number> {
  const help = rng() < 0.08;
  const category = help ? HELP[Math.floor(rng() * HELP.length)]! : CATEGORIES[Math.floor(rng() * CATEGORIES.length)]!;
  return {
    category,
    lat: Math.round((p.lat + (rng() - 0.5) * 0.01) * 1e6) / 1e6,
    lon: Math.round((p.lon + (rng() - 0.5) * 0.01) * 1e6) / 1e6,
    severity: 1 + Math.floor(rng() * 3),
    description: 'Benchmark report',
    accuracy_m: 8,
    ...(help ? { people_count: 1 } : { passability: 'limited' }),
  };
}

function idOf(body: Buffer): number | undefined {
  try {
    const id = (JSON.parse(body.toString()) as { id?: unknown }).id;
    return typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Posts `count` reports at a concurrency, counting 201s with their ids, errors and latencies.
 * Through bench/post-client.ts, which costs the shared CPUs less than any general client.
 */
async function postReports(
  base: string,
  opts: { count: number; concurrency: number; label: string },
  makeRequest: (i: number) => { body: Buffer | Buffer[] | string; contentType: string },
  log: (line: string) => void,
): Promise<IngestResult> {
  const times: number[] = [];
  const ids: number[] = [];
  let errors = 0;
  const client = new PostClient(base, opts.concurrency);
  const started = performance.now();
  try {
    await runConcurrent(opts.count, opts.concurrency, async (i) => {
      const { body, contentType } = makeRequest(i);
      const sent = performance.now();
      const res = await client
        .post('/api/v1/reports', { 'Content-Type': contentType, 'Idempotency-Key': crypto.randomUUID() }, body)
        .catch((err: Error) => err);
      const ms = performance.now() - sent;
      const id = res instanceof Error ? undefined : idOf(res.body);
      if (res instanceof Error || res.status !== 201 || id === undefined) {
        if (errors++ < 5)
          log(
            `${opts.label}: ${res instanceof Error ? res.message : `HTTP ${res.status} ${res.body.toString().slice(0, 200)}`}`,
          );
        return;
      }
      times.push(ms);
      ids.push(id);
    });
  } finally {
    client.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    sent: opts.count,
    created: ids.length,
    errors,
    seconds,
    perSecond: ids.length / seconds,
    latency: stats(times),
    times,
    ids,
  };
}

/**
 * `count` JSON reports at a concurrency, after `warmup` more that are posted but not timed: a
 * server answers its first reports of a kind with code V8 has not optimised yet (the first
 * thousand run at about two thirds of the speed), which is not what a busy server does. The
 * warm-up's reports are in `created` and `ids` (they are checked for loss like the others),
 * not in the rate or the latencies.
 */
export async function benchJsonIngest(
  base: string,
  positions: Position[],
  rng: Random,
  opts: { count: number; concurrency: number; warmup?: number; serverPid?: number },
  log: (line: string) => void,
): Promise<IngestResult> {
  const body = () => JSON.stringify(reportBody(rng, positions[Math.floor(rng() * positions.length)]!));
  const post = (count: number, label: string) => {
    const bodies = Array.from({ length: count }, body);
    return postReports(
      base,
      { count, concurrency: opts.concurrency, label },
      (i) => ({ body: bodies[i]!, contentType: 'application/json' }),
      log,
    );
  };
  const warm = opts.warmup ? await post(opts.warmup, 'JSON ingest warm-up') : undefined;
  // CPU over the timed reports only: the rate's seconds are theirs (counted from before the
  // warm-up, the CPU figures read about 1.5 × too high, 300 % of these two cores).
  const cpu0 = opts.serverPid === undefined ? undefined : cpuUse(opts.serverPid);
  const timed = await post(opts.count, 'JSON ingest');
  if (cpu0) timed.cpuUsed = addCpu(noCpu(), cpuUse(opts.serverPid!), cpu0);
  if (!warm) return timed;
  return {
    ...timed,
    sent: warm.sent + timed.sent,
    created: warm.created + timed.created,
    errors: warm.errors + timed.errors,
    ids: [...warm.ids, ...timed.ids],
  };
}

/** Distinct 2048 × 1536 JPEGs (≈ 1 MB each) with gradients, shapes and grain. */
export async function makeBenchPhotos(count: number, seed: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    photos.push(await makeScenePhoto(seed * 7919 + i, { width: 2048, height: 1536, noise: 14, quality: 88 }));
  }
  return photos;
}

/** Seconds the upload pipeline takes for `photos` in this process (run it while the server idles). */
export async function sharpAloneSeconds(photos: Buffer[], concurrency: number): Promise<number> {
  const started = performance.now();
  await runConcurrent(photos.length, concurrency, async (i) => {
    await processPhoto(photos[i]!, 'photos');
  });
  return (performance.now() - started) / 1000;
}

/** Several rounds of one ingest as one result. */
export function mergeIngest(parts: IngestResult[]): IngestResult {
  const times = parts.flatMap((p) => p.times);
  const created = parts.reduce((n, p) => n + p.created, 0);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  return {
    sent: parts.reduce((n, p) => n + p.sent, 0),
    created,
    errors: parts.reduce((n, p) => n + p.errors, 0),
    seconds,
    perSecond: created / seconds,
    latency: stats(times),
    times,
    ids: parts.flatMap((p) => p.ids),
  };
}

/** A multipart/form-data body with the report's fields and one photo in field `photos`, in pieces: the photo is sent as it is, not copied. */
function multipart(fields: Record<string, string | number>, photo: Buffer, filename: string) {
  const boundary = `----wegfrei-bench-${crypto.randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${filename}"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    ),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: parts, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function benchPhotoIngest(
  base: string,
  photos: Buffer[],
  positions: Position[],
  rng: Random,
  opts: { concurrency: number },
  log: (line: string) => void,
): Promise<IngestResult> {
  return postReports(
    base,
    { count: photos.length, concurrency: opts.concurrency, label: 'photo ingest' },
    (i) => multipart(reportBody(rng, positions[Math.floor(rng() * positions.length)]!), photos[i]!, `photo-${i}.jpg`),
    log,
  );
}
