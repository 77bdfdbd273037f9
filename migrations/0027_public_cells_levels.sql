-- The start-up check (0025) compared the coarsest level only, which every change reaches. Public
-- sums missing for whole levels went unseen: a database migrated by a development version of
-- 0024 kept levels 3–14 only, and zooms 12–14 showed an empty map. Now each level must also hold
-- public sums exactly when it holds public detail rows: one index probe per level and table
-- (written with LIMIT 1, not EXISTS, which PostgreSQL answered by hashing all 16 million cell
-- rows: 19 s at ten million reports).
CREATE OR REPLACE FUNCTION wf_public_cells_agree() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT coalesce(sum(n), 0) FROM report_cells WHERE level = 3 AND wf_on_public_map(hidden, status))
       = (SELECT coalesce(sum(n), 0) FROM report_cells_public WHERE level = 3)
     AND NOT EXISTS (
       SELECT 1 FROM generate_series(3, 17) AS l
        WHERE (SELECT count(*) FROM (SELECT FROM report_cells c
                                      WHERE c.level = l AND wf_on_public_map(c.hidden, c.status) LIMIT 1) c)
           <> (SELECT count(*) FROM (SELECT FROM report_cells_public p WHERE p.level = l LIMIT 1) p))
$$;
