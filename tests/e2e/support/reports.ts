/**
 * Test data through the public API, and real JPEGs made with sharp: each test makes what it
 * needs at its own spot on the map, so no test depends on another.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { twoColourJpeg, withPhoneExif } from '../../fixtures/images';

export interface Feature {
  id: number;
  geometry: { coordinates: [number, number] };
  properties: {
    category: string;
    severity: number;
    status: string;
    description: string | null;
    passability: string | null;
    confirmations: { still_there: number; gone: number };
    photos: { url: string; thumbnail_url: string }[];
  };
}

export async function categoryLabel(baseUrl: string, code: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/categories`);
  const body = (await res.json()) as { categories: { code: string; labels: { en: string } }[] };
  const cat = body.categories.find((c) => c.code === code);
  if (!cat) throw new Error(`category ${code} is not in /api/v1/categories`);
  return cat.labels.en;
}

export async function getReport(baseUrl: string, id: number): Promise<Feature> {
  const res = await fetch(`${baseUrl}/api/v1/reports/${id}`);
  if (res.status !== 200) throw new Error(`GET /api/v1/reports/${id} → ${res.status}`);
  return (await res.json()) as Feature;
}

/** Creates a report as another citizen would have; with a photo when `photo` is given. */
export async function createReport(
  baseUrl: string,
  fields: Record<string, string | number>,
  photo?: Buffer,
): Promise<Feature> {
  const init: RequestInit = { method: 'POST' };
  if (photo) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    form.append('photos', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
    init.body = form;
  } else {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(fields);
  }
  const res = await fetch(`${baseUrl}/api/v1/reports`, init);
  if (res.status !== 201) throw new Error(`POST /api/v1/reports → ${res.status} ${await res.text()}`);
  return (await res.json()) as Feature;
}

/** A real JPEG on disk, as a phone's gallery would hand it over, optionally with EXIF GPS. */
export async function jpegFile(name: string, gps?: { lat: number; lon: number }): Promise<string> {
  let jpeg = await twoColourJpeg(800, 600);
  if (gps) jpeg = withPhoneExif(jpeg, { ...gps, orientation: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-photo-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, jpeg);
  return file;
}

/**
 * A photo whose bytes no other call makes: on the shared PostgreSQL of the browser suite a photo
 * is public only while no report anywhere holds the same bytes unpublished (public_photos), and
 * another file's responder photo of the same fixture waits for review there.
 */
export async function jpegBuffer(): Promise<Buffer> {
  return twoColourJpeg(640, 400 + Math.floor(Math.random() * 160));
}

/** Reports of a category within about 100 m of a spot, straight from the public API. */
export async function reportsNear(
  baseUrl: string,
  spot: { latitude: number; longitude: number },
  category: string,
): Promise<Feature[]> {
  const d = 0.001;
  const bbox = [spot.longitude - d, spot.latitude - d, spot.longitude + d, spot.latitude + d].join(',');
  const res = await fetch(`${baseUrl}/api/v1/reports?bbox=${bbox}&category=${category}`);
  if (res.status !== 200) throw new Error(`GET /api/v1/reports → ${res.status}`);
  return ((await res.json()) as { features: Feature[] }).features;
}

/** A larger-than-phone-display JPEG with GPS and a camera serial in its EXIF, as phones write them. */
export async function bigPhoneJpeg(name: string, gps: { lat: number; lon: number }): Promise<string> {
  const jpeg = withPhoneExif(await twoColourJpeg(2400, 1800), { ...gps, orientation: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-photo-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, jpeg);
  return file;
}
