import express, { Router, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { requireSession, requireStaff, staffOf, volunteerOf } from '../../http/auth';
import { clientAddress } from '../../http/rate-limit';
import { parse } from '../../http/validate';
import type { User } from './auth.repo';
import { DEVICE_COOKIE, DEVICE_DAYS, login, logout, SESSION_COOKIE, sessionLimits, TOKEN_SHAPE } from './auth.service';

const loginSchema = z
  .object({
    email: z.string({ required_error: 'is required' }).trim().min(3, 'is required').max(254),
    password: z.string({ required_error: 'is required' }).min(1, 'is required').max(1000),
  })
  .strict('is not a login field');

export const userJson = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  team_id: u.teamId,
  disabled: u.disabled,
  created_at: u.createdAt.toISOString(),
});

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

/** `maxHours` is SESSION_MAX_HOURS (its default when left out). */
export function authRouter(pool: pg.Pool, opts: { ttlHours: number; maxHours?: number }): Router {
  const router = Router();
  const json = express.json({ limit: '8kb' });
  const limits = sessionLimits(opts);

  router.post('/api/v1/auth/login', json, async (req, res) => {
    const body = parse(loginSchema, req.body ?? {}, 'Invalid login');
    // The throttle counts per address as the rate limits do (an IPv6 /56 is one client), so
    // hopping between the addresses of one subscriber gains nothing.
    const device = (req.cookies as Record<string, unknown> | undefined)?.[DEVICE_COOKIE];
    const session = await login(pool, {
      ...body,
      address: clientAddress(req),
      deviceToken: typeof device === 'string' && TOKEN_SHAPE.test(device) ? device : undefined,
      ...limits,
    });
    // The session the browser came with, if any, ends here: an id known before login is never
    // one that works after it.
    const previous = (staffOf(res) ?? volunteerOf(res))?.token;
    if (previous) await logout(pool, previous);
    noStore(res);
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      // The server ends an idle session; the browser keeps the cookie as long as it may live.
      maxAge: limits.maxHours * 3600 * 1000,
    });
    // Only the login form needs to see it.
    res.cookie(DEVICE_COOKIE, session.deviceToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/api/v1/auth/login',
      maxAge: DEVICE_DAYS * 24 * 3600 * 1000,
    });
    res.json({ user: userJson(session.user), csrf_token: session.csrfToken });
  });

  router.post('/api/v1/auth/logout', requireSession(), async (_req, res) => {
    await logout(pool, (staffOf(res) ?? volunteerOf(res))!.token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/api/v1/auth/me', requireStaff(), (_req, res) => {
    const staff = staffOf(res)!;
    noStore(res);
    res.json({ user: userJson(staff.user), csrf_token: staff.csrfToken });
  });

  return router;
}
