// Exports: one COPY statement per export (one consistent snapshot), streamed from the database
// through a line transform into a spool file (exports.spool.ts), then from the file to the
// client, with backpressure all the way, so memory stays flat whatever the size and a slow
// client never holds a database connection. Public fields and public points only.
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { clientAddress } from '../../http/rate-limit';
import { parse } from '../../http/validate';
import { mapFilterShape, openDataFilterShape } from '../reports/reports.schemas';
import { csvQuery, CSV_COLUMNS, featuresQuery, type ExportFilter } from './exports.sql';
import { CsvRecordEnds, Envelope, LineFraming } from './exports.framing';
import { openSpool, SPOOL_DEFAULTS, SpoolBudget, type SpoolLimits } from './exports.spool';

/** The open-data filters, and the list's `since` (updated_at ≥), with the list's messages. */
const exportQuery = z
  .object({ ...openDataFilterShape, since: mapFilterShape.since, hxl: z.enum(['0', '1', 'true', 'false']).optional() })
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

/** What one export runs and writes around the lines the database sends. */
interface ExportPlan {
  /** The COPY statement for a filter (with `ids`, one page of it). */
  sql: (filter: ExportFilter) => string;
  filter: ExportFilter;
  head: string;
  /** What turns the database's lines into the format's records. */
  frame?: Transform;
  trailer?: string;
}

