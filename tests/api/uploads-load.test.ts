// Uploads under pressure, over a real port: clients that vanish halfway, a flood of hostile
// photos at once, the memory budget running out, one address holding uploads open, and two
// reports carrying the same photo while one of them fails. Nothing may be lost, leaked or left behind.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import sharp from 'sharp';
import request from 'supertest';
import { createApiKey } from '../../server/features/apikeys/apikeys.service';
import {
  Budget,
  decodeBudget,
  decodeShares,
  photosBusy,
  uploadBudget,
  uploadShares,
} from '../../server/features/photos/photos.budget';
import { removeOrphanPhotos, removeUnreferencedPhotos } from '../../server/features/photos/photos.service';
import { problemHandler } from '../../server/http/errors';
import { budgetedMemoryStorage, photoUpload } from '../../server/http/uploads';
import * as hostile from '../fixtures/hostile-images';
import { solidPng, twoColourJpeg } from '../fixtures/images';
import { startTestApp, type TestApp } from './support/test-app';
import { BOUNDARY, eventually, expectProblem, multipartBody, startUpload, type Part } from './support/uploads';

jest.setTimeout(60_000);

let t: TestApp;
let server: http.Server;
let apiKey: string;
beforeAll(async () => {
  // Behind a proxy, as deployed: a client's address comes from X-Forwarded-For, else the socket.
  t = await startTestApp({ config: { trustProxy: true } });
  apiKey = (await createApiKey(t.pool, { name: 'load client', createdBy: null })).key;
  server = await listen(t.app);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function listen(app: express.Express): Promise<http.Server> {
  const listening = http.createServer(app);
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return listening;
}

async function reportCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  return rows[0]!.n;
}

const fields: Part[] = [
  { name: 'category', value: 'steps' },
  { name: 'lat', value: '52.52' },
  { name: 'lon', value: '13.405' },
];
const photoPart = (bytes: Buffer, name = 'photos'): Part => ({
  name,
  file: { filename: 'IMG_0001.jpg', contentType: 'image/jpeg', bytes },
});

let big: Buffer | undefined;
/** A 7 MB photo: noise does not compress. */
async function bigPhoto(): Promise<Buffer> {
  if (big) return big;
  const noise = crypto.randomBytes(1800 * 1400 * 3);
  big = await sharp(noise, { raw: { width: 1800, height: 1400, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return big;
}

describe('a client that vanishes halfway through an upload', () => {
  const open311Form = (): Part[] => [
    { name: 'api_key', value: apiKey },
    { name: 'service_code', value: 'steps' },
    { name: 'lat', value: '52.52' },
    { name: 'long', value: '13.405' },
    { name: 'attribute[severity]', value: '2' },
  ];
  it.each([
    { name: 'POST /api/v1/reports', url: '/api/v1/reports', form: () => fields, field: 'photos' },
    { name: 'Open311 POST requests', url: '/open311/v2/requests.json', form: open311Form, field: 'media' },
  ])('$name: stores nothing, holds nothing, and the next report goes through', async ({ url, form, field }) => {
    const [reportsBefore, filesBefore] = [await reportCount(), await t.countPhotoFiles()];
    const body = multipartBody([...form(), photoPart(await bigPhoto(), field)]);
    const upload = await startUpload(server, url, body, Math.floor(body.length / 2));
    // Open311 parses with its own multer (see the report): only ours counts against the budget.
    if (field === 'photos') await eventually(() => uploadBudget.used > 1024 * 1024, 'the first half counted');
    upload.drop();
    await eventually(() => uploadBudget.used === 0, 'the bytes given back');
    expect(await reportCount()).toBe(reportsBefore);
    expect(await t.countPhotoFiles()).toBe(filesBefore);
    const next = await request(server)
      .post('/api/v1/reports')
      .field('category', 'steps')
      .field('lat', '1')
      .field('lon', '2')
      .attach('photos', await twoColourJpeg(), 'ok.jpg');
    expect(next.status).toBe(201);
  });

  it('twenty vanishing at once leave the budget empty', async () => {
    const reportsBefore = await reportCount();
    // 3 MB each: the twenty fit the one address's share, so every one is being read.
    const body = multipartBody([...fields, photoPart((await bigPhoto()).subarray(0, 3 * 1024 * 1024))]);
    const uploads = await Promise.all(
      Array.from({ length: 20 }, (_, i) => startUpload(server, '/api/v1/reports', body, 1000 + i * 140_000)),
    );
    await eventually(() => uploadBudget.used > 20 * 1024 * 1024, 'the uploads counted');
    for (const upload of uploads) upload.drop();
    await eventually(
      () => uploadBudget.used === 0 && uploadBudget.waiting === 0 && uploadShares.owners === 0,
      'every byte given back',
    );
    expect(await reportCount()).toBe(reportsBefore);
  });
});

describe('a flood of hostile photos at once', () => {
  it('answers each with a 201 or a 4xx, and leaves no budget held', async () => {
    const reportsBefore = await reportCount();
    const makers = [
      () => hostile.pngDeclaring(100_000, 100_000),
      () => hostile.animatedWebp(5000),
      () => solidPng(7000, 7000),
      () => hostile.heicPhoto(),
      () => hostile.progressiveScanBomb(300),
      () => hostile.animatedPng(5000),
      () => Buffer.alloc(0),
      () => twoColourJpeg(800, 600),
    ];
    const files = await Promise.all(makers.map(async (make) => make()));
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        request(server)
          .post('/api/v1/reports')
          .field('category', 'steps')
          .field('lat', '52.5')
          .field('lon', '13.4')
          .attach('photos', files[i % files.length]!, `p${i}.jpg`),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 201 && (s < 400 || s >= 500))).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(12); // the 49 MP PNG, HEIC, APNG, JPEG: 3 each
    expect(await reportCount()).toBe(reportsBefore + 12);
    await eventually(() => uploadBudget.used === 0, 'upload bytes given back');
    expect([decodeBudget.used, decodeBudget.waiting]).toEqual([0, 0]);
  });
});

describe('when the upload budget runs out', () => {
  const appWith = (budget: Budget) => {
    const app = express();
    app.use((req, _res, next) => {
      req.log = pino({ level: 'silent' });
      next();
    });
    app.post('/upload', photoUpload(budgetedMemoryStorage(budget)), (req, res) => {
      res.json({ sizes: (req.files as Express.Multer.File[]).map((f) => f.size) });
    });
    app.use(problemHandler);
    return app;
  };
  const MB = 1024 * 1024;
  /** An upload that has sent 900 KB of its 1 MB photo and then stalls. */
  const stall = (server: http.Server) =>
    startUpload(server, '/upload', multipartBody([photoPart(Buffer.alloc(MB, 7))]), 900 * 1024);

  it('makes a newcomer wait briefly, then answers 503 with Retry-After naming the photos', async () => {
    const budget = new Budget({ capacity: MB, maxWaiting: 4, waitMs: 300, busy: photosBusy('received') });
    const small = await listen(appWith(budget));
    try {
      const holder = await stall(small);
      await eventually(() => budget.used >= 800 * 1024, 'the first upload holding most of the budget');
      const refused = await request(small)
        .post('/upload')
        .attach('photos', Buffer.alloc(300 * 1024, 1), 'b.jpg');
      expectProblem(refused, 503, 'photos');
      expect(refused.headers['retry-after']).toBe('10');
      holder.drop();
      await eventually(() => budget.used === 0, 'the dropped upload given back');
      const later = await request(small)
        .post('/upload')
        .attach('photos', Buffer.alloc(300 * 1024, 1), 'c.jpg');
      expect(later.status).toBe(200);
      expect(later.body).toEqual({ sizes: [300 * 1024] });
      await eventually(() => budget.used === 0, 'the finished upload given back');
    } finally {
      small.close();
    }
  });

  it('lets a waiting upload through as soon as room frees up', async () => {
    const budget = new Budget({ capacity: MB, maxWaiting: 4, waitMs: 30_000, busy: photosBusy('received') });
    const small = await listen(appWith(budget));
    try {
      const holder = await stall(small);
      await eventually(() => budget.used >= 800 * 1024, 'the first upload holding most of the budget');
      const waiting = request(small)
        .post('/upload')
        .attach('photos', Buffer.alloc(300 * 1024, 1), 'b.jpg')
        .then((r) => r);
      await eventually(() => budget.waiting === 1, 'the second upload waiting');
      holder.drop();
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sizes: [300 * 1024] });
    } finally {
      small.close();
    }
  });
});

