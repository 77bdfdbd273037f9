/**
 * Photos are shrunk on the phone before they are queued or sent: a slow connection carries
 * a few hundred kilobytes instead of several megabytes, and re-encoding through a canvas
 * drops all metadata (EXIF GPS, camera serial) before anything leaves the device.
 */
export const MAX_SIDE = 1600;
export const QUALITY = 0.85;

async function encode(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    draw(ctx, bitmap, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  draw(ctx, bitmap, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))), 'image/jpeg', QUALITY),
  );
}

function draw(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  bitmap: ImageBitmap,
  width: number,
  height: number,
): void {
  // JPEG has no transparency: a transparent PNG would otherwise turn black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
}

/**
 * A JPEG whose longest side is at most 1600 px, upright as the camera meant it. If the
 * browser cannot decode the file (HEIC in most browsers, a damaged file), the original is
 * returned: the server decodes more formats, strips their metadata, and names what it refuses.
 */
async function shrinkNow(file: File): Promise<File> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const blob = await encode(bitmap, width, height);
    const name = `${file.name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`;
    return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  } finally {
    bitmap.close();
  }
}

// One photo at a time: five 12-megapixel decodes at once can exhaust a phone's memory.
let queue: Promise<unknown> = Promise.resolve();

export function shrinkPhoto(file: File): Promise<File> {
  const shrunk = queue.then(() => shrinkNow(file));
  queue = shrunk;
  return shrunk;
}
