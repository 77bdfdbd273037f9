// Sending what the history trigger queued (docs/FOLLOW.md, "How it is sent"): off the request
// path, a few attempts with backoff, never holding a database connection while SMTP or a push
// service is slow, and mail never waiting behind push.
import type pg from 'pg';
import type { Logger } from '../../logger';
import { backoffS, FOLLOW_LIMITS } from './follow.limits';
import { pushFailureCode, PushGone } from './follow.push';
import * as repo from './follow.repo';

export interface Sender {
  /** Wakes both lanes (after a change was committed); returns at once. */
  kick(): void;
  /** Sends what is due until nothing is; resolves when done (the periodic job and tests wait on it). */
  drain(): Promise<void>;
  /** Stops scheduled retries (shutdown); deliveries in flight end within their deadline. */
  stop(): void;
}

/** What the log may say about a failure: a code (ECONNREFUSED, timeout, http_503, smtp_550), never a message, which can hold an address or a host. */
function failureCode(err: unknown): string {
  const smtp = (err as { responseCode?: unknown } | null)?.responseCode;
  if (typeof smtp === 'number') return `smtp_${smtp}`;
  return pushFailureCode(err);
}

export function createSender(deps: {
  pool: pg.Pool;
  logger: Logger;
  /** Sends one message (mail or push); throws when it failed. */
  deliver: (d: repo.Delivery) => Promise<void>;
}): Sender {
  const { pool, logger, deliver } = deps;
  let mailRunning: Promise<void> | undefined;
  let mailAgain = false;
  let pushClaiming: Promise<void> | undefined;
  let pushAgain = false;
  const pushInFlight = new Set<Promise<void>>();
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  // Mail and push are separate lanes: a slow push service never holds up an e-mail. Mail goes in
  // batches (one address's messages in order, its daily bound counted one at a time); push keeps
  // up to pushConcurrency deliveries in flight, each on its own, so a slow endpoint delays itself.
  async function mailBatch(): Promise<number> {
    const ids = await repo.claimDue(pool, 'email', FOLLOW_LIMITS.batch, FOLLOW_LIMITS.leaseS);
    if (!ids.length) return 0;
    const deliveries = await repo.loadDeliveries(pool, ids);
    const byAddress = new Map<string, repo.Delivery[]>();
    for (const d of deliveries) {
      const key = d.addressHash.toString('hex');
      byAddress.set(key, [...(byAddress.get(key) ?? []), d]);
    }
    await Promise.all(
      [...byAddress.values()].map(async (list) => {
        for (const d of list) await attempt(d);
      }),
    );
    return ids.length;
  }

  function kickMail(): void {
    if (mailRunning) {
      mailAgain = true;
      return;
    }
    mailRunning = (async () => {
      do {
        mailAgain = false;
        while ((await mailBatch()) > 0);
      } while (mailAgain && !stopped);
      await scheduleRetry();
    })()
      .catch((err: unknown) => logger.warn({ err }, 'Follow: sending e-mail failed; will retry'))
      .finally(() => (mailRunning = undefined));
  }

  function kickPush(): void {
    if (pushClaiming) {
      pushAgain = true;
      return;
    }
    pushClaiming = (async () => {
      do {
        pushAgain = false;
        while (!stopped && pushInFlight.size < FOLLOW_LIMITS.pushConcurrency) {
          const free = FOLLOW_LIMITS.pushConcurrency - pushInFlight.size;
          const ids = await repo.claimDue(pool, 'push', free, FOLLOW_LIMITS.leaseS);
          if (!ids.length) break;
          for (const d of await repo.loadDeliveries(pool, ids)) {
            const sending: Promise<void> = attempt(d)
              .catch((err: unknown) => logger.warn({ err }, 'Follow: push delivery failed; will retry'))
              .finally(() => {
                pushInFlight.delete(sending);
                if (!stopped) kickPush();
              });
            pushInFlight.add(sending);
          }
        }
      } while (pushAgain && !stopped);
      await scheduleRetry();
    })()
      .catch((err: unknown) => logger.warn({ err }, 'Follow: sending push failed; will retry'))
      .finally(() => (pushClaiming = undefined));
  }

  async function attempt(d: repo.Delivery): Promise<void> {
    try {
      await deliver(d);
      await repo.deleteDelivery(pool, d.id);
      if (d.pushFailures > 0) await repo.resetPushFailures(pool, d.subscriptionId);
    } catch (err) {
      const reason = failureCode(err);
      if (err instanceof PushGone) {
        logger.info({ reportId: d.reportId, reason: err.message }, 'Follow: push subscription gone; deleted');
        await repo.deleteSubscription(pool, d.subscriptionId);
        return;
      }
      // Any failure counts: an endpoint that never answers (no such host, refused) is as gone as a 410.
      if (
        d.channel === 'push' &&
        (await repo.recordPushFailure(pool, d.subscriptionId, FOLLOW_LIMITS.pushFailuresInARow))
      ) {
        logger.info({ reportId: d.reportId, reason }, 'Follow: push subscription kept failing; deleted');
        return;
      }
      if (d.attempts >= FOLLOW_LIMITS.maxAttempts) {
        logger.warn(
          { reportId: d.reportId, channel: d.channel, event: d.event, reason },
          'Follow: message dropped after retries',
        );
        await repo.deleteDelivery(pool, d.id);
      } else {
        logger.info(
          { reportId: d.reportId, channel: d.channel, attempts: d.attempts, reason },
          'Follow: sending failed; will retry',
        );
        await repo.retryLater(pool, d.id, backoffS(d.attempts));
      }
    }
  }

  async function scheduleRetry(): Promise<void> {
    const inS = await repo.nextDueInS(pool);
    if (inS === undefined || stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => sender.kick(), Math.max(0, inS * 1000) + 50);
    retryTimer.unref();
  }

  const sender: Sender = {
    kick() {
      if (stopped) return;
      kickMail();
      kickPush();
    },
    async drain() {
      sender.kick();
      while (mailRunning || pushClaiming || pushInFlight.size) {
        await Promise.all([mailRunning, pushClaiming, ...pushInFlight]);
      }
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
    },
  };
  return sender;
}
