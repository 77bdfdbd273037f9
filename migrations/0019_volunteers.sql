-- Volunteers check reports (issue 16, docs/VOLUNTEERS.md): a coordinator invites people by
-- e-mail; each confirms, recategorises or flags barriers near them, read from the public read
-- model only. Agreement of several marks a barrier verified or corrects its category.

-- A volunteer signs in as staff do, but no staff route admits the role (server/http/auth.ts
-- keeps their session apart from the staff session).
ALTER TABLE users DROP CONSTRAINT users_role_check,
  ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'coordinator', 'responder', 'volunteer'));

-- The link's token is random; only its sha256 is stored. Used once: accepted_at is set and the
-- account made in the same transaction.
CREATE TABLE volunteer_invitations (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email        text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND char_length(email) <= 254),
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by   bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  accepted_at  timestamptz,
  user_id      bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX volunteer_invitations_open_idx ON volunteer_invitations (lower(email)) WHERE accepted_at IS NULL;

-- One check per volunteer and report. Only barriers are checked (help requests never reach a
-- volunteer). A flag's reason: not a barrier, inappropriate, gone.
CREATE TABLE volunteer_checks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  verdict     text NOT NULL CHECK (verdict IN ('confirm', 'recategorize', 'flag')),
  category    text REFERENCES categories (code),
  reason      text CHECK (reason IN ('not_barrier', 'inappropriate', 'gone')),
  note        text CHECK (char_length(note) <= 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (report_id, user_id),
  CHECK ((verdict = 'recategorize') = (category IS NOT NULL)),
  CHECK ((verdict = 'flag') = (reason IS NOT NULL))
);
CREATE INDEX volunteer_checks_user_idx ON volunteer_checks (user_id, report_id);
CREATE INDEX volunteer_checks_flags_idx ON volunteer_checks (report_id, created_at) WHERE verdict = 'flag';

-- A change the volunteers' agreement made has no one actor: the history says who as a group.
ALTER TABLE report_history
  ADD COLUMN actor_group text CHECK (actor_group IN ('volunteers'));

-- The public story names the volunteers as a group when their agreement verified a report (it
-- has no actor, so by_public alone would not tell it from a citizen; by_public now leaves them
-- out). Same view as in 0017_feedback.sql, the new column last.
CREATE OR REPLACE VIEW public_report_timeline AS
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
       h.actor_id IS NULL AND h.actor_group IS NULL AS by_public,
       h.created_at,
       h.actor_group = 'volunteers' AS by_volunteers
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
