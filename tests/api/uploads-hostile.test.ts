// Hostile files and forms against POST /api/v1/reports and Open311's POST requests, over the
// real app and database. Every case ends one of two ways: a 4xx naming the field, with no
// report row and no file left; or a report whose photo is a clean re-encoded JPEG.
import crypto from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { createApiKey } from '../../server/features/apikeys/apikeys.service';
import { decodeBudget, uploadBudget } from '../../server/features/photos/photos.budget';
import * as hostile from '../fixtures/hostile-images';
import { solidPng, twoColourJpeg } from '../fixtures/images';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually, expectCleanJpeg, expectProblem, uploadTempFiles } from './support/uploads';

jest.setTimeout(30_000);

let t: TestApp;
let apiKey: string;
let tempBefore: string[];
beforeAll(async () => {
  tempBefore = await uploadTempFiles();
  t = await startTestApp();
  apiKey = (await createApiKey(t.pool, { name: 'hostile client', createdBy: null })).key;
});
afterAll(() => t.close());

async function reportCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  return rows[0]!.n;
}

const post = () =>
  request(t.app).post('/api/v1/reports').field('category', 'steps').field('lat', '52.52').field('lon', '13.405');

const HTML = '<html><script>alert(document.cookie)</script></html>';
const ZIP_HTML = `PK\u0003\u0004${HTML}`;

type Outcome = { status: number; code: string } | { stored: { width: number; height: number; redAt?: 'left' | 'top' } };
const refused = (status: number, code: string): Outcome => ({ status, code });
const stored = (width: number, height: number, redAt?: 'left' | 'top'): Outcome => ({
  stored: { width, height, redAt },
});

const rows: [string, () => Buffer | Promise<Buffer>, Outcome, string?][] = [
  // pixel floods: refused from the header, before a pixel is decoded
  ['a PNG declaring 100000 × 100000', () => hostile.pngDeclaring(100_000, 100_000), refused(422, 'too_many_pixels')],
  ['a JPEG declaring 65000 × 65000', () => hostile.jpegDeclaring(65_000, 65_000), refused(422, 'too_many_pixels')],
  ['a HEIC declaring 10000 × 10000', () => hostile.heicDeclaring(10_000, 10_000), refused(422, 'too_many_pixels')],
  [
    'an animated WebP on a 16383 × 16383 canvas',
    () => hostile.animatedWebp(3, { width: 16383, height: 16383 }),
    refused(422, 'too_many_pixels'),
  ],
  ['a 50.4-megapixel PNG of 200 KB', () => solidPng(8000, 6300), refused(422, 'too_many_pixels')],
  ['a 49-megapixel PNG of 150 KB', () => solidPng(7000, 7000), stored(1600, 1600)],
  ['a PNG declaring 7000 × 7000 with one row', () => hostile.pngDeclaring(7000, 7000), refused(422, 'unreadable')],
  // animations: the first frame, or refused unread when long
  ['an animated WebP of 5000 frames', () => hostile.animatedWebp(5000), refused(422, 'too_many_frames')],
  ['an animated WebP of 100 frames', () => hostile.animatedWebp(100), stored(16, 16)],
  ['an APNG of 20000 frames', () => hostile.animatedPng(20_000), stored(16, 16)],
  ['an animated GIF of 1000 frames', () => hostile.animatedGif(1000), refused(415, 'unsupported')],
  // truncated and corrupt
  ['a truncated JPEG', async () => (await twoColourJpeg(800, 600)).subarray(0, 3000), refused(422, 'unreadable')],
  [
    'a truncated PNG',
    async () => (await hostile.photoWithMetadata('png')).subarray(0, 300),
    refused(422, 'unreadable'),
  ],
  [
    'a truncated WebP',
    async () => (await hostile.photoWithMetadata('webp')).subarray(0, 200),
    refused(422, 'unreadable'),
  ],
  ['a truncated HEIC', () => hostile.heicPhoto().subarray(0, 600), refused(422, 'unreadable')],
  ['a HEIC whose size does not match its picture', () => hostile.heicDeclaring(800, 400), refused(422, 'unreadable')],
  ['a progressive JPEG repeating a scan 400 times', () => hostile.progressiveScanBomb(400), refused(422, 'unreadable')],
  ['HTML behind JPEG magic bytes', () => Buffer.from(`\xff\xd8\xff\xe0${HTML}`, 'latin1'), refused(422, 'unreadable')],
  // polyglots: refused, or re-encoded so nothing but pixels survives
  [
    'a JPEG with a ZIP and HTML appended',
    async () => Buffer.concat([await hostile.smallJpeg(), Buffer.from(ZIP_HTML)]),
    stored(64, 48),
    'alert(',
  ],
  ['a JPEG with a script in its comment', () => hostile.jpegWithComment(HTML), stored(64, 48), 'alert('],
  ['a PNG with HTML after its end', () => hostile.pngWithTrailer(HTML), stored(64, 48), 'alert('],
  ['a GIF that is also JavaScript', () => hostile.gifJsPolyglot(), refused(415, 'unsupported')],
  // not images at all
  ['an empty file', () => Buffer.alloc(0), refused(415, 'unsupported')],
  ['text named .jpg', () => Buffer.from('not a photo, honestly'), refused(415, 'unsupported')],
  ['an SVG with a script', () => hostile.svgWithScript(), refused(415, 'unsupported')],
  ['a PDF', () => Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF'), refused(415, 'unsupported')],
  [
    'an MP4 video',
    () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom\0\0\0\0mp41')]),
    refused(415, 'unsupported'),
  ],
  // real photos as phones send them, with GPS, a serial and a colour profile
  ['a PNG with EXIF GPS and an ICC profile', () => hostile.photoWithMetadata('png'), stored(240, 160, 'left')],
  ['a WebP with EXIF GPS and an ICC profile', () => hostile.photoWithMetadata('webp'), stored(240, 160, 'left')],
  ['an AVIF with EXIF GPS and an ICC profile', () => hostile.photoWithMetadata('avif'), stored(240, 160, 'left')],
  ['a HEIC (HEVC) photo with EXIF GPS', () => hostile.heicPhoto(), stored(400, 200, 'left')],
  ['a HEIC photo turned upright by its irot', () => hostile.heicRotated(3), stored(200, 400, 'top')],
];

/** Red (the picture's left half) must end up where the photo's orientation puts it. */
async function expectRedAt(jpeg: Buffer, where: 'left' | 'top'): Promise<void> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const rgb = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
  const [red, blue] =
    where === 'left'
      ? [rgb(5, info.height >> 1), rgb(info.width - 5, info.height >> 1)]
      : [rgb(info.width >> 1, 5), rgb(info.width >> 1, info.height - 5)];
  expect(red[0]).toBeGreaterThan(180);
  expect(red[2]).toBeLessThan(80);
  expect(blue[2]).toBeGreaterThan(180);
  expect(blue[0]).toBeLessThan(80);
}

