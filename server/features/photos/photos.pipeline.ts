// Turns an uploaded file into the two images we serve: decided by its bytes, its header
// checked before any pixel is decoded, decoded within the process-wide pixel budget,
// auto-oriented, re-encoded without any metadata (no EXIF GPS, no serial, no ICC, no comment).
import crypto from 'node:crypto';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '../../http/errors';
import { decodeBudget, decodeShares } from './photos.budget';
import { decodeHeic, HeicTooLarge } from './photos.heic';

export const PHOTO_LIMITS = Object.freeze({
  maxFiles: 5,
  maxBytes: 15 * 1024 * 1024,
  /** Decoding more pixels than this is refused (pixel floods). */
  maxPixels: 50_000_000,
  /** An animation is taken by its first frame; longer ones are refused unread (see webpFrames). */
  maxFrames: 100,
  displayMaxSide: 1600,
  thumbMaxSide: 320,
});

// Every upload is decoded once, so sharp's operation cache would only hold memory. Its
// concurrency stays at sharp's default: one libvips thread per image on glibc Linux without
// jemalloc (as here and in the Docker image), the number of cores elsewhere; how many images
// decode at once is bounded by decodeBudget and libuv's thread pool (4).
sharp.cache(false);

export interface ProcessedPhoto {
  hash: string;
  display: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
}

type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'heif';

/** The format the leading bytes declare, whatever the file's name or Content-Type say. */
export function sniffPhotoFormat(buf: Buffer): PhotoFormat | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  // ISO-BMFF 'ftyp' box with an image brand: HEIC, HEIF, AVIF.
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const brand = buf.toString('latin1', 8, 12);
    if (/^(heic|heix|heim|heis|hevc|hevx|mif1|msf1|avif|avis)$/.test(brand)) return 'heif';
  }
  return undefined;
}

/**
 * Frames of a WebP, counted from its RIFF chunk list without decoding anything. libwebp's
 * demuxer finds frame n by walking the list from the start, and libvips asks it for every
 * frame's delay, so reading even the header of an animation costs frames² (20,000 frames in
 * 1 MB take 5 s of CPU): long animations must be refused before sharp sees them.
 */
export function webpFrames(buf: Buffer): number {
  let frames = 0;
  for (let at = 12; at + 8 <= buf.length;) {
    if (buf.toString('latin1', at, at + 4) === 'ANMF') frames++;
    const size = buf.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return frames;
}

// Headers only: the pixel limit is checked by hand, so a flood gets its own answer.
const HEADER_INPUT = { limitInputPixels: false, failOn: 'warning' } as const;
const SHARP_INPUT = { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'warning', sequentialRead: true } as const;

/** `owner`: the client address, whose photos decode within its share (decodeShares). */
export async function processPhoto(upload: Buffer, field: string, owner?: string): Promise<ProcessedPhoto> {
  const declared = sniffPhotoFormat(upload);
  if (!declared) {
    throw new AppError(415, 'unsupported_photo', 'Unsupported photo', undefined, [
      { field, detail: 'is not a JPEG, PNG, WebP, HEIC or AVIF image' },
    ]);
  }
  if (declared === 'webp' && webpFrames(upload) > PHOTO_LIMITS.maxFrames) {
    throw new AppError(422, 'photo_too_many_frames', 'Photo is a long animation', undefined, [
      { field, detail: `is an animation of more than ${PHOTO_LIMITS.maxFrames} frames` },
    ]);
  }
  let meta: Metadata;
  try {
    meta = await sharp(upload, HEADER_INPUT).metadata();
  } catch {
    throw unreadable(field);
  }
  if (meta.format !== declared) throw unreadable(field);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels) throw unreadable(field);
  if (pixels > PHOTO_LIMITS.maxPixels) throw tooManyPixels(field);
  const hevc = meta.format === 'heif' && meta.compression === 'hevc';
  // Measured peaks: JPEG, PNG and WebP take up to 4 bytes a pixel (an interlaced PNG is held
  // whole), AVIF and HEIC up to 20 (the decoders hold the whole picture several times over).
  const cost = declared === 'heif' ? 4 * pixels : pixels;
  if (owner === undefined) return decodeBudget.run(cost, () => reencode(upload, hevc, field));
  await decodeShares.take(owner, cost);
  try {
    return await decodeBudget.run(cost, () => reencode(upload, hevc, field));
  } finally {
    decodeShares.give(owner, cost);
  }
}

async function reencode(upload: Buffer, hevc: boolean, field: string): Promise<ProcessedPhoto> {
  let input: Sharp;
  if (hevc) {
    try {
      const { width, height, data } = await decodeHeic(upload, PHOTO_LIMITS.maxPixels);
      input = sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha();
    } catch (err) {
      throw err instanceof HeicTooLarge ? tooManyPixels(field) : unreadable(field);
    }
  } else {
    input = sharp(upload, SHARP_INPUT).rotate();
  }
  try {
    const side = PHOTO_LIMITS.displayMaxSide;
    const display = await input
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const t = PHOTO_LIMITS.thumbMaxSide;
    const thumbnail = await sharp(display.data)
      .resize({ width: t, height: t, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 72 })
      .toBuffer({ resolveWithObject: true });
    return {
      hash: crypto.createHash('sha256').update(display.data).digest('hex'),
      display: display.data,
      thumbnail: thumbnail.data,
      width: display.info.width,
      height: display.info.height,
      thumbWidth: thumbnail.info.width,
      thumbHeight: thumbnail.info.height,
    };
  } catch {
    throw unreadable(field);
  }
}

function tooManyPixels(field: string): AppError {
  return new AppError(422, 'photo_too_many_pixels', 'Photo too large', undefined, [
    { field, detail: `has more than ${PHOTO_LIMITS.maxPixels / 1_000_000} megapixels` },
  ]);
}

function unreadable(field: string): AppError {
  return new AppError(422, 'unreadable_photo', 'Unreadable photo', undefined, [
    { field, detail: 'could not be read as an image (damaged, truncated or disguised)' },
  ]);
}
