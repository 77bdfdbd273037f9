// iPhones send HEIC. sharp's prebuilt libvips reads HEIF headers and decodes AVIF, but has no
// HEVC decoder, so HEVC pictures are decoded here by libheif compiled to WebAssembly
// (libheif-js), in a worker thread of their own: the decode cannot block the event loop, a
// hostile file can only break the WebAssembly sandbox it runs in, and the worker's memory
// (which WebAssembly never gives back) is freed when it exits after each photo.
import { Worker } from 'node:worker_threads';

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom, already turned as the file says (irot/imir). */
  data: Buffer;
}

export class HeicTooLarge extends Error {}

/** A decode taking longer than this is a hostile file, not a photo (12 MP take about 1 s). */
const DECODE_TIMEOUT_MS = 30_000;

// Plain JavaScript: the worker runs outside any TypeScript loader (tsx, jest). The primary
// image's size is checked before a single pixel buffer is made.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const quiet = () => {};
console.log = console.warn = console.error = quiet; // libheif-js logs failures itself
const libheif = require(workerData.lib);
const images = new libheif.HeifDecoder().decode(workerData.bytes);
const image = images.find((i) => i.is_primary()) || images[0];
if (!image) throw new Error('no image in the file');
const width = image.get_width();
const height = image.get_height();
if (!(width > 0 && height > 0)) throw new Error('no image size');
if (width * height > workerData.maxPixels) {
  parentPort.postMessage({ tooLarge: true });
} else {
  image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (shown) => {
    if (!shown) return parentPort.postMessage({ failed: true });
    parentPort.postMessage({ width, height, data: shown.data }, [shown.data.buffer]);
  });
}
`;

let libPath: string | undefined;

/** Decodes the primary image of an HEVC-coded HEIF file; rejects if it has more than maxPixels. */
export function decodeHeic(bytes: Buffer, maxPixels: number): Promise<DecodedPixels> {
  libPath ??= require.resolve('libheif-js/wasm-bundle');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { lib: libPath, bytes, maxPixels },
      // The pixels live in an ArrayBuffer and WebAssembly memory, outside this limit.
      resourceLimits: { maxOldGenerationSizeMb: 128 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume(); // whatever it prints is dropped: the server logs through pino only
    worker.stderr.resume();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new Error('HEIC decode timed out'))), DECODE_TIMEOUT_MS);
    worker.on('message', (msg: { tooLarge?: true; failed?: true; width: number; height: number; data: Uint8Array }) =>
      settle(() => {
        if (msg.tooLarge) return reject(new HeicTooLarge());
        if (msg.failed) return reject(new Error('HEIC decode failed'));
        const data = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
        resolve({ width: msg.width, height: msg.height, data });
      }),
    );
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', () => settle(() => reject(new Error('HEIC decoder stopped'))));
  });
}
