-- Following a report without an account (issue 16; docs/FOLLOW.md, docs/SECURITY.md "Following").
--
-- A subscription is private data: an e-mail address or a push endpoint with its keys. Nothing
-- public reads these tables. address_hash is sha256 of the normalised address (the e-mail's
-- mailbox: lower-cased, without a +tag, gmail without dots; or the endpoint URL): one
-- subscription per address and report, and the per-address bounds on confirmation mail, without
-- comparing addresses in the clear. client_hash is sha256 of the report and the requesting client
-- address (a few subscriptions per client and report, so no one client fills a report's cap);
-- push_failures counts a push subscription's failed attempts in a row (deleted at a bound).
CREATE TABLE follow_subscriptions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  channel        text NOT NULL CHECK (channel IN ('email', 'push')),
  email          text CHECK (char_length(email) <= 254),
  push_endpoint  text CHECK (char_length(push_endpoint) <= 2048),
  push_p256dh    text CHECK (char_length(push_p256dh) <= 100),
  push_auth      text CHECK (char_length(push_auth) <= 40),
  address_hash   bytea NOT NULL CHECK (octet_length(address_hash) = 32),
  language       text NOT NULL CHECK (language IN ('en', 'de', 'fr')),
  -- E-mail: sha256 of the token in the confirmation link, until the link is followed.
  confirm_hash   bytea CHECK (octet_length(confirm_hash) = 32),
  confirmed_at   timestamptz,
  client_hash    bytea CHECK (octet_length(client_hash) = 32),
  push_failures  integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((channel = 'email') = (email IS NOT NULL)),
  CHECK ((channel = 'push') = (push_endpoint IS NOT NULL AND push_p256dh IS NOT NULL AND push_auth IS NOT NULL))
);
CREATE UNIQUE INDEX follow_subscriptions_address_idx ON follow_subscriptions (report_id, address_hash);
CREATE INDEX follow_subscriptions_confirmed_idx ON follow_subscriptions (report_id) WHERE confirmed_at IS NOT NULL;
CREATE UNIQUE INDEX follow_subscriptions_confirm_idx ON follow_subscriptions (confirm_hash)
  WHERE confirm_hash IS NOT NULL;
CREATE INDEX follow_subscriptions_unconfirmed_idx ON follow_subscriptions (created_at) WHERE confirmed_at IS NULL;
CREATE INDEX follow_subscriptions_client_idx ON follow_subscriptions (report_id, client_hash);

-- "Never mail this address again about this report" (the confirmation mail's link): the hash of
-- the mailbox and the report, no address; a later request for it is answered 202 and sends
-- nothing. Forgotten with the report's followers.
CREATE TABLE follow_suppressions (
  report_id     bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  address_hash  bytea NOT NULL CHECK (octet_length(address_hash) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, address_hash)
);

-- Unsubscribe tokens: a fresh random one in every message, stored as sha256 only, so the
-- database never holds a working link; any of them ends the subscription.
CREATE TABLE follow_unsubscribe_tokens (
  token_hash       bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  subscription_id  bigint NOT NULL REFERENCES follow_subscriptions (id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_unsubscribe_tokens_subscription_idx ON follow_unsubscribe_tokens (subscription_id);

-- Confirmation mails sent per address (the daily bound: nobody mail-bombs an address through
-- us); rows older than a day are swept.
CREATE TABLE follow_confirmation_mails (
  address_hash  bytea NOT NULL CHECK (octet_length(address_hash) = 32),
  sent_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_confirmation_mails_idx ON follow_confirmation_mails (address_hash, sent_at);

-- The outbox: one row per message to send, written in the transaction of the change itself
-- (the trigger below), so a change made by any path (triage, moderation, fix checks, volunteers)
-- is told once it commits and never when it rolls back. A worker claims due rows, sends
-- without holding a connection, and deletes them or sets the next attempt.
CREATE TABLE follow_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id  bigint NOT NULL REFERENCES follow_subscriptions (id) ON DELETE CASCADE,
  report_id        bigint NOT NULL,
  event            text NOT NULL
                   CHECK (event IN ('confirm', 'published', 'verified', 'assigned', 'resolved', 'merged',
                                    'rejected', 'reopened')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_deliveries_due_idx ON follow_deliveries (next_attempt_at);
CREATE INDEX follow_deliveries_subscription_idx ON follow_deliveries (subscription_id);

-- Which history entries are news to a follower. Reopening is a step back from resolved,
-- rejected or a duplicate; a step back from verified or assigned is staff undoing a mistake.
CREATE FUNCTION follow_queue_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ev text;
BEGIN
  IF NEW.field = 'review' AND NEW.to_value = 'published' AND NEW.from_value = 'pending' THEN
    ev := 'published';
  ELSIF NEW.field = 'status' THEN
    ev := CASE
      WHEN NEW.to_value IN ('new', 'verified') AND NEW.from_value IN ('resolved', 'rejected', 'duplicate') THEN 'reopened'
      WHEN NEW.to_value = 'verified' AND NEW.from_value = 'new' THEN 'verified'
      WHEN NEW.to_value = 'assigned' AND NEW.from_value IN ('new', 'verified') THEN 'assigned'
      WHEN NEW.to_value = 'resolved' THEN 'resolved'
      WHEN NEW.to_value = 'duplicate' THEN 'merged'
      WHEN NEW.to_value = 'rejected' THEN 'rejected'
    END;
  END IF;
  IF ev IS NOT NULL THEN
    INSERT INTO follow_deliveries (subscription_id, report_id, event)
    SELECT id, report_id, ev FROM follow_subscriptions
     WHERE report_id = NEW.report_id AND confirmed_at IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_history_follow AFTER INSERT ON report_history
  FOR EACH ROW WHEN (NEW.field IN ('status', 'review')) EXECUTE FUNCTION follow_queue_update();
