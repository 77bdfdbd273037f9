-- The public data's version, for ETag / Last-Modified on tiles, clusters and public lists
-- (server/http/conditional.ts). A 304 must cost less than the answer it saves, so the app
-- decides it from this small table alone, never from the reports a response would hold.
--
-- Every statement that changes reports or photos (a new report, a status change, hiding, a
-- photo review, a merge, a confirmation's counts, the help grid moving public points) appends
-- one row here from a statement-level trigger: one short insert per statement, not per row,
-- and no shared counter row that every writer would queue on until it commits.
--
-- The version is the newest id together with the number of rows among the newest few
-- thousand. Identities are handed out before commit, so a transaction can commit after one
-- with a higher id; max(id) alone would then miss it. The count over the recent window does
-- not: the late row adds one to it.
--
-- The app deletes rows far below the newest (server/features/tiles/tiles.refresher.ts), so the
-- table stays a few thousand rows long.
CREATE TABLE public_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- clock_timestamp(), not now(): the moment of the change, as close to its commit as SQL can
  -- tell, for Last-Modified.
  changed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- `changed` is the statement's transition table (the new rows, or the old ones of a delete):
-- a statement that touched no row changes nothing public.
CREATE FUNCTION wf_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    INSERT INTO public_changes DEFAULT VALUES;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER reports_public_insert AFTER INSERT ON reports
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();
CREATE TRIGGER reports_public_update AFTER UPDATE ON reports
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();
CREATE TRIGGER reports_public_delete AFTER DELETE ON reports
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();
CREATE TRIGGER photos_public_insert AFTER INSERT ON photos
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();
CREATE TRIGGER photos_public_update AFTER UPDATE ON photos
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();
CREATE TRIGGER photos_public_delete AFTER DELETE ON photos
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf_public_changed();

-- The data as it was before this migration has a version too.
INSERT INTO public_changes DEFAULT VALUES;
