// Public vector tiles as the map sees them: fetched through the app and decoded.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import request from 'supertest';
import { latToY, lonToX, TILE_EXTENT, xToLon, yToLat } from '../../../server/features/tiles/tiles.grid';
import type { TestApp } from './test-app';

export interface TileFeature {
  id?: number;
  properties: Record<string, string | number | boolean>;
  point: { x: number; y: number };
}

export async function getTile(t: TestApp, z: number, x: number, y: number, query = ''): Promise<TileFeature[]> {
  const res = await request(t.app)
    .get(`/tiles/public/${z}/${x}/${y}.mvt${query}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
  const tile = new VectorTile(new PbfReader(res.body as Buffer));
  const layer = tile.layers.reports;
  if (!layer) return [];
  const out: TileFeature[] = [];
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    const [[point]] = f.loadGeometry() as unknown as [[{ x: number; y: number }]];
    out.push({ id: f.id, properties: f.properties, point: point });
  }
  return out;
}

export const tileOf = (lon: number, lat: number, z: number) => ({
  z,
  x: Math.floor(lonToX(lon) * 2 ** z),
  y: Math.floor(latToY(lat) * 2 ** z),
});

/** Where a feature's tile-local point lies on the globe. */
export function featureLonLat(z: number, x: number, y: number, point: { x: number; y: number }): [number, number] {
  const scale = 2 ** z;
  return [xToLon((x + point.x / TILE_EXTENT) / scale), yToLat((y + point.y / TILE_EXTENT) / scale)];
}
