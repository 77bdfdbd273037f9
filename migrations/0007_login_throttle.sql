-- Login throttling that counts an attempt before the password is checked, so parallel tries
-- cannot all be checked (server/features/auth/auth.repo.ts, takeLoginAttempt), and browsers
-- an account has logged in from before, which keep a count of their own (docs/SECURITY.md,
-- Logins). The old table counted failures after the check; its counts are dropped with it
-- (at worst a throttle restarts once).

DROP TABLE login_failures;

-- Checked attempts since the last success, per account and client. The account is the email
-- as typed, lower-cased: unknown addresses are counted like real ones. The client is
-- 'address:…' (an IPv4 address or an IPv6 /56) or 'device:…' (the sha256 of a device token).
CREATE TABLE login_attempts (
  account       text NOT NULL CHECK (char_length(account) <= 254),
  client        text NOT NULL CHECK (char_length(client) <= 100),
  attempts      integer NOT NULL CHECK (attempts > 0),
  last_attempt  timestamptz NOT NULL,
  PRIMARY KEY (account, client)
);
CREATE INDEX login_attempts_last_idx ON login_attempts (last_attempt);

-- Device tokens (a random cookie; only its sha256 is stored) and the accounts that logged in
-- with them. One browser may serve several accounts (a shelter's shared laptop).
CREATE TABLE login_devices (
  token_hash  text NOT NULL,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  last_login  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX login_devices_user_idx ON login_devices (user_id);
CREATE INDEX login_devices_last_idx ON login_devices (last_login);
