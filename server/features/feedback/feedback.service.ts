// Citizens judge the fix and say a barrier affects them too (issue 16). Both are anonymous
// signals under the confirmations' rules (reports.service.ts confirmReport): one per device (its
// token hashed per report), bounded per network address, serialised per address and report.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.pipeline';
import { removeUnreferencedPhotos } from '../photos/photos.service';
import type { PhotoStorage } from '../photos/photos.storage';
import * as reports from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';
import { addressHashOf, CONFIRMATION_LIMITS, deviceHash, toPhotoInsert } from '../reports/reports.service';
import { appendPhotos } from '../triage/triage.repo';
import * as repo from './feedback.repo';

export interface FeedbackDeps {
  pool: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
  /** After a report was reopened by the public (followers are told, as for staff changes). */
  onStatusChange?: (reportId: number, status: Status) => void;
}

/** The confirmations' bounds: the same reasons (shared networks, anyone can make tokens). */
export const FEEDBACK_LIMITS = CONFIRMATION_LIMITS;

/**
 * A single genuine "No" reopens a recent fix, so what one network address can reopen is bounded
 * far below the confirmations' flood guard: beyond `notFixedPerHour` / `notFixedPerDay` "not
 * fixed" answers from one address, further ones are stored (the overview counts them) but reopen
 * nothing. A resolution older than `maxResolutionAgeDays` is not reopened by the public either:
 * after months a "No" is more likely a new problem at the place, and the page asks for a new report.
 */
export const REOPEN_LIMITS = { notFixedPerHour: 5, notFixedPerDay: 20, maxResolutionAgeDays: 90 } as const;

/** Why a stored "not fixed" did not reopen the report (said to the citizen: both are no secret). */
export type NotReopened = 'resolution_too_old' | 'too_many_from_address';

const OPEN: readonly Status[] = ['new', 'verified', 'assigned', 'in_progress'];

interface Signal {
  reportId: number;
  /** The citizen app's token; undefined for clients without one (endorsements only: each counted, within the bounds). */
  device: string | undefined;
  address: string;
}

function tooMany(seconds: number): AppError {
  return new AppError(
    429,
    'rate_limited',
    'Too many answers',
    `Too many answers from this network address; please try again in ${seconds} s.`,
    [],
    { 'Retry-After': String(seconds) },
  );
}

const notResolved = () =>
  new AppError(409, 'not_resolved', 'The report is not resolved', undefined, [
    { field: 'answer', detail: 'can only be given while the report is resolved' },
  ]);

export interface FixCheckOutcome extends repo.FixCounts {
  /** This answer was stored (false: the device answered this resolution before, or the address's share is full). */
  created: boolean;
  /** The report was opened again. */
  reopened: boolean;
  /** A stored "not fixed" that did not reopen the report, and why. */
  notReopened?: NotReopened;
}

function whyNotReopen(state: repo.ReopenState): NotReopened | undefined {
  if (state.resolutionAgeDays > REOPEN_LIMITS.maxResolutionAgeDays) return 'resolution_too_old';
  if (state.notFixedLastHour >= REOPEN_LIMITS.notFixedPerHour) return 'too_many_from_address';
  if (state.notFixedLastDay >= REOPEN_LIMITS.notFixedPerDay) return 'too_many_from_address';
  return undefined;
}

interface Judged {
  report: repo.LockedForFeedback;
  /** The device answered before, or the address's share for the report is full: nothing changes. */
  unchanged?: repo.FixCounts;
  notReopened?: NotReopened;
  /** A "not fixed" that will reopen the report (and keep its photo). */
  reopens: boolean;
}

/** What an answer would do, judged under the address's and the report's locks. */
async function judge(
  client: pg.PoolClient,
  s: { reportId: number; answer: repo.FixAnswer; device: Buffer | null; addressHash: Buffer },
): Promise<Judged> {
  await reports.lockConfirmationAddress(client, s.addressHash.readInt32BE(0));
  const report = await repo.lockPublicReport(client, s.reportId);
  if (!report) throw AppError.notFound(`Report ${s.reportId}`);
  if (report.status !== 'resolved' || !report.resolvedAt) throw notResolved();
  const state = await repo.readSignalState(client, 'fix_checks', {
    reportId: report.id,
    deviceHash: s.device,
    addressHash: s.addressHash,
    windowS: FEEDBACK_LIMITS.windowS,
  });
  if (state.mine || state.fromAddress >= FEEDBACK_LIMITS.perAddressAndReport)
    return { report, unchanged: await repo.countFixChecks(client, report.id), reopens: false };
  if (state.addressInWindow >= FEEDBACK_LIMITS.perAddressPerWindow) throw tooMany(state.windowFreesInS);
  const notReopened =
    s.answer === 'not_fixed' ? whyNotReopen(await repo.readReopenState(client, report.id, s.addressHash)) : undefined;
  return { report, notReopened, reopens: s.answer === 'not_fixed' && !notReopened };
}

