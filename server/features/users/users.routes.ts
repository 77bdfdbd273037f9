// Admins manage accounts; teams are shared by coordinators and admins.
import express, { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { findTeamByName, insertTeam, isStaffRole, listTeams, listUsers, ROLES, type Role } from '../auth/auth.repo';
import { userJson } from '../auth/auth.routes';
import { createUser, updateUser } from '../auth/auth.service';

const role = z.enum(ROLES as [Role, ...Role[]], {
  errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }),
});
const teamId = z.number().int().positive().nullable();

const newUserSchema = z
  .object({
    email: z.string().trim().email('must be an email address').max(254),
    name: z.string().trim().max(100).optional(),
    role,
    password: z.string().max(1000),
    team_id: teamId.optional(),
  })
  .strict('is not a user field');

const userChangesSchema = z
  .object({
    name: z.string().trim().max(100).optional(),
    role: role.optional(),
    password: z.string().max(1000).optional(),
    team_id: teamId.optional(),
    disabled: z.boolean().optional(),
  })
  .strict('is not a user field');

const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a number')
    .transform(Number),
});
const teamSchema = z.object({ name: z.string().trim().min(1, 'is required').max(100) }).strict('is not a team field');

export function usersRouter(pool: pg.Pool): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/api/v1/users', requireStaff('admin'), async (_req, res) => {
    res.json({ users: (await listUsers(pool)).map(userJson) });
  });

  // Coordinators assign work to people, so they may see who is there (no emails).
  router.get('/api/v1/staff/users', requireStaff('admin', 'coordinator'), async (_req, res) => {
    const users = (await listUsers(pool)).filter((u) => !u.disabled && isStaffRole(u.role));
    res.json({ users: users.map((u) => ({ id: u.id, name: u.name || u.email, role: u.role, team_id: u.teamId })) });
  });

  router.post('/api/v1/users', requireStaff('admin'), json, async (req, res) => {
    const body = parse(newUserSchema, req.body ?? {}, 'Invalid user');
    const user = await createUser(pool, { ...body, teamId: body.team_id });
    res.status(201).json(userJson(user));
  });

  router.patch('/api/v1/users/:id', requireStaff('admin'), json, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const body = parse(userChangesSchema, req.body ?? {}, 'Invalid user');
    if (id === staffOf(res)!.user.id && (body.disabled || (body.role && body.role !== 'admin'))) {
      throw new AppError(
        409,
        'self_lockout',
        'Not on yourself',
        'An admin cannot disable or demote their own account.',
      );
    }
    const user = await updateUser(pool, id, { ...body, teamId: body.team_id });
    res.json(userJson(user));
  });

  router.get('/api/v1/teams', requireStaff(), async (_req, res) => {
    res.json({ teams: await listTeams(pool) });
  });

  router.post('/api/v1/teams', requireStaff('admin', 'coordinator'), json, async (req, res) => {
    const body = parse(teamSchema, req.body ?? {}, 'Invalid team');
    if (await findTeamByName(pool, body.name)) {
      throw new AppError(409, 'team_exists', 'Team exists', undefined, [
        { field: 'name', detail: 'is already a team' },
      ]);
    }
    res.status(201).json(await insertTeam(pool, body.name));
  });

  return router;
}