// COPY in CSV format with a quote and delimiter that JSON text never contains: lines come out verbatim.
const RAW_LINES = `WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

/** How long an export may take to be written whole and go out with its Content-Length. */
const WHOLE_FILE_WAIT_MS = 1000;

/** The client went away mid-response: nothing to log. */
const premature = (err: unknown) => (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';

export function exportsRouter(deps: {
  pool: pg.Pool;
  logger: Logger;
  baseUrl: (req: Request) => string;
  licence: DataLicence;
  /** Where and how much exports may spool (SPOOL_DEFAULTS for what is left out). */
  spool?: Partial<SpoolLimits>;
  /**
   * Read exports in pages of this many report ids, the connection given back between pages
   * (the embedded database: one session, which one long COPY would keep from everybody for
   * seconds); unset: one COPY, one snapshot (PostgreSQL, whose pool has other connections).
   */
  pageIds?: number;
  /** PostgreSQL: each export's own statement_timeout (in a transaction), above its pool's. */
  statementTimeoutMs?: number;
}): Router {
  const router = Router();
  const budget = new SpoolBudget({ ...SPOOL_DEFAULTS, ...deps.spool });

  /** What GET and HEAD both answer: the type, the file name and the licence. */
  function describe(res: Response, type: string, ext: string): void {
    const day = new Date().toISOString().slice(0, 10);
    res.status(200).set({
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="wegfrei-reports-${day}.${ext}"`,
      'Cache-Control': 'public, max-age=60',
      // Each request makes the file anew; a range would cost the whole export each time.
      'Accept-Ranges': 'none',
      Link: `<${licenceUrl(deps.licence.id)}>; rel="license"`,
      'X-License': deps.licence.id,
      'X-Attribution': encodeURIComponent(deps.licence.attribution),
    });
  }

  /**
   * One COPY (one consistent snapshot) into the spool file at the database's speed, the
   * connection released, then the file to the client at the client's speed. Nothing is sent
   * before the whole export is in the file, so a query that fails, at once or halfway, still
   * gets a problem (503 when the database is away), never a cut 200; and the size is known.
   */
  async function send(
    req: Request,
    res: Response,
    format: { type: string; ext: string },
    plan: ExportPlan,
  ): Promise<void> {
    const spool = await openSpool(budget, clientAddress(req));
    // A client that leaves while the file is written stops the query too.
    const gone = new AbortController();
    const leave = () => gone.abort();
    res.once('close', leave);
    try {
      const envelope = new Envelope({ head: plan.head, trailer: plan.trailer ?? '' });
      // The failure kept as is: an error from another realm (a socket's, under a test runner's
      // vm) is no `instanceof Error`, and must still become a problem rather than a cut 200.
      const state: { outcome: 'pending' | 'done' | { failure: Error } } = { outcome: 'pending' };
      // The database writes the file at its own pace, whatever the client does meanwhile.
      const writing = pipeline(copyOut(plan), plan.frame ?? new PassThrough(), envelope, spool.meter, spool.writer(), {
        signal: gone.signal,
      }).then(
        () => (state.outcome = 'done'),
        (err: Error) => {
          spool.fail(err);
          state.outcome = { failure: err };
          return err;
        },
      );
      // Nothing is sent before the database has answered, so a query that fails at once (the
      // database away) still gets a problem, not a cut 200; an export done within a second
      // goes out with its Content-Length, a longer one starts at once and follows the file.
      await Promise.race([spool.beyond(Buffer.byteLength(plan.head)), writing]);
      await Promise.race([writing, new Promise((resolve) => setTimeout(resolve, WHOLE_FILE_WAIT_MS).unref())]);
      if (gone.signal.aborted) return;
      if (typeof state.outcome === 'object') throw state.outcome.failure;
      describe(res, format.type, format.ext);
      if (spool.complete()) res.set('Content-Length', String(spool.size()));
      res.off('close', leave);
      await pipeline(spool.follow(), res).catch((err: unknown) => {
        // The client went away or the file could not be read: the status line is long sent, so cut the
        // response off rather than let it look complete.
        if (!premature(err)) req.log.error({ err }, 'sending an export failed');
        res.destroy();
      });
      // A client gone mid-file stops the database's part too.
      gone.abort();
      await writing;
    } finally {
      res.off('close', leave);
      await spool.close();
    }
  }

  /** The COPY output of a plan: one statement, or page after page with the connection given back between. */
  async function* copyOut(plan: ExportPlan): AsyncGenerator<Buffer> {
    const pageIds = deps.pageIds;
    if (!pageIds) {
      yield* copyOnce(plan.sql(plan.filter));
      return;
    }
    const { rows } = await deps.pool.query<{ first: number | null; last: number | null }>(
      'SELECT min(id)::bigint AS first, max(id)::bigint AS last FROM reports',
    );
    const { first, last } = rows[0]!;
    if (first === null || last === null) {
      yield* copyOnce(plan.sql(plan.filter));
      return;
    }
    for (let after = first - 1; after < last; after += pageIds) {
      yield* copyOnce(plan.sql({ ...plan.filter, ids: { after, upTo: Math.min(after + pageIds, last) } }));
    }
  }

  async function* copyOnce(sql: string): AsyncGenerator<Buffer> {
    const client = await deps.pool.connect();
    let done = false;
    try {
      // Never on the embedded database: there a transaction would keep its one session.
      const budget = deps.statementTimeoutMs;
      if (budget !== undefined) {
        await client.query('BEGIN READ ONLY');
        await client.query(`SET LOCAL statement_timeout = ${Math.floor(budget)}`);
      }
      for await (const chunk of client.query(copyTo(sql))) yield chunk as Buffer;
      if (budget !== undefined) await client.query('COMMIT');
      done = true;
    } finally {
      // A connection left mid-COPY (a failure, or the client gone) cannot be reused: releasing
      // it with an error drops it, which also stops the query.
      client.release(done ? undefined : new Error('export stopped mid-COPY'));
    }
  }

  /** HEAD is cheap: GDAL's /vsicurl/ and link checkers ask it first, and it runs no export. */
  function head(res: Response, type: string, ext: string): void {
    describe(res, type, ext);
    res.end();
  }

  const filterOf = (req: Request): ExportFilter & { hxl: boolean } => {
    const q = parse(exportQuery, req.query, 'Invalid export filter');
    return {
      bbox: q.bbox,
      categories: q.category,
      kinds: q.kind,
      statuses: q.status,
      severities: q.severity,
      sources: q.source,
      since: q.since,
      createdFrom: q.datetime?.from,
      createdTo: q.datetime?.to,
      hxl: q.hxl === '1' || q.hxl === 'true',
    };
  };

  /** One export route. Express sends HEAD to it too: answered with headers only, after the same checks. */
  const exportRoute = (
    ext: string,
    type: string,
    plan: (filter: ExportFilter & { hxl: boolean }, req: Request) => ExportPlan,
  ) =>
    router.get(`/api/v1/exports/reports.${ext}`, async (req, res) => {
      const filter = filterOf(req);
      if (req.method === 'HEAD') return head(res, type, ext);
      await send(req, res, { type, ext }, plan(filter, req));
    });

  exportRoute('geojson', 'application/geo+json', (filter, req) => ({
    sql: (f) => `COPY (${featuresQuery(f, deps.baseUrl(req))}) TO STDOUT ${RAW_LINES}`,
    filter,
    head: `{"type":"FeatureCollection","license":${JSON.stringify(deps.licence.id)},"attribution":${JSON.stringify(
      deps.licence.attribution,
    )},"generated_at":"${new Date().toISOString()}","features":[\n`,
    frame: new LineFraming({ before: '', between: ',\n', after: '' }),
    trailer: '\n]}\n',
  }));

  exportRoute('geojsonseq', 'application/geo+json-seq', (filter, req) => ({
    sql: (f) => `COPY (${featuresQuery(f, deps.baseUrl(req))}) TO STDOUT ${RAW_LINES}`,
    filter,
    head: '',
    // RFC 8142: each text is a record separator, the JSON, a line feed.
    frame: new LineFraming({ before: '\x1e', between: '', after: '\n' }),
  }));

  exportRoute('csv', 'text/csv; charset=utf-8; header=present', (filter, req) => {
    let head = `${CSV_COLUMNS.map((c) => c.name).join(',')}\r\n`;
    if (filter.hxl) head += `${CSV_COLUMNS.map((c) => c.hxl).join(',')}\r\n`;
    return {
      sql: (f) => `COPY (${csvQuery(f, deps.baseUrl(req))}) TO STDOUT WITH (FORMAT csv)`,
      filter,
      head,
      frame: new CsvRecordEnds(),
    };
  });

  return router;
}