// As objects: jest would take a fourth positional argument for its `done` callback.
const cases = rows.map(([name, make, outcome, payload]) => ({ name, make, outcome, payload }));

describe('a hostile photo in POST /api/v1/reports', () => {
  it.each(cases)('$name', async ({ make, outcome, payload }) => {
    const bytes = await make();
    const [reportsBefore, filesBefore] = [await reportCount(), await t.countPhotoFiles()];
    const res = await post().attach('photos', bytes, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' });
    if ('status' in outcome) {
      expectProblem(res, outcome.status, 'photos[0]');
      expect((res.body as { type: string }).type).toContain(outcome.code);
      expect(await reportCount()).toBe(reportsBefore);
      expect(await t.countPhotoFiles()).toBe(filesBefore);
      return;
    }
    expect(res.status).toBe(201);
    const [photo] = (res.body as { properties: { photos: { url: string; width: number; height: number }[] } })
      .properties.photos;
    expect(photo).toMatchObject({ width: outcome.stored.width, height: outcome.stored.height });
    const served = await request(t.app).get(new URL(photo!.url).pathname).buffer(true);
    expect(served.status).toBe(200);
    await expectCleanJpeg(served.body as Buffer, payload ? [payload] : []);
    if (outcome.stored.redAt) await expectRedAt(served.body as Buffer, outcome.stored.redAt);
  });
});

describe('a hostile form', () => {
  let reportsBefore: number;
  let filesBefore: number;
  beforeEach(async () => {
    [reportsBefore, filesBefore] = [await reportCount(), await t.countPhotoFiles()];
  });
  afterEach(async () => {
    expect(await reportCount()).toBe(reportsBefore);
    expect(await t.countPhotoFiles()).toBe(filesBefore);
  });

  it('a photo over 15 MB', async () => {
    const big = Buffer.concat([await twoColourJpeg(), crypto.randomBytes(15 * 1024 * 1024)]);
    expectProblem(await post().attach('photos', big, 'big.jpg'), 413, 'photos');
  });

  it('six photos', async () => {
    let req = post();
    for (let i = 0; i < 6; i++) req = req.attach('photos', await hostile.smallJpeg(10 + i, 10), `p${i}.jpg`);
    expectProblem(await req, 413, 'photos');
  });

  it('a photo in another field', async () => {
    expectProblem(await post().attach('avatar', await hostile.smallJpeg(), 'a.jpg'), 422, 'avatar');
  });

  it('too many fields', async () => {
    let req = post();
    for (let i = 0; i < 40; i++) req = req.field(`f${i}`, 'x');
    expectProblem(await req, 413, 'body');
  });

  it('too many parts', async () => {
    // Fields (30) and files (6) are limited before parts (40) are: the files run out first here.
    let req = post();
    for (let i = 0; i < 45; i++) req = req.attach('photos', Buffer.alloc(0), '');
    expectProblem(await req, 413, 'photos');
  });

  it('a field name of 10,000 characters', async () => {
    expectProblem(await post().field('n'.repeat(10_000), 'x'), 413, 'body');
  });

  it('a field name nested 1000 deep', async () => {
    expectProblem(await post().field(`a${'[b]'.repeat(1000)}`, 'x'), 413, 'body');
  });

  it.each([
    ['a[b][c][d][e][f][g][h]'],
    ['__proto__[polluted]'],
    ['constructor[prototype][polluted]'],
    ['description[99999999]'],
  ])('a nested field name %s', async (name) => {
    expectProblem(await post().field(name, 'yes'), 422, name);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a field value over 32 KB', async () => {
    expectProblem(await post().field('description', 'x'.repeat(40 * 1024)), 413, 'description');
  });

  it('a body cut off before its closing boundary', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="category"\r\n\r\nsteps\r\n--xyz\r\nContent-Disp');
    expectProblem(res, 400, 'body');
  });

  it('multipart without a boundary', async () => {
    const res = await request(t.app).post('/api/v1/reports').set('Content-Type', 'multipart/form-data').send('x');
    expectProblem(res, 400, 'body');
  });
});

