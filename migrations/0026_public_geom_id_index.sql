-- migrate: without transaction
-- The public list of a map area (`GET /api/v1/reports?bbox=…`, newest first) read the id index
-- backwards and tested each report's position: at ten million reports a city viewport walked
-- 67,000 rows (p95 99 ms, up to 530 ms). Reading the area first and sorting was worse cold, one
-- heap page per report in it. With the id beside the position in one GiST index (btree_gist),
-- the list is a nearest-neighbour scan on id inside the area: about 200 index pages whatever the
-- area holds (5–20 ms at ten million). The index replaces the position-only one, which every
-- other use of public_geom reads just as well through its first column.
-- It holds `id + 0`, not `id`: PostgreSQL costed a lookup by id in this index like one in the
-- primary key and took it for `id = …`, then walked the whole index for each (25 ms a report).
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- A build that failed (or was cut off) leaves an invalid index that IF NOT EXISTS would keep.
-- Dropping it takes the table's strongest lock, so it waits at most 10 s for one (the start
-- then fails and the next start tries again) rather than queue every read behind it.
DO $$
BEGIN
  PERFORM set_config('lock_timeout', '10s', true);
  IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE c.relname = 'reports_public_geom_id_idx' AND NOT i.indisvalid
                AND c.relnamespace = current_schema()::regnamespace) THEN
    DROP INDEX reports_public_geom_id_idx;
  END IF;
END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS reports_public_geom_id_idx ON reports USING gist (public_geom, (id + 0));

DROP INDEX CONCURRENTLY IF EXISTS reports_public_geom_idx;
