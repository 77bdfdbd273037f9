-- A help request's public cell is cut once, when it is received, and never re-cut (issue 12).
-- Whoever saved the first cell (an export, the OGC API, a tile) keeps it; a second, offset cell
-- for the same request intersects with it to a sliver (66 m × 200 m among 60 test points after
-- a restart with another HELP_GRID_M). wf_coarse_point's cells do not nest even for multiples of
-- the grid: each row's longitude step follows the cosine of that row's own centre, so the rows of
-- a 1000 m cell cut through about half of the 500 m cells under it. A new HELP_GRID_M therefore
-- applies to help requests received from then on, and the database refuses to move a published one.
CREATE FUNCTION wf_keep_help_cell() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'help request % keeps the public cell it was first published in', OLD.id
    USING ERRCODE = 'check_violation',
          DETAIL = 'A second, offset cell for the same request would narrow where the person is.',
          HINT = 'A new HELP_GRID_M applies to help requests received from then on; see docs/SECURITY.md.';
END
$$;

CREATE TRIGGER reports_keep_help_cell
  BEFORE UPDATE OF public_geom ON reports
  FOR EACH ROW
  WHEN (OLD.kind = 'help' AND NEW.public_geom IS DISTINCT FROM OLD.public_geom)
  EXECUTE FUNCTION wf_keep_help_cell();
