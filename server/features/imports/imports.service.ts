// Imports a file's records as reports: each through the API's own schema and createReport
// (the rules, moderation and the coarsening of help requests a web report gets), one report
// per record, all or nothing, with `source: 'import'` and the record's origin ref, so that
// importing the same file again adds nothing. A dry run checks every record the same way and
// stores nothing.
import { AppError, fieldErrorsFromZod } from '../../http/errors';
import { createReport, type ReportsDeps } from '../reports/reports.service';
import { newReportSchema, type NewReport } from '../reports/reports.schemas';
import type { Category } from '../categories/categories.repo';
import { findImportedRefs, isOriginConflict } from './imports.repo';
import { REFUSAL_REASONS, type ImportRecord, type Refusal, type RefusalReason } from './imports.rows';

export interface ImportOptions {
  dryRun: boolean;
  /** Reports written at once: 1 on the embedded database (one session), a few on PostgreSQL. */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
}

export interface ImportSummary {
  records: number;
  /** Stored (or, in a dry run, would be). */
  taken: number;
  alreadyImported: number;
  refused: number;
  byReason: Partial<Record<RefusalReason, number>>;
  byCategory: Record<string, number>;
  refusals: ({ row: number } & Refusal)[];
  dryRun: boolean;
  seconds: number;
}

/** The rules createReport applies after the schema, so a dry run refuses what a real run would. */
function preflight(fields: NewReport, category: Category | undefined): string | undefined {
  if (!category) return `category: "${fields.category}" is not a known category code`;
  if (fields.kind && fields.kind !== category.kind) {
    return `kind: category ${category.code} is a ${category.kind}, not a ${fields.kind}`;
  }
  if (category.kind === 'help' && fields.passability) return 'passability: applies to barriers only';
  if (category.kind === 'barrier' && fields.people_count !== undefined) {
    return 'people_count: applies to help requests only';
  }
  return undefined;
}

export async function importRecords(
  deps: ReportsDeps,
  records: ImportRecord[],
  opts: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const summary: ImportSummary = {
    records: records.length,
    taken: 0,
    alreadyImported: 0,
    refused: 0,
    byReason: {},
    byCategory: {},
    refusals: [],
    dryRun: opts.dryRun,
    seconds: 0,
  };
  const refuse = (row: number, r: Refusal) => {
    summary.refused++;
    summary.byReason[r.reason] = (summary.byReason[r.reason] ?? 0) + 1;
    summary.refusals.push({ row, ...r });
  };
  const refs = records.flatMap((r) => ('originRef' in r ? [r.originRef] : []));
  const imported = await findImportedRefs(deps.pool, refs);
  const seen = new Set<string>();
  const work: { row: number; originRef: string; fields: NewReport; createdAt?: Date }[] = [];
  for (const record of records) {
    if ('refused' in record) {
      refuse(record.row, record.refused);
      continue;
    }
    // The same record twice in one file, or from an earlier run: already there.
    if (imported.has(record.originRef) || seen.has(record.originRef)) {
      summary.alreadyImported++;
      continue;
    }
    const parsed = newReportSchema.safeParse(record.fields);
    if (!parsed.success) {
      const detail = fieldErrorsFromZod(parsed.error)
        .map((e) => `${e.field}: ${e.detail}`)
        .join('; ');
      refuse(record.row, { reason: 'invalid', detail });
      continue;
    }
    const problem = preflight(parsed.data, await deps.taxonomy.find(parsed.data.category));
    if (problem) {
      refuse(record.row, { reason: problem.startsWith('category') ? 'unknown_category' : 'invalid', detail: problem });
      continue;
    }
    seen.add(record.originRef);
    work.push({ row: record.row, originRef: record.originRef, fields: parsed.data, createdAt: record.createdAt });
  }
  let done = records.length - work.length;
  opts.onProgress?.(done, records.length);
  const take = (fields: NewReport) => {
    summary.taken++;
    summary.byCategory[fields.category] = (summary.byCategory[fields.category] ?? 0) + 1;
  };
  if (opts.dryRun) {
    for (const w of work) take(w.fields);
    opts.onProgress?.(records.length, records.length);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const w = work[next++]!;
        try {
          await createReport(deps, {
            fields: w.fields,
            photos: [],
            source: 'import',
            originRef: w.originRef,
            createdAt: w.createdAt,
          });
          take(w.fields);
        } catch (err) {
          if (isOriginConflict(err)) summary.alreadyImported++;
          else if (err instanceof AppError && err.status === 422) {
            refuse(w.row, { reason: 'invalid', detail: err.detail ?? err.title });
          } else throw err;
        }
        opts.onProgress?.(++done, records.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  }
  summary.refusals.sort((a, b) => a.row - b.row);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** The summary as lines for a person: counts, refusals by reason, then each refused row. */
export function describeSummary(s: ImportSummary, opts: { rowLimit?: number } = {}): string {
  const verb = s.dryRun ? 'would be imported' : 'imported';
  const lines = [
    `${s.records} records: ${s.taken} ${verb}, ${s.alreadyImported} already imported, ${s.refused} refused.`,
  ];
  const categories = Object.entries(s.byCategory).sort((a, b) => b[1] - a[1]);
  if (categories.length) lines.push(`By category: ${categories.map(([c, n]) => `${c} ${n}`).join(', ')}.`);
  for (const [reason, n] of Object.entries(s.byReason)) {
    lines.push(`Refused, ${REFUSAL_REASONS[reason as RefusalReason]} (${reason}): ${n}`);
  }
  const limit = opts.rowLimit ?? Infinity;
  for (const r of s.refusals.slice(0, limit)) lines.push(`  row ${r.row}: ${r.reason}: ${clip(r.detail)}`);
  if (s.refusals.length > limit) lines.push(`  … and ${s.refusals.length - limit} more refused rows`);
  lines.push('Photos are not imported.');
  if (s.dryRun) lines.push('Dry run: nothing was stored.');
  return lines.join('\n');
}

/** A detail quotes the file's own values; a 10,000-character one is cut for the terminal. */
const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);