describe('one address holding uploads that never finish', () => {
  const ATTACKER = '198.51.100.7';
  const CITIZEN = '203.0.113.9';
  const MB = 1024 * 1024;

  /** Sends the head and the first `sendBytes` of a report from `address`, and keeps the socket open. */
  function uploadFrom(address: string, body: Buffer, sendBytes: number) {
    const { port } = server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString()));
    socket.write(
      `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Forwarded-For: ${address}\r\n` +
        `Connection: close\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, sendBytes));
    return { socket, received: () => received };
  }

  it("fifteen 14 MB uploads that stall from one address: another address's photo goes through at once", async () => {
    const before = await reportCount();
    const body = multipartBody([...fields, photoPart(Buffer.alloc(14 * MB, 7))]);
    const stalled = Array.from({ length: 15 }, () => uploadFrom(ATTACKER, body, body.length - 64 * 1024));
    // Five fit the address's 75 MB share and are read; ten wait unread, holding nothing.
    await eventually(
      () => uploadShares.waitingFor(ATTACKER) === 10 && uploadBudget.used > 5 * 13 * MB,
      'the address at its share, its other uploads waiting',
    );
    expect(uploadShares.heldBy(ATTACKER)).toBeLessThanOrEqual(75 * MB);
    const citizenPhoto = await sharp(crypto.randomBytes(300 * 200 * 3), {
      raw: { width: 300, height: 200, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const res = await request(server)
      .post('/api/v1/reports')
      .set('X-Forwarded-For', CITIZEN)
      .field('category', 'steps')
      .field('lat', '52.52')
      .field('lon', '13.405')
      .attach('photos', citizenPhoto, 'citizen.jpg');
    expect(res.status).toBe(201);
    expect(uploadShares.waitingFor(ATTACKER)).toBe(10);

    // Finished, the address's uploads are all answered in turn (the 14 MB of 7s are no photo):
    // the waiting ones were only held back, never half-read against each other.
    for (const s of stalled) s.socket.write(body.subarray(body.length - 64 * 1024));
    try {
      await eventually(() => stalled.every((s) => s.received().includes('\r\n\r\n')), 'every upload answered');
    } finally {
      for (const s of stalled) s.socket.destroy();
    }
    const statuses = stalled.map((s) => Number(/^HTTP\/1\.1 (\d+)/.exec(s.received())?.[1]));
    expect(statuses).toEqual(Array.from({ length: 15 }, () => 415));
    await eventually(() => uploadBudget.used === 0 && uploadShares.owners === 0, 'every byte given back');
    expect(await reportCount()).toBe(before + 1);
  });

  it('an address past its share of waiting uploads gets 503 with Retry-After for those alone', async () => {
    const body = multipartBody([...fields, photoPart(Buffer.alloc(14 * MB, 7))]);
    // Five admitted and 20 waiting fill the address's line; the 26th is turned away at once.
    const open = Array.from({ length: 25 }, () => uploadFrom(ATTACKER, body, 1024 * 1024));
    try {
      await eventually(() => uploadShares.waitingFor(ATTACKER) === 20, 'the line of the address full');
      const refused = await request(server)
        .post('/api/v1/reports')
        .set('X-Forwarded-For', ATTACKER)
        .field('category', 'steps')
        .field('lat', '52.52')
        .field('lon', '13.405')
        .attach('photos', await twoColourJpeg(), 'a.jpg');
      expectProblem(refused, 503, 'photos');
      expect(refused.headers['retry-after']).toBe('10');
      expect((refused.body as { detail: string }).detail).toMatch(/from this network address/);
      const other = await request(server)
        .post('/api/v1/reports')
        .set('X-Forwarded-For', CITIZEN)
        .field('category', 'steps')
        .field('lat', '52.52')
        .field('lon', '13.405')
        .attach('photos', await twoColourJpeg(), 'b.jpg');
      expect(other.status).toBe(201);
    } finally {
      for (const s of open) s.socket.destroy();
    }
    await eventually(() => uploadBudget.used === 0 && uploadShares.owners === 0, 'every byte given back');
  });
});

describe('one address sending many huge photos to decode', () => {
  it("decodes them one at a time in its own line and turns the rest away; another address's photo does not queue behind", async () => {
    const ATTACKER = '198.51.100.8';
    // 49 megapixels in a few dozen bytes: each takes the decoder about half a second.
    const huge = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#336699' } })
      .webp({ lossless: true, effort: 0 })
      .toBuffer();
    const send = (address: string, photo: Buffer) =>
      request(server)
        .post('/api/v1/reports')
        .set('X-Forwarded-For', address)
        .field('category', 'steps')
        .field('lat', '52.52')
        .field('lon', '13.405')
        .attach('photos', photo, 'photo.webp');
    const flood = Array.from({ length: 24 }, () => send(ATTACKER, huge).then((r) => r));
    await eventually(() => decodeShares.waitingFor(ATTACKER) > 0, "the address's photos waiting in its line");
    expect(decodeShares.heldBy(ATTACKER)).toBeLessThanOrEqual(40_000_000);
    const citizen = await send('203.0.113.10', await hostile.smallJpeg(640, 480));
    expect(citizen.status).toBe(201);
    const answers = await Promise.all(flood);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.body.detail).toMatch(/from this network address/);
    expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThan(0);
    await eventually(() => decodeBudget.used === 0 && decodeShares.owners === 0, 'every pixel given back');
  });
});

describe('the same photo in two reports while one fails', () => {
  const files = async (seed: number) => {
    const display = await hostile.smallJpeg(40 + seed, 30);
    return { display, thumbnail: display };
  };
  const hashOf = (seed: number) => `${'ab'.repeat(31)}${String(seed).padStart(2, '0')}`;

  it('a failed insert that put the files alone removes them', async () => {
    const hash = hashOf(1);
    expect(await t.storage.put(hash, await files(1))).toBe(true);
    await removeUnreferencedPhotos(t.pool, t.storage, [hash]);
    expect(await t.storage.locate(hash, 'display')).toBeUndefined();
    expect(await t.storage.locate(hash, 'thumbnail')).toBeUndefined();
  });

  it('keeps the files another upload found in place before its report committed', async () => {
    const hash = hashOf(2);
    expect(await t.storage.put(hash, await files(2))).toBe(true); // A writes the files
    expect(await t.storage.put(hash, await files(2))).toBe(false); // B finds them and goes on to commit
    await removeUnreferencedPhotos(t.pool, t.storage, [hash]); // A's insert failed: its cleanup
    const display = await t.storage.locate(hash, 'display');
    expect(display).toBeDefined();
    expect(await t.storage.locate(hash, 'thumbnail')).toBeDefined();

    // Had B failed too, the files would be nobody's: the start-up sweep takes them once old.
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(display!, old, old);
    expect(await removeOrphanPhotos(t.pool, t.storage, pino({ level: 'silent' }))).toBe(1);
    expect(await t.storage.locate(hash, 'display')).toBeUndefined();
    expect(await fs.readdir(path.dirname(display!))).toEqual([]);
  });

  it('over HTTP: failing and succeeding reports with one photo leave every stored photo served', async () => {
    const before = await reportCount();
    let created = 0;
    for (let round = 0; round < 4; round++) {
      const photo = await hostile.smallJpeg(100 + round, 80);
      const send = (description: string) =>
        request(server)
          .post('/api/v1/reports')
          .field('category', 'steps')
          .field('lat', '52.5')
          .field('lon', '13.4')
          .field('description', description)
          .attach('photos', photo, 'same.jpg');
      // A NUL byte passes validation but PostgreSQL refuses it: the insert fails after the put.
      const results = await Promise.all([
        send('bad \u0000 one'),
        send('fine'),
        send('bad \u0000 two'),
        send('fine too'),
      ]);
      expect(results.map((r) => r.status)).toEqual([422, 201, 422, 201]);
      created += 2;
      for (const res of results.filter((r) => r.status === 201)) {
        const url = (res.body as { properties: { photos: { url: string }[] } }).properties.photos[0]!.url;
        expect((await request(server).get(new URL(url).pathname)).status).toBe(200);
      }
    }
    expect(await reportCount()).toBe(before + created);
    const { rows } = await t.pool.query<{ hash: string }>('SELECT DISTINCT hash FROM photos');
    for (const { hash } of rows) expect(await t.storage.locate(hash, 'display')).toBeDefined();
  });
});
