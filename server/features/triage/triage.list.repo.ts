// SQL of the staff list: one page of reports and how many match, from the same WHERE. The
// page is sorted by a priority that depends on now(), so it reads every matching row anyway;
// the count is exact and costs a fraction of the page (measured at 100,000 and 1,000,000
// reports: docs/TRIAGE.md, Queue search and totals). The search is substring matching (ILIKE),
// which the embedded database runs as PostgreSQL does and which finds a part of a word
// ("Haupt" in "Hauptstraße"), with the searcher's wildcards escaped.
import { PRIORITY_SQL, selectReport, toReportRow, type Queryable, type ReportRow } from '../reports/reports.repo';
import { parameters, reportFilterTerms, whereClause, type BBox } from '../reports/reports.filter';
import type { Search } from './triage.list.schemas';
import { staffScope, type Viewer } from './triage.scope';

export interface StaffListFilter {
  viewer: Viewer;
  bbox?: BBox;
  categories?: string[];
  kinds?: string[];
  statuses?: string[];
  sources?: string[];
  /** A team, or 'none': assigned to no team. */
  teamId?: number | 'none';
  /** A person, or 'none': assigned to nobody in particular. */
  assignedUserId?: number | 'none';
  deploymentId?: number;
  createdFrom?: Date;
  /** Created before this instant (exclusive: the start of the day after the last one asked for). */
  createdBefore?: Date;
  search?: Search;
}

export interface StaffPage {
  rows: ReportRow[];
  /** Every report the filters match, not only this page's. */
  total: number;
}

/** `%`, `_` and the escape character itself match literally in the pattern. */
export const likePattern = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE of the list and its count, with the bound values. */
export function staffListWhere(f: StaffListFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = parameters(params);
  const p = (v: unknown) => `$${params.push(v)}`;
  const terms = [
    staffScope(f.viewer, p),
    ...reportFilterTerms(
      {
        bbox: f.bbox,
        categories: f.categories,
        kinds: f.kinds,
        statuses: f.statuses,
        sources: f.sources,
        createdFrom: f.createdFrom,
      },
      bind,
    ),
  ];
  if (f.createdBefore) terms.push(`r.created_at < ${bind(f.createdBefore, 'timestamptz')}`);
  if (f.teamId === 'none') terms.push('r.assigned_team_id IS NULL');
  else if (f.teamId !== undefined) terms.push(`r.assigned_team_id = ${bind(f.teamId, 'bigint')}`);
  if (f.assignedUserId === 'none') terms.push('r.assigned_user_id IS NULL');
  else if (f.assignedUserId !== undefined) terms.push(`r.assigned_user_id = ${bind(f.assignedUserId, 'bigint')}`);
  if (f.deploymentId !== undefined) terms.push(`r.deployment_id = ${bind(f.deploymentId, 'bigint')}`);
  if (f.search) terms.push(searchTerm(f.search, p));
  return { where: whereClause(terms), params };
}

/**
 * Every word somewhere in the description, the public text, the address or a staff note; or,
 * for a number, the report with that number. Notes are read once per word as a set of report
 * ids (a hashed subplan), not probed once per report.
 */
function searchTerm(s: Search, p: (v: unknown) => string): string {
  const byNumber = s.number !== undefined ? `r.id = ${p(s.number)}::bigint` : 'false';
  if (s.numberOnly || s.words.length === 0) return byNumber;
  const words = s.words.map((w) => {
    const like = `ILIKE ${p(likePattern(w))} ESCAPE '\\'`;
    return `(r.description ${like} OR r.public_description ${like} OR r.address ${like}
              OR r.id IN (SELECT n.report_id FROM report_notes n WHERE n.body ${like}))`;
  });
  const text = words.join(' AND ');
  return s.number !== undefined ? `(${byNumber} OR (${text}))` : `(${text})`;
}

export async function listStaffPage(
  db: Queryable,
  f: StaffListFilter & { sort: 'priority' | 'newest'; limit: number; offset: number },
): Promise<StaffPage> {
  const { where, params } = staffListWhere(f);
  // A fix the public said did not hold comes first: it was promised done and is not.
  const order = f.sort === 'priority' ? `r.needs_attention DESC, ${PRIORITY_SQL} DESC, r.id` : 'r.id DESC';
  const n = params.length;
  const paging = [...params, f.limit, f.offset];
  const count = () =>
    db
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM reports r WHERE ${where}`, params)
      .then((c) => c.rows[0]!.n);
  if (!f.search?.words.length) {
    // Without words to look for, counting is cheap (an index or a narrow scan): about a tenth of
    // the page, which sorts every match by a priority computed now.
    const [page, total] = await Promise.all([
      db.query<Record<string, unknown>>(
        `${selectReport('staff')} FROM reports r WHERE ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
        paging,
      ),
      count(),
    ]);
    return { rows: page.rows.map(toReportRow), total };
  }
  // Looking for words reads every row's text, which costs as much again as the page: the count
  // rides along on the same scan (a window over the matches, few by then).
  const page = await db.query<Record<string, unknown>>(
    `${selectReport('staff')}, count(*) OVER () AS matched FROM reports r WHERE ${where}
      ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
    paging,
  );
  const first = page.rows[0];
  // Past the last page no row carries the count; then it takes its own scan.
  const total = first ? Number(first.matched) : f.offset > 0 ? await count() : 0;
  return { rows: page.rows.map(toReportRow), total };
}
