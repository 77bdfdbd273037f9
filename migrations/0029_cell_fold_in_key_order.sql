-- The cell fold (0024) upserts each cell in the order of its keys. In the order the aggregate
-- happened to give, each of the thousands of upserts descended the primary key from the root
-- into another part of the index; in key order, neighbours follow each other and the pages they
-- need are still in the processor's caches. A fold of 2,569 reports spread like the bench's, at a
-- million reports: 1,340 ms → 1,180 ms (docs/BENCHMARKS.md, "Towards 2,000 reports a second").
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
  p_level smallint[];
  p_cx integer[];
  p_cy integer[];
  p_kind text[];
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
     ORDER BY level, cx, cy, category, status, hidden
    ON CONFLICT (level, cx, cy, category, status, hidden) DO UPDATE
      SET n = c.n + EXCLUDED.n, sev1 = c.sev1 + EXCLUDED.sev1, sev2 = c.sev2 + EXCLUDED.sev2,
          sev3 = c.sev3 + EXCLUDED.sev3, sum_x = c.sum_x + EXCLUDED.sum_x, sum_y = c.sum_y + EXCLUDED.sum_y
    RETURNING c.level, c.cx, c.cy, c.category, c.status, c.hidden, c.n
  ), public_upsert AS (
    INSERT INTO report_cells_public AS c (level, cx, cy, kind, n, sev1, sev2, sev3, sum_x, sum_y)
    SELECT level, cx, cy, kind, sum(n), sum(sev1), sum(sev2), sum(sev3), sum(sum_x), sum(sum_y)
      FROM agg
     WHERE wf_on_public_map(hidden, status)
     GROUP BY level, cx, cy, kind
     ORDER BY level, cx, cy, kind
    ON CONFLICT (level, cx, cy, kind) DO UPDATE
      SET n = c.n + EXCLUDED.n, sev1 = c.sev1 + EXCLUDED.sev1, sev2 = c.sev2 + EXCLUDED.sev2,
          sev3 = c.sev3 + EXCLUDED.sev3, sum_x = c.sum_x + EXCLUDED.sum_x, sum_y = c.sum_y + EXCLUDED.sum_y
    RETURNING c.level, c.cx, c.cy, c.kind, c.n
  ), public_empty AS (
    SELECT array_agg(level) AS level, array_agg(cx) AS cx, array_agg(cy) AS cy, array_agg(kind) AS kind
      FROM public_upsert WHERE n = 0
  )
  -- Data-modifying CTEs always run to completion, whatever the main query reads.
  SELECT (SELECT count(*) FROM batch),
         array_agg(u.level) FILTER (WHERE u.n = 0), array_agg(u.cx) FILTER (WHERE u.n = 0),
         array_agg(u.cy) FILTER (WHERE u.n = 0), array_agg(u.category) FILTER (WHERE u.n = 0),
         array_agg(u.status) FILTER (WHERE u.n = 0), array_agg(u.hidden) FILTER (WHERE u.n = 0),
         (SELECT level FROM public_empty), (SELECT cx FROM public_empty), (SELECT cy FROM public_empty),
         (SELECT kind FROM public_empty)
    INTO folded, e_level, e_cx, e_cy, e_category, e_status, e_hidden, p_level, p_cx, p_cy, p_kind
    FROM upsert u;
  -- Emptied cells go by key (0023). `n = 0` again: a fold beside this one may have added meanwhile.
  IF e_level IS NOT NULL THEN
    DELETE FROM report_cells c
     USING unnest(e_level, e_cx, e_cy, e_category, e_status, e_hidden)
           AS z(level, cx, cy, category, status, hidden)
     WHERE (c.level, c.cx, c.cy, c.category, c.status, c.hidden) = (z.level, z.cx, z.cy, z.category, z.status, z.hidden)
       AND c.n = 0;
  END IF;
  IF p_level IS NOT NULL THEN
    DELETE FROM report_cells_public c
     USING unnest(p_level, p_cx, p_cy, p_kind) AS z(level, cx, cy, kind)
     WHERE (c.level, c.cx, c.cy, c.kind) = (z.level, z.cx, z.cy, z.kind) AND c.n = 0;
  END IF;
  RETURN folded;
END $$;
