// Helpers for upload suites: what a stored photo must look like, raw multipart bodies for
// clients that misbehave below what supertest can express, and waiting for the server to
// finish with a connection the client dropped.
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import exifr from 'exifr';
import sharp from 'sharp';
import type request from 'supertest';
import { SECRET_SERIAL } from '../../fixtures/hostile-images';

export function expectProblem(res: request.Response, status: number, field: string): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  const body = res.body as { status: number; errors: { field: string }[] };
  expect(body.status).toBe(status);
  expect(body.errors.map((e) => e.field)).toContain(field);
}

/** JPEG markers before the picture data: APP0 (JFIF) is harmless, APP1–15 and COM carry metadata. */
function markersBeforeScan(jpeg: Buffer): number[] {
  const markers: number[] = [];
  for (let at = 2; at + 4 <= jpeg.length && jpeg[at] === 0xff;) {
    const marker = jpeg[at + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

/** A photo as we serve it: a JPEG with no EXIF, GPS, ICC, XMP, IPTC or comment, and nothing appended. */
export async function expectCleanJpeg(bytes: Buffer, mustNotContain: string[] = []): Promise<void> {
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  const meta = await sharp(bytes).metadata();
  expect(meta.format).toBe('jpeg');
  expect({ exif: meta.exif, icc: meta.icc, xmp: meta.xmp, iptc: meta.iptc }).toEqual({
    exif: undefined,
    icc: undefined,
    xmp: undefined,
    iptc: undefined,
  });
  expect(await exifr.parse(bytes, true)).toBeUndefined();
  const markers = markersBeforeScan(bytes);
  expect(markers).toContain(0xda);
  expect(markers.filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
  for (const text of [SECRET_SERIAL, 'TestPhone', ...mustNotContain])
    expect(bytes.includes(Buffer.from(text))).toBe(false);
}

export interface Part {
  name: string;
  value?: string;
  file?: { filename: string; contentType: string; bytes: Buffer };
}

export const BOUNDARY = '----wegfrei-hostile-boundary';

export function multipartBody(parts: Part[], close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file
      ? `form-data; name="${part.name}"; filename="${part.file.filename}"\r\nContent-Type: ${part.file.contentType}`
      : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(part.file ? part.file.bytes : Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/**
 * Sends the head of a request and the first `sendBytes` of its body on a raw socket, then
 * leaves it open; `drop()` destroys the socket as a phone losing its network would.
 */
export async function startUpload(
  server: http.Server,
  path: string,
  body: Buffer,
  sendBytes: number,
): Promise<{ drop: () => void; socket: net.Socket }> {
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`;
  await new Promise<void>((resolve) =>
    socket.write(Buffer.concat([Buffer.from(head), body.subarray(0, sendBytes)]), () => resolve()),
  );
  return { socket, drop: () => socket.destroy() };
}

/** Polls until `check` holds: for state the server settles after a connection closes. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

/** Entries in the OS temp folder that multer's disk storage (32 hex digits) or libvips would leave. */
export async function uploadTempFiles(): Promise<string[]> {
  const names = await fs.readdir(os.tmpdir());
  return names.filter((n) => /^[0-9a-f]{32}$/.test(n) || n.startsWith('vips-'));
}
