import crypto from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import request from 'supertest';
import { solidPng, twoColourJpeg, withPhoneExif } from '../fixtures/images';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const barrier = { category: 'steps', lat: 52.52, lon: 13.405, severity: 3, description: 'Three steps, no ramp' };

async function reportCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  return rows[0]!.n;
}

function expectProblem(res: request.Response, status: number, field: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('POST /api/v1/reports with JSON', () => {
  it('stores a barrier and answers with its public Feature', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...barrier, passability: 'no', contact: 'anna@example.org', address: 'Alexanderplatz 1' });
    expect(res.status).toBe(201);
    expect(res.body.type).toBe('Feature');
    expect(res.body.geometry).toEqual({ type: 'Point', coordinates: [13.405, 52.52] });
    expect(res.body.properties).toMatchObject({
      category: 'steps',
      kind: 'barrier',
      status: 'new',
      severity: 3,
      passability: 'no',
      address: 'Alexanderplatz 1',
      confirmations: { still_there: 0, gone: 0 },
      photos: [],
    });
    expect(res.body.properties.url).toMatch(new RegExp(`/reports/${res.body.id}$`));
    expect(res.headers.location).toBe(res.body.properties.url);
    expect(JSON.stringify(res.body)).not.toContain('anna@example.org');
    const { rows } = await t.pool.query('SELECT contact FROM reports WHERE id = $1', [res.body.id]);
    expect(rows[0].contact).toBe('anna@example.org');
  });

  it('takes the kind from the category and defaults severity to 2', async () => {
    const res = await request(t.app).post('/api/v1/reports').send({ category: 'lift', lat: 48.1, lon: 11.5 });
    expect(res.status).toBe(201);
    expect(res.body.properties).toMatchObject({ kind: 'barrier', severity: 2 });
  });

  it('reads numbers sent as text, and an empty optional field as not given (a form sends every field)', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .field('category', 'steps')
      .field('lat', ' 52.5 ')
      .field('lon', '13.4')
      .field('accuracy_m', '')
      .field('severity', '')
      .field('description', ' ')
      .field('address', '');
    expect(res.status).toBe(201);
    expect(res.body.geometry.coordinates).toEqual([13.4, 52.5]);
    expect(res.body.properties).toMatchObject({ severity: 2, accuracy_m: null, description: null, address: null });
  });

  it.each([
    ['lat', { lat: 91 }],
    ['lat', { lat: 'north' }],
    ['lon', { lon: -180.5 }],
    ['lon', { lon: null }],
    ['lat', { lat: undefined }],
    ['severity', { severity: 4 }],
    ['severity', { severity: 0 }],
    ['severity', { severity: 2.5 }],
    ['description', { description: 'x'.repeat(4001) }],
    ['passability', { passability: 'maybe' }],
    ['colour', { colour: 'red' }],
  ])('refuses a bad %s with 422 naming it, storing nothing', async (field, change) => {
    const before = await reportCount();
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...barrier, ...change });
    expectProblem(res, 422, field);
    expect(await reportCount()).toBe(before);
  });

  it('refuses an unknown category', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...barrier, category: 'dragons' });
    expectProblem(res, 422, 'category');
    expect(res.body.detail).toContain('dragons');
  });

  it('refuses fields that do not fit the kind', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'help_medical', lat: 1, lon: 1, passability: 'no', kind: 'barrier' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'passability']);
  });

  it('answers malformed JSON and other content types with a 4xx problem', async () => {
    const bad = await request(t.app).post('/api/v1/reports').set('Content-Type', 'application/json').send('{"lat": 5,');
    expectProblem(bad, 400, 'body');
    const text = await request(t.app).post('/api/v1/reports').set('Content-Type', 'text/plain').send('hello');
    expectProblem(text, 415, 'Content-Type');
  });
});

describe('Idempotency-Key', () => {
  it('gives a retry the first result and never a second report', async () => {
    const key = crypto.randomUUID();
    const before = await reportCount();
    const first = await request(t.app).post('/api/v1/reports').set('Idempotency-Key', key).send(barrier);
    const retries = await Promise.all(
      [1, 2, 3].map(() => request(t.app).post('/api/v1/reports').set('Idempotency-Key', key).send(barrier)),
    );
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
    expect(await reportCount()).toBe(before + 1);
  });

  it('gives concurrent first attempts with one key one report', async () => {
    const key = crypto.randomUUID();
    const before = await reportCount();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => request(t.app).post('/api/v1/reports').set('Idempotency-Key', key).send(barrier)),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await reportCount()).toBe(before + 1);
  });

  it('refuses a key reused for a different report', async () => {
    const key = crypto.randomUUID();
    await request(t.app).post('/api/v1/reports').set('Idempotency-Key', key).send(barrier).expect(201);
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Idempotency-Key', key)
      .send({ ...barrier, severity: 1 });
    expectProblem(res, 422, 'Idempotency-Key');
  });

  it('refuses a key that is not a UUID', async () => {
    const res = await request(t.app).post('/api/v1/reports').set('Idempotency-Key', 'abc').send(barrier);
    expectProblem(res, 400, 'Idempotency-Key');
  });
});

