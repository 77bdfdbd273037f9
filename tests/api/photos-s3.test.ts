// Photos in S3-compatible object storage (issue 17), against a real S3 server on a loopback
// port (s3rver): two app processes on one database and one bucket, each with a data directory
// of its own, so a photo one serves after the other took it can only have come from the bucket.
// The privacy rules hold there too; a failed insert deletes nothing, and the orphan sweep
// removes only old, unreferenced objects; photos:migrate copies between disk and bucket.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../server/config';
import { removeOrphanPhotos, removeUnreferencedPhotos } from '../../server/features/photos/photos.service';
import {
  localPhotoStorage,
  readPhoto,
  s3PhotoStorage,
  type PhotoStorage,
} from '../../server/features/photos/photos.storage';
import type { S3PhotoStorage } from '../../server/features/photos/photos.storage-s3';
import { migratePhotos } from '../../scripts/photos-migrate';
import { twoColourJpeg } from '../fixtures/images';
import { startS3Server, type TestS3Server } from '../support/s3-server';
import { loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const HOURS_AGO_2 = () => new Date(Date.now() - 2 * 60 * 60 * 1000);
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hashOf = (seed: number) => `${'cd'.repeat(31)}${String(seed).padStart(2, '0')}`;
const keysOf = (hash: string) => [`photos/cd/${hash}.jpg`, `photos/cd/${hash}.thumb.jpg`];
const silent = pino({ level: 'silent' });

let s3: TestS3Server;
let a: TestApp<S3PhotoStorage>;
let b: TestApp<S3PhotoStorage>;
beforeAll(async () => {
  s3 = await startS3Server();
  a = await startTestApp({ photoStorage: () => s3PhotoStorage(s3.settings) });
  b = await startTestApp({ photoStorage: () => s3PhotoStorage(s3.settings), sameDatabaseAs: a });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  a?.storage.close();
  b?.storage.close();
  await s3?.close();
});

/** `width` tells the photos of the tests apart (a photo hidden once is hidden in every report). */
async function barrierWithPhoto(t: TestApp<PhotoStorage>, width: number) {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .field('category', 'steps')
    .field('lat', '52.52')
    .field('lon', '13.405')
    .field('severity', '2')
    .attach('photos', await twoColourJpeg(width, 300), 'steps.jpg');
  expect(res.status).toBe(201);
  const photo = (res.body.properties.photos as { url: string; thumbnail_url: string }[])[0]!;
  return { id: res.body.id as number, path: new URL(photo.url).pathname, thumb: new URL(photo.thumbnail_url).pathname };
}
const hashIn = (photoPath: string) => /([0-9a-f]{64})\.jpg$/.exec(photoPath)![1]!;

describe('two app processes sharing one bucket', () => {
  it('serves from the second process a photo the first one took, with nothing on either disk', async () => {
    const { path: display, thumb } = await barrierWithPhoto(a, 400);
    const served = await request(b.app).get(display).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toBe('public, no-cache');
    expect(Number(served.headers['content-length'])).toBe((served.body as Buffer).length);
    // The name is the SHA-256 of the display bytes: they arrived whole.
    expect(sha256(served.body as Buffer)).toBe(hashIn(display));
    expect((await request(b.app).get(thumb)).status).toBe(200);
    expect((await request(b.app).get(display).set('If-None-Match', served.headers.etag!)).status).toBe(304);
    // Neither process wrote a photo to its own data directory.
    expect(await a.countPhotoFiles()).toBe(0);
    expect(await b.countPhotoFiles()).toBe(0);
  });

  it('keeps a hidden photo from the public in every process, though its bytes are still in the bucket', async () => {
    const { id, path: display, thumb } = await barrierWithPhoto(a, 410);
    const served = await request(b.app).get(display);
    expect(served.status).toBe(200);
    const coordinator = await loginAs(a, 'coordinator');
    const hide = await coordinator.agent
      .patch(`/api/v1/staff/reports/${id}/photos/0`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ state: 'hidden' });
    expect(hide.status).toBe(204);
    for (const t of [a, b]) {
      expect((await request(t.app).get(display)).status).toBe(404);
      expect((await request(t.app).get(thumb)).status).toBe(404);
      expect((await request(t.app).get(display).set('If-None-Match', served.headers.etag!)).status).toBe(404);
    }
    expect(await readPhoto(b.storage, hashIn(display), 'display')).toBeDefined();
  });
});

