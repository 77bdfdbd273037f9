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
import { recordHelpGrid, type HelpGridChange } from './help-grid';
import { storeBatched } from './reports.batch';
import * as repo from './reports.repo';
import type { ReportSource } from './reports.repo';
import type { NewReport } from './reports.schemas';

export interface ReportsDeps {
  pool: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
  taxonomy: Taxonomy;
  helpGridM: number;
  /**
   * Barriers: 'post' publishes them at once (staff can take them down), 'pre' keeps them off
   * every public channel until a coordinator published them. Help requests always wait.
   */
  barrierModeration?: BarrierModeration;
}

export type BarrierModeration = 'pre' | 'post';

export interface CreateReportInput {
  fields: NewReport;
  photos: Buffer[];
  idempotencyKey?: string;
  /** The client address: its photos decode within its own share (photos.budget.ts). */
  client?: string;
  /** The channel it came through; 'web' when not said. */
  source?: ReportSource;
  /** Imports: the record's identity in its origin (a second import of it adds nothing). */
  originRef?: string;
  /** Imports: when it was reported in its origin (a future date is taken as now). */
  createdAt?: Date;
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

/** The row a report's fields make, after the taxonomy's checks (also for reports filed from the inbox). */
export async function checkFields(
  deps: ReportsDeps,
  fields: NewReport,
  origin: Pick<CreateReportInput, 'source' | 'originRef' | 'createdAt'> = {},
): Promise<repo.ReportInsert> {
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
    source: origin.source ?? 'web',
    originRef: origin.originRef ?? null,
    createdAt: origin.createdAt ?? null,
    ...publication(category.kind, deps.barrierModeration ?? 'post'),
  };
}

