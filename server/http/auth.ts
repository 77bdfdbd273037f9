// Who is asking: the staff session behind the cookie, if any; and the gate for staff routes.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type pg from 'pg';
import { isStaffRole, type StaffRole, type User } from '../features/auth/auth.repo';
import { SESSION_COOKIE, sessionFromToken, sessionLimits } from '../features/auth/auth.service';
import { AppError } from './errors';

export interface StaffContext {
  user: User;
  csrfToken: string;
  token: string;
}

/** A staff member's session; never a volunteer's (see loadStaffSession). */
export const staffOf = (res: Response): StaffContext | undefined => res.locals.staff as StaffContext | undefined;
/** A volunteer's session (server/features/volunteers); never a staff member's. */
export const volunteerOf = (res: Response): StaffContext | undefined =>
  res.locals.volunteer as StaffContext | undefined;

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
      // A volunteer's session goes where no staff route, tile, photo scope or rate-limit
      // exemption looks: the role is refused by default everywhere, not by each allow-list.
      if (session && isStaffRole(session.user.role)) res.locals.staff = { ...session, token } satisfies StaffContext;
      else if (session) res.locals.volunteer = { ...session, token } satisfies StaffContext;
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

function checkCsrf(req: Request, session: StaffContext, next: NextFunction): void {
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.get('X-CSRF-Token');
    if (!sent || !sameToken(sent, session.csrfToken)) {
      return next(
        new AppError(403, 'csrf', 'Missing or wrong CSRF token', undefined, [
          { field: 'X-CSRF-Token', detail: 'must be the csrf_token of your session' },
        ]),
      );
    }
  }
  next();
}

/** Volunteers only; state changes need the CSRF token. Staff are refused: they have the dashboard. */
export function requireVolunteer(): RequestHandler {
  return (req, res, next) => {
    const volunteer = volunteerOf(res);
    if (!volunteer) {
      return next(new AppError(401, 'unauthenticated', 'Login required', 'Log in as a volunteer to use this.'));
    }
    checkCsrf(req, volunteer, next);
  };
}

/** Anyone signed in, staff or volunteer (logging out); state changes need the CSRF token. */
export function requireSession(): RequestHandler {
  return (req, res, next) => {
    const session = staffOf(res) ?? volunteerOf(res);
    if (!session) return next(new AppError(401, 'unauthenticated', 'Login required', 'Log in to use this.'));
    checkCsrf(req, session, next);
  };
}

/**
 * Staff only, of the given roles (all staff if none given); state changes need the CSRF token.
 * A volunteer is never staff here, whatever the roles (loadStaffSession).
 */
export function requireStaff(...roles: StaffRole[]): RequestHandler {
  return (req, res, next) => {
    const staff = staffOf(res);
    if (!staff) {
      return next(new AppError(401, 'unauthenticated', 'Login required', 'Log in as staff to use this.'));
    }
    if (roles.length && !roles.includes(staff.user.role as StaffRole)) {
      return next(new AppError(403, 'forbidden', 'Not allowed', `This needs the role ${roles.join(' or ')}.`));
    }
    checkCsrf(req, staff, next);
  };
}
