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
