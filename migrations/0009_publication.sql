-- Publication beside the workflow, and the one public read model (docs/ARCHITECTURE.md,
-- "What is public"). Every public channel (API, nearby, tiles, exports, OGC, Open311, photos,
-- public pages) reads public_reports and public_photos; nothing public reads reports itself.

-- Whether a person has looked at a report's words and photos: help requests wait for a
-- coordinator, barriers are published at once unless BARRIER_MODERATION=pre (then they are
-- also hidden until published, so they leave the map entirely).
ALTER TABLE reports
  ADD COLUMN review text NOT NULL DEFAULT 'published' CHECK (review IN ('pending', 'published'));
-- Help requests stored before this were public at once; their words and photos now wait.
UPDATE reports SET review = 'pending' WHERE kind = 'help';
CREATE INDEX reports_review_pending_idx ON reports (id) WHERE review = 'pending';

-- A photo is published with its report, waits (a help request's, or one staff added later),
-- or is hidden by staff.
ALTER TABLE photos
  ADD COLUMN state text NOT NULL DEFAULT 'published' CHECK (state IN ('pending', 'published', 'hidden'));
UPDATE photos p SET state = 'pending' FROM reports r WHERE r.id = p.report_id AND r.review = 'pending';
CREATE INDEX photos_pending_idx ON photos (report_id) WHERE state = 'pending';

-- Every report as the public may see its fields, with the columns of `reports` so that the same SQL reads either,
-- but whatever is private already gone: no contact, no exact point (geom is the public
-- point), no assignment, a help request's address and accuracy never, its words and people
-- count only once published, and a duplicate link only to a report of the same kind (a help
-- request's original is never an exact barrier point beside it).
CREATE VIEW public_report_fields AS
SELECT r.id, r.kind, r.category, r.status, r.severity, r.passability,
       CASE WHEN r.review = 'published' THEN r.people_count END AS people_count,
       CASE WHEN r.review = 'published' THEN r.description END AS description,
       CASE WHEN r.kind = 'help' THEN NULL ELSE r.address END AS address,
       CASE WHEN r.kind = 'help' THEN NULL ELSE r.accuracy_m END AS accuracy_m,
       NULL::text AS contact,
       r.public_geom AS geom,
       r.public_geom,
       r.hidden,
       r.still_there_count, r.gone_count, r.created_at, r.updated_at,
       NULL::bigint AS assigned_team_id,
       NULL::bigint AS assigned_user_id,
       CASE WHEN r.duplicate_of IS NOT NULL
             AND (SELECT d.kind FROM reports d WHERE d.id = r.duplicate_of) = r.kind
            THEN r.duplicate_of END AS duplicate_of,
       r.deployment_id, r.resolved_at, r.review
  FROM reports r;

-- The reports anyone may see: rejected and hidden ones leave every public channel. (Only a
-- retry of a citizen's own submission reads public_report_fields, to get its answer again.)
CREATE VIEW public_reports AS
SELECT * FROM public_report_fields WHERE NOT hidden AND status <> 'rejected';

-- The photos anyone may see: published, of a public report whose content is published.
CREATE VIEW public_photos AS
SELECT p.report_id, p.position, p.hash, p.width, p.height, p.thumb_width, p.thumb_height
  FROM photos p JOIN reports r ON r.id = p.report_id
 WHERE p.state = 'published' AND r.review = 'published' AND NOT r.hidden AND r.status <> 'rejected';
