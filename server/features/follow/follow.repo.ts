// The SQL of following: subscriptions (private: nothing here is read by a public answer), the
// unsubscribe tokens, the confirmation-mail bound and the outbox the history trigger fills
// (migrations/0016_follow.sql).
import type pg from 'pg';
import type { FollowEvent, Language } from './follow.texts';

type Db = pg.Pool | pg.PoolClient;

/**
 * Whether the public may follow a report: it is public, or it was sent within the hour (the
 * success view of a help request waiting for review) and staff neither hid nor rejected it.
 */
export async function followable(db: Db, reportId: number, recentMinutes: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM public_reports WHERE id = $1
     UNION ALL
     SELECT 1 FROM reports WHERE id = $1 AND status <> 'rejected' AND NOT hidden AND created_at > now() - make_interval(mins => $2)`,
    [reportId, recentMinutes],
  );
  return (rowCount ?? 0) > 0;
}

export async function countSubscriptions(db: Db, reportId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM follow_subscriptions WHERE report_id = $1',
    [reportId],
  );
  return rows[0]!.n;
}

/** Subscriptions to a report asked for from one client address (client_hash names both). */
export async function countFromClient(db: Db, reportId: number, clientHash: Buffer): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM follow_subscriptions WHERE report_id = $1 AND client_hash = $2',
    [reportId, clientHash],
  );
  return rows[0]!.n;
}

export async function subscriptionExists(db: Db, reportId: number, addressHash: Buffer): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM follow_subscriptions WHERE report_id = $1 AND address_hash = $2', [
    reportId,
    addressHash,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The mailbox asked never to be mailed about this report again. */
export async function suppressed(db: Db, reportId: number, addressHash: Buffer): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM follow_suppressions WHERE report_id = $1 AND address_hash = $2', [
    reportId,
    addressHash,
  ]);
  return (rowCount ?? 0) > 0;
}

/** A new e-mail subscription waiting for confirmation, with its confirmation mail queued; false if the address already has one for this report. */
export async function insertEmail(
  db: Db,
  s: {
    reportId: number;
    email: string;
    addressHash: Buffer;
    clientHash: Buffer;
    language: Language;
    expiryHours: number;
  },
): Promise<boolean> {
  // A request left unconfirmed past its expiry is as good as gone: the address may ask again.
  await db.query(
    `DELETE FROM follow_subscriptions
      WHERE report_id = $1 AND address_hash = $2 AND confirmed_at IS NULL
        AND created_at < now() - make_interval(hours => $3)`,
    [s.reportId, s.addressHash, s.expiryHours],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO follow_subscriptions (report_id, channel, email, address_hash, client_hash, language)
     VALUES ($1, 'email', $2, $3, $4, $5)
     ON CONFLICT (report_id, address_hash) DO NOTHING
     RETURNING id`,
    [s.reportId, s.email, s.addressHash, s.clientHash, s.language],
  );
  if (!rows[0]) return false;
  await db.query(`INSERT INTO follow_deliveries (subscription_id, report_id, event) VALUES ($1, $2, 'confirm')`, [
    rows[0].id,
    s.reportId,
  ]);
  return true;
}

/** Confirmation mails sent to an address in the last day. */
export async function confirmationMailsToday(db: Db, addressHash: Buffer): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM follow_confirmation_mails
      WHERE address_hash = $1 AND sent_at > now() - interval '1 day'`,
    [addressHash],
  );
  return rows[0]!.n;
}

export async function recordConfirmationMail(db: Db, addressHash: Buffer): Promise<void> {
  await db.query('INSERT INTO follow_confirmation_mails (address_hash) VALUES ($1)', [addressHash]);
}

/** A push subscription is confirmed by the browser's permission: it follows at once. */
export async function upsertPush(
  db: Db,
  s: {
    reportId: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    addressHash: Buffer;
    clientHash: Buffer;
    language: Language;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO follow_subscriptions
       (report_id, channel, push_endpoint, push_p256dh, push_auth, address_hash, client_hash, language, confirmed_at)
     VALUES ($1, 'push', $2, $3, $4, $5, $7, $6, now())
     ON CONFLICT (report_id, address_hash) DO UPDATE
       SET push_p256dh = EXCLUDED.push_p256dh, push_auth = EXCLUDED.push_auth, language = EXCLUDED.language`,
    [s.reportId, s.endpoint, s.p256dh, s.auth, s.addressHash, s.language, s.clientHash],
  );
}

export async function setConfirmHash(db: Db, subscriptionId: number, hash: Buffer): Promise<void> {
  await db.query('UPDATE follow_subscriptions SET confirm_hash = $2 WHERE id = $1 AND confirmed_at IS NULL', [
    subscriptionId,
    hash,
  ]);
}

