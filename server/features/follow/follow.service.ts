// Following a report (docs/FOLLOW.md): subscribing by e-mail (double opt-in) or web push, the
// links behind every message (confirm, unsubscribe), and the worker that sends what the history
// trigger queued — off the request path, a few attempts with backoff, never holding a database
// connection while SMTP or a push service is slow.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import { AppError } from '../../http/errors';
import { startPeriodic, type PeriodicJob } from '../../jobs';
import type { Logger } from '../../logger';
import type { Mailer } from '../../mail/mailer';
import { backoffS, FOLLOW_LIMITS } from './follow.limits';
import * as repo from './follow.repo';
import { createSender } from './follow.sender';
import { loadVapidKeys, sendPush, type PushSubscriptionData, type VapidKeys } from './follow.push';
import { CONFIRM_MAIL, MAIL, PAGE, updateMessage, type Language } from './follow.texts';

export { backoffS, FOLLOW_LIMITS };

export interface FollowDeps {
  pool: pg.Pool;
  mailer: Mailer;
  logger: Logger;
  /** The public origin for links (PUBLIC_URL); without it no message can link anywhere. */
  publicUrl: () => string | undefined;
  vapid: { publicKey: string; privateKey: string } | undefined;
  vapidSubject: string;
  pushAllowPrivate: boolean;
}

export type SubscribeInput = { language: Language } & ({ email: string } | { push: PushSubscriptionData });

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

/**
 * The mailbox an address reaches, for the per-address bounds and the suppression list: lower
 * case, without a "+tag", and for Gmail without dots (bomb+1@, b.omb@ … are one inbox). Mail is
 * still sent to the address as given.
 */
