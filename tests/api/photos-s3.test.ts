// Photos in S3-compatible object storage (issue 17), against a real S3 server on a loopback
// port (s3rver): two app processes on one database and one bucket, each with a data directory
// of its own, so a photo one serves after the other took it can only have come from the bucket.
// The privacy rules hold there too; a failed insert deletes nothing, and the orphan sweep
// removes only old, unreferenced objects; photos:migrate copies between disk and bucket.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { S3ServiceException } from '@aws-sdk/client-s3';
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
import { bucketProblem, checkBucket, type S3PhotoStorage } from '../../server/features/photos/photos.storage-s3';
import { checkMigration, migratePhotos } from '../../scripts/photos-migrate';
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

  it('deletes no original whose copy is the same size but not the same bytes: it copies it again first', async () => {
    const disk = localPhotoStorage(await tempDir());
    const photo = { hash: hashOf(12), display: await twoColourJpeg(72, 54), thumbnail: await twoColourJpeg(36, 27) };
    await disk.put(photo.hash, photo);
    const damaged = Buffer.from(photo.display);
    const middle = damaged.length >> 1;
    damaged.writeUInt8(damaged.readUInt8(middle) ^ 0xff, middle);
    await a.storage.put(photo.hash, { display: damaged, thumbnail: photo.thumbnail });

    const summary = await migratePhotos({ from: disk, to: a.storage, deleteSource: true });
    expect(summary).toMatchObject({ total: 1, copied: 1, alreadyThere: 0, deleted: 1 });
    expect((await readPhoto(a.storage, photo.hash, 'display'))!.equals(photo.display)).toBe(true);
  });

  it('refuses to start without a photos directory to copy from, or without the bucket, naming the setting', async () => {
    const empty = await tempDir();
    await expect(checkMigration({ dataDir: empty, s3: s3.settings }, 's3')).rejects.toThrow(
      `DATA_DIR=${empty}: there is no photos directory (${path.join(empty, 'photos')}) to copy from`,
    );
    // Back to disk, the directory is made as it fills.
    await expect(checkMigration({ dataDir: empty, s3: s3.settings }, 'local')).resolves.toBeUndefined();
    await fs.mkdir(path.join(empty, 'photos'));
    await expect(checkMigration({ dataDir: empty, s3: s3.settings }, 's3')).resolves.toBeUndefined();
    await expect(checkMigration({ dataDir: empty, s3: { ...s3.settings, bucket: 'nope' } }, 's3')).rejects.toThrow(
      `S3_BUCKET=nope: no such bucket at ${s3.settings.endpoint}`,
    );
  });
});

