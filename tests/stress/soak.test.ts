// A soak: steady mixed traffic (submissions with and without photos, uploads abandoned
// halfway, map tiles, lists, single reports, photos) for STRESS_SOAK_SECONDS (default 300).
// The server's memory and open file descriptors must stay flat: a leak grows with time.
import fs from 'node:fs';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { multipartBody, sendReport } from './support/client';
import { freshDatabase, serverEnv, type TestDatabase } from './support/database';
import { phonePhotos, seconds, submitOne } from './support/traffic';

const DURATION_S = seconds('STRESS_SOAK_SECONDS', 300);
jest.setTimeout((DURATION_S + 180) * 1000);

let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  db = await freshDatabase();
  server = await startServerProcess(serverEnv(db));
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

interface Sample {
  at: number;
  rssMb: number;
  fds: number;
}

/**
 * Open descriptors, less the embedded database's relation files: its backend runs in this
 * process and keeps a file open per table and index it touched (PostgreSQL's own file cache,
 * bounded by max_files_per_process), so they grow with the tables a run reaches, not with time
 * (issue 16's tables added 36 of them in a 30 s soak, all under pgdata/base).
 */
function openFds(pid: number): number {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      // Closed between the listing and the look.
      continue;
    }
    if (!/\/pgdata\/base\//.test(target)) n++;
  }
  return n;
}

function sample(pid: number, started: number): Sample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return { at: (Date.now() - started) / 1000, rssMb: rssKb / 1024, fds: openFds(pid) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it(`keeps memory and file descriptors flat over ${DURATION_S} s of mixed traffic`, async () => {
  const photos = await phonePhotos(8);
  const marker = `soak-${Date.now()}`;
  const started = Date.now();
  const deadline = started + DURATION_S * 1000;
  const statuses = new Map<string, number[]>();
  const note = (what: string, status: number) => {
    if (status >= 500 || status === 0) statuses.set(what, [...(statuses.get(what) ?? []), status]);
  };
  const ids: number[] = [];
  const photoUrls: string[] = [];

  const submitter = async (withPhotos: boolean) => {
    for (let n = 0; Date.now() < deadline; n++) {
      const outcome = await submitOne(server.baseUrl, marker, withPhotos ? photos[n % photos.length] : undefined);
      note('submit', outcome.status);
    }
  };
  const abandoner = async () => {
    while (Date.now() < deadline) {
      const payload = multipartBody({ category: 'steps', lat: 52.5, lon: 13.4, description: marker }, photos[0]);
      await sendReport(server.baseUrl, payload, { abortAfter: Math.floor(payload.body.length / 2), sliceBytes: 8192 });
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const reader = async () => {
    while (Date.now() < deadline) {
      const z = 4 + Math.floor(Math.random() * 14);
      const scale = 2 ** z;
      const x = Math.floor(((13.4 + 180) / 360) * scale);
      const y = Math.floor(((1 - Math.asinh(Math.tan((52.5 * Math.PI) / 180)) / Math.PI) / 2) * scale);
      const reads = [
        `/tiles/public/${z}/${x}/${y}.mvt`,
        '/api/v1/reports?bbox=13.1,52.3,13.7,52.7&limit=100',
        '/api/v1/reports/nearby?lat=52.5&lon=13.4&radius_m=500',
      ];
      if (ids.length) reads.push(`/api/v1/reports/${ids[Math.floor(Math.random() * ids.length)]}`);
      if (photoUrls.length) reads.push(photoUrls[Math.floor(Math.random() * photoUrls.length)]!);
      for (const path of reads) {
        const res = await fetch(new URL(path, server.baseUrl)).catch(() => undefined);
        note(path.split('?')[0]!.replace(/\d+/g, 'N'), res?.status ?? 0);
        if (res && path.startsWith('/api/v1/reports?')) {
          const body = (await res.json()) as { features: { id: number; properties: { photos: { url: string }[] } }[] };
          for (const f of body.features.slice(0, 20)) {
            ids.push(f.id);
            for (const p of f.properties.photos) photoUrls.push(p.url);
          }
          ids.splice(0, Math.max(0, ids.length - 500));
          photoUrls.splice(0, Math.max(0, photoUrls.length - 500));
        } else {
          await res?.arrayBuffer();
        }
      }
    }
  };

  const samples: Sample[] = [];
  const sampler = setInterval(() => samples.push(sample(server.pid, started)), 1000);
  await Promise.all([submitter(false), submitter(false), submitter(true), abandoner(), reader(), reader()]);
  clearInterval(sampler);
  // Idle for a moment: keep-alive sockets time out, nothing should stay open.
  await new Promise((r) => setTimeout(r, 6000));
  const idle = sample(server.pid, started);

  const warm = samples.filter((s) => s.at > DURATION_S * 0.25);
  const early = warm.filter((s) => s.at <= DURATION_S * 0.5);
  const late = warm.filter((s) => s.at > DURATION_S * 0.75);
  const report = {
    seconds: DURATION_S,
    rss_mb: {
      early: Math.round(median(early.map((s) => s.rssMb))),
      late: Math.round(median(late.map((s) => s.rssMb))),
    },
    rss_max_mb: Math.round(Math.max(...samples.map((s) => s.rssMb))),
    fds: { first: samples[0]?.fds, max: Math.max(...samples.map((s) => s.fds)), idle: idle.fds },
  };
  process.stdout.write(`soak: ${JSON.stringify(report)}\n`);

  expect(Object.fromEntries(statuses)).toEqual({});
  // Flat: memory in the last quarter within 15 % (and 40 MB) of the second quarter; after the
  // traffic, as many descriptors open as when it started, give or take a few.
  expect(report.rss_mb.late).toBeLessThan(report.rss_mb.early * 1.15 + 40);
  expect(idle.fds).toBeLessThanOrEqual(samples[0]!.fds + 5);
  expect(server.errors()).toEqual([]);
});