describe('POST /api/v1/reports with photos', () => {
  const post = () =>
    request(t.app)
      .post('/api/v1/reports')
      .field('category', 'kerb_missing')
      .field('lat', '52.5')
      .field('lon', '13.4')
      .field('severity', '2');

  it('strips EXIF GPS and serial, stands the photo upright and serves it for revalidation', async () => {
    const original = withPhoneExif(await twoColourJpeg(400, 200), { lat: 48.8584, lon: 2.2945, orientation: 6 });
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(48.8584, 3) });

    const res = await post().attach('photos', original, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    const [photo] = res.body.properties.photos;
    // Orientation 6 means "rotate 90° clockwise": the 400×200 landscape becomes 200×400.
    expect(photo).toMatchObject({ width: 200, height: 400 });

    for (const url of [photo.url, photo.thumbnail_url]) {
      const served = await request(t.app).get(new URL(url).pathname).buffer(true);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      // Never kept unchecked: hiding the photo or rejecting its report must take it off at once.
      expect(served.headers['cache-control']).toBe('public, no-cache');
      const again = await request(t.app).get(new URL(url).pathname).set('If-None-Match', served.headers.etag!);
      expect(again.status).toBe(304);
      const bytes = served.body as Buffer;
      expect(await exifr.gps(bytes)).toBeUndefined();
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation ?? 1).toBe(1);
      expect(meta.height).toBeGreaterThan(meta.width);
      expect(bytes.includes(Buffer.from('SERIAL-123456'))).toBe(false);
      expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
      // Red (the original left half) is now on top.
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      const pixel = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
      ];
      expect(pixel(Math.floor(info.width / 2), 5)[0]).toBeGreaterThan(200);
      expect(pixel(Math.floor(info.width / 2), info.height - 5)[2]).toBeGreaterThan(200);
    }
  });

  it('scales a large photo to at most 1600 px and a thumbnail', async () => {
    const res = await post().attach('photos', await solidPng(3000, 2000), 'big.png');
    expect(res.status).toBe(201);
    expect(res.body.properties.photos[0]).toMatchObject({ width: 1600, height: 1067 });
    const thumb = await request(t.app).get(new URL(res.body.properties.photos[0].thumbnail_url).pathname).buffer(true);
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(320);
  });

  it('keeps up to five photos in order', async () => {
    let req = post();
    for (let i = 0; i < 5; i++) req = req.attach('photos', await solidPng(100 + i, 100), `p${i}.png`);
    const res = await req;
    expect(res.status).toBe(201);
    expect(res.body.properties.photos.map((p: { width: number }) => p.width)).toEqual([100, 101, 102, 103, 104]);
  });

  describe('bad uploads get a 4xx naming the field and leave nothing behind', () => {
    let reportsBefore: number;
    let filesBefore: number;
    beforeEach(async () => {
      reportsBefore = await reportCount();
      filesBefore = await t.countPhotoFiles();
    });
    afterEach(async () => {
      expect(await reportCount()).toBe(reportsBefore);
      expect(await t.countPhotoFiles()).toBe(filesBefore);
    });

    it('a sixth photo', async () => {
      let req = post();
      for (let i = 0; i < 6; i++) req = req.attach('photos', await solidPng(50 + i, 50), `p${i}.png`);
      expectProblem(await req, 413, 'photos');
    });

    it('a file over 15 MB', async () => {
      const big = Buffer.concat([await twoColourJpeg(), Buffer.alloc(15 * 1024 * 1024 + 1)]);
      expectProblem(await post().attach('photos', big, 'huge.jpg'), 413, 'photos');
    });

    it('a text file named .jpg with an image content type', async () => {
      const res = await post().attach('photos', Buffer.from('just some text, not a photo'), {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
      });
      expectProblem(res, 415, 'photos[0]');
    });

    it('a truncated JPEG after a good photo', async () => {
      const good = await twoColourJpeg();
      const truncated = (await twoColourJpeg(800, 600)).subarray(0, 2000);
      const res = await post().attach('photos', good, 'a.jpg').attach('photos', truncated, 'b.jpg');
      expectProblem(res, 422, 'photos[1]');
    });

    it('an SVG', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      expectProblem(await post().attach('photos', svg, 'x.svg'), 415, 'photos[0]');
    });

    it('a good photo with a bad field', async () => {
      const res = await post()
        .field('description', 'y'.repeat(4001))
        .attach('photos', await twoColourJpeg(), 'a.jpg');
      expectProblem(res, 422, 'description');
    });

    it('a file in another field', async () => {
      const res = await post().attach('avatar', await twoColourJpeg(), 'a.jpg');
      expectProblem(res, 422, 'avatar');
    });
  });
});
