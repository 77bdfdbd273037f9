// Part 3 – Filtering on the items: `filter` in CQL2 text over the queryables (ogc.schemas.ts),
// parsed once when the request is checked, compiled to SQL for the page and again for the
// count, every value bound. `cql-text` is the draft's name, which GDAL up to 3.7 sends.
import type { Binder } from '../reports/reports.filter';
import { cql2ToSql, parseCql2Text, type Cql2Queryable } from './cql2';
import { OGC_FIELDS } from './ogc.fields';

export const FILTER_LANGS = ['cql2-text', 'cql-text'] as const;
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** Each queryable's column and type, from the field list. */
export const QUERYABLES: Record<string, Cql2Queryable> = {
  id: { sql: 'r.id', type: 'integer' },
  geometry: { sql: 'r.public_geom', type: 'geometry' },
  ...Object.fromEntries(
    OGC_FIELDS.filter((f) => f.column).map((f) => [
      f.name,
      {
        sql: f.column!,
        type: f.format === 'date-time' ? 'timestamp' : f.type,
        ...(f.enum ? { enum: f.enum.map(String) } : {}),
      } satisfies Cql2Queryable,
    ]),
  ),
};

export interface CompiledFilter {
  sql: (bind: Binder) => string;
  /** The filter as given, for the count cache. */
  key: string;
}

/**
 * The filter checked, before each row, against a budget of `budgetMs` since its statement
 * began (migrations/0013_read_budget.sql): the embedded database has no statement_timeout,
 * and PostgreSQL's (the reads' 5 s) is too long for filters that are this cheap to send. A CASE, because the planner reorders the terms of an AND by their cost
 * and would test a cheap-looking ACCENTI or LIKE first, never reaching the budget on the rows
 * it rejects. The price is that the filter's own terms use no index there.
 */
const withinBudget = (sql: string, budgetMs: number) =>
  `CASE WHEN clock_timestamp() - statement_timestamp() < interval '${Math.floor(budgetMs)} milliseconds' ` +
  `OR wf_read_budget_spent() THEN (${sql}) END`;

/** The page's filter, or undefined without one. Throws a 400 naming `filter` when it is bad. */
export function compileItemsFilter(
  text: string | undefined,
  opts: { budgetMs?: number } = {},
): CompiledFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const expr = parseCql2Text(text);
  // Compiled once now, so that an unknown property or a wrong type is a 400 before any query.
  cql2ToSql(expr, QUERYABLES, () => 'NULL');
  const { budgetMs } = opts;
  return {
    sql: (bind) => {
      const sql = cql2ToSql(expr, QUERYABLES, bind);
      return budgetMs ? withinBudget(sql, budgetMs) : sql;
    },
    key: text,
  };
}
