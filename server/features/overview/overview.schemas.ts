// The overview's one parameter: the period, as a number of days back from today (today
// included). Checked as text first, so a long or repeated value is refused by its length,
// naming `days`, before anything converts it.
import { z } from 'zod';

export const MAX_DAYS = 366;
export const DEFAULT_DAYS = 30;

// Anchored, one character class, at most three: a long value fails at its fourth character.
const DAYS = /^[0-9]{1,3}$/;

const days = z
  .string({ invalid_type_error: 'must be given once' })
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return DEFAULT_DAYS;
    const n = DAYS.test(raw) ? Number(raw) : NaN;
    if (n >= 1 && n <= MAX_DAYS) return n;
    ctx.addIssue({ code: 'custom', message: `must be a whole number of days from 1 to ${MAX_DAYS}` });
    return z.NEVER;
  });

export const overviewQuery = z.object({ days }).strict('is not a parameter');
