// SQL only: the live feed's replay, events with the reports they name.
import { selectReport, toReportRow, type Queryable, type ReportRow } from '../reports/reports.repo';

export interface LiveEvent {
  id: number;
  type: string;
  reportId: number;
  /** As staff see it now; null when the report is gone. */
  report: ReportRow | null;
}

/**
 * The next `limit` events after `after`, each with its report, in one statement: one short
 * checkout of a connection per batch, and every report of the batch from the same snapshot.
 */
export async function eventsAfter(db: Queryable, after: number, limit: number): Promise<LiveEvent[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH batch AS (SELECT id, type, report_id FROM report_events WHERE id > $1 ORDER BY id LIMIT $2)
     SELECT b.id AS event_id, b.type AS event_type, b.report_id AS event_report_id, rep.*
       FROM batch b LEFT JOIN LATERAL (${selectReport('staff')} FROM reports r WHERE r.id = b.report_id) rep ON true
      ORDER BY b.id`,
    [after, limit],
  );
  return rows.map((row) => ({
    id: row.event_id as number,
    type: row.event_type as string,
    reportId: row.event_report_id as number,
    report: row.id === null ? null : toReportRow(row),
  }));
}
