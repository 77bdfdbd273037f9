-- Found by an attack on the public read model (issue 12):
--
-- 1. Photos are stored once per content (the same bytes sent with two reports share one file
--    and URL), so hiding one copy, or rejecting or hiding its report, left the bytes public
--    through the other. The bytes are public only while every copy of them is: hide one and
--    the photo is off the web in every report that carries it.
-- 2. duplicate_of between help requests in two neighbouring cells told that the person is near
--    the cells' common border; a link to a hidden or rejected report told that it exists. A
--    public duplicate_of now links only a public report of the same kind, and for help
--    requests only one in the same public cell.
-- 3. A coordinator who redacted the words for the public destroyed them for staff too (a
--    responder lost "flat 3B on the 4th floor", a coordinator the only phone number). The
--    public text is now its own column: null while it is the reporter's words as sent, '' for
--    "published without text", otherwise the redacted text. Staff keep the reporter's words,
--    as they keep the contact and the exact point.
ALTER TABLE reports
  ADD COLUMN public_description text CHECK (char_length(public_description) <= 4000);

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
       r.deployment_id, r.resolved_at, r.review
  FROM reports r;

CREATE OR REPLACE VIEW public_photos AS
SELECT p.report_id, p.position, p.hash, p.width, p.height, p.thumb_width, p.thumb_height
  FROM photos p JOIN reports r ON r.id = p.report_id
 WHERE p.state = 'published' AND r.review = 'published' AND NOT r.hidden AND r.status <> 'rejected'
   AND NOT EXISTS (SELECT 1 FROM photos q JOIN reports s ON s.id = q.report_id
                    WHERE q.hash = p.hash
                      AND (q.state <> 'published' OR s.review <> 'published' OR s.hidden OR s.status = 'rejected'));
