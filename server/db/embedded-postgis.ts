// PostGIS for the embedded database without the parts Wegfrei never uses.
//
// PGlite unpacks an extension's whole bundle into its in-memory file system and compiles and
// instantiates every library in it at start. The PostGIS bundle carries, besides PostGIS,
// the raster (with GDAL) and topology libraries, the tiger geocoder and scripts for upgrading
// from PostGIS 2: about 290 MB of the process's memory for as long as it runs (measured at
// 100,000 reports, docs/BENCHMARKS.md). The bundle made here keeps the PostGIS library, its
// install and update scripts and the PROJ data; it is made once per package version from the
// pinned package's own file and kept beside the database.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Extension } from '@electric-sql/pglite';

/** What the app never loads: other extensions of the bundle, pre-3 upgrade paths, loose scripts. */
const UNUSED =
  /postgis_raster|postgis_topology|postgis_tiger_geocoder|postgis_sfcgal|address_standardizer|unpackaged|\/contrib\//;

const BLOCK = 512;

/** Tar entries whose name matches UNUSED are left out; everything else is copied as it is. */
export function slimTar(tar: Buffer): Buffer {
  const kept: Buffer[] = [];
  let pending: Buffer[] = [];
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0/g, '').trim() || '0', 8);
    const end = at + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const entry = tar.subarray(at, end);
    const type = String.fromCharCode(header[156]!);
    at = end;
    // A long name or pax header belongs to the entry after it: kept or dropped with it.
    if (type === 'L' || type === 'K' || type === 'x') {
      pending.push(entry);
      continue;
    }
    const name = header.subarray(0, 100).toString('utf8').split('\0')[0]!;
    const longName = pending.map((p) => p.subarray(BLOCK).toString('utf8')).join('');
    if (!UNUSED.test(name) && !UNUSED.test(longName)) kept.push(...pending, entry);
    pending = [];
  }
  kept.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(kept);
}

function packageVersion(): string {
  const manifest = path.join(path.dirname(require.resolve('@electric-sql/pglite-postgis')), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The slim bundle in `cacheDir`, made from the package's bundle if it is not there yet. */
export function slimBundle(cacheDir: string): string {
  const file = path.join(cacheDir, `postgis-${packageVersion()}-slim.tar.gz`);
  if (fs.existsSync(file)) return file;
  const original = path.join(path.dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
  const slim = slimTar(zlib.gunzipSync(fs.readFileSync(original)));
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written whole, then renamed: a start killed half-way leaves no half bundle behind.
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, zlib.gzipSync(slim, { level: 1 }));
  fs.renameSync(partial, file);
  return file;
}

/** The postgis extension for PGlite, loading the slim bundle instead of the package's own. */
export function slimPostgis(cacheDir: string): Extension {
  const bundle = slimBundle(cacheDir);
  return {
    name: postgis.name,
    setup: async (pg, emscriptenOpts) => ({
      ...(await postgis.setup(pg, emscriptenOpts)),
      bundlePath: new URL(`file://${bundle}`),
    }),
  };
}