/** The report a confirmation token is for, if it is still waiting (and not expired). */
export interface LinkTarget {
  reportId: number;
  language: Language;
}

export async function findPendingConfirmation(
  db: Db,
  hash: Buffer,
  expiryHours: number,
): Promise<LinkTarget | undefined> {
  const { rows } = await db.query<{ report_id: string; language: Language }>(
    `SELECT report_id, language FROM follow_subscriptions
      WHERE confirm_hash = $1 AND confirmed_at IS NULL AND created_at > now() - make_interval(hours => $2)`,
    [hash, expiryHours],
  );
  return rows[0] && { reportId: Number(rows[0].report_id), language: rows[0].language };
}

export async function confirm(db: Db, hash: Buffer, expiryHours: number): Promise<LinkTarget | undefined> {
  const { rows } = await db.query<{ report_id: string; language: Language }>(
    `UPDATE follow_subscriptions SET confirmed_at = now(), confirm_hash = NULL
      WHERE confirm_hash = $1 AND confirmed_at IS NULL AND created_at > now() - make_interval(hours => $2)
      RETURNING report_id, language`,
    [hash, expiryHours],
  );
  return rows[0] && { reportId: Number(rows[0].report_id), language: rows[0].language };
}

export async function insertUnsubscribeToken(db: Db, subscriptionId: number, hash: Buffer): Promise<void> {
  await db.query('INSERT INTO follow_unsubscribe_tokens (token_hash, subscription_id) VALUES ($1, $2)', [
    hash,
    subscriptionId,
  ]);
}

export async function findByUnsubscribeToken(db: Db, hash: Buffer): Promise<LinkTarget | undefined> {
  const { rows } = await db.query<{ report_id: string; language: Language }>(
    `SELECT s.report_id, s.language FROM follow_unsubscribe_tokens t JOIN follow_subscriptions s ON s.id = t.subscription_id
      WHERE t.token_hash = $1`,
    [hash],
  );
  return rows[0] && { reportId: Number(rows[0].report_id), language: rows[0].language };
}

/** Ends the subscription; an e-mail's mailbox is kept (as its hash) from being mailed about the report again. */
export async function unsubscribe(db: Db, hash: Buffer): Promise<LinkTarget | undefined> {
  const { rows } = await db.query<{ report_id: string; language: Language }>(
    `WITH gone AS (
       DELETE FROM follow_subscriptions s USING follow_unsubscribe_tokens t
        WHERE t.token_hash = $1 AND s.id = t.subscription_id
        RETURNING s.report_id, s.language, s.channel, s.address_hash
     ), kept AS (
       INSERT INTO follow_suppressions (report_id, address_hash)
       SELECT report_id, address_hash FROM gone WHERE channel = 'email'
       ON CONFLICT DO NOTHING
     )
     SELECT report_id, language FROM gone`,
    [hash],
  );
  return rows[0] && { reportId: Number(rows[0].report_id), language: rows[0].language };
}

export async function deleteSubscription(db: Db, id: number): Promise<void> {
  await db.query('DELETE FROM follow_subscriptions WHERE id = $1', [id]);
}

/**
 * Claims due messages of one channel for this worker (others skip them) until leaseS passes: a
 * worker that dies mid-send leaves them for a later one. A subscription's messages go in order:
 * one waits while an earlier one to the same subscription is still queued or being sent.
 */
