-- Reports, their photos, confirmations and idempotency keys.

-- Deterministic coarse cell centre for a point: about grid_m × grid_m on the ground.
-- Public channels show help requests only at these centres (DESIGN.md, Privacy).
CREATE FUNCTION wf_coarse_point(p geometry, grid_m integer) RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH lat_cell AS (
    SELECT (floor(ST_Y(p) / (grid_m / 111320.0)) + 0.5) * (grid_m / 111320.0) AS lat
  ), lon_step AS (
    SELECT lat, (grid_m / 111320.0) / greatest(cos(radians(lat)), 0.01) AS step FROM lat_cell
  )
  SELECT ST_SetSRID(ST_MakePoint(
    least(greatest((floor(ST_X(p) / step) + 0.5) * step, -180), 180),
    least(greatest(lat, -90), 90)), 4326)
  FROM lon_step
$$;

CREATE TABLE reports (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL,
  category         text NOT NULL,
  status           text NOT NULL DEFAULT 'new'
                   CHECK (status IN ('new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate')),
  severity         smallint NOT NULL CHECK (severity BETWEEN 1 AND 3),
  passability      text CHECK (passability IN ('yes', 'limited', 'no')),
  people_count     integer CHECK (people_count BETWEEN 1 AND 10000),
  description      text CHECK (char_length(description) <= 4000),
  address          text CHECK (char_length(address) <= 300),
  accuracy_m       real CHECK (accuracy_m >= 0),
  contact          text CHECK (char_length(contact) <= 300),
  -- The exact point, for staff.
  geom             geometry(Point, 4326) NOT NULL,
  -- What public channels show: the exact point for barriers, a coarse cell for help.
  public_geom      geometry(Point, 4326) NOT NULL,
  hidden           boolean NOT NULL DEFAULT false,
  still_there_count integer NOT NULL DEFAULT 0,
  gone_count       integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (category, kind) REFERENCES categories (code, kind),
  CHECK (kind = 'barrier' OR passability IS NULL),
  CHECK (kind = 'help' OR people_count IS NULL)
);
CREATE INDEX reports_geom_idx ON reports USING gist (geom);
CREATE INDEX reports_public_geom_idx ON reports USING gist (public_geom);
CREATE INDEX reports_category_status_idx ON reports (category, status);
CREATE INDEX reports_updated_at_idx ON reports (updated_at);
-- Exports, OGC datetime and Open311 start_date/end_date filter on the creation time.
CREATE INDEX reports_created_at_idx ON reports (created_at);

CREATE TABLE photos (
  report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position      smallint NOT NULL CHECK (position BETWEEN 0 AND 4),
  -- sha256 of the display image; files live under DATA_DIR/photos by this hash.
  hash          text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  width         integer NOT NULL,
  height        integer NOT NULL,
  thumb_width   integer NOT NULL,
  thumb_height  integer NOT NULL,
  bytes         integer NOT NULL,
  PRIMARY KEY (report_id, position)
);
CREATE INDEX photos_hash_idx ON photos (hash);

CREATE TABLE confirmations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  type        text NOT NULL CHECK (type IN ('still_there', 'gone')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX confirmations_report_idx ON confirmations (report_id);

-- A client sends one key per report; a retry with it returns the first result.
CREATE TABLE idempotency_keys (
  key           uuid NOT NULL,
  scope         text NOT NULL,
  request_hash  text NOT NULL,
  report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Deployment settings the data depends on (the help grid the public points were cut with).
CREATE TABLE settings (
  name   text PRIMARY KEY,
  value  text NOT NULL
);
