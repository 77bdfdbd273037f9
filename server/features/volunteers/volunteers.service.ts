// Volunteers: invited by e-mail, they check published barriers near them; when enough agree a
// barrier is verified or its category corrected; a flag goes to the coordinators, never hides
// anything by itself. docs/VOLUNTEERS.md.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { Logger } from '../../logger';
import type { Mailer } from '../../mail/mailer';
import * as auth from '../auth/auth.repo';
import { checkPassword, hashPassword, randomToken, sha256 } from '../auth/auth.service';
import type { Taxonomy } from '../categories/categories.service';
import { insertEvents } from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';
import { updateReport } from '../triage/triage.repo';
import { invitationMail, type MailLanguage } from './volunteers.mail';
import * as repo from './volunteers.repo';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

export interface VolunteerDeps {
  pool: pg.Pool;
  events: EventBus;
  taxonomy: Taxonomy;
  mailer?: Mailer;
  logger: Logger;
  /** Volunteers who must agree (VOLUNTEER_AGREEMENT). */
  agreement: number;
  /** After the volunteers' agreement changed a report's status (followers, SMS senders are told). */
  onStatusChange?: (reportId: number, status: Status) => void;
}

export interface InvitationResult {
  id: number;
  email: string;
  expires_at: string;
  /** sent: the relay took the mail; not_sent: e-mail is off or failed, `link` is for the coordinator to pass on. */
  delivery: 'sent' | 'not_sent';
  link?: string;
}

export async function invite(
  deps: VolunteerDeps,
  input: { emails: string[]; language: MailLanguage; invitedBy: number; baseUrl: string },
): Promise<InvitationResult[]> {
  const emails = [...new Map(input.emails.map((e) => [e.toLowerCase(), e])).values()];
  for (const [i, email] of input.emails.entries()) {
    if (await auth.findUserByEmail(deps.pool, email)) {
      throw new AppError(409, 'user_exists', 'Already an account', undefined, [
        { field: `emails.${i}`, detail: 'is already an account' },
      ]);
    }
  }
  const results: InvitationResult[] = [];
  for (const email of emails) {
    const token = randomToken();
    const invitation = await repo.insertInvitation(deps.pool, {
      email,
      tokenHash: sha256(token),
      invitedBy: input.invitedBy,
      days: INVITATION_DAYS,
    });
    // The token travels in the fragment: it never reaches a server's access log or a Referer.
    const link = `${input.baseUrl}/volunteer/join#${token}`;
    let delivery: InvitationResult['delivery'] = 'not_sent';
    if (deps.mailer?.enabled) {
      try {
        await deps.mailer.send(invitationMail(email, link, INVITATION_DAYS, input.language));
        delivery = 'sent';
      } catch (err) {
        // The address is private: the invitation's id names it in the log.
        deps.logger.warn({ invitation: invitation.id, err: (err as Error).message }, 'invitation mail not sent');
      }
    }
    results.push({
      id: invitation.id,
      email: invitation.email,
      expires_at: invitation.expiresAt.toISOString(),
      delivery,
      // Only to the coordinator who made it, and only when no mail carries it.
      ...(delivery === 'sent' ? {} : { link }),
    });
  }
  return results;
}

/** Accepts an invitation once: makes the volunteer's account (the caller opens its session). */
export async function accept(
  pool: pg.Pool,
  input: { token: string; name: string; password: string },
): Promise<auth.User> {
  const tokenHash = sha256(input.token);
  // Checked before the password: a wrong token costs no argon2 hash.
  const email = (await repo.findOpenInvitation(pool, tokenHash))?.email;
  if (!email) throw invitationGone();
  await checkPassword(input.password, { email, name: input.name });
  const passwordHash = await hashPassword(input.password);
  return withTransaction(pool, async (client) => {
    const invitation = await repo.findOpenInvitation(client, tokenHash, { lock: true });
    if (!invitation) throw invitationGone();
    if (await auth.findUserByEmail(client, invitation.email)) {
      throw new AppError(409, 'user_exists', 'Already an account', 'This address has an account: sign in instead.', [
        { field: 'token', detail: 'belongs to an address that already has an account' },
      ]);
    }
    const user = await auth.insertUser(client, {
      email: invitation.email,
      name: input.name,
      role: 'volunteer',
      passwordHash,
      teamId: null,
    });
    await repo.markAccepted(client, invitation.id, user.id);
    return user;
  });
}

const invitationGone = () =>
  new AppError(
    410,
    'invitation_gone',
    'Invitation not valid',
    'The link was used already, has expired or was replaced.',
    [{ field: 'token', detail: 'is used, expired or unknown: ask for a new invitation' }],
  );

