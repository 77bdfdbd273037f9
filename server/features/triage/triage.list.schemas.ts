// The staff list's query: filters, search and paging. Every value is checked for length before
// anything parses it, and the only patterns are anchored runs of one character class (linear
// on any input). A parameter given twice is refused, naming it, rather than half-read.
import { z } from 'zod';
import { isValidDate, mapFilterShape, sourceFilter } from '../reports/reports.schemas';

/** Longest search text, after trimming: a sentence of a description, an address. */
export const MAX_SEARCH_LENGTH = 200;
/** Each word is one more condition over the text columns; a few narrow any list enough. */
export const MAX_SEARCH_WORDS = 8;
/** No number, id or date we take needs more. */
const MAX_VALUE_LENGTH = 40;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const once = { invalid_type_error: 'must be given once' };

/** What a search asks for: words all found in the text, or a report number (typed `3001` or `#3001`). */
export interface Search {
  /** The words as typed (trimmed), each matched as a case-insensitive substring. */
  words: string[];
  /** A report number: `#3001` asks for that report only, `3001` for it or text holding 3001. */
  number?: number;
  numberOnly: boolean;
}

const NUMBER = /^#?[0-9]{1,15}$/;
const WHOLE_NUMBER = /^[0-9]{1,15}$/;
const POSITIVE = /^[1-9][0-9]{0,14}$/;

const search = z.preprocess(
  blankToUndefined,
  z
    .string(once)
    .transform((raw, ctx): Search => {
      // The query is at most 2,048 characters (http/input-limits.ts); trimming that is cheap.
      const text = raw.trim();
      if (text.length > MAX_SEARCH_LENGTH) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_SEARCH_LENGTH} characters` });
        return z.NEVER;
      }
      const words = text.split(/\s+/);
      if (words.length > MAX_SEARCH_WORDS) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_SEARCH_WORDS} words` });
        return z.NEVER;
      }
      if (words.length === 1 && NUMBER.test(text)) {
        const n = Number(text.replace('#', ''));
        return {
          words: text.startsWith('#') ? [] : [text],
          number: n > 0 ? n : undefined,
          numberOnly: text.startsWith('#'),
        };
      }
      return { words, numberOnly: false };
    })
    .optional(),
);

/** A team's or person's number, or `none` for "nobody". */
const idOrNone = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string(once)
      .transform((raw, ctx): number | 'none' => {
        const v = raw.trim();
        if (v === 'none') return 'none';
        if (v.length <= MAX_VALUE_LENGTH && POSITIVE.test(v)) return Number(v);
        ctx.addIssue({ code: 'custom', message: `must be a ${what} number or none` });
        return z.NEVER;
      })
      .optional(),
  );

const positiveId = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string(once)
      .transform((raw, ctx) => {
        const v = raw.trim();
        if (v.length <= MAX_VALUE_LENGTH && POSITIVE.test(v)) return Number(v);
        ctx.addIssue({ code: 'custom', message: `must be a ${what} number` });
        return z.NEVER;
      })
      .optional(),
  );

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string(once)
      .transform((raw, ctx) => {
        const v = raw.trim();
        const n = v.length <= MAX_VALUE_LENGTH && WHOLE_NUMBER.test(v) ? Number(v) : NaN;
        if (!(n >= min && n <= max)) {
          ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
          return z.NEVER;
        }
        return n;
      })
      .optional()
      .transform((n) => n ?? fallback),
  );

const DATE_ONLY = z.string().date();
const DATE_TIME = z.string().datetime({ offset: true });
const DATE_MESSAGE = 'must be a date (2026-03-01) or an RFC 3339 date-time, from 1970 to 9999';

/** A day (its start, UTC) or an instant. The client sends the start of the person's local day. */
const instant = z.preprocess(
  blankToUndefined,
  z
    .string(once)
    .transform((raw, ctx) => {
      const v = raw.trim();
      let d: Date | undefined;
      if (v.length <= MAX_VALUE_LENGTH) {
        if (DATE_ONLY.safeParse(v).success) d = new Date(`${v}T00:00:00Z`);
        else if (DATE_TIME.safeParse(v).success) d = new Date(v);
      }
      if (!d || !isValidDate(d) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
        ctx.addIssue({ code: 'custom', message: DATE_MESSAGE });
        return z.NEVER;
      }
      return d;
    })
    .optional(),
);

export const staffListSchema = z
  .object({
    bbox: mapFilterShape.bbox,
    category: mapFilterShape.category,
    kind: mapFilterShape.kind,
    status: mapFilterShape.status,
    source: sourceFilter,
    q: search,
    team_id: idOrNone('team'),
    assigned_user_id: idOrNone('person'),
    deployment_id: positiveId('deployment'),
    created_from: instant,
    created_before: instant,
    sort: z.preprocess(
      blankToUndefined,
      z
        .enum(['priority', 'newest'], { errorMap: () => ({ message: 'must be priority or newest' }) })
        .default('priority'),
    ),
    limit: wholeNumber(1, 500, 100),
    offset: wholeNumber(0, 100_000, 0),
  })
  .strict('is not a filter of this list')
  .superRefine((q, ctx) => {
    if (q.created_from && q.created_before && q.created_from >= q.created_before) {
      ctx.addIssue({ code: 'custom', path: ['created_before'], message: 'must be later than created_from' });
    }
  });
export type StaffListQuery = z.infer<typeof staffListSchema>;
