// SQL of what citizens tell about a report after it was made: "Is it really fixed?" (fix_checks),
// "Affects me too" (endorsements), and the report's public story (public_report_timeline).
// migrations/0017_feedback.sql.
import type pg from 'pg';
import { reportsFrom, type Queryable } from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';

export type FixAnswer = 'fixed' | 'not_fixed';

export interface LockedForFeedback {
  id: number;
  kind: string;
  status: Status;
  resolvedAt: Date | null;
  assignedTeamId: number | null;
}

/**
 * Locks the report's row if the public can see it (as confirmations do: the address lock is
 * taken first, reports.repo lockConfirmationAddress). Staff columns are read from the table, for
 * the service's rules only; nothing of them goes back to the citizen.
 */
export async function lockPublicReport(db: pg.PoolClient, id: number): Promise<LockedForFeedback | undefined> {
  const { rows } = await db.query<{
    id: number;
    kind: string;
    status: Status;
    resolved_at: Date | null;
    assigned_team_id: number | null;
  }>(
    `SELECT id, kind, status, resolved_at, assigned_team_id FROM reports
      WHERE id = $1 AND id IN (SELECT r.id FROM ${reportsFrom('public')}) FOR UPDATE`,
    [id],
  );
  const r = rows[0];
  return (
    r && { id: r.id, kind: r.kind, status: r.status, resolvedAt: r.resolved_at, assignedTeamId: r.assigned_team_id }
  );
}

/** What one answer decides on: the device's earlier one, and what its address sent. */
export interface SignalState {
  /** This device already answered (this resolution, for fix checks). */
  mine: boolean;
  fromAddress: number;
  addressInWindow: number;
  windowFreesInS: number;
}

// The resolution being judged is read in SQL, never through a JS Date: Date keeps milliseconds,
// PostgreSQL microseconds, and fix_checks.resolved_at must equal reports.resolved_at.
const CURRENT_RESOLUTION = '(SELECT cr.resolved_at FROM reports cr WHERE cr.id = $1)';

/**
 * `table` is fix_checks or endorsements (never user input). For fix checks, the device's earlier
 * answer and the address's count are those about the report's current resolution.
 */
export async function readSignalState(
  db: Queryable,
  table: 'fix_checks' | 'endorsements',
  q: { reportId: number; deviceHash: Buffer | null; addressHash: Buffer; windowS: number },
): Promise<SignalState> {
  const resolution = table === 'fix_checks' ? `AND s.resolved_at = ${CURRENT_RESOLUTION}` : '';
  const { rows } = await db.query<{
    mine: boolean;
    from_address: number;
    address_in_window: number;
    window_frees_in_s: number | null;
  }>(
    `WITH window_rows AS (
       SELECT created_at FROM ${table} WHERE address_hash = $3 AND created_at > now() - make_interval(secs => $4))
     SELECT EXISTS (SELECT 1 FROM ${table} s WHERE s.report_id = $1 AND s.device_hash = $2 ${resolution}) AS mine,
            (SELECT count(*) FROM ${table} s WHERE s.report_id = $1 AND s.address_hash = $3 ${resolution})::int
              AS from_address,
            (SELECT count(*) FROM window_rows)::int AS address_in_window,
            (SELECT ceil(extract(epoch FROM min(created_at) + make_interval(secs => $4) - now())) FROM window_rows)::int
              AS window_frees_in_s`,
    [q.reportId, q.deviceHash, q.addressHash, q.windowS],
  );
  const row = rows[0]!;
  return {
    mine: row.mine,
    fromAddress: row.from_address,
    addressInWindow: row.address_in_window,
    windowFreesInS: Math.max(1, row.window_frees_in_s ?? 1),
  };
}

/** An answer about the report's current resolution, with the team it was assigned to. */
export async function insertFixCheck(
  db: Queryable,
  c: { reportId: number; answer: FixAnswer; deviceHash: Buffer | null; addressHash: Buffer },
): Promise<void> {
  await db.query(
    `INSERT INTO fix_checks (report_id, answer, resolved_at, team_id, device_hash, address_hash)
     SELECT id, $2, resolved_at, assigned_team_id, $3, $4 FROM reports WHERE id = $1 AND resolved_at IS NOT NULL`,
    [c.reportId, c.answer, c.deviceHash, c.addressHash],
  );
}