/** A loopback port nobody listens on: a bucket that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A loopback server that accepts connections and never answers: a stuck bucket. */
const silentSockets = new Set<net.Socket>();
async function silentServer(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const silentServers: net.Server[] = [];
afterAll(() => {
  for (const socket of silentSockets) socket.destroy();
  for (const server of silentServers) server.close();
});

// Refused at once, or silent until the client's timeouts (shortened here from S3_TIMEOUTS_MS).
describe.each([
  { bucket: 'refuses connections', error: { code: 'ECONNREFUSED' }, endpoint: async () => closedPort() },
  {
    bucket: 'accepts connections and never answers',
    error: { name: 'TimeoutError' },
    endpoint: async () => {
      const server = await silentServer();
      silentServers.push(server);
      return (server.address() as net.AddressInfo).port;
    },
  },
])('when the bucket $bucket', ({ error, endpoint }) => {
  let down: TestApp<S3PhotoStorage>;
  const logged: string[] = [];
  beforeAll(async () => {
    const settings = {
      ...s3.settings,
      endpoint: `http://127.0.0.1:${await endpoint()}`,
      timeoutsMs: { connect: 400, answer: 400, idle: 2000 },
    };
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    down = await startTestApp({ photoStorage: () => s3PhotoStorage(settings), sameDatabaseAs: a, logger });
  });
  afterAll(async () => {
    await down?.close();
    down?.storage.close();
  });
  const reportCount = async () => Number((await a.pool.query('SELECT count(*) AS n FROM reports')).rows[0].n);

  it('answers an upload with a photo 503 photo_store_unavailable, storing no part of the report', async () => {
    const before = await reportCount();
    const res = await request(down.app)
      .post('/api/v1/reports')
      .field('category', 'steps')
      .field('lat', '52.52')
      .field('lon', '13.405')
      .attach('photos', await twoColourJpeg(430, 300), 'steps.jpg');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({
      type: 'urn:wegfrei:problem:photo_store_unavailable',
      detail: 'Photos cannot be stored or shown just now; please try again shortly.',
    });
    expect(await reportCount()).toBe(before);
    // Named as the photo store, with the error's name and code only: not the database.
    const lines = logged.map((line) => JSON.parse(line) as { msg: string; error?: unknown });
    expect(lines.some((l) => l.msg === 'database unavailable')).toBe(false);
    const line = lines.find((l) => l.msg === 'photo store unavailable');
    expect(line?.error).toMatchObject(error);
    expect(JSON.stringify(line)).not.toMatch(/photos\/|S3RVER/);
  });

  it('still takes reports without photos', async () => {
    const res = await request(down.app).post('/api/v1/reports').send({ category: 'lift', lat: 52.5, lon: 13.4 });
    expect(res.status).toBe(201);
  });

  it("answers a public photo 503 without the photo's ETag or public caching", async () => {
    const { path: display } = await barrierWithPhoto(a, 440);
    const res = await request(down.app).get(display);
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:wegfrei:problem:photo_store_unavailable');
    expect(res.headers.etag ?? '').not.toContain(hashIn(display));
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('start-up check of the bucket', () => {
  it('names the setting at fault and what to do', async () => {
    await expect(checkBucket(s3.settings)).resolves.toBeUndefined();
    await expect(checkBucket({ ...s3.settings, bucket: 'no-such-bucket' })).rejects.toThrow(
      `S3_BUCKET=no-such-bucket: no such bucket at ${s3.settings.endpoint}; create it first (docs/DEPLOY.md "Photos")`,
    );
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    await expect(checkBucket({ ...s3.settings, endpoint })).rejects.toThrow(
      `S3_ENDPOINT=${endpoint}: cannot connect (ECONNREFUSED)`,
    );
    const server = await silentServer();
    silentServers.push(server);
    const stuck = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const timeoutsMs = { connect: 400, answer: 400, idle: 2000 };
    await expect(checkBucket({ ...s3.settings, endpoint: stuck, timeoutsMs })).rejects.toThrow(
      `S3_ENDPOINT=${stuck}: connected, but no answer within 0.4 s (ETIMEDOUT)`,
    );
  });

  it('names the keys when none are set and the AWS SDK finds none of its own', async () => {
    // The SDK's chain would also ask an EC2 instance's metadata service: not from a test.
    const before = process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      await expect(
        checkBucket({ ...s3.settings, endpoint, accessKeyId: undefined, secretAccessKey: undefined }),
      ).rejects.toThrow('S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: not set, and no credentials found');
    } finally {
      if (before === undefined) delete process.env.AWS_EC2_METADATA_DISABLED;
      else process.env.AWS_EC2_METADATA_DISABLED = before;
    }
  });

  it('names the keys when the bucket refuses them (s3rver does not check HeadBucket: the message alone)', () => {
    const refused = new S3ServiceException({
      name: 'Forbidden',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'Forbidden',
    });
    const settings = { ...s3.settings, secretAccessKey: 'not-the-secret' };
    const message = bucketProblem(settings, refused);
    expect(message).toBe(
      `S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: refused by the bucket wegfrei-photos at ${s3.settings.endpoint} (Forbidden)`,
    );
    expect(message).not.toMatch(/not-the-secret|S3RVER/);
  });
});

describe('configuration', () => {
  it('names the missing or half-given S3 setting', () => {
    expect(() => loadConfig({ PHOTO_STORE: 's3' })).toThrow(/S3_BUCKET: is required when PHOTO_STORE=s3/);
    expect(() => loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'x' })).toThrow(
      /S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither/,
    );
    expect(() => loadConfig({ PHOTO_STORE: 'disk' })).toThrow(/PHOTO_STORE/);
    expect(() => loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_ENDPOINT: 'minio:9000' })).toThrow(
      /S3_ENDPOINT: must be a URL such as http:\/\/minio:9000/,
    );
    expect(loadConfig({ PHOTO_STORE: 's3', S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({
      photoStore: 's3',
      s3: { bucket: 'photos', region: 'us-east-1', forcePathStyle: true, endpoint: undefined },
    });
    expect(loadConfig({}).photoStore).toBe('local');
  });
});
