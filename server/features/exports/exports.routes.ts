// Streaming exports: one COPY statement per export (one consistent snapshot), streamed from
// the database through a line transform to the response with backpressure, so memory stays
// flat whatever the size. Public fields and public points only.
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { parse } from '../../http/validate';
import { openDataFilterShape } from '../reports/reports.schemas';
import { csvQuery, CSV_COLUMNS, featuresQuery, type ExportFilter } from './exports.sql';

const exportQuery = z
  .object({ ...openDataFilterShape, hxl: z.enum(['0', '1', 'true', 'false']).optional() })
  .strict('is not a filter of the export');

export interface DataLicence {
  /** SPDX id (ODbL-1.0) or a URL. */
  id: string;
  attribution: string;
}

export function licenceUrl(id: string): string {
  if (/^https?:\/\//.test(id)) return id;
  if (id === 'ODbL-1.0') return 'https://opendatacommons.org/licenses/odbl/1-0/';
  return `https://spdx.org/licenses/${encodeURIComponent(id)}.html`;
}

/** Splits a byte stream into lines and re-joins them as `prefix + line + suffix`, with separators between. */
class LineFraming extends Transform {
  private rest = '';
  private first = true;
  constructor(private readonly frame: { before: string; between: string; after: string }) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const lines = (this.rest + chunk.toString('utf8')).split('\n');
    this.rest = lines.pop()!;
    let out = '';
    for (const line of lines) {
      out += (this.first ? '' : this.frame.between) + this.frame.before + line + this.frame.after;
      this.first = false;
    }
    done(null, out);
  }
  override _flush(done: TransformCallback): void {
    done(
      null,
      this.rest ? (this.first ? '' : this.frame.between) + this.frame.before + this.rest + this.frame.after : '',
    );
  }
}

/** Appends whatever comes at the end (the GeoJSON's closing brackets). */
class Trailer extends Transform {
  constructor(private readonly trailer: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(null, this.trailer);
  }
}

/** Resolves once `stream` has data or has ended, rejects if it fails first. */
function firstAnswer(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      stream.off('readable', ready).off('end', ready).off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const ready = () => settle();
    stream.once('readable', ready).once('end', ready).once('error', settle);
  });
}

// COPY in CSV format with a quote and delimiter that JSON text never contains: lines come out verbatim.
const RAW_LINES = `WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

export function exportsRouter(deps: {
  pool: pg.Pool;
  logger: Logger;
  baseUrl: (req: Request) => string;
  licence: DataLicence;
}): Router {
  const router = Router();

  async function stream(
    req: Request,
    res: Response,
    opts: { sql: string; type: string; ext: string; head: string; frame?: LineFraming; trailer?: string },
  ): Promise<void> {
    const client = await deps.pool.connect();
    const copy = client.query(copyTo(opts.sql));
    try {
      // Nothing is sent before the database starts answering, so a query that fails at once
      // (the database restarting, a statement timeout) still gets a 503 problem, not a cut 200.
      await firstAnswer(copy);
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    let broken: Error | undefined;
    try {
      const day = new Date().toISOString().slice(0, 10);
      res.status(200).set({
        'Content-Type': opts.type,
        'Content-Disposition': `attachment; filename="wegfrei-reports-${day}.${opts.ext}"`,
        'Cache-Control': 'public, max-age=60',
        Link: `<${licenceUrl(deps.licence.id)}>; rel="license"`,
        'X-License': deps.licence.id,
        'X-Attribution': encodeURIComponent(deps.licence.attribution),
      });
      res.write(opts.head);
      const trailer = new Trailer(opts.trailer ?? '');
      if (opts.frame) await pipeline(copy, opts.frame, trailer, res);
      else await pipeline(copy, trailer, res);
    } catch (err) {
      broken = err as Error;
      // The client went away or the database failed mid-stream: the status line is long sent,
      // so cut the response off rather than let it look complete.
      if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log.error({ err }, 'export failed');
      res.destroy();
    } finally {
      // A connection left mid-COPY cannot be reused: dropping it also stops the query.
      client.release(broken);
    }
  }

  const filterOf = (req: Request): ExportFilter & { hxl: boolean } => {
    const q = parse(exportQuery, req.query, 'Invalid export filter');
    return {
      bbox: q.bbox,
      categories: q.category,
      kinds: q.kind,
      statuses: q.status,
      severities: q.severity,
      createdFrom: q.datetime?.from,
      createdTo: q.datetime?.to,
      hxl: q.hxl === '1' || q.hxl === 'true',
    };
  };

  router.get('/api/v1/exports/reports.geojson', async (req, res) => {
    const filter = filterOf(req);
    const head = `{"type":"FeatureCollection","license":${JSON.stringify(deps.licence.id)},"attribution":${JSON.stringify(
      deps.licence.attribution,
    )},"generated_at":"${new Date().toISOString()}","features":[\n`;
    await stream(req, res, {
      sql: `COPY (${featuresQuery(filter, deps.baseUrl(req))}) TO STDOUT ${RAW_LINES}`,
      type: 'application/geo+json',
      ext: 'geojson',
      head,
      frame: new LineFraming({ before: '', between: ',\n', after: '' }),
      trailer: '\n]}\n',
    });
  });

  router.get('/api/v1/exports/reports.geojsonseq', async (req, res) => {
    const filter = filterOf(req);
    await stream(req, res, {
      sql: `COPY (${featuresQuery(filter, deps.baseUrl(req))}) TO STDOUT ${RAW_LINES}`,
      type: 'application/geo+json-seq',
      ext: 'geojsonseq',
      head: '',
      // RFC 8142: each text is a record separator, the JSON, a line feed.
      frame: new LineFraming({ before: '\x1e', between: '', after: '\n' }),
    });
  });

  router.get('/api/v1/exports/reports.csv', async (req, res) => {
    const filter = filterOf(req);
    let head = `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;
    if (filter.hxl) head += `${CSV_COLUMNS.map(([, tag]) => tag).join(',')}\r\n`;
    await stream(req, res, {
      sql: `COPY (${csvQuery(filter, deps.baseUrl(req))}) TO STDOUT WITH (FORMAT csv)`,
      type: 'text/csv; charset=utf-8; header=present',
      ext: 'csv',
      head,
    });
  });

  return router;
}
