// What the volunteers' endpoints accept. Every text is capped before anything parses it; the
// only patterns are anchored runs of one character class.
import { z } from 'zod';
import { TOKEN_SHAPE } from '../auth/auth.service';
import { MAIL_LANGUAGES, type MailLanguage } from './volunteers.mail';
import { FLAG_REASONS, VERDICTS, type FlagReason, type Verdict } from './volunteers.repo';

/** At most this many addresses in one invitation request: a team, not a mailing list. */
export const MAX_INVITES = 20;
/** The farthest a volunteer's list reaches (metres). */
export const MAX_RADIUS_M = 20_000;

const oneOf = <T extends string>(values: readonly T[]) =>
  z.enum(values as [T, ...T[]], { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) });

export const invitationSchema = z
  .object({
    emails: z
      .array(
        z
          .string({ invalid_type_error: 'must be an email address' })
          .max(254, 'must be at most 254 characters')
          .trim()
          .email('must be an email address'),
        {
          required_error: 'is required',
          invalid_type_error: 'must be a list of email addresses',
        },
      )
      .min(1, 'must name at least one address')
      .max(MAX_INVITES, `must be at most ${MAX_INVITES} addresses`),
    language: oneOf<MailLanguage>(MAIL_LANGUAGES).default('en'),
  })
  .strict('is not an invitation field');

export const joinSchema = z
  .object({
    token: z
      .string({ required_error: 'is required', invalid_type_error: 'must be the token from the link' })
      .max(100, 'must be the token from the link')
      .regex(TOKEN_SHAPE, 'must be the token from the link'),
    name: z
      .string({ required_error: 'is required', invalid_type_error: 'must be text' })
      .max(100, 'must be at most 100 characters')
      .trim()
      .min(1, 'is required'),
    password: z
      .string({ required_error: 'is required', invalid_type_error: 'must be text' })
      .max(1000, 'must be at most 1000 characters'),
  })
  .strict('is not a field of joining');

export const volunteerChangesSchema = z
  .object({ disabled: z.boolean({ required_error: 'is required', invalid_type_error: 'must be true or false' }) })
  .strict('is not a volunteer field');

const coordinate = (min: number, max: number) =>
  z
    .string({ required_error: 'is required', invalid_type_error: 'must be given once' })
    .max(30, 'must be a number')
    .regex(/^-?[0-9]{1,3}(\.[0-9]{1,15})?$/, 'must be a number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

export const nearbySchema = z.object({
  lat: coordinate(-90, 90),
  lon: coordinate(-180, 180),
  radius_m: z
    .string({ invalid_type_error: 'must be given once' })
    .max(10, `must be a whole number up to ${MAX_RADIUS_M}`)
    .regex(/^[0-9]{1,6}$/, `must be a whole number up to ${MAX_RADIUS_M}`)
    .transform(Number)
    .refine((n) => n >= 50 && n <= MAX_RADIUS_M, `must be between 50 and ${MAX_RADIUS_M}`)
    .optional(),
});

export const checkSchema = z
  .object({
    verdict: oneOf<Verdict>(VERDICTS),
    category: z.string({ invalid_type_error: 'must be a category code' }).max(50).optional(),
    reason: oneOf<FlagReason>(FLAG_REASONS).optional(),
    note: z.string({ invalid_type_error: 'must be text' }).max(500, 'must be at most 500 characters').trim().optional(),
  })
  .strict('is not a check field')
  .superRefine((c, ctx) => {
    if (c.verdict === 'recategorize' && !c.category) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'is required to recategorize' });
    }
    if (c.verdict !== 'recategorize' && c.category !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'is only for recategorize' });
    }
    if (c.verdict === 'flag' && !c.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to flag' });
    }
    if (c.verdict !== 'flag' && c.reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only for flag' });
    }
  });

export const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'must be a number')
    .transform(Number),
});
