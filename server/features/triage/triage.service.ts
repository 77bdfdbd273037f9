// Staff changes to a report: the workflow, assignment, duplicates, notes — each change in the
// audit history and on the live feed, all in one transaction.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { User } from '../auth/auth.repo';
import type { Taxonomy } from '../categories/categories.service';
import * as reports from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.pipeline';
import { removeUnreferencedPhotos } from '../photos/photos.service';
import type { PhotoStorage } from '../photos/photos.storage';
import { toPhotoInsert } from '../reports/reports.service';
import * as repo from './triage.repo';
import { allowedTransitions, canTransition } from './triage.workflow';

export interface TriageDeps {
  pool: pg.Pool;
  events: EventBus;
  taxonomy: Taxonomy;
  /** After a status change is committed (the senders of an SMS or messenger report are told). */
  onStatusChange?: (reportId: number, status: Status) => void;
}

export interface ReportUpdate {
  status?: Status;
  severity?: number;
  category?: string;
  assigned_team_id?: number | null;
  assigned_user_id?: number | null;
  duplicate_of?: number | null;
  note?: string;
  /** Written for the public: shown on the report page while it is resolved (staff notes never are). */
  resolution_note?: string | null;
}

const OPEN_UNASSIGNED: readonly Status[] = ['new', 'verified'];

function isMine(report: repo.LockedReport, actor: User): boolean {
  return (
    report.assignedUserId === actor.id ||
    (report.assignedUserId === null && report.assignedTeamId !== null && report.assignedTeamId === actor.teamId)
  );
}

async function exists(client: pg.PoolClient, table: 'teams' | 'users', id: number): Promise<boolean> {
  // Work goes to staff: a volunteer's account is no one to assign a report to.
  const staffOnly = table === 'users' ? ` AND role <> 'volunteer'` : '';
  const { rowCount } = await client.query(`SELECT 1 FROM ${table} WHERE id = $1${staffOnly}`, [id]);
  return rowCount === 1;
}

