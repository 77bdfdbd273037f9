// Blurs regions of a stored photo (faces, number plates, house numbers) into a new photo. The
// regions are made unrecognisable rather than softened: each is shrunk to a few pixels per
// side and blown up again, then blurred, so no detail survives to be sharpened back.
import sharp, { type OverlayOptions } from 'sharp';
import { AppError } from '../../http/errors';

/** A region as fractions of the photo's width and height, from its top-left corner. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** At most this many blocks across a region's longer side. */
const BLOCKS = 8;

export async function blurRegions(jpeg: Buffer, regions: Region[]): Promise<Buffer> {
  const image = sharp(jpeg);
  const { width = 0, height = 0 } = await image.metadata();
  const overlays: OverlayOptions[] = [];
  for (const [i, r] of regions.entries()) {
    const left = Math.floor(r.x * width);
    const top = Math.floor(r.y * height);
    const w = Math.min(width - left, Math.ceil(r.width * width));
    const h = Math.min(height - top, Math.ceil(r.height * height));
    if (w < 1 || h < 1) {
      throw AppError.validation([{ field: `regions[${i}]`, detail: 'covers no pixel of the photo' }]);
    }
    const scale = BLOCKS / Math.max(w, h);
    const tiny = await sharp(jpeg)
      .extract({ left, top, width: w, height: h })
      .resize(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)), { kernel: 'cubic' })
      .toBuffer();
    const block = await sharp(tiny)
      .resize(w, h, { kernel: 'nearest' })
      .blur(Math.max(2, Math.min(w, h) / 16))
      .toBuffer();
    overlays.push({ input: block, left, top });
  }
  return image.composite(overlays).jpeg({ quality: 90 }).toBuffer();
}
