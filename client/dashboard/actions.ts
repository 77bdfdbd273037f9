/**
 * Changing reports, shared by the queue's shortcuts and the detail panel: each change goes to
 * the server, and its answer (the report as it now is) is broadcast so every view updates.
 * Every outcome is a visible notice (notices.ts); a status change carries an Undo that puts
 * the report back as it was through the same API. A change cut off by an ended session waits
 * in `pending` and is sent again after the person signs in (main.ts).
 */
import type { Status } from '../lib/api';
import { SessionExpired, type BulkResult, type ReportChanges, type StaffFeature } from '../lib/staff-api';
import { problemText, showError, showResult } from './notices';
import type { Ctx } from './state';
import { t } from './strings';

/** How long the Undo of a one-key action is offered. */
export const UNDO_MS = 8000;

/** A change cut off by an ended session: what it was, in words, and how to send it again. */
export interface Pending {
  what: string;
  send(): Promise<void>;
}

/** A kept change not sent because someone else changed the report meanwhile. */
export class ChangedMeanwhile extends Error {
  constructor(readonly id: number) {
    super(t.pendingStale(id));
  }
}

/** Changes refused only because the session had ended (reports, notes, accounts, teams); sent again after signing in. */
export const pending: Pending[] = [];

let lastUndo: { id: number; until: number; run: () => Promise<unknown> } | null = null;

/** Takes back the last one-key action while its Undo is offered (the u key); false when there is none. */
export function undoLast(): boolean {
  if (!lastUndo || Date.now() > lastUndo.until) return false;
  const { run } = lastUndo;
  lastUndo = null;
  document.querySelectorAll('.notice__action[data-undo]').forEach((b) => b.closest('.notice')?.remove());
  void run();
  return true;
}

/** Applies changes to one report; resolves with the changed report, or null (the notice says why). */
export async function changeReport(
  ctx: Ctx,
  feature: StaffFeature,
  changes: ReportChanges,
  what: string,
  options: { undo?: boolean; failure?: string } = {},
): Promise<StaffFeature | null> {
  try {
    const updated = await ctx.api.change(feature.id, changes);
    ctx.hub.emit('report', { feature: updated, created: false });
    const message =
      changes.status === 'rejected'
        ? t.rejectedNow(feature.id)
        : changes.status
          ? t.statusNow(feature.id, changes.status)
          : t.changed(feature.id, what);
    if (options.undo) offerUndo(ctx, feature, updated, message);
    else showResult(message);
    return updated;
  } catch (err) {
    if (err instanceof SessionExpired) {
      pending.push({
        what: t.changed(feature.id, what.replace(/\.$/, '')),
        send: async () => {
          // While this person was signed out, a colleague may have reassigned or changed the
          // report: sent blindly, the kept change would undo theirs unseen (issue 13's attack).
          const now = await ctx.api.report(feature.id);
          if (now.properties.updated_at !== feature.properties.updated_at) throw new ChangedMeanwhile(feature.id);
          const updated = await ctx.api.change(feature.id, changes);
          ctx.hub.emit('report', { feature: updated, created: false });
        },
      });
      return null;
    }
    showError(problemText(err, options.failure ?? t.changeFailed(feature.id)));
    return null;
  }
}

/** What puts a report back: its earlier status and assignment, where they changed. */
function undoChanges(before: StaffFeature, after: StaffFeature): ReportChanges {
  const b = before.properties;
  const a = after.properties;
  const back: ReportChanges = {};
  if (a.status !== b.status) back.status = b.status;
  if (a.assigned_team_id !== b.assigned_team_id) back.assigned_team_id = b.assigned_team_id ?? null;
  if (a.assigned_user_id !== b.assigned_user_id) back.assigned_user_id = b.assigned_user_id ?? null;
  return back;
}

function offerUndo(ctx: Ctx, before: StaffFeature, after: StaffFeature, message: string): void {
  const run = async () => {
    showResult(t.undoing(before.id));
    const back = undoChanges(before, after);
    const target = back.status ?? after.properties.status;
    try {
      let now = after;
      // The workflow leads back from rejected and duplicate only through "new".
      if (back.status && !after.properties.allowed_transitions?.includes(back.status)) {
        now = await ctx.api.change(before.id, { ...back, status: 'new' });
        if (back.status !== 'new') now = await ctx.api.change(before.id, { status: back.status });
      } else if (Object.keys(back).length) now = await ctx.api.change(before.id, back);
      ctx.hub.emit('report', { feature: now, created: false });
      showResult(t.undone(before.id, target));
    } catch (err) {
      showError(problemText(err, t.undoFailed(before.id)));
    }
  };
  const entry = { id: before.id, until: Date.now() + UNDO_MS, run };
  lastUndo = entry;
  // The button works as long as it is shown (focus or the pointer on it keeps it); the key
  // only within the time.
  const take = () => {
    if (lastUndo === entry) lastUndo = null;
    return run();
  };
  const el = showResult(message, { timeout: UNDO_MS, action: { label: t.undo, run: take, key: 'u' } });
  el?.querySelector('.notice__action')?.setAttribute('data-undo', String(before.id));
}

export function setStatus(ctx: Ctx, feature: StaffFeature, status: Status): Promise<StaffFeature | null> {
  // Live events carry no allowed_transitions; then the server decides (and explains a 409).
  const allowed = feature.properties.allowed_transitions;
  if (Array.isArray(allowed) && !allowed.includes(status)) {
    showError(t.notAllowed(feature.id, status));
    return Promise.resolve(null);
  }
  return changeReport(ctx, feature, { status }, t.status(status), { undo: true });
}

export function assignTeam(ctx: Ctx, feature: StaffFeature, teamId: number): Promise<StaffFeature | null> {
  const name = ctx.teams.find((tm) => tm.id === teamId)?.name ?? `#${teamId}`;
  return changeReport(ctx, feature, { assigned_team_id: teamId }, `${t.assign} → ${name}`, { undo: true });
}

export function markDuplicate(ctx: Ctx, feature: StaffFeature, original: number): Promise<StaffFeature | null> {
  return changeReport(ctx, feature, { duplicate_of: original }, `${t.status('duplicate')} ${t.reportNo(original)}`, {
    undo: true,
    failure: t.duplicateFailed(feature.id, original),
  });
}

/**
 * A change to many reports, each on its own: the notice names the reports that changed and,
 * for each that did not, why (the server's reason, in words).
 */
export async function bulkChange(
  ctx: Ctx,
  ids: number[],
  changes: Parameters<Ctx['api']['bulk']>[1],
): Promise<BulkResult[] | null> {
  try {
    const { results } = await ctx.api.bulk(ids, changes);
    const ok = results.filter((r) => (typeof r.status === 'number' ? r.status < 300 : !r.detail));
    const failed = results.filter((r) => !ok.includes(r)).map((r) => ({ id: r.id, why: bulkReason(r) }));
    const message = t.bulkOutcome(
      ok.map((r) => r.id),
      failed,
    );
    if (failed.length) showError(message);
    else showResult(message);
    return results;
  } catch (err) {
    showError(problemText(err, t.saveFailed));
    return null;
  }
}

function bulkReason(r: BulkResult): string {
  const detail = r.detail ?? '';
  // "verified → rejected is not allowed; allowed: …" reads better as the statuses' names.
  const transition = /^(\w+) → (\w+) is not allowed/.exec(detail);
  if (transition) return t.cannotGo(transition[1] as Status, transition[2] as Status);
  if (r.status === 404) return t.noSuchReport;
  return detail || `error ${r.status}`;
}
