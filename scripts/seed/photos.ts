// Sample photos: street scenes drawn as SVG (sky, pavement, kerb, steps, a pole), with sensor
// noise on top so they compress like photographs, not like flat colour.
import sharp from 'sharp';
import type { ProcessedPhoto } from '../../server/features/photos/photos.pipeline';
import { processPhoto } from '../../server/features/photos/photos.pipeline';
import { localPhotoStorage } from '../../server/features/photos/photos.storage';
import { type Random, gaussian, mulberry32 } from './random';

export interface ScenePhotoOptions {
  width: number;
  height: number;
  /** Standard deviation of the grain, 0–255. */
  noise: number;
  quality: number;
}

function hsl(rng: Random, h: number, s: number, l: number): string {
  return `hsl(${Math.round(h + (rng() - 0.5) * 30)},${Math.round(s)}%,${Math.round(l + (rng() - 0.5) * 20)}%)`;
}

function sceneSvg(rng: Random, w: number, h: number): string {
  const horizon = h * (0.3 + rng() * 0.2);
  const kerbY = horizon + (h - horizon) * (0.35 + rng() * 0.3);
  const shapes: string[] = [];
  // Buildings along the horizon.
  for (let x = 0; x < w;) {
    const bw = w * (0.08 + rng() * 0.15);
    const bh = h * (0.1 + rng() * 0.3);
    shapes.push(`<rect x="${x}" y="${horizon - bh}" width="${bw}" height="${bh}" fill="${hsl(rng, 30, 20, 55)}"/>`);
    for (let wy = horizon - bh + 10; wy < horizon - 20; wy += h * 0.05) {
      for (let wx = x + 8; wx < x + bw - 20; wx += w * 0.03) {
        shapes.push(
          `<rect x="${wx}" y="${wy}" width="${w * 0.015}" height="${h * 0.025}" fill="${hsl(rng, 210, 25, 30)}"/>`,
        );
      }
    }
    x += bw;
  }
  // Steps or a pole, the barrier in the picture.
  if (rng() < 0.5) {
    const sx = w * (0.2 + rng() * 0.5);
    for (let i = 0; i < 3 + Math.floor(rng() * 3); i++) {
      shapes.push(
        `<rect x="${sx - i * 6}" y="${kerbY - (i + 1) * h * 0.03}" width="${w * 0.25 + i * 12}" height="${h * 0.03}" fill="${hsl(rng, 40, 8, 60 - i * 4)}" stroke="#444" stroke-width="2"/>`,
      );
    }
  } else {
    const px = w * (0.2 + rng() * 0.6);
    shapes.push(`<rect x="${px}" y="${kerbY - h * 0.45}" width="${w * 0.012}" height="${h * 0.45}" fill="#5a5a5a"/>`);
    shapes.push(
      `<circle cx="${px + w * 0.006}" cy="${kerbY - h * 0.45}" r="${w * 0.03}" fill="${hsl(rng, 10, 70, 45)}"/>`,
    );
  }
  // A parked car on the pavement, sometimes.
  if (rng() < 0.4) {
    const cx = w * rng() * 0.6;
    shapes.push(
      `<rect x="${cx}" y="${kerbY - h * 0.12}" rx="20" width="${w * 0.35}" height="${h * 0.12}" fill="${hsl(rng, rng() * 360, 50, 40)}"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hsl(rng, 210, 60, 55)}"/><stop offset="1" stop-color="${hsl(rng, 200, 40, 85)}"/>
    </linearGradient>
    <linearGradient id="ground" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hsl(rng, 30, 6, 55)}"/><stop offset="1" stop-color="${hsl(rng, 30, 6, 35)}"/>
    </linearGradient>
  </defs>
  <rect width="${w}" height="${horizon}" fill="url(#sky)"/>
  <rect y="${horizon}" width="${w}" height="${h - horizon}" fill="url(#ground)"/>
  <rect y="${kerbY}" width="${w}" height="${h - kerbY}" fill="${hsl(rng, 0, 0, 30)}"/>
  <rect y="${kerbY - 6}" width="${w}" height="12" fill="${hsl(rng, 0, 0, 70)}"/>
  ${shapes.join('\n  ')}
</svg>`;
}

/** One JPEG of a street scene, different for each seed. */
export async function makeScenePhoto(seed: number, opts: ScenePhotoOptions): Promise<Buffer> {
  const rng = mulberry32(seed);
  const { width, height } = opts;
  const scene = await sharp(Buffer.from(sceneSvg(rng, width, height)))
    .blur(1.2)
    .removeAlpha()
    .raw()
    .toBuffer();
  // Gaussian grain from a table, indexed by xorshift: libvips' own noise is ten times slower.
  const table = Float32Array.from({ length: 4096 }, () => gaussian(rng) * opts.noise);
  let x = (rng() * 0xffffffff) | 1;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pixels[i] = Math.min(255, Math.max(0, scene[i]! + table[x & 4095]!));
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: opts.quality })
    .toBuffer();
}

export interface SamplePhoto {
  hash: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  bytes: number;
}

/** Makes `count` sample photos, runs them through the upload pipeline and stores them. */
export async function prepareSamplePhotos(dataDir: string, count: number, seed: number): Promise<SamplePhoto[]> {
  const storage = localPhotoStorage(dataDir);
  const photos: SamplePhoto[] = [];
  for (let i = 0; i < count; i++) {
    const jpeg = await makeScenePhoto(seed * 1000 + i, { width: 1600, height: 1200, noise: 10, quality: 85 });
    const p: ProcessedPhoto = await processPhoto(jpeg, 'photos');
    await storage.put(p.hash, { display: p.display, thumbnail: p.thumbnail });
    photos.push({
      hash: p.hash,
      width: p.width,
      height: p.height,
      thumbWidth: p.thumbWidth,
      thumbHeight: p.thumbHeight,
      bytes: p.display.length,
    });
  }
  return photos;
}
