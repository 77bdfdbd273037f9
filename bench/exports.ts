// Export throughput against the ceiling DESIGN.md names: the same database's plain
// `COPY (SELECT ST_AsGeoJSON(r.*) …) TO STDOUT`, measured in the same run, and the server's
// memory while it streams.
import fs from 'node:fs';
import http from 'node:http';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export interface ExportResult {
  format: string;
  features: number;
  bytes: number;
  seconds: number;
  perSecond: number;
  /** Highest resident memory of the server while this export streamed, bytes. */
  peakRss: number;
  ok: boolean;
}

export interface CopyBaseline {
  features: number;
  seconds: number;
  perSecond: number;
}

/** The ceiling: PostgreSQL turning every report into GeoJSON and streaming it, nothing else. */
export async function copyBaseline(pool: pg.Pool): Promise<CopyBaseline> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    const stream = client.query(copyTo('COPY (SELECT ST_AsGeoJSON(r.*) FROM reports r) TO STDOUT'));
    let features = 0;
    for await (const chunk of stream) {
      for (const byte of chunk as Buffer) if (byte === 10) features++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { features, seconds, perSecond: features / seconds };
  } finally {
    client.release();
  }
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** Streams one export to nowhere, counting its features (lines, or RS records). */
export function benchExport(baseUrl: string, path: string, format: string, serverPid: number): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    let peakRss = rssOf(serverPid);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(serverPid))), 100);
    const started = performance.now();
    http
      .get(`${baseUrl}${path}`, (res) => {
        let bytes = 0;
        let features = 0;
        const marker = format === 'geojsonseq' ? 0x1e : 0x0a;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === marker) features++;
        });
        res.on('end', () => {
          clearInterval(sampler);
          const seconds = (performance.now() - started) / 1000;
          // GeoJSON: a feature a line, plus the opening line and the closing bracket's line;
          // CSV: a report a line plus the header; GeoJSONSeq: one record separator each.
          const count = format === 'geojson' ? features - 2 : format === 'csv' ? features - 1 : features;
          resolve({
            format,
            features: count,
            bytes,
            seconds,
            perSecond: count / seconds,
            peakRss,
            ok: res.statusCode === 200,
          });
        });
        res.on('error', (err) => {
          clearInterval(sampler);
          reject(err);
        });
      })
      .on('error', (err) => {
        clearInterval(sampler);
        reject(err);
      });
  });
}