export function mailbox(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

const newToken = () => crypto.randomBytes(32).toString('base64url');

export interface Follow {
  /** E-mail can be sent (SMTP_URL and PUBLIC_URL set). */
  readonly emailEnabled: boolean;
  /** Push can be sent (PUBLIC_URL set; keys are always there). */
  readonly pushEnabled: boolean;
  vapidPublicKey(): Promise<string>;
  /** `client` is the requester's address (the per-client bound), kept only as a hash. */
  subscribe(reportId: number, input: SubscribeInput, client: string): Promise<void>;
  /** The report a link's token is for (pages ask before they act); undefined: no longer valid. */
  pendingConfirmation(token: string): Promise<repo.LinkTarget | undefined>;
  confirm(token: string): Promise<repo.LinkTarget | undefined>;
  unsubscribeTarget(token: string): Promise<repo.LinkTarget | undefined>;
  unsubscribe(token: string): Promise<repo.LinkTarget | undefined>;
  /** Wakes the worker (after a change was committed); returns at once. */
  kick(): void;
  /** Sends what is due until nothing is; resolves when done (the periodic job and tests wait on it). */
  drain(): Promise<void>;
  forget(): Promise<{ unconfirmed: number; closed: number }>;
  /** Stops scheduled retries (shutdown). */
  stop(): void;
}

export function createFollow(deps: FollowDeps): Follow {
  const { pool, mailer, logger } = deps;
  let keys: Promise<VapidKeys> | undefined;
  const vapid = () => {
    keys ??= loadVapidKeys(pool, deps.vapid, deps.vapidSubject).catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return keys;
  };

  const link = (path: string) => {
    const base = deps.publicUrl();
    if (!base) throw new Error('PUBLIC_URL is needed for the links in follow messages');
    return `${base}${path}`;
  };

  async function unsubscribeUrl(subscriptionId: number): Promise<string> {
    const token = newToken();
    await repo.insertUnsubscribeToken(pool, subscriptionId, sha256(token));
    return link(`/api/v1/subscriptions/unsubscribe?token=${token}`);
  }

  async function deliver(d: repo.Delivery): Promise<void> {
    if (d.event === 'confirm') {
      if (!d.email) return;
      if ((await repo.confirmationMailsToday(pool, d.addressHash)) >= FOLLOW_LIMITS.confirmationMailsPerDay) {
        // Silently: the answer to the request was the same 202, and the address hears nothing more today.
        logger.info({ reportId: d.reportId }, 'Follow: confirmation mail not sent (daily bound of the address)');
        return;
      }
      const stopUrl = await unsubscribeUrl(d.subscriptionId);
      const token = newToken();
      await repo.setConfirmHash(pool, d.subscriptionId, sha256(token));
      await repo.recordConfirmationMail(pool, d.addressHash);
      const mail = CONFIRM_MAIL[d.language](d.reportId, link(`/api/v1/subscriptions/confirm?token=${token}`), stopUrl);
      await mailer.send({ to: d.email, subject: mail.subject, text: mail.text, headers: unsubscribeHeaders(stopUrl) });
      return;
    }
    const stopUrl = await unsubscribeUrl(d.subscriptionId);
    const reportUrl = link(`/reports/${d.reportId}`);
    const message = updateMessage(d.language, {
      reportId: d.reportId,
      event: d.event,
      reportUrl,
      team: d.team ?? undefined,
      original: d.duplicateOf === null ? undefined : { id: d.duplicateOf, url: link(`/reports/${d.duplicateOf}`) },
    });
    if (d.channel === 'email' && d.email) {
      const lines = [
        message.body,
        '',
        d.event === 'resolved' ? MAIL.fixCheck[d.language] : MAIL.open[d.language],
        message.url,
        '',
        '-- ',
        MAIL.why[d.language],
        `${MAIL.stop[d.language]} ${stopUrl}`,
      ];
      await mailer.send({
        to: d.email,
        subject: `Wegfrei: ${message.subject}`,
        text: `${lines.join('\n')}\n`,
        headers: unsubscribeHeaders(stopUrl),
      });
    } else if (d.push) {
      await sendPush(
        d.push,
        {
          title: `Wegfrei: ${message.subject}`,
          body: message.body,
          url: message.url,
          unsubscribe_url: stopUrl,
          unsubscribe_label: PAGE[d.language].stopButton,
          report_id: d.reportId,
          tag: `report-${d.reportId}`,
        },
        await vapid(),
        deps.pushAllowPrivate,
      );
    }
    if (message.last) await repo.deleteSubscription(pool, d.subscriptionId);
  }

  const sender = createSender({ pool, logger, deliver });

  const follow: Follow = {
    // Getters: without PUBLIC_URL the address listened on is known only once listening (main.ts).
    get emailEnabled() {
      return mailer.enabled && Boolean(deps.publicUrl());
    },
    get pushEnabled() {
      return Boolean(deps.publicUrl());
    },
    vapidPublicKey: async () => (await vapid()).publicKey,

    async subscribe(reportId, input, client) {
      // Links in messages are made outside any request: without PUBLIC_URL nothing could be sent.
      if (!deps.publicUrl()) {
        throw new AppError(503, 'follow_unavailable', 'Following is not set up', 'This server has no PUBLIC_URL.');
      }
      if (!(await repo.followable(pool, reportId, FOLLOW_LIMITS.recentReportMinutes))) {
        throw AppError.notFound(`Report ${reportId}`);
      }
      if ((await repo.countSubscriptions(pool, reportId)) >= FOLLOW_LIMITS.subscriptionsPerReport) {
        throw new AppError(429, 'rate_limited', 'Too many followers', 'This report cannot take more followers.');
      }
      if ('email' in input && !mailer.enabled) {
        throw new AppError(503, 'email_unavailable', 'E-mail is not set up', 'This server sends no e-mail.');
      }
      const addressHash =
        'email' in input ? sha256(`email:${mailbox(input.email)}`) : sha256(`push:${input.push.endpoint}`);
      const clientHash = sha256(`client:${reportId}:${client}`);
      if (
        !(await repo.subscriptionExists(pool, reportId, addressHash)) &&
        (await repo.countFromClient(pool, reportId, clientHash)) >= FOLLOW_LIMITS.subscriptionsPerClientAndReport
      ) {
        throw new AppError(
          429,
          'rate_limited',
          'Too many followers from here',
          'This client address already follows this report with several subscriptions.',
        );
      }
      if ('email' in input) {
        // "Never mail this address again about this report": the same answer, and nothing is sent.
        if (await repo.suppressed(pool, reportId, addressHash)) return;
        const queued = await repo.insertEmail(pool, {
          reportId,
          email: input.email.trim(),
          addressHash,
          clientHash,
          language: input.language,
          expiryHours: FOLLOW_LIMITS.confirmExpiryHours,
        });
        if (queued) follow.kick();
      } else {
        await vapid(); // keys exist before the first push needs them
        await repo.upsertPush(pool, {
          reportId,
          endpoint: input.push.endpoint,
          p256dh: input.push.keys.p256dh,
          auth: input.push.keys.auth,
          addressHash,
          clientHash,
          language: input.language,
        });
      }
    },

    pendingConfirmation: (token) => repo.findPendingConfirmation(pool, sha256(token), FOLLOW_LIMITS.confirmExpiryHours),
    confirm: (token) => repo.confirm(pool, sha256(token), FOLLOW_LIMITS.confirmExpiryHours),
    unsubscribeTarget: (token) => repo.findByUnsubscribeToken(pool, sha256(token)),
    unsubscribe: (token) => repo.unsubscribe(pool, sha256(token)),

    kick: () => sender.kick(),
    drain: () => sender.drain(),

    forget: () =>
      repo.forget(pool, { expiryHours: FOLLOW_LIMITS.confirmExpiryHours, closedDays: FOLLOW_LIMITS.closedDays }),

    stop: () => sender.stop(),
  };
  return follow;
}

function unsubscribeHeaders(stopUrl: string): Record<string, string> {
  // RFC 8058: a POST of "List-Unsubscribe=One-Click" to this URL unsubscribes; RFC 2369 the link.
  return { 'List-Unsubscribe': `<${stopUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * The VAPID `sub` push services may write to about our traffic: VAPID_SUBJECT, else the mailto:
 * of MAIL_FROM's address, else PUBLIC_URL when it is https (RFC 8292 wants mailto: or https:).
 */
export function vapidSubject(config: { vapidSubject?: string; mailFrom?: string; publicUrl?: string }): string {
  if (config.vapidSubject) return config.vapidSubject;
  const from = config.mailFrom?.trim() ?? '';
  const lt = from.lastIndexOf('<');
  const address = lt >= 0 && from.endsWith('>') ? from.slice(lt + 1, -1) : from;
  if (address && /^[^\s@<>]+@[^\s@<>]+$/.test(address) && !address.endsWith('@localhost')) return `mailto:${address}`;
  if (config.publicUrl?.startsWith('https://')) return config.publicUrl;
  return 'mailto:wegfrei@example.invalid';
}

/** Paths whose successful writes may change what followers hear (not the creation of a report). */
const CHANGES = /^\/api\/v1\/(?:reports\/(?:\d+|bulk)(?:\/|$)|staff\/|volunteers?\/)/;

/** Wakes the sender after a change that may have queued messages (the trigger queues; this sends soon). */
export function wakeFollowers(follow: Follow): RequestHandler {
  // Named: tests/api/front-route.test.ts knows a new report is no change to follow.
  return function wakeFollowersOnChanges(req, res, next) {
    if (req.method !== 'GET' && req.method !== 'HEAD' && CHANGES.test(req.path)) {
      res.on('finish', () => {
        if (res.statusCode < 300) follow.kick();
      });
    }
    next();
  };
}

/**
 * The sender's safety net (a message queued while no process was awake, one whose sender died
 * mid-send) every 15 s, and forgetting what no longer serves anyone every hour.
 */
export function startFollowJobs(follow: Follow, logger: Logger): PeriodicJob {
  const sending = startPeriodic(
    15_000,
    () => follow.drain(),
    (err) => logger.warn({ err }, 'Follow: sending failed'),
  );
  const forgetting = startPeriodic(
    60 * 60 * 1000,
    async () => {
      const forgotten = await follow.forget();
      if (forgotten.unconfirmed || forgotten.closed) logger.info(forgotten, 'Follow: forgot subscriptions');
    },
    (err) => logger.warn({ err }, 'Follow: forgetting subscriptions failed; will retry'),
  );
  return {
    async stop() {
      follow.stop();
      await Promise.all([sending.stop(), forgetting.stop()]);
    },
  };
}
