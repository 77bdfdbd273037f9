// The part of vt-pbf we use, typed as it really behaves (its DefinitelyTyped types expect a
// geojson-vt index instead of plain tile-coordinate features).
declare module 'vt-pbf' {
  export interface TileFeature {
    id?: number;
    /** 1 point, 2 line, 3 polygon. */
    type: 1 | 2 | 3;
    /** For points: a list of [x, y] in tile coordinates (0 … extent). */
    geometry: [number, number][];
    tags: Record<string, string | number | boolean>;
  }
  export function fromGeojsonVt(
    layers: Record<string, { features: TileFeature[] }>,
    options?: { version?: number; extent?: number },
  ): Uint8Array;
  const vtpbf: { fromGeojsonVt: typeof fromGeojsonVt };
  export default vtpbf;
}
