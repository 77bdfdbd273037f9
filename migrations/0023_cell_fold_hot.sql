-- A lighter cell fold (refresh_report_cells, 0004): every few seconds it adds the pending deltas
-- to thousands of cells, one row update each. Those updates change counts and sums only, never
-- the key, so PostgreSQL can make them heap-only (HOT): the new row version goes on the same
-- page and no index is touched. Two things stopped that:
--
-- - the partial index report_cells_empty_idx (WHERE n = 0) covers n, and an update of a column
--   an index uses is never HOT. Cells that reach n = 0 are now deleted by key, from what the
--   upsert returned, in a second statement (not in the same one: a statement cannot delete a
--   row it also updates);
-- - full pages. A fillfactor of 90 leaves room on every page for new versions (it applies to
--   pages written from now on, and to all of them after rebuild_report_cells()).
DROP INDEX report_cells_empty_idx;
ALTER TABLE report_cells SET (fillfactor = 90);
DELETE FROM report_cells WHERE n = 0;

CREATE OR REPLACE FUNCTION refresh_report_cells(batch_size integer DEFAULT 200000) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
  e_level smallint[];
  e_cx integer[];
  e_cy integer[];
  e_category text[];
  e_status text[];
  e_hidden boolean[];
BEGIN
  WITH batch AS (
    DELETE FROM report_cell_deltas
     WHERE seq IN (SELECT seq FROM report_cell_deltas ORDER BY seq LIMIT batch_size)
    RETURNING *
  ), agg AS (
    SELECT l.level, b.gx >> (17 - l.level) AS cx, b.gy >> (17 - l.level) AS cy,
           b.category, b.status, b.hidden, min(b.kind) AS kind,
           sum(b.sign)::int AS n,
           sum(b.sign * (b.severity = 1)::int)::int AS sev1,
           sum(b.sign * (b.severity = 2)::int)::int AS sev2,
           sum(b.sign * (b.severity = 3)::int)::int AS sev3,
           sum(b.sign * b.x) AS sum_x, sum(b.sign * b.y) AS sum_y
      FROM batch b CROSS JOIN generate_series(3, 17) AS l(level)
     GROUP BY 1, 2, 3, 4, 5, 6
  ), upsert AS (
    INSERT INTO report_cells AS c (level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y)
    SELECT level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y FROM agg
    ON CONFLICT (level, cx, cy, category, status, hidden) DO UPDATE
      SET n = c.n + EXCLUDED.n, sev1 = c.sev1 + EXCLUDED.sev1, sev2 = c.sev2 + EXCLUDED.sev2,
          sev3 = c.sev3 + EXCLUDED.sev3, sum_x = c.sum_x + EXCLUDED.sum_x, sum_y = c.sum_y + EXCLUDED.sum_y
    RETURNING c.level, c.cx, c.cy, c.category, c.status, c.hidden, c.n
  )
  -- Data-modifying CTEs always run to completion, whatever the main query reads.
  SELECT (SELECT count(*) FROM batch),
         array_agg(u.level) FILTER (WHERE u.n = 0), array_agg(u.cx) FILTER (WHERE u.n = 0),
         array_agg(u.cy) FILTER (WHERE u.n = 0), array_agg(u.category) FILTER (WHERE u.n = 0),
         array_agg(u.status) FILTER (WHERE u.n = 0), array_agg(u.hidden) FILTER (WHERE u.n = 0)
    INTO folded, e_level, e_cx, e_cy, e_category, e_status, e_hidden
    FROM upsert u;
  IF e_level IS NOT NULL THEN
    -- `c.n = 0` again: a fold running beside this one may have added to the cell meanwhile.
    DELETE FROM report_cells c
     USING unnest(e_level, e_cx, e_cy, e_category, e_status, e_hidden)
           AS z(level, cx, cy, category, status, hidden)
     WHERE (c.level, c.cx, c.cy, c.category, c.status, c.hidden) = (z.level, z.cx, z.cy, z.category, z.status, z.hidden)
       AND c.n = 0;
  END IF;
  RETURN folded;
END $$;
