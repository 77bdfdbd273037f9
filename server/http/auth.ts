// Who is asking: the staff session behind the cookie, if any; and the gate for staff routes.
import crypto from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type pg from 'pg';
import type { Role, User } from '../features/auth/auth.repo';
import { SESSION_COOKIE, sessionFromToken, sessionLimits } from '../features/auth/auth.service';
import { AppError } from './errors';

export interface StaffContext {
  user: User;
  csrfToken: string;
  token: string;
}

export const staffOf = (res: Response): StaffContext | undefined => res.locals.staff as StaffContext | undefined;

/**
 * Loads the session named by the cookie (invalid or expired cookies are simply ignored).
 * `maxHours` is SESSION_MAX_HOURS (its default when left out).
 */
export function loadStaffSession(pool: pg.Pool, opts: { ttlHours: number; maxHours?: number }): RequestHandler {
  const limits = sessionLimits(opts);
  return async (req, res, next) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (typeof token === 'string' && /^[\w-]{20,100}$/.test(token)) {
      const session = await sessionFromToken(pool, token, limits);
      if (session) res.locals.staff = { ...session, token } satisfies StaffContext;
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Staff only, of the given roles (all staff if none given); state changes need the CSRF token. */
export function requireStaff(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const staff = staffOf(res);
    if (!staff) {
      return next(new AppError(401, 'unauthenticated', 'Login required', 'Log in as staff to use this.'));
    }
    if (roles.length && !roles.includes(staff.user.role)) {
      return next(new AppError(403, 'forbidden', 'Not allowed', `This needs the role ${roles.join(' or ')}.`));
    }
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('X-CSRF-Token');
      if (!sent || !sameToken(sent, staff.csrfToken)) {
        return next(
          new AppError(403, 'csrf', 'Missing or wrong CSRF token', undefined, [
            { field: 'X-CSRF-Token', detail: 'must be the csrf_token of your session' },
          ]),
        );
      }
    }
    next();
  };
}
