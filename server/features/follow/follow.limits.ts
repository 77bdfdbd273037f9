// The bounds of following (docs/FOLLOW.md, docs/SECURITY.md "Following reports"), shared by the
// service that takes subscriptions and the sender that delivers messages.
export const FOLLOW_LIMITS = Object.freeze({
  /** An unconfirmed e-mail request is deleted after this long. */
  confirmExpiryHours: 48,
  /** Confirmation mails to one address per day, over all reports. */
  confirmationMailsPerDay: 3,
  /** Followers one report may have (a bound on what one status change sends). */
  subscriptionsPerReport: 500,
  /** Subscriptions to one report asked for from one client address: no one client fills the cap. */
  subscriptionsPerClientAndReport: 3,
  /** A push subscription whose deliveries failed this many times in a row (any error) is deleted. */
  pushFailuresInARow: 3,
  /** Push deliveries in flight at once; each is cut after PUSH_DEADLINE_MS. */
  pushConcurrency: 8,
  /** A report not yet public may be followed this long after it was sent (its reporter's success view). */
  recentReportMinutes: 60,
  /** Followers of a resolved report are forgotten after it stayed resolved this long. */
  closedDays: 30,
  /** Attempts per message, then it is dropped (logged without the address). */
  maxAttempts: 5,
  /** E-mails one worker claims at a time. */
  batch: 20,
  /** A claimed message another worker may take after this long (a worker that died mid-send). */
  leaseS: 600,
});

/** Seconds before attempt n+1: 30 s, 2 min, 8 min, 32 min. */
export const backoffS = (attempts: number) => 30 * 4 ** (attempts - 1);
