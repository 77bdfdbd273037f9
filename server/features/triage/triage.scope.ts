// Which reports a staff member may read: the one rule every staff read applies (detail,
// history, notes, list, staff tiles and clusters, live events). Coordinators and admins see
// every report; a responder sees the work of their own and their team, nobody else's contacts
// or exact points. A report outside the scope answers 404, as if it did not exist.
import type { Role } from '../auth/auth.repo';

/** Who is reading: the parts of a staff user the scope depends on. */
export interface Viewer {
  id: number;
  role: Role;
  teamId: number | null;
}

/** True when the viewer's scope is every report (no SQL term needed). */
// Named roles only: a role added later (volunteer) sees nothing by default.
export const seesEverything = (viewer: Viewer): boolean => viewer.role === 'admin' || viewer.role === 'coordinator';

/**
 * The scope as one SQL term on the reports table aliased `alias`; `param` adds a bound value and
 * returns its placeholder. A responder reads a report assigned to them, or to their team (a
 * teammate's assignment included: the team shares its work). Changing a report is narrower
 * (triage.service.ts `isMine`).
 */
export function staffScope(viewer: Viewer, param: (value: unknown) => string, alias = 'r'): string {
  if (seesEverything(viewer)) return 'true';
  const own = `${alias}.assigned_user_id = ${param(viewer.id)}`;
  return viewer.teamId === null ? own : `(${own} OR ${alias}.assigned_team_id = ${param(viewer.teamId)})`;
}

/**
 * staffScope's rule for a report already read: the live feed reads each event once for every
 * stream (live.feed.ts) and each stream keeps what its viewer may read.
 */
export function inScope(
  viewer: Viewer,
  report: { assignedUserId: number | null; assignedTeamId: number | null },
): boolean {
  if (seesEverything(viewer)) return true;
  return report.assignedUserId === viewer.id || (viewer.teamId !== null && report.assignedTeamId === viewer.teamId);
}