export async function claimDue(db: Db, channel: 'email' | 'push', limit: number, leaseS: number): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE follow_deliveries SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
      WHERE id IN (SELECT d.id FROM follow_deliveries d JOIN follow_subscriptions s ON s.id = d.subscription_id
                    WHERE d.next_attempt_at <= now() AND s.channel = $3
                      AND NOT EXISTS (SELECT 1 FROM follow_deliveries e
                                       WHERE e.subscription_id = d.subscription_id AND e.id < d.id)
                    ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
      RETURNING id`,
    [limit, leaseS, channel],
  );
  return rows.map((r) => Number(r.id));
}

export interface Delivery {
  id: number;
  event: FollowEvent | 'confirm';
  attempts: number;
  reportId: number;
  subscriptionId: number;
  channel: 'email' | 'push';
  email: string | null;
  push: { endpoint: string; keys: { p256dh: string; auth: string } } | null;
  language: Language;
  addressHash: Buffer;
  /** A push subscription's failed attempts in a row. */
  pushFailures: number;
  /** The assigned team's name (never a person's). */
  team: string | null;
  /** The original of a duplicate, when the public may see it. */
  duplicateOf: number | null;
}

export async function loadDeliveries(db: Db, ids: number[]): Promise<Delivery[]> {
  const { rows } = await db.query<{
    id: string;
    event: Delivery['event'];
    attempts: number;
    report_id: string;
    subscription_id: string;
    channel: Delivery['channel'];
    email: string | null;
    push_endpoint: string | null;
    push_p256dh: string | null;
    push_auth: string | null;
    language: Language;
    address_hash: Buffer;
    push_failures: number;
    team: string | null;
    duplicate_of: string | null;
  }>(
    `SELECT d.id, d.event, d.attempts, d.report_id, s.id AS subscription_id, s.channel, s.email,
            s.push_endpoint, s.push_p256dh, s.push_auth, s.language, s.address_hash,
            s.push_failures, t.name AS team, p.duplicate_of
       FROM follow_deliveries d
       JOIN follow_subscriptions s ON s.id = d.subscription_id
       JOIN reports r ON r.id = d.report_id
       LEFT JOIN teams t ON t.id = r.assigned_team_id
       LEFT JOIN public_report_fields p ON p.id = r.id
      WHERE d.id = ANY($1::bigint[])
      ORDER BY d.id`,
    [ids],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    event: r.event,
    attempts: r.attempts,
    reportId: Number(r.report_id),
    subscriptionId: Number(r.subscription_id),
    channel: r.channel,
    email: r.email,
    push:
      r.push_endpoint && r.push_p256dh && r.push_auth
        ? { endpoint: r.push_endpoint, keys: { p256dh: r.push_p256dh, auth: r.push_auth } }
        : null,
    language: r.language,
    addressHash: r.address_hash,
    pushFailures: r.push_failures,
    team: r.team,
    duplicateOf: r.duplicate_of === null ? null : Number(r.duplicate_of),
  }));
}

/** Counts a push subscription's failed attempt; at `max` in a row it is deleted (true). */
export async function recordPushFailure(db: Db, subscriptionId: number, max: number): Promise<boolean> {
  const { rows } = await db.query<{ push_failures: number }>(
    'UPDATE follow_subscriptions SET push_failures = push_failures + 1 WHERE id = $1 RETURNING push_failures',
    [subscriptionId],
  );
  if (!rows[0] || rows[0].push_failures < max) return false;
  await deleteSubscription(db, subscriptionId);
  return true;
}

export async function resetPushFailures(db: Db, subscriptionId: number): Promise<void> {
  await db.query('UPDATE follow_subscriptions SET push_failures = 0 WHERE id = $1', [subscriptionId]);
}

export async function deleteDelivery(db: Db, id: number): Promise<void> {
  await db.query('DELETE FROM follow_deliveries WHERE id = $1', [id]);
}

export async function retryLater(db: Db, id: number, afterS: number): Promise<void> {
  await db.query('UPDATE follow_deliveries SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1', [
    id,
    afterS,
  ]);
}

/** Seconds until the next message is due (undefined: none waits). */
export async function nextDueInS(db: Db): Promise<number | undefined> {
  const { rows } = await db.query<{ s: number | null }>(
    'SELECT extract(epoch FROM min(next_attempt_at) - now())::float8 AS s FROM follow_deliveries',
  );
  return rows[0]?.s ?? undefined;
}

/**
 * Forgets what no longer serves anyone: requests never confirmed, followers of reports closed
 * for good once their last message went (rejected, merged, or resolved and not reopened for
 * closedDays) with the mailboxes that asked not to be mailed about them, and the day's count of
 * confirmation mails.
 */
export async function forget(db: Db, o: { expiryHours: number; closedDays: number }) {
  const unconfirmed = await db.query(
    `DELETE FROM follow_subscriptions WHERE confirmed_at IS NULL AND created_at < now() - make_interval(hours => $1)`,
    [o.expiryHours],
  );
  const closed = await db.query(
    `DELETE FROM follow_subscriptions s USING reports r
      WHERE r.id = s.report_id
        AND (r.status IN ('rejected', 'duplicate')
             OR (r.status = 'resolved' AND r.resolved_at < now() - make_interval(days => $1)))
        AND NOT EXISTS (SELECT 1 FROM follow_deliveries d WHERE d.subscription_id = s.id)`,
    [o.closedDays],
  );
  await db.query(
    `DELETE FROM follow_suppressions x USING reports r
      WHERE r.id = x.report_id
        AND (r.status IN ('rejected', 'duplicate')
             OR (r.status = 'resolved' AND r.resolved_at < now() - make_interval(days => $1)))`,
    [o.closedDays],
  );
  await db.query(`DELETE FROM follow_confirmation_mails WHERE sent_at < now() - interval '1 day'`);
  return { unconfirmed: unconfirmed.rowCount ?? 0, closed: closed.rowCount ?? 0 };
}