/** Works out and stores one report's changes; throws 403/404/409/422 problems; the new status, if changed. */
async function applyUpdate(
  deps: TriageDeps,
  client: pg.PoolClient,
  actor: User,
  id: number,
  input: ReportUpdate,
): Promise<Status | undefined> {
  const current = await repo.lockReport(client, id, actor);
  if (!current) throw AppError.notFound(`Report ${id}`);
  if (actor.role === 'responder') {
    const others = Object.keys(input).filter((k) => !['status', 'note', 'resolution_note'].includes(k));
    if (!isMine(current, actor) || others.length) {
      throw new AppError(
        403,
        'forbidden',
        'Not allowed',
        'Responders may start, resolve and note their own assignments only.',
      );
    }
  }
  const changes: repo.ReportChanges = {};
  const history: reports.HistoryEntry[] = [];
  const record = (field: string, from: string | number | null, to: string | number | null, action = 'changed') =>
    history.push({
      reportId: id,
      actorId: actor.id,
      action,
      field,
      from: from === null ? null : String(from),
      to: to === null ? null : String(to),
    });
  let status = input.status;

  if (input.duplicate_of !== undefined && input.duplicate_of !== null) {
    const named = input.duplicate_of === id ? undefined : await repo.lockReport(client, input.duplicate_of, actor);
    // A duplicate of a duplicate points at the first report.
    const original =
      named && named.duplicateOf !== null ? await repo.lockReport(client, named.duplicateOf, actor) : named;
    if (original === undefined || original.id === id) {
      throw AppError.validation([{ field: 'duplicate_of', detail: 'must be another existing report' }]);
    }
    // The public page names the original: a help request (published on a coarse grid) linked to
    // a barrier (published at its exact point) would give its place away, and the reverse
    // would mix two kinds of work. Help to help stays allowed: both points are coarse.
    if (original.kind !== current.kind) {
      throw AppError.validation([
        { field: 'duplicate_of', detail: `must be a report of the same kind (${current.kind}), not ${original.kind}` },
      ]);
    }
    const target = original.id;
    status ??= 'duplicate';
    if (status !== 'duplicate')
      throw AppError.validation([{ field: 'status', detail: 'must be duplicate with duplicate_of' }]);
    changes.duplicateOf = target;
    record('duplicate_of', current.duplicateOf, target);
    // Citizens' confirmations of the duplicate now count for the original.
    await repo.addConfirmationCounts(client, target, current.stillThere, current.gone);
    history.push({ reportId: target, actorId: actor.id, action: 'merged', field: 'duplicate', to: String(id) });
  }

  // An assignment the report still carries counts as given again while it waits for one: a
  // report a citizen's "not fixed" reopened keeps its team, and "Assign" to that team must pass
  // it on again (issue 16's trial: the notice said assigned and nothing changed).
  const waiting = status === undefined && OPEN_UNASSIGNED.includes(current.status);
  let assigning = false;
  for (const [field, table] of [
    ['assigned_team_id', 'teams'],
    ['assigned_user_id', 'users'],
  ] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && !(await exists(client, table, value))) {
      throw AppError.validation([{ field, detail: `${table === 'teams' ? 'team' : 'user'} ${value} does not exist` }]);
    }
    const key = field === 'assigned_team_id' ? 'assignedTeamId' : 'assignedUserId';
    if (value !== current[key] || (value !== null && waiting)) {
      if (value !== current[key]) changes[key] = value;
      record(field, current[key], value, 'assigned');
      assigning ||= value !== null;
    }
  }
  if (assigning && waiting) status = 'assigned';

  if (status !== undefined && status !== current.status) {
    if (!canTransition(current.status, status, actor.role)) {
      const allowed = allowedTransitions(current.status, actor.role);
      throw new AppError(409, 'transition_not_allowed', 'Status change not allowed', undefined, [
        {
          field: 'status',
          detail: `${current.status} → ${status} is not allowed; allowed: ${allowed.join(', ') || 'none'}`,
        },
      ]);
    }
    changes.status = status;
    record('status', current.status, status, 'status');
    if (current.status === 'duplicate' && changes.duplicateOf === undefined) {
      changes.duplicateOf = null;
      record('duplicate_of', current.duplicateOf, null);
    }
  }

  // "Assigned" to nobody is work nobody will do: refuse it where this change would make it.
  const finalStatus = changes.status ?? current.status;
  const team = changes.assignedTeamId !== undefined ? changes.assignedTeamId : current.assignedTeamId;
  const person = changes.assignedUserId !== undefined ? changes.assignedUserId : current.assignedUserId;
  const touchesAssignment =
    changes.status !== undefined || changes.assignedTeamId !== undefined || changes.assignedUserId !== undefined;
  if (finalStatus === 'assigned' && team === null && person === null && touchesAssignment) {
    throw AppError.validation([
      { field: 'assigned_team_id', detail: 'must be chosen: an assigned report needs a team or a person' },
    ]);
  }

  if (input.severity !== undefined && input.severity !== current.severity) {
    changes.severity = input.severity;
    record('severity', current.severity, input.severity);
  }
  if (input.category !== undefined && input.category !== current.category) {
    const category = await deps.taxonomy.find(input.category);
    if (!category || category.kind !== current.kind) {
      throw AppError.validation([{ field: 'category', detail: `must be a ${current.kind} category` }]);
    }
    changes.category = category.code;
    record('category', current.category, category.code);
  }

  if (input.resolution_note !== undefined) {
    const note = input.resolution_note === '' ? null : input.resolution_note;
    changes.resolutionNote = note;
    record('resolution_note', null, note);
  } else if (changes.status !== undefined && current.status === 'resolved') {
    // Reopened: the last fix's note no longer describes the report.
    changes.resolutionNote = null;
  }

  await repo.updateReport(client, id, changes);
  if (input.note) {
    await repo.insertNote(client, id, actor.id, input.note);
    history.push({ reportId: id, actorId: actor.id, action: 'note' });
  }
  await reports.insertHistory(client, history);
  const touched = [...new Set(history.map((h) => h.reportId))];
  await reports.insertEvents(client, 'report.updated', touched);
  return changes.status;
}