/** Whether a new report waits for a person (docs/PRIVACY.md, "Moderation before publication"). */
function publication(kind: string, barriers: BarrierModeration): Pick<repo.ReportInsert, 'review' | 'hidden'> {
  if (kind === 'help') return { review: 'pending', hidden: false };
  return barriers === 'pre' ? { review: 'pending', hidden: true } : { review: 'published', hidden: false };
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
  const report = await checkFields(deps, input.fields, input);
  if (!input.photos.length && !input.originRef && !input.createdAt)
    return createBatched(deps, input, report, requestHash);
  const processed: ProcessedPhoto[] = [];
  for (const [i, upload] of input.photos.entries())
    processed.push(await processPhoto(upload, `photos[${i}]`, input.client));

  const written: string[] = [];
  try {
    for (const photo of processed) {
      if (await deps.storage.put(photo.hash, { display: photo.display, thumbnail: photo.thumbnail })) {
        written.push(photo.hash);
      }
    }
    failpoint('reports.after-photos-written');
    const key = input.idempotencyKey;
    const id = await repo.insertReport(deps.pool, report, processed.map(toPhotoInsert), {
      helpGridM: deps.helpGridM,
      idempotency: key ? { key, requestHash } : undefined,
    });
    failpoint('reports.after-commit');
    deps.events.notify();
    // The answer is the report as the public read model shows it, pending words withheld.
    const stored = await repo.findReport(deps.pool, id, 'public', { anyStatus: true });
    return { report: stored!, replayed: false };
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

/**
 * A report without photos (nor an import's origin) goes into the next group commit
 * (reports.batch.ts), which also reads the stored report back for the answer.
 */
async function createBatched(
  deps: ReportsDeps,
  input: CreateReportInput,
  report: repo.ReportInsert,
  requestHash: string,
): Promise<{ report: repo.ReportRow; replayed: boolean }> {
  const key = input.idempotencyKey;
  const outcome = await storeBatched(deps.pool, {
    report,
    helpGridM: deps.helpGridM,
    idempotency: key ? { key, requestHash } : undefined,
  });
  if ('stored' in outcome) {
    failpoint('reports.after-commit');
    deps.events.notify();
    return { report: outcome.stored, replayed: false };
  }
  // The key was taken, by an earlier request or a concurrent one: its result is ours.
  const earlier = key ? await replay(deps, key, requestHash) : undefined;
  if (!earlier) throw new Error('an idempotency key was taken but its report could not be found');
  return { report: earlier, replayed: true };
}

export const toPhotoInsert = (p: ProcessedPhoto): repo.PhotoInsert => ({
  hash: p.hash,
  width: p.width,
  height: p.height,
  thumbWidth: p.thumbWidth,
  thumbHeight: p.thumbHeight,
  bytes: p.display.length,
});

/**
 * Bounds on what one network address adds to anonymous confirmations. Generous, because a
 * shelter's wifi or a carrier's NAT puts many real people behind one address; bounded, because
 * anyone can make device tokens. More than `perAddressAndReport` from one place says nothing
 * new about one barrier, so further ones are accepted but not counted; `perAddressPerWindow`
 * (new or changed answers over all reports) is the flood guard and answers 429.
 */
export const CONFIRMATION_LIMITS = { perAddressAndReport: 10, perAddressPerWindow: 300, windowS: 3600 } as const;

export interface ConfirmationInput {
  reportId: number;
  type: repo.ConfirmationType;
  /** The token the citizen app keeps (a UUID, lower case); undefined for clients without one. */
  device: string | undefined;
  /** The client's network address as the rate limits count it. */
  address: string;
}

export interface ConfirmationOutcome extends repo.ConfirmationCounts {
  /** This answer is in the counts (new, changed, or the same as before). */
  counted: boolean;
  /** A new confirmation was stored. */
  created: boolean;
}

/** The address key is made once per database (migrations/0008); read once per pool. */
const addressKeys = new WeakMap<pg.Pool, Promise<Buffer>>();

function addressKey(pool: pg.Pool): Promise<Buffer> {
  let key = addressKeys.get(pool);
  if (!key) {
    key = repo.findConfirmationAddressKey(pool).then((hex) => {
      if (!hex) throw new Error('settings.confirmation_address_key is missing (migrations/0008)');
      return Buffer.from(hex, 'hex');
    });
    // A failed read (database away) is tried again by the next confirmation.
    void key.catch(() => addressKeys.delete(pool));
    addressKeys.set(pool, key);
  }
  return key;
}

/**
 * Per report, so that one device's confirmations of different reports cannot be linked
 * (they would trace where its owner went). The token has 122 random bits: no key needed.
 */
export const deviceHash = (reportId: number, device: string): Buffer =>
  crypto.createHash('sha256').update(`wegfrei confirmation ${reportId} ${device}`).digest();

/** The network address as anonymous signals keep it: an HMAC under the database's key. */
export async function addressHashOf(pool: pg.Pool, address: string): Promise<Buffer> {
  return crypto
    .createHmac('sha256', await addressKey(pool))
    .update(address)
    .digest();
}

/**
 * One confirmation per device and report: the same answer again changes nothing, the other
 * answer replaces the device's earlier one. Confirmations without a device token are each
 * counted, within the same per-address bounds. Counters change in the transaction that
 * writes the row, under the report's row lock, so they always equal the rows.
 */
export async function confirmReport(deps: ReportsDeps, input: ConfirmationInput): Promise<ConfirmationOutcome> {
  const limits = CONFIRMATION_LIMITS;
  const addressHash = await addressHashOf(deps.pool, input.address);
  const device = input.device === undefined ? null : deviceHash(input.reportId, input.device);
  return withTransaction(deps.pool, async (client) => {
    await repo.lockConfirmationAddress(client, addressHash.readInt32BE(0));
    const state = await repo.lockConfirmationState(client, {
      reportId: input.reportId,
      deviceHash: device,
      addressHash,
      windowS: limits.windowS,
    });
    if (!state) throw AppError.notFound(`Report ${input.reportId}`);
    const unchanged = { stillThere: state.stillThere, gone: state.gone, created: false };
    if (state.mine?.type === input.type) return { ...unchanged, counted: true };
    if (!state.mine && state.fromAddress >= limits.perAddressAndReport) return { ...unchanged, counted: false };
    if (state.addressInWindow >= limits.perAddressPerWindow) {
      throw new AppError(
        429,
        'rate_limited',
        'Too many confirmations',
        `Too many confirmations from this network address; please try again in ${state.windowFreesInS} s.`,
        [],
        { 'Retry-After': String(state.windowFreesInS) },
      );
    }
    if (state.mine) {
      const counts = await repo.changeConfirmation(client, { id: state.mine.id, type: input.type, addressHash });
      return { ...counts, counted: true, created: false };
    }
    const counts = await repo.insertConfirmation(client, {
      reportId: input.reportId,
      type: input.type,
      deviceHash: device,
      addressHash,
    });
    return { ...counts, counted: true, created: true };
  });
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

/** At start: records HELP_GRID_M; published help requests keep their cells (help-grid.ts). */
export function reconcileHelpGrid(pool: pg.Pool, helpGridM: number): Promise<HelpGridChange | undefined> {
  return withTransaction(pool, (client) => recordHelpGrid(client, helpGridM));
}
