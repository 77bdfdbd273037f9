-- Citizens judge the fix and say a barrier affects them too (issue 16; docs/TRIAGE.md,
-- docs/SECURITY.md "Fix checks and endorsements").
--
-- Both keep the confirmations' device rule (migrations/0008): device_hash is sha256 of the
-- report id and the device token the citizen app keeps (never the token itself), address_hash
-- an HMAC of the network address under settings.confirmation_address_key, for bounds only.

-- "Is it really fixed?": one answer per device and resolution. resolved_at names the resolution
-- judged (a report reopened and resolved again is asked again); team_id is the team the report
-- was assigned to when it was resolved, so the share of confirmed fixes can be told per team.
CREATE TABLE fix_checks (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  answer        text NOT NULL CHECK (answer IN ('fixed', 'not_fixed')),
  resolved_at   timestamptz NOT NULL,
  team_id       bigint REFERENCES teams (id) ON DELETE SET NULL,
  device_hash   bytea CHECK (octet_length(device_hash) = 32),
  address_hash  bytea CHECK (octet_length(address_hash) = 32),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX fix_checks_device_idx ON fix_checks (report_id, resolved_at, device_hash)
  WHERE device_hash IS NOT NULL;
CREATE INDEX fix_checks_report_idx ON fix_checks (report_id, resolved_at);
CREATE INDEX fix_checks_address_time_idx ON fix_checks (address_hash, created_at)
  WHERE address_hash IS NOT NULL;
CREATE INDEX fix_checks_team_idx ON fix_checks (team_id, created_at);

-- "Affects me too": one per device and report; the count is kept on the report, as the
-- confirmations' counters are, so the priority score and the map read one column.
CREATE TABLE endorsements (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  device_hash   bytea CHECK (octet_length(device_hash) = 32),
  address_hash  bytea CHECK (octet_length(address_hash) = 32),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX endorsements_report_device_idx ON endorsements (report_id, device_hash)
  WHERE device_hash IS NOT NULL;
CREATE INDEX endorsements_address_report_idx ON endorsements (address_hash, report_id)
  WHERE address_hash IS NOT NULL;
CREATE INDEX endorsements_address_time_idx ON endorsements (address_hash, created_at)
  WHERE address_hash IS NOT NULL;

-- resolution_note: what the resolver wrote for the public (the form says it is shown on the
-- report page); staff notes stay in report_notes and are never public.
-- needs_attention: the public said a fix did not hold; the triage queue shows it first until a
-- coordinator changes the report's status.
ALTER TABLE reports
  ADD COLUMN endorsement_count integer NOT NULL DEFAULT 0 CHECK (endorsement_count >= 0),
  ADD COLUMN resolution_note text CHECK (char_length(resolution_note) <= 1000),
  ADD COLUMN needs_attention boolean NOT NULL DEFAULT false;
CREATE INDEX reports_needs_attention_idx ON reports (id) WHERE needs_attention;

-- Before and after: photos staff add (of the fixed barrier) are 'resolution' photos.
ALTER TABLE photos
  ADD COLUMN stage text NOT NULL DEFAULT 'report' CHECK (stage IN ('report', 'resolution'));

-- The public read model gains the count and the resolution note (only once the report's
-- content is published, as its words). New columns go last: views keep their column order.
CREATE OR REPLACE VIEW public_report_fields AS
SELECT r.id, r.kind, r.category, r.status, r.severity, r.passability,
       CASE WHEN r.review = 'published' THEN r.people_count END AS people_count,
       CASE WHEN r.review = 'published'
            THEN CASE WHEN r.public_description IS NULL THEN r.description ELSE nullif(r.public_description, '') END
       END AS description,
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
             AND EXISTS (SELECT 1 FROM reports d
                          WHERE d.id = r.duplicate_of AND d.kind = r.kind
                            AND NOT d.hidden AND d.status <> 'rejected'
                            AND (r.kind <> 'help' OR ST_Equals(d.public_geom, r.public_geom)))
            THEN r.duplicate_of END AS duplicate_of,
       r.deployment_id, r.resolved_at, r.review,
       r.source,
       r.endorsement_count,
       CASE WHEN r.review = 'published' AND r.status = 'resolved' THEN r.resolution_note END AS resolution_note,
       false AS needs_attention
  FROM reports r;

-- `SELECT *` was expanded when the view was made: made again, it carries the new columns.
CREATE OR REPLACE VIEW public_reports AS
SELECT * FROM public_report_fields WHERE NOT hidden AND status <> 'rejected';

CREATE OR REPLACE VIEW public_photos AS
SELECT p.report_id, p.position, p.hash, p.width, p.height, p.thumb_width, p.thumb_height, p.stage
  FROM photos p JOIN reports r ON r.id = p.report_id
 WHERE p.state = 'published' AND r.review = 'published' AND NOT r.hidden AND r.status <> 'rejected'
   AND NOT EXISTS (SELECT 1 FROM photos q JOIN reports s ON s.id = q.report_id
                    WHERE q.hash = p.hash
                      AND (q.state <> 'published' OR s.review <> 'published' OR s.hidden OR s.status = 'rejected'));

-- A public report's story, from report_history, as the public may read it: only these kinds of
-- step, a team's name (never a person's), no notes, no words, no staff. Read through
-- public_reports, so a hidden or rejected report has no timeline. 'assigned' carries the team's
-- name when the step named one; a status step to 'assigned' is left out when a team step of the
-- same change (same transaction, same now()) tells it. 'reopened' is a resolved report opened
-- again; by_public says a citizen's "not fixed" did it.
CREATE VIEW public_report_timeline AS
SELECT h.report_id, h.id,
       CASE
         WHEN h.action = 'created' THEN 'reported'
         WHEN h.action = 'published' THEN 'published'
         WHEN h.field = 'assigned_team_id' THEN 'assigned'
         WHEN h.action = 'merged' THEN 'merged'
         WHEN h.from_value = 'resolved' THEN 'reopened'
         WHEN h.to_value = 'duplicate' THEN 'duplicate'
         ELSE h.to_value
       END AS step,
       CASE WHEN h.field = 'assigned_team_id' THEN t.name END AS team,
       h.actor_id IS NULL AS by_public,
       h.created_at
  FROM report_history h
  JOIN public_reports r ON r.id = h.report_id
  LEFT JOIN teams t ON h.field = 'assigned_team_id' AND t.id::text = h.to_value
 WHERE h.action = 'created'
    OR (h.action = 'published' AND h.field = 'review')
    OR h.action = 'merged'
    OR (h.field = 'assigned_team_id' AND h.to_value IS NOT NULL AND t.id IS NOT NULL)
    OR (h.field = 'status' AND h.action = 'status'
        AND (h.from_value = 'resolved'
             OR h.to_value IN ('verified', 'in_progress', 'resolved', 'duplicate')
             OR (h.to_value = 'assigned'
                 AND NOT EXISTS (SELECT 1 FROM report_history a
                                  WHERE a.report_id = h.report_id AND a.field = 'assigned_team_id'
                                    AND a.created_at = h.created_at AND a.to_value IS NOT NULL))));
