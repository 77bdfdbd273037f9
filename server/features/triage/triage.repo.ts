// SQL of triage: locking a report for a change, notes, history, one staff report, a responder's
// assignments. The staff list and its search are in triage.list.repo.ts.
import {
  insertPhotos,
  PRIORITY_SQL,
  selectReport,
  toReportRow,
  type PhotoInsert,
  type PhotoStage,
  type Queryable,
  type ReportRow,
} from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';
import { staffScope, type Viewer } from './triage.scope';

export interface LockedReport {
  id: number;
  kind: string;
  category: string;
  status: Status;
  severity: number;
  assignedTeamId: number | null;
  assignedUserId: number | null;
  duplicateOf: number | null;
  stillThere: number;
  gone: number;
}

/** Locks a report the viewer may read; undefined if there is none (or not in their scope). */
export async function lockReport(db: Queryable, id: number, viewer: Viewer): Promise<LockedReport | undefined> {
  const params: unknown[] = [id];
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, kind, category, status, severity, assigned_team_id, assigned_user_id, duplicate_of,
            still_there_count, gone_count
       FROM reports r WHERE r.id = $1 AND ${staffScope(viewer, (v) => `$${params.push(v)}`)} FOR UPDATE`,
    params,
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id as number,
    kind: r.kind as string,
    category: r.category as string,
    status: r.status as Status,
    severity: r.severity as number,
    assignedTeamId: r.assigned_team_id as number | null,
    assignedUserId: r.assigned_user_id as number | null,
    duplicateOf: r.duplicate_of as number | null,
    stillThere: r.still_there_count as number,
    gone: r.gone_count as number,
  };
}

export interface ReportChanges {
  status?: Status;
  severity?: number;
  category?: string;
  assignedTeamId?: number | null;
  assignedUserId?: number | null;
  duplicateOf?: number | null;
  /** The note for the public (shown on the report page while it is resolved). */
  resolutionNote?: string | null;
}

const COLUMNS: Record<keyof ReportChanges, string> = {
  status: 'status',
  severity: 'severity',
  category: 'category',
  assignedTeamId: 'assigned_team_id',
  assignedUserId: 'assigned_user_id',
  duplicateOf: 'duplicate_of',
  resolutionNote: 'resolution_note',
};

export async function updateReport(db: Queryable, id: number, changes: ReportChanges): Promise<void> {
  const params: unknown[] = [id];
  const sets = Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${COLUMNS[k as keyof ReportChanges]} = $${params.push(v)}`);
  if (changes.status) {
    sets.push(`resolved_at = CASE WHEN $${params.push(changes.status)} = 'resolved' THEN now() ELSE NULL END`);
    // A citizen's "not fixed" waits for a coordinator until someone moves the report on.
    sets.push('needs_attention = false');
  }
  if (!sets.length) return;
  await db.query(`UPDATE reports SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
}

/** A duplicate's confirmations count for its original. */
export async function addConfirmationCounts(
  db: Queryable,
  id: number,
  stillThere: number,
  gone: number,
): Promise<void> {
  await db.query(
    `UPDATE reports SET still_there_count = still_there_count + $2, gone_count = gone_count + $3, updated_at = now()
      WHERE id = $1`,
    [id, stillThere, gone],
  );
}

export async function insertNote(db: Queryable, reportId: number, authorId: number, body: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO report_notes (report_id, author_id, body) VALUES ($1, $2, $3) RETURNING id',
    [reportId, authorId, body],
  );
  return rows[0]!.id;
}

export interface NoteRow {
  id: number;
  author: { id: number; name: string } | null;
  body: string;
  created_at: Date;
}

export async function listNotes(db: Queryable, reportId: number): Promise<NoteRow[]> {
  const { rows } = await db.query<NoteRow>(
    `SELECT n.id, CASE WHEN u.id IS NULL THEN NULL
                       ELSE json_build_object('id', u.id, 'name', coalesce(nullif(u.name, ''), u.email)) END AS author,
            n.body, n.created_at
       FROM report_notes n LEFT JOIN users u ON u.id = n.author_id
      WHERE n.report_id = $1 ORDER BY n.id`,
    [reportId],
  );
  return rows;
}

export interface HistoryRow {
  id: number;
  actor: { id: number; name: string; role: string } | null;
  /** 'volunteers' when their agreement made the change (server/features/volunteers). */
  actor_group: string | null;
  action: string;
  field: string | null;
  from: string | null;
  to: string | null;
  /** The team's, person's or deployment's name where `from`/`to` is its id (staff read names). */
  from_name: string | null;
  to_name: string | null;
  /** The note's text on a 'note' entry. */
  note: string | null;
  created_at: Date;
}

// Ids are compared as text: from_value/to_value hold statuses and counts too, and a cast to
// bigint in a join condition may run before the field test and fail on 'new'.
const NAMED = `
  LEFT JOIN teams ft ON h.field = 'assigned_team_id' AND ft.id::text = h.from_value
  LEFT JOIN teams tt ON h.field = 'assigned_team_id' AND tt.id::text = h.to_value
  LEFT JOIN users fu ON h.field = 'assigned_user_id' AND fu.id::text = h.from_value
  LEFT JOIN users tu ON h.field = 'assigned_user_id' AND tu.id::text = h.to_value
  LEFT JOIN deployments d ON h.field = 'deployment_id' AND d.id::text = h.to_value`;

export async function listHistory(db: Queryable, reportId: number): Promise<HistoryRow[]> {
  // A note and its history entry are written in one transaction, so they share now().
  const { rows } = await db.query<HistoryRow>(
    `SELECT h.id, CASE WHEN u.id IS NULL THEN NULL
                       ELSE json_build_object('id', u.id, 'name', coalesce(nullif(u.name, ''), u.email), 'role', u.role) END AS actor,
            h.actor_group, h.action, h.field, h.from_value AS "from", h.to_value AS "to",
            coalesce(ft.name, coalesce(nullif(fu.name, ''), fu.email)) AS from_name,
            coalesce(tt.name, coalesce(nullif(tu.name, ''), tu.email), d.name) AS to_name,
            (SELECT n.body FROM report_notes n
              WHERE h.action = 'note' AND n.report_id = h.report_id
                AND n.author_id IS NOT DISTINCT FROM h.actor_id AND n.created_at = h.created_at
              ORDER BY n.id LIMIT 1) AS note,
            h.created_at
       FROM report_history h LEFT JOIN users u ON u.id = h.actor_id ${NAMED}
      WHERE h.report_id = $1 ORDER BY h.id`,
    [reportId],
  );
  return rows;
}

/** One report as staff see it, if the viewer's scope holds it. */
export async function findStaffReport(db: Queryable, id: number, viewer: Viewer): Promise<ReportRow | undefined> {
  const params: unknown[] = [id];
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport('staff')} FROM reports r WHERE r.id = $1 AND ${staffScope(viewer, (v) => `$${params.push(v)}`)}`,
    params,
  );
  return rows[0] ? toReportRow(rows[0]) : undefined;
}

/** Open work for a responder: assigned to them, or to their team and nobody in particular. */
export async function listAssignments(db: Queryable, userId: number, teamId: number | null): Promise<ReportRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport('staff')} FROM reports r
      WHERE r.status IN ('assigned', 'in_progress')
        AND (r.assigned_user_id = $1 OR (r.assigned_user_id IS NULL AND r.assigned_team_id = $2))
      ORDER BY ${PRIORITY_SQL} DESC, r.id
      LIMIT 500`,
    [userId, teamId],
  );
  return rows.map(toReportRow);
}

/** Adds photos after the report's existing ones; at most 20 in all. */
export async function appendPhotos(
  db: Queryable,
  reportId: number,
  photos: PhotoInsert[],
  stage: PhotoStage = 'report',
): Promise<void> {
  const { rows } = await db.query<{ next: number }>(
    'SELECT coalesce(max(position) + 1, 0)::int AS next FROM photos WHERE report_id = $1',
    [reportId],
  );
  await insertPhotos(db, reportId, photos, rows[0]!.next, stage);
}
