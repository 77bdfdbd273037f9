-- Cluster cells for map tiles at low zoom (DESIGN.md, map tiles and clusters).
--
-- Positions are normalised Web Mercator coordinates in [0, 1) (x east, y south); a cell of
-- level L is floor(coordinate * 2^L). Tiles of zoom z draw 8 × 8 cells each, i.e. level z + 3,
-- so zooms 0–14 read levels 3–17 from report_cells. Cells use each report's public point.
--
-- Statement-level triggers (one call per statement, not per row) append changes to
-- report_cell_deltas; refresh_report_cells() (run every few seconds by the app) folds them
-- into report_cells. Tile queries add the pending deltas, so counts are exact at once.

CREATE FUNCTION wf_merc_x(p geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT least(greatest((ST_X(p) + 180.0) / 360.0, 0.0), 0.999999999)
$$;

CREATE FUNCTION wf_merc_y(p geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT least(greatest(
    (1.0 - ln(tan(radians(least(greatest(ST_Y(p), -85.0511), 85.0511)))
              + 1.0 / cos(radians(least(greatest(ST_Y(p), -85.0511), 85.0511)))) / pi()) / 2.0,
    0.0), 0.999999999)
$$;

CREATE TABLE report_cells (
  level     smallint NOT NULL,
  cx        integer NOT NULL,
  cy        integer NOT NULL,
  category  text NOT NULL,
  status    text NOT NULL,
  hidden    boolean NOT NULL,
  kind      text NOT NULL,
  n         integer NOT NULL,
  sev1      integer NOT NULL,
  sev2      integer NOT NULL,
  sev3      integer NOT NULL,
  -- Sums of positions, so a cluster sits at the mean of its reports.
  sum_x     double precision NOT NULL,
  sum_y     double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, category, status, hidden)
);
CREATE INDEX report_cells_empty_idx ON report_cells (level) WHERE n = 0;

CREATE TABLE report_cell_deltas (
  seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sign      smallint NOT NULL,
  gx        integer NOT NULL,  -- level-17 cell
  gy        integer NOT NULL,
  x         double precision NOT NULL,
  y         double precision NOT NULL,
  kind      text NOT NULL,
  category  text NOT NULL,
  status    text NOT NULL,
  hidden    boolean NOT NULL,
  severity  smallint NOT NULL
);

CREATE FUNCTION wf_cells_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_cell_deltas (sign, gx, gy, x, y, kind, category, status, hidden, severity)
  SELECT 1, floor(wf_merc_x(r.public_geom) * 131072)::int, floor(wf_merc_y(r.public_geom) * 131072)::int,
         wf_merc_x(r.public_geom), wf_merc_y(r.public_geom), r.kind, r.category, r.status, r.hidden, r.severity
    FROM new_reports r;
  RETURN NULL;
END $$;

CREATE FUNCTION wf_cells_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_cell_deltas (sign, gx, gy, x, y, kind, category, status, hidden, severity)
  SELECT c.sign, floor(wf_merc_x(c.g) * 131072)::int, floor(wf_merc_y(c.g) * 131072)::int,
         wf_merc_x(c.g), wf_merc_y(c.g), c.kind, c.category, c.status, c.hidden, c.severity
    FROM old_reports o
    JOIN new_reports n ON n.id = o.id
   CROSS JOIN LATERAL (VALUES
     (-1, o.public_geom, o.kind, o.category, o.status, o.hidden, o.severity),
     (1, n.public_geom, n.kind, n.category, n.status, n.hidden, n.severity)
   ) AS c(sign, g, kind, category, status, hidden, severity)
   WHERE (o.public_geom, o.category, o.status, o.hidden, o.severity)
         IS DISTINCT FROM (n.public_geom, n.category, n.status, n.hidden, n.severity);
  RETURN NULL;
END $$;

CREATE FUNCTION wf_cells_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_cell_deltas (sign, gx, gy, x, y, kind, category, status, hidden, severity)
  SELECT -1, floor(wf_merc_x(r.public_geom) * 131072)::int, floor(wf_merc_y(r.public_geom) * 131072)::int,
         wf_merc_x(r.public_geom), wf_merc_y(r.public_geom), r.kind, r.category, r.status, r.hidden, r.severity
    FROM old_reports r;
  RETURN NULL;
END $$;

CREATE TRIGGER reports_cells_insert AFTER INSERT ON reports
  REFERENCING NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION wf_cells_on_insert();
CREATE TRIGGER reports_cells_update AFTER UPDATE ON reports
  REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION wf_cells_on_update();
CREATE TRIGGER reports_cells_delete AFTER DELETE ON reports
  REFERENCING OLD TABLE AS old_reports FOR EACH STATEMENT EXECUTE FUNCTION wf_cells_on_delete();

-- Folds at most batch_size pending deltas into the cells; returns how many it folded.
-- Deleting and adding happen in one statement, so every reader sees each change exactly once.
CREATE FUNCTION refresh_report_cells(batch_size integer DEFAULT 200000) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
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
    RETURNING 1
  )
  -- Data-modifying CTEs always run to completion, whatever the main query reads.
  SELECT count(*) INTO folded FROM batch;
  DELETE FROM report_cells WHERE n = 0;
  RETURN folded;
END $$;

-- Builds every cell from scratch (after a bulk load): the finest level from the reports,
-- each coarser level from the one below; far cheaper than folding a million deltas.
CREATE FUNCTION rebuild_report_cells() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE report_cell_deltas IN EXCLUSIVE MODE;
  TRUNCATE report_cells;
  DELETE FROM report_cell_deltas;
  INSERT INTO report_cells (level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y)
  SELECT 17, floor(x * 131072)::int, floor(y * 131072)::int, category, status, hidden, min(kind),
         count(*), count(*) FILTER (WHERE severity = 1), count(*) FILTER (WHERE severity = 2),
         count(*) FILTER (WHERE severity = 3), sum(x), sum(y)
    FROM (SELECT wf_merc_x(public_geom) AS x, wf_merc_y(public_geom) AS y, kind, category, status, hidden, severity
            FROM reports) p
   GROUP BY 2, 3, 4, 5, 6;
  FOR lvl IN REVERSE 16..3 LOOP
    INSERT INTO report_cells (level, cx, cy, category, status, hidden, kind, n, sev1, sev2, sev3, sum_x, sum_y)
    SELECT lvl, cx >> 1, cy >> 1, category, status, hidden, min(kind),
           sum(n), sum(sev1), sum(sev2), sum(sev3), sum(sum_x), sum(sum_y)
      FROM report_cells WHERE level = lvl + 1
     GROUP BY 2, 3, 4, 5, 6;
  END LOOP;
  ANALYZE report_cells;
END $$;

-- Reports stored before this migration get their cells now.
SELECT rebuild_report_cells();
