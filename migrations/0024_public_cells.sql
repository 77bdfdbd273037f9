-- The public map as most people see it, without filters, in one row per cell and kind.
--
-- report_cells (0004) keeps a row per cell, category, status and hidden flag, so that any
-- filter can be answered from it. A tile without filters then reads every combination in its
-- 64 cells and adds them up: at ten million reports up to ~150 rows a cell, ~10,000 a tile,
-- each on its own page, and tiles of zoom 6–12 took up to 100 ms. report_cells_public holds
-- those sums already made, for the default public map only: at most two rows a cell (barrier,
-- help), 128 a tile, whatever the number of reports.
--
-- What counts is the default public map's rule (server/features/tiles/tiles.repo.ts,
-- filterTerms): not hidden, not rejected, not a duplicate. The table is small beside the detail
-- and its upserts cheap: folding into it adds about a tenth to the fold.
CREATE TABLE report_cells_public (
  level     smallint NOT NULL,
  cx        integer NOT NULL,
  cy        integer NOT NULL,
  kind      text NOT NULL,
  n         integer NOT NULL,
  sev1      integer NOT NULL,
  sev2      integer NOT NULL,
  sev3      integer NOT NULL,
  sum_x     double precision NOT NULL,
  sum_y     double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, kind)
) WITH (fillfactor = 90);

-- Both cell tables are updated in place all day (the fold, 0023), which leaves a dead version
-- per update: pruned on the page as pages are read, but only vacuum keeps the free space map
-- and the visibility map current. PostgreSQL's default waits until a fifth of a table is dead,
-- 3 million rows of report_cells at ten million reports; a fiftieth keeps the pages tight.
ALTER TABLE report_cells SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE report_cells_public SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- The rule in one place for the SQL side; tests/api/public-cells.test.ts holds it to the tiles'.
CREATE FUNCTION wf_on_public_map(hidden boolean, status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT NOT hidden AND status NOT IN ('rejected', 'duplicate')
$$;

CREATE FUNCTION wf_fill_public_cells() RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_cells_public (level, cx, cy, kind, n, sev1, sev2, sev3, sum_x, sum_y)
  SELECT level, cx, cy, kind, sum(n), sum(sev1), sum(sev2), sum(sev3), sum(sum_x), sum(sum_y)
    FROM report_cells
   WHERE wf_on_public_map(hidden, status)
   GROUP BY level, cx, cy, kind
  HAVING sum(n) <> 0
   ORDER BY level, cx, cy, kind
$$;

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

-- As 0004's, and each level written in key order, so that a tile's rows share pages; then the
-- public sums from the detail. A notice after each step lets a caller show progress (npm run
-- seed prints them): at ten million reports the whole takes minutes.
CREATE OR REPLACE FUNCTION rebuild_report_cells() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  written bigint;
BEGIN
  LOCK TABLE report_cell_deltas IN EXCLUSIVE MODE;
  TRUNCATE report_cells, report_cells_public;
  DELETE FROM report_cell_deltas;
  INSERT INTO report_cells (level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y)
  SELECT 17, floor(x * 131072)::int, floor(y * 131072)::int, category, status, hidden, min(kind),
         count(*), count(*) FILTER (WHERE severity = 1), count(*) FILTER (WHERE severity = 2),
         count(*) FILTER (WHERE severity = 3), sum(x), sum(y)
    FROM (SELECT wf_merc_x(public_geom) AS x, wf_merc_y(public_geom) AS y, kind, category, status, hidden, severity
            FROM reports) p
   GROUP BY 2, 3, 4, 5, 6
   ORDER BY 2, 3, 4, 5, 6;
  GET DIAGNOSTICS written = ROW_COUNT;
  RAISE NOTICE 'cells: level 17 of 17…3, % rows', written;
  FOR lvl IN REVERSE 16..3 LOOP
    INSERT INTO report_cells (level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y)
    SELECT lvl, cx >> 1, cy >> 1, category, status, hidden, min(kind),
           sum(n), sum(sev1), sum(sev2), sum(sev3), sum(sum_x), sum(sum_y)
      FROM report_cells WHERE level = lvl + 1
     GROUP BY 2, 3, 4, 5, 6
     ORDER BY 2, 3, 4, 5, 6;
    GET DIAGNOSTICS written = ROW_COUNT;
    RAISE NOTICE 'cells: level % of 17…3, % rows', lvl, written;
  END LOOP;
  PERFORM wf_fill_public_cells();
  RAISE NOTICE 'cells: public sums';
  ANALYZE report_cells, report_cells_public;
END $$;

-- Cells folded under the old function are consistent with the reports: sum them now.
SELECT wf_fill_public_cells();
