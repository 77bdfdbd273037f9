// Every public channel that can carry a report, and sweeps of them for things that must not be
// there. The list follows the public routes of routes-coverage.test.ts: each GET among them that
// answers with report data is read here, asked the way someone hunting a person would ask
// (rejected reports, help requests, a tiny bbox or radius around the place). Used by
// security-privacy.test.ts and privacy-sweep.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { parquetReadObjects } from 'hyparquet';
// flatgeobuf's index also loads OpenLayers; its GeoJSON reader alone.
import * as fgb from 'flatgeobuf/lib/mjs/geojson.js';
import type { StaffAgent } from './staff';
import { cellRangeBounds, MAX_ZOOM, TILE_EXTENT, tileCells } from '../../../server/features/tiles/tiles.grid';
import type { TestApp } from './test-app';
import { featureLonLat, getTile, tileOf } from './tiles';

export interface LatLon {
  lat: number;
  lon: number;
}

/** One public read: what it is called in a failure, and the path it asks. */
export interface PublicRead {
  channel: string;
  path: string;
  /** A list or an export: it answers 200 whatever is in it (so an error cannot pass a sweep). */
  listing?: boolean;
  /** A binary answer as the text a reader would see (a compressed Parquet page hides words from a byte search). */
  decode?: (body: Buffer) => Promise<string>;
}

export interface Answer {
  channel: string;
  status: number;
  text: string;
}

/** Metres between two lon/lat points (small distances). */
export function metres([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const k = 111_320;
  return Math.hypot((lon1 - lon2) * k * Math.cos((lat1 * Math.PI) / 180), (lat1 - lat2) * k);
}

/** A bbox of ±d degrees around a point, as the API takes it. */
export const around = (p: LatLon, d: number) => `${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}`;

/** An exact point as it would be written anywhere: five decimals (about a metre), each axis. */
export const exactDigits = (p: LatLon): string[] => [p.lat.toFixed(5), p.lon.toFixed(5)];

/**
 * Every public read of report data about these reports and places (the map's tiles and
 * clusters are swept by mapProblems). A report's page (/reports/{id}) is the static app shell,
 * read too in case it ever renders the report.
 */
export function publicReads(ids: number[], places: LatLon[]): PublicRead[] {
  const reads: PublicRead[] = [
    { channel: 'list', path: '/api/v1/reports', listing: true },
    { channel: 'list of help requests', path: '/api/v1/reports?kind=help', listing: true },
    { channel: 'list of rejected reports', path: '/api/v1/reports?status=rejected', listing: true },
    { channel: 'GeoJSON export', path: '/api/v1/exports/reports.geojson', listing: true },
    { channel: 'GeoJSON export of rejected', path: '/api/v1/exports/reports.geojson?status=rejected', listing: true },
    { channel: 'GeoJSONSeq export', path: '/api/v1/exports/reports.geojsonseq', listing: true },
    { channel: 'CSV export', path: '/api/v1/exports/reports.csv', listing: true },
    { channel: 'CSV/HXL export of help', path: '/api/v1/exports/reports.csv?hxl=1&kind=help', listing: true },
    { channel: 'OGC reports', path: '/ogc/collections/reports/items?limit=1000', listing: true },
    { channel: 'OGC barriers', path: '/ogc/collections/barriers/items', listing: true },
    { channel: 'OGC help', path: '/ogc/collections/help/items', listing: true },
    { channel: 'OGC rejected', path: '/ogc/collections/reports/items?status=rejected', listing: true },
    { channel: 'Open311 requests (JSON)', path: '/open311/v2/requests.json', listing: true },
    { channel: 'Open311 requests (XML)', path: '/open311/v2/requests.xml', listing: true },
    { channel: 'Open311 closed requests', path: '/open311/v2/requests.json?status=closed', listing: true },
  ];
  if (ids.length) {
    const list = ids.join(',');
    reads.push(
      { channel: 'Open311 requests by id (JSON)', path: `/open311/v2/requests.json?service_request_id=${list}` },
      { channel: 'Open311 requests by id (XML)', path: `/open311/v2/requests.xml?service_request_id=${list}` },
    );
  }
  for (const id of ids) {
    reads.push(
      { channel: `report ${id}`, path: `/api/v1/reports/${id}` },
      { channel: `staff report ${id}, anonymously`, path: `/api/v1/staff/reports/${id}` },
      { channel: `history of ${id}, anonymously`, path: `/api/v1/reports/${id}/history` },
      // The page /reports/{id} is the same static shell for every id (the built client, which
      // `npm test` does not need); it shows what /api/v1/reports/{id}, swept above, answers.
      { channel: `OGC item ${id}`, path: `/ogc/collections/reports/items/${id}` },
      { channel: `OGC barrier ${id}`, path: `/ogc/collections/barriers/items/${id}` },
      { channel: `OGC help ${id}`, path: `/ogc/collections/help/items/${id}` },
      { channel: `Open311 request ${id} (JSON)`, path: `/open311/v2/requests/${id}.json` },
      { channel: `Open311 request ${id} (XML)`, path: `/open311/v2/requests/${id}.xml` },
    );
  }
  places.forEach((p, i) => {
    const near = `lat=${p.lat}&lon=${p.lon}`;
    reads.push(
      { channel: `tiny bbox at place ${i}`, path: `/api/v1/reports?bbox=${around(p, 0.0002)}`, listing: true },
      { channel: `city bbox at place ${i}`, path: `/api/v1/reports?bbox=${around(p, 0.05)}`, listing: true },
      { channel: `nearby 1 m at place ${i}`, path: `/api/v1/reports/nearby?${near}&radius_m=1`, listing: true },
      { channel: `nearby 1 km at place ${i}`, path: `/api/v1/reports/nearby?${near}&radius_m=1000`, listing: true },
      { channel: `OGC tiny bbox at place ${i}`, path: `/ogc/collections/reports/items?bbox=${around(p, 0.0002)}` },
      { channel: `Open311 near place ${i}`, path: `/open311/v2/requests.json?lat=${p.lat}&long=${p.lon}` },
    );
  });
  return reads;
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));

