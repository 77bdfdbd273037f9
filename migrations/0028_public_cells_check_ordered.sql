-- 0027's probes, each in key order. With only `LIMIT 1`, PostgreSQL chose a sequential scan,
-- expecting a row of the level early on; but the cell rebuild writes the levels one after the
-- other, finest first, so a probe for level 3 read past every row of levels 17 to 4: 3–11 s at
-- a million reports, at every start of the app, beside its first requests. Ordered by the
-- primary key, each probe is a step into the index (6 ms for all of them at a million reports,
-- 21 ms at ten million).
CREATE OR REPLACE FUNCTION wf_public_cells_agree() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT coalesce(sum(n), 0) FROM report_cells WHERE level = 3 AND wf_on_public_map(hidden, status))
       = (SELECT coalesce(sum(n), 0) FROM report_cells_public WHERE level = 3)
     AND NOT EXISTS (
       SELECT 1 FROM generate_series(3, 17) AS l
        WHERE (SELECT count(*) FROM (SELECT FROM report_cells c
                                      WHERE c.level = l AND wf_on_public_map(c.hidden, c.status)
                                      ORDER BY c.level, c.cx, c.cy LIMIT 1) c)
           <> (SELECT count(*) FROM (SELECT FROM report_cells_public p
                                      WHERE p.level = l ORDER BY p.level, p.cx, p.cy LIMIT 1) p))
$$;
