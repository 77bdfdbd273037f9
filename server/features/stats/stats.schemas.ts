// The statistics' filters: `since` and `until` (whole days, UTC, on the day a report was made,
// both included) and `kind`. Checked as text first, so a long or repeated value is refused by
// its length, naming the field, before anything converts it.
import { z } from 'zod';

// Anchored, fixed length: a long value fails at its eleventh character.
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Reports older than this are not Wegfrei's; a later day than next year is a typo. */
const FIRST_YEAR = 2000;

const day = z
  .string({ invalid_type_error: 'must be given once' })
  .max(10, 'must be a date (YYYY-MM-DD)')
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const date = DAY.test(raw) ? new Date(`${raw}T00:00:00Z`) : null;
    // new Date('2026-02-31') rolls over to March: a real day reads back the same.
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD)' });
      return z.NEVER;
    }
    const year = date.getUTCFullYear();
    if (year < FIRST_YEAR || year > new Date().getUTCFullYear() + 1) {
      ctx.addIssue({ code: 'custom', message: `must be a date from ${FIRST_YEAR} to next year` });
      return z.NEVER;
    }
    return raw;
  });

export const statsQuery = z
  .object({
    since: day,
    until: day,
    kind: z
      .string({ invalid_type_error: 'must be given once' })
      .max(10, 'must be barrier or help')
      .optional()
      .refine((k): k is 'barrier' | 'help' | undefined => k === undefined || k === 'barrier' || k === 'help', {
        message: 'must be barrier or help',
      }),
  })
  .strict('is not a filter of this list')
  .superRefine((q, ctx) => {
    if (q.since && q.until && q.until < q.since) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'the interval ends before it starts' });
    }
  });

export type StatsQuery = z.output<typeof statsQuery>;