/** Every value of a FlatGeobuf file, geometry included, as JSON. */
async function fgbText(body: Buffer): Promise<string> {
  const features = [];
  for await (const f of fgb.deserialize(new Uint8Array(body))) features.push(f);
  return json(features);
}

/** Every value of a Parquet file, the GeoParquet geometry decoded, as JSON. */
async function parquetText(body: Buffer): Promise<string> {
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer;
  return json(await parquetReadObjects({ file }));
}

/**
 * The files of a release an admin has built just now (releases are snapshots: a sweep after a
 * change needs a new one), each read whole; FlatGeobuf and Parquet decoded to JSON, so exact
 * points appear as digits and compressed words as words.
 */
export async function releaseReads(t: TestApp, admin: StaffAgent): Promise<PublicRead[]> {
  const started = await admin.agent.post('/api/v1/releases').set('X-CSRF-Token', admin.csrf);
  if (started.status !== 202) throw new Error(`a release was not started: ${started.status}`);
  const id = started.body.id as string;
  for (let i = 0; (await request(t.app).get('/releases/')).body.building; i++) {
    if (i > 600) throw new Error('the release took too long');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const files = [
    'datapackage.json',
    'reports.geojson',
    'reports.csv',
    'reports-hxl.csv',
    'reports.fgb',
    'reports.parquet',
  ];
  return files.map((name) => ({
    channel: `release ${name}`,
    path: `/releases/${id}/${name}`,
    listing: true,
    decode: name.endsWith('.fgb') ? fgbText : name.endsWith('.parquet') ? parquetText : undefined,
  }));
}

/** Reads each path anonymously, whole, as text. */
export async function readAll(t: TestApp, reads: PublicRead[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const r of reads) {
    const res = await request(t.app)
      .get(r.path)
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const body = res.body as Buffer;
    const text = r.decode && res.status === 200 ? await r.decode(body) : body.toString('utf8');
    answers.push({ channel: `${r.channel} (${r.path})`, status: res.status, text });
    if (res.status >= 500 || (r.listing && res.status !== 200)) {
      throw new Error(`${r.channel} (${r.path}) answered ${res.status}: ${text.slice(0, 300)}`);
    }
  }
  return answers;
}

/** `channel: marker` for each marker found in an answer; [] when none was. */
export function markersFound(answers: Answer[], markers: string[]): string[] {
  return answers.flatMap((a) => markers.filter((m) => a.text.includes(m)).map((m) => `${a.channel}: ${m}`));
}

/** The channels (by the start of their name) in which a marker was not found; [] when it was in all. */
export function channelsWithout(answers: Answer[], marker: string, channels: string[]): string[] {
  return channels.filter((c) => !answers.some((a) => a.channel.startsWith(c) && a.text.includes(marker)));
}

/** A report as the map must show it, or not at all. */
export interface MapTruth {
  id: number;
  kind: 'barrier' | 'help';
  exact: LatLon;
  /** Where the public sees it: the exact point for a barrier, the cell centre for a help request. */
  publicPoint: [number, number];
  /** Whether it is on the public map now. */
  listed: boolean;
}

interface MapFeature {
  single: boolean;
  id: number | undefined;
  properties: Record<string, unknown>;
  at: [number, number];
}

const contains = (b: ReturnType<typeof cellRangeBounds>, [lon, lat]: [number, number]) =>
  lon >= b.west && lon < b.east && lat > b.south && lat <= b.north;

/**
 * The public map at every zoom, as tiles and as /api/v1/clusters over the same tile, in each tile
 * that holds one of the reports' exact or public points. Returns what is wrong, [] when nothing:
 * a marker in a feature's properties, an unlisted report's id, a count that includes a report
 * that is not listed (or misses one that is), a help request placed nearer its exact point than
 * its public one.
 */
export async function mapProblems(t: TestApp, truth: MapTruth[], markers: string[]): Promise<string[]> {
  const problems: string[] = [];
  const unlisted = new Set(truth.filter((r) => !r.listed).map((r) => r.id));
  const tiles = new Map<string, { z: number; x: number; y: number }>();
  for (let z = 0; z <= MAX_ZOOM; z++) {
    for (const r of truth) {
      for (const [lon, lat] of [[r.exact.lon, r.exact.lat], r.publicPoint]) {
        const tile = tileOf(lon!, lat!, z);
        tiles.set(`${z}/${tile.x}/${tile.y}`, tile);
      }
    }
  }
  for (const [name, { z, x, y }] of tiles) {
    const bounds = cellRangeBounds({ ...tileCells(z, x, y), level: z, cx0: x, cx1: x, cy0: y, cy1: y });
    const expected = truth.filter((r) => r.listed && contains(bounds, r.publicPoint));
    const fromTile: MapFeature[] = (await getTile(t, z, x, y)).map((f) => ({
      single: f.properties.cluster !== true && f.properties.count === undefined,
      id: f.id,
      properties: f.properties,
      at: featureLonLat(z, x, y, f.point),
    }));
    const e = 1e-9;
    const bbox = [bounds.west + e, bounds.south + e, bounds.east - e, bounds.north - e]
      .map((v) => v.toFixed(10))
      .join(',');
    const clusters = await request(t.app).get(`/api/v1/clusters?bbox=${bbox}&zoom=${z}`);
    if (clusters.status !== 200) problems.push(`clusters ${name}: ${clusters.status} ${clusters.text.slice(0, 200)}`);
    const fromClusters: MapFeature[] = ((clusters.body.features ?? []) as GeoJsonPoint[]).map((f) => ({
      single: f.properties.cluster === false,
      id: f.id,
      properties: f.properties,
      at: f.geometry.coordinates,
    }));
    const resolution = (40_075_000 / 2 ** z / TILE_EXTENT) * 2;
    for (const [source, features] of [
      [`tile ${name}`, fromTile],
      [`clusters ${name}`, fromClusters],
    ] as const) {
      const text = JSON.stringify(features.map((f) => [f.id, f.properties]));
      for (const m of markers) if (text.includes(m)) problems.push(`${source}: ${m}`);
      let count = 0;
      for (const f of features) {
        count += f.single ? 1 : Number(f.properties.count);
        if (f.single && f.id !== undefined && unlisted.has(f.id)) problems.push(`${source}: report ${f.id}`);
        // Clusters sit on the mean of their reports' public points, so a cluster of one help
        // request sits on its public point; a tile point is exact to 1/4096 of the tile.
        const alone = f.single
          ? truth.find((r) => r.id === f.id)
          : f.properties.count === 1 && f.properties.count_help === 1
            ? nearest(
                expected.filter((r) => r.kind === 'help'),
                f.at,
              )
            : undefined;
        if (
          alone?.kind === 'help' &&
          metres(f.at, [alone.exact.lon, alone.exact.lat]) + resolution < metres(f.at, alone.publicPoint)
        ) {
          problems.push(`${source}: help request ${alone.id} nearer its exact point than its public one`);
        }
      }
      if (count !== expected.length) {
        problems.push(
          `${source}: counts ${count} reports, ${expected.length} listed there (${expected.map((r) => r.id).join(',')})`,
        );
      }
    }
  }
  return problems;
}

const nearest = (reports: MapTruth[], at: [number, number]) =>
  reports.sort((a, b) => metres(at, a.publicPoint) - metres(at, b.publicPoint))[0];

interface GeoJsonPoint {
  id?: number;
  properties: Record<string, unknown>;
  geometry: { coordinates: [number, number] };
}

/**
 * What GET /api/v1/events sends a session replaying from `Last-Event-ID: 0`, read on a real
 * socket until the event `untilId` has arrived (events come in order, so all before it have too).
 */
export async function liveReplay(t: TestApp, cookie: string, untilId: number): Promise<string> {
  const server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  let raw = '';
  let status = 0;
  const req = http.get(
    {
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      path: '/api/v1/events',
      headers: { Cookie: cookie, 'Last-Event-ID': '0' },
    },
    (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (raw += chunk));
    },
  );
  try {
    for (let i = 0; i < 200 && !raw.includes(`id: ${untilId}\n`); i++) await new Promise((r) => setTimeout(r, 50));
    if (status !== 200 || !raw.includes(`id: ${untilId}\n`)) {
      throw new Error(`the stream (${status}) did not replay event ${untilId}: ${raw.slice(0, 300)}`);
    }
    return raw;
  } finally {
    req.destroy();
    server.closeAllConnections();
    server.close();
  }
}
