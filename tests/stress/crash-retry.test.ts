// The server dies (SIGKILL: the OOM killer, a power cut) at the worst moments of storing a
// report; the phone retries with the same Idempotency-Key once it is back. Exactly one
// report must exist afterwards, with its photo, and no file nobody uses.
import crypto from 'node:crypto';
import { twoColourJpeg } from '../fixtures/images';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { multipartBody, sendReport } from './support/client';
import { freshDatabase, photoFiles, serverEnv, type TestDatabase } from './support/database';
import { orphanFileCount, storedReports } from './support/reports';

jest.setTimeout(240_000);

let db: TestDatabase;
let server: ServerProcess | undefined;

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
afterAll(() => db.drop());

const start = async (failpoints = '') => {
  server = await startServerProcess(
    // One app process on these photos, so its start-up sweep may take even the newest orphans.
    serverEnv(db, { WEGFREI_FAILPOINTS: failpoints, PHOTO_ORPHAN_GRACE_S: '0' }),
  );
  return server;
};

async function report(width: number) {
  const marker = `crash-${crypto.randomUUID()}`;
  const photo = await twoColourJpeg(width, 600);
  const payload = multipartBody({ category: 'steps', lat: 52.52, lon: 13.405, description: marker }, photo);
  return { marker, payload, key: crypto.randomUUID() };
}

it('killed after the commit, before the response: the retry gets the stored report, once', async () => {
  const { marker, payload, key } = await report(800);
  const doomed = await start('reports.after-commit');
  await expect(sendReport(doomed.baseUrl, payload, { key })).rejects.toThrow();
  expect((await doomed.exited).signal).toBe('SIGKILL');

  const back = await start();
  const retry = await sendReport(back.baseUrl, payload, { key });
  expect(retry?.status).toBe(201);
  expect(retry?.headers['idempotent-replayed']).toBe('true');
  const again = await sendReport(back.baseUrl, payload, { key });
  expect(again?.body.id).toBe(retry?.body.id);

  const stored = await storedReports(db, back.baseUrl, marker);
  expect(stored).toEqual([{ id: retry?.body.id, description: marker, photos: 1 }]);
  const photoUrl = (retry?.body.properties as { photos: { url: string }[] }).photos[0]!.url;
  expect((await fetch(new URL(photoUrl, back.baseUrl))).status).toBe(200);
  expect(await orphanFileCount(db, back.baseUrl)).toBe(0);
});

it('killed after the photo files are written, before the commit: the files go, the retry stores one report', async () => {
  const { marker, payload, key } = await report(900);
  const before = photoFiles(db.dataDir).length;
  const doomed = await start('reports.after-photos-written');
  await expect(sendReport(doomed.baseUrl, payload, { key })).rejects.toThrow();
  expect((await doomed.exited).signal).toBe('SIGKILL');
  // The display image and its thumbnail were on disk when the process died…
  expect(photoFiles(db.dataDir).length).toBe(before + 2);

  const back = await start();
  // …and the start-up sweep removed them, since no report uses them.
  expect(photoFiles(db.dataDir).length).toBe(before);
  const retry = await sendReport(back.baseUrl, payload, { key });
  expect(retry?.status).toBe(201);
  expect(retry?.headers['idempotent-replayed']).toBeUndefined();
  expect(await storedReports(db, back.baseUrl, marker)).toEqual([
    { id: retry?.body.id, description: marker, photos: 1 },
  ]);
  expect(await orphanFileCount(db, back.baseUrl)).toBe(0);
});

it('killed halfway through an upload: nothing is stored, and the retry stores one report', async () => {
  const { marker, payload, key } = await report(1000);
  const doomed = await start();
  let killed = false;
  const upload = sendReport(doomed.baseUrl, payload, {
    key,
    sliceBytes: 4096,
    sliceDelayMs: 5,
    onProgress: (sent) => {
      if (!killed && sent > payload.body.length / 2) {
        killed = true;
        process.kill(doomed.pid, 'SIGKILL');
      }
    },
  });
  await expect(upload).rejects.toThrow();
  expect((await doomed.exited).signal).toBe('SIGKILL');

  const back = await start();
  expect(await storedReports(db, back.baseUrl, marker)).toEqual([]);
  expect(await orphanFileCount(db, back.baseUrl)).toBe(0);
  const retry = await sendReport(back.baseUrl, payload, { key });
  expect(retry?.status).toBe(201);
  expect(await storedReports(db, back.baseUrl, marker)).toHaveLength(1);
  expect(await orphanFileCount(db, back.baseUrl)).toBe(0);
});