export async function updateReport(
  deps: TriageDeps,
  actor: User,
  id: number,
  input: ReportUpdate,
): Promise<reports.ReportRow> {
  const status = await withTransaction(deps.pool, (client) => applyUpdate(deps, client, actor, id, input));
  deps.events.notify();
  if (status) deps.onStatusChange?.(id, status);
  return (await repo.findStaffReport(deps.pool, id, actor))!;
}

/** Each report in its own transaction: one refusal does not undo the others. */
export async function updateReports(
  deps: TriageDeps,
  actor: User,
  ids: number[],
  input: ReportUpdate,
): Promise<{ id: number; status: number; detail?: string }[]> {
  const results = [];
  for (const id of ids) {
    try {
      const status = await withTransaction(deps.pool, (client) => applyUpdate(deps, client, actor, id, input));
      results.push({ id, status: 200 });
      if (status) deps.onStatusChange?.(id, status);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ id, status: err.status, detail: err.errors[0]?.detail ?? err.detail });
    }
  }
  deps.events.notify();
  return results;
}

export async function addNote(deps: TriageDeps, actor: User, id: number, body: string) {
  const noteId = await withTransaction(deps.pool, async (client) => {
    const report = await repo.lockReport(client, id, actor);
    if (!report) throw AppError.notFound(`Report ${id}`);
    if (actor.role === 'responder' && !isMine(report, actor)) {
      throw new AppError(403, 'forbidden', 'Not allowed', 'Responders may note their own assignments only.');
    }
    const noteId = await repo.insertNote(client, id, actor.id, body);
    await reports.insertHistory(client, [{ reportId: id, actorId: actor.id, action: 'note' }]);
    await reports.insertEvents(client, 'report.updated', [id]);
    return noteId;
  });
  deps.events.notify();
  return (await repo.listNotes(deps.pool, id)).find((n) => n.id === noteId)!;
}

export { isMine };

/** A responder's or coordinator's photos (e.g. of the fixed barrier), added to the report. */
export async function addStaffPhotos(
  deps: TriageDeps & { storage: PhotoStorage },
  actor: User,
  id: number,
  uploads: Buffer[],
): Promise<reports.ReportRow> {
  if (!uploads.length) throw AppError.validation([{ field: 'photos', detail: 'at least one photo is required' }]);
  const processed: ProcessedPhoto[] = [];
  // Within the account's own share of decoding, as a citizen's photos within their address's:
  // two staff uploads of giant AVIFs at once otherwise held everyone's photos (issue 11's attack).
  for (const [i, upload] of uploads.entries())
    processed.push(await processPhoto(upload, `photos[${i}]`, `staff:${actor.id}`));
  const written: string[] = [];
  try {
    for (const p of processed)
      if (await deps.storage.put(p.hash, { display: p.display, thumbnail: p.thumbnail })) written.push(p.hash);
    await withTransaction(deps.pool, async (client) => {
      const report = await repo.lockReport(client, id, actor);
      if (!report) throw AppError.notFound(`Report ${id}`);
      if (actor.role === 'responder' && !isMine(report, actor)) {
        throw new AppError(403, 'forbidden', 'Not allowed', 'Responders may add photos to their own assignments only.');
      }
      // Staff photograph the fix: these are the report page's "after" photos.
      await repo.appendPhotos(client, id, processed.map(toPhotoInsert), 'resolution');
      await reports.insertHistory(client, [
        { reportId: id, actorId: actor.id, action: 'photo', to: String(processed.length) },
      ]);
      await reports.insertEvents(client, 'report.updated', [id]);
    });
  } catch (err) {
    await removeUnreferencedPhotos(deps.pool, deps.storage, written).catch(() => undefined);
    throw err;
  }
  deps.events.notify();
  return (await repo.findStaffReport(deps.pool, id, actor))!;
}