/** What decides whether a "not fixed" may reopen: the address's recent ones, the resolution's age. */
export interface ReopenState {
  notFixedLastHour: number;
  notFixedLastDay: number;
  resolutionAgeDays: number;
}

/** Read before this answer is stored, under the address's lock (so concurrent answers queue). */
export async function readReopenState(db: Queryable, reportId: number, addressHash: Buffer): Promise<ReopenState> {
  const { rows } = await db.query<{ hour: number; day: number; age_days: number }>(
    `SELECT count(*) FILTER (WHERE created_at > now() - interval '1 hour')::int AS hour,
            count(*)::int AS day,
            (SELECT extract(epoch FROM now() - resolved_at) / 86400 FROM reports WHERE id = $1)::float8 AS age_days
       FROM fix_checks
      WHERE address_hash = $2 AND answer = 'not_fixed' AND created_at > now() - interval '1 day'`,
    [reportId, addressHash],
  );
  const r = rows[0]!;
  return { notFixedLastHour: r.hour, notFixedLastDay: r.day, resolutionAgeDays: r.age_days ?? 0 };
}

export interface FixCounts {
  fixed: number;
  notFixed: number;
}

/** The answers about the report's current resolution. */
export async function countFixChecks(db: Queryable, reportId: number): Promise<FixCounts> {
  const { rows } = await db.query<{ fixed: number; not_fixed: number }>(
    `SELECT count(*) FILTER (WHERE answer = 'fixed')::int AS fixed,
            count(*) FILTER (WHERE answer = 'not_fixed')::int AS not_fixed
       FROM fix_checks WHERE report_id = $1 AND resolved_at = ${CURRENT_RESOLUTION}`,
    [reportId],
  );
  return { fixed: rows[0]!.fixed, notFixed: rows[0]!.not_fixed };
}

/**
 * The public's "not fixed": open again for a coordinator (the one way back from resolved,
 * triage.workflow.ts), marked for attention in the queue; the team stays, so it is known who
 * fixed it. The public note described the fix that did not hold, so it goes.
 */
export async function reopenByPublic(db: Queryable, reportId: number): Promise<void> {
  await db.query(
    `UPDATE reports SET status = 'verified', resolved_at = NULL, resolution_note = NULL, needs_attention = true,
                        updated_at = now()
      WHERE id = $1`,
    [reportId],
  );
}

/** A new endorsement and the report's count, in one statement. */
export async function insertEndorsement(
  db: Queryable,
  e: { reportId: number; deviceHash: Buffer | null; addressHash: Buffer },
): Promise<number> {
  const { rows } = await db.query<{ endorsement_count: number }>(
    `WITH added AS (
       INSERT INTO endorsements (report_id, device_hash, address_hash) VALUES ($1, $2, $3) RETURNING report_id)
     UPDATE reports SET endorsement_count = endorsement_count + 1
      WHERE id = (SELECT report_id FROM added)
     RETURNING endorsement_count`,
    [e.reportId, e.deviceHash, e.addressHash],
  );
  return rows[0]!.endorsement_count;
}

export async function countEndorsements(db: Queryable, reportId: number): Promise<number> {
  const { rows } = await db.query<{ endorsement_count: number }>(
    'SELECT endorsement_count FROM reports WHERE id = $1',
    [reportId],
  );
  return rows[0]?.endorsement_count ?? 0;
}

export interface TimelineStep {
  step: string;
  team: string | null;
  byPublic: boolean;
  /** The volunteers' agreement made this step (verified). */
  byVolunteers: boolean;
  at: Date;
}

/** The report's public story, oldest first (the view decides what is public; this reads it). */
export async function listTimeline(db: Queryable, reportId: number): Promise<TimelineStep[]> {
  const { rows } = await db.query<{
    step: string;
    team: string | null;
    by_public: boolean;
    by_volunteers: boolean | null;
    created_at: Date;
  }>(
    `SELECT step, team, by_public, by_volunteers, created_at FROM public_report_timeline
      WHERE report_id = $1 ORDER BY id LIMIT 500`,
    [reportId],
  );
  return rows.map((r) => ({
    step: r.step,
    team: r.team,
    byPublic: r.by_public,
    byVolunteers: r.by_volunteers === true,
    at: r.created_at,
  }));
}
