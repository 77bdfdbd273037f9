-- Per-client request counts that every app process shares (server/http/rate-limit-store.ts),
-- so two processes behind a load balancer, or WEB_CONCURRENCY workers, hold one count per
-- client instead of one each. Used on a real PostgreSQL server only; the embedded database
-- is one process by construction and keeps its counts in memory.
--
-- One row per limit and client: the key is the limit's name and an HMAC of the client's
-- address (never the address itself, as for confirmations). A window starts at the client's
-- first counted request and lasts until expires_at, as express-rate-limit's memory store
-- counts, so a client never gets a fresh allowance at a clock boundary shared by everyone.
-- Unlogged: a lost count after a crash only gives clients a fresh window, and every request
-- that is counted writes here, so no WAL for it.
CREATE UNLOGGED TABLE rate_limit_hits (
  key           text PRIMARY KEY CHECK (char_length(key) <= 200),
  window_start  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  hits          integer NOT NULL CHECK (hits >= 0)
);
-- The sweep of windows that ended.
CREATE INDEX rate_limit_hits_expires_idx ON rate_limit_hits (expires_at);