describe('orphans in a shared bucket', () => {
  const files = async (seed: number) => {
    const display = await twoColourJpeg(40 + seed, 30);
    return { display, thumbnail: display };
  };

  it('a failed insert deletes nothing: another process may have put the same photo for its report', async () => {
    const hash = hashOf(1);
    expect(await a.storage.put(hash, await files(1))).toBe(true); // process A writes it
    expect(await b.storage.put(hash, await files(1))).toBe(false); // B finds it, goes on to commit
    await removeUnreferencedPhotos(a.pool, a.storage, [hash]); // A's insert failed: its cleanup
    expect(await readPhoto(b.storage, hash, 'display')).toBeDefined();
    expect(await readPhoto(b.storage, hash, 'thumbnail')).toBeDefined();
    // Young, so the sweep of any process leaves it for whoever is about to commit it.
    expect(await removeOrphanPhotos(a.pool, a.storage, silent)).toBe(0);
    expect(await readPhoto(b.storage, hash, 'display')).toBeDefined();
  });

  it('the sweep removes an old unreferenced object and keeps referenced and young ones', async () => {
    const referenced = hashIn((await barrierWithPhoto(b, 420)).path);
    const orphan = hashOf(2);
    const young = hashOf(3);
    await a.storage.put(orphan, await files(2));
    await a.storage.put(young, await files(3));
    for (const key of [...keysOf(orphan), `photos/${referenced.slice(0, 2)}/${referenced}.jpg`]) {
      await s3.setLastModified(key, HOURS_AGO_2());
    }
    // Every other test's photo is young or referenced: exactly the old orphan goes.
    expect(await removeOrphanPhotos(b.pool, b.storage, silent)).toBe(1);
    expect(await readPhoto(a.storage, orphan, 'display')).toBeUndefined();
    expect(await readPhoto(a.storage, orphan, 'thumbnail')).toBeUndefined();
    expect(await readPhoto(a.storage, young, 'display')).toBeDefined();
    expect(await readPhoto(a.storage, referenced, 'display')).toBeDefined();
    expect((await request(a.app).get(`/photos/${referenced}.jpg`)).status).toBe(200);
  });

  it('an old orphan put again meanwhile is kept: the put restarts its grace', async () => {
    const hash = hashOf(4);
    await a.storage.put(hash, await files(4));
    for (const key of keysOf(hash)) await s3.setLastModified(key, HOURS_AGO_2());
    await b.storage.put(hash, await files(4)); // another upload of the same bytes
    expect(await b.storage.removeIfOlderThan(hash, new Date(Date.now() - 60 * 60 * 1000))).toBe(false);
    expect(await readPhoto(a.storage, hash, 'display')).toBeDefined();
  });
});

describe('npm run photos:migrate', () => {
  let dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true }))));
  const tempDir = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-migrate-'));
    dirs = [...dirs, dir];
    return dir;
  };

  it('copies disk to bucket and back, verified, idempotent, deleting originals only when asked', async () => {
    const disk = localPhotoStorage(await tempDir());
    const photos = [
      { hash: hashOf(10), display: await twoColourJpeg(64, 48), thumbnail: await twoColourJpeg(32, 24) },
      { hash: hashOf(11), display: await twoColourJpeg(80, 60), thumbnail: await twoColourJpeg(40, 30) },
    ];
    for (const p of photos) await disk.put(p.hash, p);

    const first = await migratePhotos({ from: disk, to: a.storage });
    expect(first).toMatchObject({ total: 2, copied: 2, alreadyThere: 0, deleted: 0 });
    expect(await disk.locate(photos[0]!.hash, 'display')).toBeDefined(); // the source is kept

    const progress: number[] = [];
    const again = await migratePhotos({
      from: disk,
      to: a.storage,
      deleteSource: true,
      progress: (done) => progress.push(done),
    });
    expect(again).toMatchObject({ total: 2, copied: 0, alreadyThere: 2, deleted: 2 });
    expect(progress).toEqual([1, 2]);
    for (const p of photos) expect(await disk.locate(p.hash, 'display')).toBeUndefined();

    // And back to a fresh disk: every byte as it was.
    const back = localPhotoStorage(await tempDir());
    const summary = await migratePhotos({ from: a.storage, to: back });
    expect(summary.copied).toBe(summary.total - summary.incomplete);
    for (const p of photos) {
      expect((await readPhoto(back, p.hash, 'display'))!.equals(p.display)).toBe(true);
      expect((await readPhoto(back, p.hash, 'thumbnail'))!.equals(p.thumbnail)).toBe(true);
    }
    expect(await readPhoto(a.storage, photos[1]!.hash, 'display')).toBeDefined(); // the bucket kept them
  });
});

describe('configuration', () => {
  it('names the missing or half-given S3 setting', () => {
    expect(() => loadConfig({ PHOTO_STORE: 's3' })).toThrow(/S3_BUCKET: is required when PHOTO_STORE=s3/);
    expect(() => loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'x' })).toThrow(
      /S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither/,
    );
    expect(() => loadConfig({ PHOTO_STORE: 'disk' })).toThrow(/PHOTO_STORE/);
    expect(loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({
      photoStore: 's3',
      s3: { bucket: 'photos', region: 'us-east-1', forcePathStyle: true, endpoint: undefined },
    });
    expect(loadConfig({}).photoStore).toBe('local');
  });
});
