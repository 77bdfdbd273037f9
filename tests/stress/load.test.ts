// Many phones submitting at once for a fixed time: every report acknowledged is stored
// exactly once (checked against the database), none fails, and the latencies are reported.
// STRESS_LOAD_SECONDS (default 60) and STRESS_SUBMITTERS (default 24) set the size.
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { freshDatabase, serverEnv, type TestDatabase } from './support/database';
import { storedReports } from './support/reports';
import { phonePhotos, seconds, submitOne, summarise, type Outcome } from './support/traffic';

const DURATION_S = seconds('STRESS_LOAD_SECONDS', 60);
const SUBMITTERS = seconds('STRESS_SUBMITTERS', 24);
/** One report in this many carries a photo. */
const PHOTO_EVERY = 8;

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

it(`${SUBMITTERS} concurrent submitters for ${DURATION_S} s: 0 errors, 0 lost, 0 duplicated`, async () => {
  const marker = `load-${Date.now()}`;
  const photos = await phonePhotos(16);
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + DURATION_S * 1000;
  let n = 0;
  const submitter = async () => {
    while (Date.now() < deadline) {
      n += 1;
      const photo = n % PHOTO_EVERY === 0 ? photos[n % photos.length] : undefined;
      outcomes.push(await submitOne(server.baseUrl, marker, photo));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: SUBMITTERS }, submitter));
  const elapsedS = (performance.now() - started) / 1000;

  const failed = outcomes.filter((o) => o.status !== 201);
  const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.description);
  const stored = (await storedReports(db, server.baseUrl, marker)).map((r) => r.description);
  const summary = {
    database: db.url ? 'postgres' : 'embedded',
    submitters: SUBMITTERS,
    seconds: Math.round(elapsedS),
    reports: outcomes.length,
    per_second: Math.round(outcomes.length / elapsedS),
    retried: outcomes.filter((o) => o.attempts > 1).length,
    errors: failed.length,
    json_ms: summarise(outcomes.filter((o) => !o.withPhoto).map((o) => o.ms)),
    photo_ms: summarise(outcomes.filter((o) => o.withPhoto).map((o) => o.ms)),
  };
  process.stdout.write(`load: ${JSON.stringify(summary)}\n`);

  expect(failed.map((o) => o.status)).toEqual([]);
  expect(new Set(stored).size).toBe(stored.length);
  expect(stored.sort()).toEqual(acknowledged.sort());
  expect(server.errors()).toEqual([]);
});
