// Turns an uploaded file into the two images we serve: decided by its bytes, decoded with a
// pixel limit, auto-oriented, re-encoded without any metadata (no EXIF GPS, no serial).
import crypto from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../http/errors';

export const PHOTO_LIMITS = Object.freeze({
  maxFiles: 5,
  maxBytes: 15 * 1024 * 1024,
  /** Decoding more pixels than this is refused (pixel floods). */
  maxPixels: 50_000_000,
  displayMaxSide: 1600,
  thumbMaxSide: 320,
});

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

const SHARP_INPUT = { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'warning', sequentialRead: true } as const;

export async function processPhoto(upload: Buffer, field: string): Promise<ProcessedPhoto> {
  const declared = sniffPhotoFormat(upload);
  if (!declared) {
    throw new AppError(415, 'unsupported_photo', 'Unsupported photo', undefined, [
      { field, detail: 'is not a JPEG, PNG, WebP, HEIC or AVIF image' },
    ]);
  }
  let meta: Metadata;
  try {
    meta = await sharp(upload, SHARP_INPUT).metadata();
  } catch {
    throw unreadable(field);
  }
  if (meta.format !== declared && !(declared === 'heif' && meta.format === 'heif')) throw unreadable(field);
  if ((meta.width ?? 0) * (meta.height ?? 0) > PHOTO_LIMITS.maxPixels) {
    throw new AppError(422, 'photo_too_many_pixels', 'Photo too large', undefined, [
      { field, detail: `has more than ${PHOTO_LIMITS.maxPixels / 1_000_000} megapixels` },
    ]);
  }
  try {
    const side = PHOTO_LIMITS.displayMaxSide;
    const display = await sharp(upload, SHARP_INPUT)
      .rotate()
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

function unreadable(field: string): AppError {
  return new AppError(422, 'unreadable_photo', 'Unreadable photo', undefined, [
    { field, detail: 'could not be read as an image (damaged, truncated or disguised)' },
  ]);
}
