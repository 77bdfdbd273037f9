-- API keys for Open311 clients that post service requests. The key itself is shown once
-- when it is made; only its sha256 is stored. Revoked keys stay, for the record.
CREATE TABLE api_keys (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  key_hash      text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
-- A name picks out one live key (npm run apikey:revoke -- --name N).
CREATE UNIQUE INDEX api_keys_live_name_idx ON api_keys (lower(name)) WHERE revoked_at IS NULL;
