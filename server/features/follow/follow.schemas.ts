// What a follow request may hold. Lengths are capped before anything is decoded; keys are
// checked for what a browser's PushSubscription holds (RFC 8291: a P-256 point, 16 secret bytes).
import { z } from 'zod';
import { endpointProblem } from './follow.push';
import { LANGUAGES } from './follow.texts';

const base64url = /^[A-Za-z0-9_-]+={0,2}$/;
const decodedLength = (s: string) => Buffer.from(s, 'base64url').length;

export function subscribeSchema(allowPrivate: boolean) {
  const push = z
    .object({
      endpoint: z
        .string()
        .max(2048)
        .superRefine((v, ctx) => {
          const problem = endpointProblem(v, allowPrivate);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      expirationTime: z.number().nullable().optional(),
      keys: z.object({
        p256dh: z
          .string()
          .max(100)
          .regex(base64url, 'must be base64url')
          .refine(
            (v) => decodedLength(v) === 65 && Buffer.from(v, 'base64url')[0] === 4,
            'must be an uncompressed P-256 public key (65 bytes)',
          ),
        auth: z
          .string()
          .max(40)
          .regex(base64url, 'must be base64url')
          .refine((v) => decodedLength(v) === 16, 'must be 16 bytes'),
      }),
    })
    .strict();
  return z
    .object({
      email: z.string().max(254, 'must be at most 254 characters').email('must be an e-mail address').optional(),
      push: push.optional(),
      language: z.enum(LANGUAGES).default('en'),
    })
    .strict()
    .superRefine((v, ctx) => {
      if ((v.email === undefined) === (v.push === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'give either email or push (one of them)' });
      }
    });
}

/** The token of a confirm or unsubscribe link: 32 random bytes, base64url. */
export const tokenSchema = z.object({
  token: z
    .string()
    .max(100, 'must be the token from the link')
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the token from the link'),
});
