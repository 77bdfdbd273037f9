-- Staff: accounts, sessions, teams, the triage workflow's history and notes, live events,
-- and deployments.

CREATE TABLE teams (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email          text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND char_length(email) <= 254),
  name           text NOT NULL DEFAULT '' CHECK (char_length(name) <= 100),
  role           text NOT NULL CHECK (role IN ('admin', 'coordinator', 'responder')),
  password_hash  text NOT NULL,
  team_id        bigint REFERENCES teams (id) ON DELETE SET NULL,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- The cookie holds a random token; only its sha256 is stored.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed logins per account and client address, for throttling without locking everyone out.
CREATE TABLE login_failures (
  email_key     text NOT NULL,
  client        text NOT NULL,
  failures      integer NOT NULL,
  last_failure  timestamptz NOT NULL,
  PRIMARY KEY (email_key, client)
);

CREATE TABLE deployments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  team_id     bigint REFERENCES teams (id) ON DELETE SET NULL,
  area        geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployments_area_idx ON deployments USING gist (area);

ALTER TABLE reports
  ADD COLUMN assigned_team_id bigint REFERENCES teams (id) ON DELETE SET NULL,
  ADD COLUMN assigned_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN duplicate_of bigint REFERENCES reports (id),
  ADD COLUMN deployment_id bigint REFERENCES deployments (id) ON DELETE SET NULL,
  ADD COLUMN resolved_at timestamptz,
  ADD CONSTRAINT reports_duplicate_not_self CHECK (duplicate_of IS NULL OR duplicate_of <> id);
-- Deleting a report checks duplicate_of: a full scan of a million rows without this.
CREATE INDEX reports_duplicate_of_idx ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX reports_open_idx ON reports (status) WHERE status IN ('new', 'verified', 'assigned', 'in_progress');
CREATE INDEX reports_assigned_user_idx ON reports (assigned_user_id) WHERE assigned_user_id IS NOT NULL;

-- Who changed what, when, from → to. actor_id NULL = the public (a citizen's report).
CREATE TABLE report_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
  action      text NOT NULL,
  field       text,
  from_value  text,
  to_value    text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_history_report_idx ON report_history (report_id, id);

CREATE TABLE report_notes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  author_id   bigint REFERENCES users (id) ON DELETE SET NULL,
  body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_notes_report_idx ON report_notes (report_id, id);

-- The live feed: staff dashboards replay from here after Last-Event-ID.
CREATE TABLE report_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('report.created', 'report.updated')),
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Responders add photos when they resolve a report: room beyond the citizen's five.
ALTER TABLE photos DROP CONSTRAINT photos_position_check,
  ADD CONSTRAINT photos_position_check CHECK (position BETWEEN 0 AND 19);