export interface CheckInput {
  verdict: repo.Verdict;
  category?: string;
  reason?: repo.FlagReason;
  note?: string;
}

export interface CheckOutcome {
  report_id: number;
  verdict: repo.Verdict;
  /** The report's status and category after this check (changed when this check made the agreement). */
  status: string;
  category: string;
  verified: boolean;
  recategorized: boolean;
}

/**
 * Records one volunteer's check and applies what the volunteers now agree on, in one
 * transaction with the report locked: the third confirmation of two volunteers at once is
 * counted once.
 */
/**
 * One flag holds a report back from the volunteers' verification until a coordinator decides
 * (docs/VOLUNTEERS.md), so one account's flags are bounded: an invited volunteer flags a few
 * reports an hour at most; a stolen or spiteful account cannot hold back a whole district.
 */
export const FLAG_LIMITS = { perWindow: 20, windowS: 3600 } as const;

function tooManyFlags(seconds: number): AppError {
  return new AppError(
    429,
    'rate_limited',
    'Too many flags',
    `At most ${FLAG_LIMITS.perWindow} flags an hour; please try again in ${seconds} s, or tell a coordinator.`,
    [{ field: 'verdict', detail: `at most ${FLAG_LIMITS.perWindow} flags an hour` }],
    { 'Retry-After': String(seconds) },
  );
}

export async function check(
  deps: VolunteerDeps,
  userId: number,
  reportId: number,
  input: CheckInput,
): Promise<CheckOutcome> {
  if (input.verdict === 'recategorize') {
    const category = await deps.taxonomy.find(input.category ?? '');
    if (!category || category.kind !== 'barrier') {
      throw AppError.validation([{ field: 'category', detail: 'must be a barrier category' }]);
    }
  }
  const outcome = await withTransaction(deps.pool, async (client) => {
    // The volunteer's row before the report's, always in this order.
    if (input.verdict === 'flag') {
      const recent = await repo.lockRecentFlags(client, userId, FLAG_LIMITS.windowS);
      if (recent.flags >= FLAG_LIMITS.perWindow) throw tooManyFlags(recent.freesInS);
    }
    const report = await repo.lockCheckable(client, reportId);
    if (!report) throw AppError.notFound(`Report ${reportId}`);
    if (input.verdict === 'recategorize' && input.category === report.category) {
      throw AppError.validation([{ field: 'category', detail: 'is already the category: confirm instead' }]);
    }
    const added = await repo.insertCheck(client, { reportId, userId, ...input });
    if (!added) {
      throw new AppError(409, 'already_checked', 'Already checked', undefined, [
        { field: 'verdict', detail: 'you checked this report already' },
      ]);
    }
    const t = await repo.tally(client, reportId);
    let status = report.status;
    let category = report.category;
    // Never verified while anyone flagged it: a coordinator looks first.
    const verified = status === 'new' && t.flag === 0 && t.confirm >= deps.agreement;
    if (verified) {
      await updateReport(client, reportId, { status: 'verified' });
      await repo.insertGroupHistory(client, {
        reportId,
        action: 'status',
        field: 'status',
        from: status,
        to: 'verified',
      });
      status = 'verified';
    }
    const agreed = Object.entries(t.categories).find(([code, n]) => n >= deps.agreement && code !== category);
    if (agreed && input.verdict === 'recategorize') {
      await updateReport(client, reportId, { category: agreed[0] });
      await repo.insertGroupHistory(client, {
        reportId,
        action: 'changed',
        field: 'category',
        from: category,
        to: agreed[0],
      });
      category = agreed[0];
    }
    // A flag hides nothing: it puts the report before a coordinator.
    if (input.verdict === 'flag') await repo.markNeedsAttention(client, reportId);
    // Every check is news to the dashboards (counts on the detail, the flagged list).
    await insertEvents(client, 'report.updated', [reportId]);
    return {
      report_id: reportId,
      verdict: input.verdict,
      status,
      category,
      verified,
      recategorized: Boolean(agreed && input.verdict === 'recategorize'),
    };
  });
  deps.events.notify();
  if (outcome.verified) deps.onStatusChange?.(reportId, 'verified');
  return outcome;
}

/** What staff see of a report's checks: counts and each check with the volunteer's name. */
export async function checksOf(pool: pg.Pool, reportId: number, agreement: number) {
  const [t, checks] = await Promise.all([repo.tally(pool, reportId), repo.listChecks(pool, reportId)]);
  return {
    agreement,
    confirm: t.confirm,
    flag: t.flag,
    recategorize: t.categories,
    checks: checks.map((c) => ({ ...c, created_at: c.created_at.toISOString() })),
  };
}
