/**
 * Changing reports, shared by the queue's shortcuts and the detail panel: each change goes to
 * the server, and its answer (the report as it now is) is broadcast so every view updates.
 */
import type { Status } from '../lib/api';
import { announce } from '../lib/announce';
import { errorText, type ReportChanges, type StaffFeature } from '../lib/staff-api';
import type { Ctx } from './state';
import { t } from './strings';

/** Applies changes to one report; resolves with the changed report, or null (already announced). */
export async function changeReport(
  ctx: Ctx,
  feature: StaffFeature,
  changes: ReportChanges,
  what: string,
): Promise<StaffFeature | null> {
  try {
    const updated = await ctx.api.change(feature.id, changes);
    ctx.hub.emit('report', { feature: updated, created: false });
    announce(t.changed(feature.id, what));
    return updated;
  } catch (err) {
    announce(errorText(err, t.saveFailed), 'assertive');
    return null;
  }
}

export function setStatus(ctx: Ctx, feature: StaffFeature, status: Status): Promise<StaffFeature | null> {
  // Live events carry no allowed_transitions; then the server decides (and explains a 409).
  const allowed = feature.properties.allowed_transitions;
  if (Array.isArray(allowed) && !allowed.includes(status)) {
    announce(t.notAllowed(feature.id, status), 'assertive');
    return Promise.resolve(null);
  }
  return changeReport(ctx, feature, { status }, t.status(status));
}

export function assignTeam(ctx: Ctx, feature: StaffFeature, teamId: number): Promise<StaffFeature | null> {
  const name = ctx.teams.find((tm) => tm.id === teamId)?.name ?? `#${teamId}`;
  return changeReport(ctx, feature, { assigned_team_id: teamId }, `${t.assign} → ${name}`);
}

export function markDuplicate(ctx: Ctx, feature: StaffFeature, original: number): Promise<StaffFeature | null> {
  return changeReport(ctx, feature, { duplicate_of: original }, `${t.status('duplicate')} ${t.reportNo(original)}`);
}
