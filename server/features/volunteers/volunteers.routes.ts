// Volunteers: coordinators invite and manage them; a volunteer joins through the link, reads
// published barriers near them and checks them. docs/VOLUNTEERS.md, docs/API.md.
import express, { Router, type Request } from 'express';
import { requireStaff, requireVolunteer, staffOf, volunteerOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { findUser } from '../auth/auth.repo';
import { openSession, SESSION_COOKIE, sessionLimits } from '../auth/auth.service';
import { findStaffReport } from '../triage/triage.repo';
import { updateUser } from '../auth/auth.service';
import * as repo from './volunteers.repo';
import {
  checkSchema,
  idParams,
  invitationSchema,
  joinSchema,
  nearbySchema,
  volunteerChangesSchema,
} from './volunteers.schemas';
import * as service from './volunteers.service';

/** How many reports one list holds: the phone shows one at a time. */
const LIST_LIMIT = 20;
const DEFAULT_RADIUS_M = 2000;

export function volunteersRouter(
  deps: service.VolunteerDeps & {
    baseUrl: (req: Request) => string;
    session: { ttlHours: number; maxHours?: number };
  },
): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const limits = sessionLimits(deps.session);
  const coordinators = requireStaff('admin', 'coordinator');

  router.get('/api/v1/volunteers', coordinators, async (_req, res) => {
    const [volunteers, invitations, flagged] = await Promise.all([
      repo.listVolunteers(deps.pool),
      repo.listOpenInvitations(deps.pool),
      repo.listFlagged(deps.pool),
    ]);
    res.set('Cache-Control', 'no-store');
    res.json({
      mail: Boolean(deps.mailer?.enabled),
      agreement: deps.agreement,
      volunteers: volunteers.map((v) => ({
        id: v.id,
        email: v.email,
        name: v.name,
        disabled: v.disabled,
        checks: v.checks,
        created_at: v.createdAt.toISOString(),
      })),
      invitations: invitations.map((i) => ({
        id: i.id,
        email: i.email,
        created_at: i.createdAt.toISOString(),
        expires_at: i.expiresAt.toISOString(),
      })),
      flagged: flagged.map((f) => ({
        report_id: f.reportId,
        category: f.category,
        status: f.status,
        flags: f.flags,
        last_flag_at: f.lastFlagAt.toISOString(),
      })),
    });
  });

  router.post('/api/v1/volunteers/invitations', coordinators, json, async (req, res) => {
    const body = parse(invitationSchema, req.body ?? {}, 'Invalid invitation');
    const invitations = await service.invite(deps, {
      emails: body.emails,
      language: body.language,
      invitedBy: staffOf(res)!.user.id,
      baseUrl: deps.baseUrl(req),
    });
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ mail: Boolean(deps.mailer?.enabled), invitations });
  });

  // Coordinators may stop a volunteer (and only a volunteer: staff accounts are the admin's).
  router.patch('/api/v1/volunteers/:id', coordinators, json, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const body = parse(volunteerChangesSchema, req.body ?? {}, 'Invalid volunteer');
    const user = await findUser(deps.pool, id);
    if (user?.role !== 'volunteer') throw AppError.notFound(`Volunteer ${id}`);
    const changed = await updateUser(deps.pool, id, { disabled: body.disabled });
    res.json({ id: changed.id, name: changed.name, email: changed.email, disabled: changed.disabled });
  });

  // Staff reading a report see its checks; a responder only within their scope.
  router.get('/api/v1/staff/reports/:id/volunteer-checks', requireStaff(), async (req, res) => {
    const { id } = parse(idParams, req.params);
    if (!(await findStaffReport(deps.pool, id, staffOf(res)!.user))) throw AppError.notFound(`Report ${id}`);
    res.set('Cache-Control', 'no-store');
    res.json(await service.checksOf(deps.pool, id, deps.agreement));
  });

  // The link's token: no session needed, used once; the new volunteer is signed in.
  router.post('/api/v1/volunteers/join', json, async (req, res) => {
    const body = parse(joinSchema, req.body ?? {}, 'Invalid invitation');
    const user = await service.accept(deps.pool, body);
    const session = await openSession(deps.pool, user, limits);
    res.set('Cache-Control', 'no-store');
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: limits.maxHours * 3600 * 1000,
    });
    res.status(201).json({ user: volunteerJson(user), csrf_token: session.csrfToken });
  });

  router.get('/api/v1/volunteer/me', requireVolunteer(), (_req, res) => {
    const me = volunteerOf(res)!;
    res.set('Cache-Control', 'no-store');
    res.json({ user: volunteerJson(me.user), csrf_token: me.csrfToken, agreement: deps.agreement });
  });

  router.get('/api/v1/volunteer/reports', requireVolunteer(), async (req, res) => {
    const q = parse(nearbySchema, req.query, 'Invalid place');
    const rows = await repo.listCheckable(deps.pool, {
      userId: volunteerOf(res)!.user.id,
      lat: q.lat,
      lon: q.lon,
      radiusM: q.radius_m ?? DEFAULT_RADIUS_M,
      limit: LIST_LIMIT,
    });
    const base = deps.baseUrl(req);
    res.set('Cache-Control', 'no-store');
    res.json({
      reports: rows.map((r) => ({
        id: r.id,
        category: r.category,
        status: r.status,
        description: r.description,
        address: r.address,
        lat: r.lat,
        lon: r.lon,
        distance_m: r.distance_m,
        bearing_deg: r.bearing_deg,
        created_at: r.created_at.toISOString(),
        photos: r.photos.map((p) => ({
          url: `${base}/photos/${p.hash}.jpg`,
          thumbnail_url: `${base}/photos/${p.hash}.thumb.jpg`,
          width: p.width,
          height: p.height,
          stage: p.stage,
        })),
      })),
    });
  });

  router.post('/api/v1/volunteer/reports/:id/checks', requireVolunteer(), json, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const body = parse(checkSchema, req.body ?? {}, 'Invalid check');
    res.status(201).json(await service.check(deps, volunteerOf(res)!.user.id, id, body));
  });

  return router;
}

const volunteerJson = (u: { id: number; name: string; email: string }) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role: 'volunteer' as const,
});