describe('a hostile photo in Open311 POST requests (multipart, field "media")', () => {
  const open311 = () => {
    let req = request(t.app).post('/open311/v2/requests.json');
    const form = { api_key: apiKey, service_code: 'steps', lat: '52.52', long: '13.405', 'attribute[severity]': '3' };
    for (const [name, value] of Object.entries(form)) req = req.field(name, value);
    return req;
  };
  const expectOpen311Error = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    const errors = res.body as { code: number; description: string }[];
    expect(errors.map((e) => e.description).join(' ')).toMatch(/^media: /);
  };

  it.each([
    ['a pixel flood', () => hostile.pngDeclaring(100_000, 100_000), 400],
    ['a long animation', () => hostile.animatedWebp(5000), 400],
    ['an empty file', () => Buffer.alloc(0), 415],
    ['an SVG with a script', () => hostile.svgWithScript(), 415],
    ['a photo over 15 MB', async () => Buffer.concat([await hostile.smallJpeg(), Buffer.alloc(15 * 1024 * 1024)]), 413],
  ])('refuses %s naming media, storing nothing', async (_name, make, status) => {
    const [reportsBefore, filesBefore] = [await reportCount(), await t.countPhotoFiles()];
    expectOpen311Error(await open311().attach('media', await make(), 'photo.jpg'), status);
    expect(await reportCount()).toBe(reportsBefore);
    expect(await t.countPhotoFiles()).toBe(filesBefore);
  });

  // GHSA-535w-7cp7-47q4: multer spends time linear in an array index; before the limit was
  // set, this ~300-byte form kept the server busy for minutes (this test would time out).
  it.each([['/open311/v2/requests.json'], ['/api/v1/reports']])(
    'refuses a huge array index in a field name at %s at once',
    async (path) => {
      const res = await request(t.app)
        .post(path)
        .field('api_key', apiKey)
        .field('attribute[4294967294]', 'x')
        .field('attribute[b]', 'y');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    },
    10_000,
  );

  it('refuses two photos', async () => {
    const jpeg = await hostile.smallJpeg();
    expectOpen311Error(await open311().attach('media', jpeg, 'a.jpg').attach('media', jpeg, 'b.jpg'), 400);
  });

  it('stores a HEIC photo as a clean JPEG', async () => {
    const res = await open311().attach('media', hostile.heicPhoto(), 'IMG_0002.HEIC');
    expect(res.status).toBe(201);
    const id = (res.body as { service_request_id: string }[])[0]!.service_request_id;
    const back = await request(t.app).get(`/open311/v2/requests/${id}.json`);
    const mediaUrl = (back.body as { media_url: string }[])[0]!.media_url;
    const served = await request(t.app).get(new URL(mediaUrl).pathname).buffer(true);
    await expectCleanJpeg(served.body as Buffer);
    await expectRedAt(served.body as Buffer, 'left');
  });
});

describe('after all of the above', () => {
  it('still takes an ordinary report with a photo', async () => {
    const res = await post().attach('photos', await twoColourJpeg(), 'ok.jpg');
    expect(res.status).toBe(201);
  });

  it('holds no upload bytes or decode pixels, and left no temporary files', async () => {
    await eventually(() => uploadBudget.used === 0, 'upload bytes given back');
    expect({ decoding: decodeBudget.used, waiting: decodeBudget.waiting + uploadBudget.waiting }).toEqual({
      decoding: 0,
      waiting: 0,
    });
    expect(await uploadTempFiles()).toEqual(tempBefore);
  });

  it('has a file for every stored photo and none for anything else', async () => {
    const { rows } = await t.pool.query<{ hash: string }>('SELECT DISTINCT hash FROM photos');
    expect(rows.length).toBeGreaterThan(5);
    expect(await t.countPhotoFiles()).toBe(2 * rows.length);
    for (const { hash } of rows) {
      expect(await t.storage.locate(hash, 'display')).toBeDefined();
      expect(await t.storage.locate(hash, 'thumbnail')).toBeDefined();
    }
  });
});
