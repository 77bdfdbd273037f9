-- The public sums (0024) must always agree with the detail rows. The fold keeps both in one
-- statement, but a fold that was already running the function of before 0024 when the
-- migration committed (another app process, during a rolling deploy) adds to the detail only,
-- and nothing would ever repair that. Each app process asks at start (tiles.refresher.ts);
-- the coarsest level is enough: every change reaches every level, and it has a few hundred rows.
CREATE FUNCTION wf_public_cells_agree() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT coalesce(sum(n), 0) FROM report_cells WHERE level = 3 AND wf_on_public_map(hidden, status))
       = (SELECT coalesce(sum(n), 0) FROM report_cells_public WHERE level = 3)
$$;

-- Makes the public sums again from the detail, if they still disagree once this holds the lock.
-- SHARE on report_cells lets folds already running finish first and makes new ones wait (their
-- function, from now on, keeps both tables); tiles go on reading the old sums until the commit,
-- and new reports go on arriving. The advisory lock keeps two processes from refilling at once.
CREATE FUNCTION wf_refill_public_cells() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4711202602);
  LOCK TABLE report_cells IN SHARE MODE;
  IF wf_public_cells_agree() THEN
    RETURN false;
  END IF;
  DELETE FROM report_cells_public;
  PERFORM wf_fill_public_cells();
  RETURN true;
END $$;