/**
 * "Is it really fixed?": one answer per device and resolution. "not_fixed" reopens the report for
 * a coordinator at once (its history says the public did it), with the optional photo waiting
 * for staff review before it is public, within REOPEN_LIMITS.
 */
export async function checkFix(
  deps: FeedbackDeps,
  input: Signal & { answer: repo.FixAnswer; photo?: Buffer },
): Promise<FixCheckOutcome> {
  if (input.photo && input.answer !== 'not_fixed') {
    throw AppError.validation([{ field: 'photos', detail: 'go only with the answer not_fixed' }]);
  }
  const addressHash = await addressHashOf(deps.pool, input.address);
  const device = input.device === undefined ? null : deviceHash(input.reportId, input.device);
  const signal = { ...input, device, addressHash };
  // A photo is kept only with an answer that reopens the report, and a large AVIF costs seconds
  // of decoding: so the answer is judged first (404, 409, 429 or "would not reopen" without
  // decoding anything), then the photo decoded within the address's share before any lock is
  // held (photos.budget.ts), then judged again under the locks.
  const processed: ProcessedPhoto | undefined =
    input.photo && (await withTransaction(deps.pool, (client) => judge(client, signal))).reopens
      ? await processPhoto(input.photo, 'photos[0]', input.address)
      : undefined;
  const written: string[] = [];
  try {
    if (processed && (await deps.storage.put(processed.hash, processed))) written.push(processed.hash);
    const outcome = await withTransaction(deps.pool, async (client) => {
      const verdict = await judge(client, signal);
      if (verdict.unchanged) return { ...verdict.unchanged, created: false, reopened: false };
      const { report, notReopened } = verdict;
      await repo.insertFixCheck(client, {
        reportId: report.id,
        answer: input.answer,
        deviceHash: device,
        addressHash,
      });
      const counts = await repo.countFixChecks(client, report.id);
      if (input.answer === 'fixed') return { ...counts, created: true, reopened: false };
      if (notReopened) return { ...counts, created: true, reopened: false, notReopened };
      await repo.reopenByPublic(client, report.id);
      const history: reports.HistoryEntry[] = [
        { reportId: report.id, actorId: null, action: 'status', field: 'status', from: 'resolved', to: 'verified' },
      ];
      if (processed) {
        await appendPhotos(client, report.id, [toPhotoInsert(processed)]);
        history.push({ reportId: report.id, actorId: null, action: 'photo', to: '1' });
      }
      await reports.insertHistory(client, history);
      await reports.insertEvents(client, 'report.updated', [report.id]);
      return { ...counts, created: true, reopened: true };
    });
    if (outcome.reopened) {
      deps.events.notify();
      deps.onStatusChange?.(input.reportId, 'verified');
    }
    // A photo of an answer that was not stored is not kept either.
    if (!outcome.reopened) await removeUnreferencedPhotos(deps.pool, deps.storage, written);
    return outcome;
  } catch (err) {
    await removeUnreferencedPhotos(deps.pool, deps.storage, written).catch(() => undefined);
    throw err;
  }
}

export interface EndorsementOutcome {
  endorsements: number;
  created: boolean;
}

/** "Affects me too": once per device and report, on a report that is still open. */
export async function endorse(deps: FeedbackDeps, input: Signal): Promise<EndorsementOutcome> {
  const addressHash = await addressHashOf(deps.pool, input.address);
  const device = input.device === undefined ? null : deviceHash(input.reportId, input.device);
  return withTransaction(deps.pool, async (client) => {
    await reports.lockConfirmationAddress(client, addressHash.readInt32BE(0));
    const report = await repo.lockPublicReport(client, input.reportId);
    if (!report) throw AppError.notFound(`Report ${input.reportId}`);
    if (!OPEN.includes(report.status)) {
      throw new AppError(409, 'not_open', 'The report is not open', `Report ${report.id} is ${report.status}.`);
    }
    const state = await repo.readSignalState(client, 'endorsements', {
      reportId: report.id,
      deviceHash: device,
      addressHash,
      windowS: FEEDBACK_LIMITS.windowS,
    });
    if (state.mine || state.fromAddress >= FEEDBACK_LIMITS.perAddressAndReport) {
      return { endorsements: await repo.countEndorsements(client, report.id), created: false };
    }
    if (state.addressInWindow >= FEEDBACK_LIMITS.perAddressPerWindow) throw tooMany(state.windowFreesInS);
    const endorsements = await repo.insertEndorsement(client, { reportId: report.id, deviceHash: device, addressHash });
    return { endorsements, created: true };
  });
}

export interface PublicTimeline {
  report: reports.ReportRow;
  steps: repo.TimelineStep[];
}

/** The report as the public sees it and its story; undefined where the report is not public. */
export async function timeline(db: reports.Queryable, id: number): Promise<PublicTimeline | undefined> {
  const report = await reports.findReport(db, id, 'public');
  if (!report) return undefined;
  return { report, steps: await repo.listTimeline(db, id) };
}
