// SQL only: the live feed's replay, events with the reports they name.
import { selectReport, toReportRow, type Queryable, type ReportRow } from '../reports/reports.repo';
import { staffScope, type Viewer } from '../triage/triage.scope';

export interface LiveEvent {
  id: number;
  type: string;
  /** Null for an inbox event (type inbox.changed), which names a message instead. */
  reportId: number | null;
  messageId: number | null;
  /** As staff see it now; null when the report is gone or outside the viewer's scope. */
  report: ReportRow | null;
}

/**
 * The next `limit` events after `after`, each with its report if the viewer may read it, in one
 * statement: one short checkout of a connection per batch, and every report of the batch from
 * the same snapshot.
 */
export async function eventsAfter(db: Queryable, after: number, limit: number, viewer: Viewer): Promise<LiveEvent[]> {
  const params: unknown[] = [after, limit];
  const scope = staffScope(viewer, (v) => `$${params.push(v)}`);
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH batch AS (SELECT id, type, report_id, message_id FROM report_events WHERE id > $1 ORDER BY id LIMIT $2)
     SELECT b.id AS event_id, b.type AS event_type, b.report_id AS event_report_id, b.message_id AS event_message_id, rep.*
       FROM batch b
       LEFT JOIN LATERAL (${selectReport('staff')} FROM reports r WHERE r.id = b.report_id AND ${scope}) rep ON true
      ORDER BY b.id`,
    params,
  );
  return rows.map((row) => ({
    id: row.event_id as number,
    type: row.event_type as string,
    reportId: row.event_report_id === null ? null : Number(row.event_report_id),
    messageId: row.event_message_id === null ? null : Number(row.event_message_id),
    report: row.id === null ? null : toReportRow(row),
  }));
}

export interface ReplayWindow {
  /** Replay the events after this one. */
  start: number;
  /** Events after the one asked for were left out of the replay (too many, or too old). */
  truncated: boolean;
}

/**
 * Where a stream resuming after `requested` starts: no further back than the last `maxEvents`
 * events, nor than events of the last `maxHours` hours. `requested` null = now (no replay).
 * Reads at most `maxEvents` rows of the primary key.
 */
export async function replayWindow(
  db: Queryable,
  requested: number | null,
  maxEvents: number,
  maxHours: number,
): Promise<ReplayWindow> {
  const { rows } = await db.query<ReplayWindow>(
    `WITH head AS (SELECT coalesce(max(id), 0)::bigint AS id FROM report_events),
          w AS (SELECT coalesce((SELECT min(e.id) - 1 FROM report_events e
                                  WHERE e.id > greatest($1::bigint, head.id - $2::bigint)
                                    AND e.created_at >= now() - make_interval(hours => $3::int)),
                                head.id)::bigint AS start
                  FROM head)
     SELECT w.start, EXISTS (SELECT 1 FROM report_events e WHERE e.id > $1::bigint AND e.id <= w.start) AS truncated
       FROM w`,
    [requested ?? Number.MAX_SAFE_INTEGER, maxEvents, maxHours],
  );
  return rows[0]!;
}
