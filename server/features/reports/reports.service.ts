// The rules of reporting; never sees req or res.
import crypto from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { failpoint } from '../../failpoints';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { Taxonomy } from '../categories/categories.service';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.pipeline';
import { removeUnreferencedPhotos } from '../photos/photos.service';
import type { PhotoStorage } from '../photos/photos.storage';
import * as repo from './reports.repo';
import type { NewReport } from './reports.schemas';

export interface ReportsDeps {
  pool: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
  taxonomy: Taxonomy;
  helpGridM: number;
}

export interface CreateReportInput {
  fields: NewReport;
  photos: Buffer[];
  idempotencyKey?: string;
}

/** A fingerprint of the request, so a key reused for a different report is caught. */
function fingerprint(input: CreateReportInput): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify(input.fields));
  for (const photo of input.photos) hash.update(crypto.createHash('sha256').update(photo).digest());
  return hash.digest('hex');
}

async function replay(deps: ReportsDeps, key: string, requestHash: string): Promise<repo.ReportRow | undefined> {
  const earlier = await repo.findIdempotencyKey(deps.pool, 'report', key);
  if (!earlier) return undefined;
  if (earlier.requestHash !== requestHash) {
    throw new AppError(422, 'idempotency_key_reused', 'Idempotency-Key reused', undefined, [
      { field: 'Idempotency-Key', detail: 'was already used for a different report; make a new key for a new report' },
    ]);
  }
  return repo.findReport(deps.pool, earlier.reportId, 'public', { anyStatus: true });
}

async function checkFields(deps: ReportsDeps, fields: NewReport): Promise<repo.ReportInsert> {
  const category = await deps.taxonomy.find(fields.category);
  if (!category) {
    throw AppError.validation([{ field: 'category', detail: `"${fields.category}" is not a known category code` }]);
  }
  const errors = [];
  if (fields.kind && fields.kind !== category.kind) {
    errors.push({ field: 'kind', detail: `category ${category.code} is a ${category.kind}, not a ${fields.kind}` });
  }
  if (category.kind === 'help' && fields.passability) {
    errors.push({ field: 'passability', detail: 'applies to barriers only' });
  }
  if (category.kind === 'barrier' && fields.people_count !== undefined) {
    errors.push({ field: 'people_count', detail: 'applies to help requests only' });
  }
  if (errors.length) throw AppError.validation(errors);
  return {
    kind: category.kind,
    category: category.code,
    lat: fields.lat,
    lon: fields.lon,
    accuracyM: fields.accuracy_m ?? null,
    description: fields.description ?? null,
    severity: fields.severity,
    passability: fields.passability ?? null,
    peopleCount: fields.people_count ?? null,
    address: fields.address ?? null,
    contact: fields.contact ?? null,
  };
}

/**
 * Stores a report and its photos, all or nothing: photo files are written first, the rows
 * in one transaction after; if that fails, the files it wrote are removed again.
 */
export async function createReport(
  deps: ReportsDeps,
  input: CreateReportInput,
): Promise<{ report: repo.ReportRow; replayed: boolean }> {
  const requestHash = fingerprint(input);
  // A retry with photos is answered before the photos are decoded again; without photos the
  // insert itself finds the key taken, which saves a round trip on every first attempt.
  if (input.idempotencyKey && input.photos.length) {
    const earlier = await replay(deps, input.idempotencyKey, requestHash);
    if (earlier) return { report: earlier, replayed: true };
  }
  const report = await checkFields(deps, input.fields);
  const processed: ProcessedPhoto[] = [];
  for (const [i, upload] of input.photos.entries()) processed.push(await processPhoto(upload, `photos[${i}]`));

  const written: string[] = [];
  try {
    for (const photo of processed) {
      if (await deps.storage.put(photo.hash, { display: photo.display, thumbnail: photo.thumbnail })) {
        written.push(photo.hash);
      }
    }
    failpoint('reports.after-photos-written');
    const key = input.idempotencyKey;
    const stored = await repo.insertReport(deps.pool, report, processed.map(toPhotoInsert), {
      helpGridM: deps.helpGridM,
      idempotency: key ? { key, requestHash } : undefined,
    });
    failpoint('reports.after-commit');
    deps.events.notify();
    return { report: stored, replayed: false };
  } catch (err) {
    // If even this fails (database gone), the start-up sweep removes the files later.
    await removeUnreferencedPhotos(deps.pool, deps.storage, written).catch(() => undefined);
    if (repo.isIdempotencyConflict(err) && input.idempotencyKey) {
      // A concurrent retry with the same key committed first: its result is ours.
      const earlier = await replay(deps, input.idempotencyKey, requestHash);
      if (earlier) return { report: earlier, replayed: true };
    }
    throw err;
  }
}

export const toPhotoInsert = (p: ProcessedPhoto): repo.PhotoInsert => ({
  hash: p.hash,
  width: p.width,
  height: p.height,
  thumbWidth: p.thumbWidth,
  thumbHeight: p.thumbHeight,
  bytes: p.display.length,
});

export async function confirmReport(
  deps: ReportsDeps,
  id: number,
  type: 'still_there' | 'gone',
): Promise<{ stillThere: number; gone: number }> {
  const counts = await repo.addConfirmation(deps.pool, id, type);
  if (!counts) throw AppError.notFound(`Report ${id}`);
  return counts;
}

/** Keyset cursors are opaque to clients: base64url of the last id seen. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ before: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof parsed.before === 'number' && Number.isSafeInteger(parsed.before) && parsed.before > 0) {
      return parsed.before;
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.validation([{ field: 'cursor', detail: 'is not a cursor this list gave out' }]);
}

export function reconcileHelpGrid(pool: pg.Pool, helpGridM: number): Promise<number> {
  return withTransaction(pool, (client) => repo.applyHelpGrid(client, helpGridM));
}
