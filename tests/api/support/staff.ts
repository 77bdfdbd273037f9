// Staff accounts and logged-in agents for API tests.
import crypto from 'node:crypto';
import request from 'supertest';
import type { Role } from '../../../server/features/auth/auth.repo';
import { createUser, SESSION_COOKIE } from '../../../server/features/auth/auth.service';
import type { TestApp as AnyTestApp } from './test-app';

/** Whatever store its photos are in: staff only need the app and its database. */
type TestApp = Pick<AnyTestApp, 'app' | 'pool'>;

export interface StaffAgent {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  /** The session cookie, for clients other than the agent (an SSE stream). */
  cookie: string;
  user: { id: number; email: string; role: Role; team_id: number | null };
}

export const PASSWORD = 'correct horse battery staple';

export async function makeStaff(t: TestApp, role: Role, opts: { teamId?: number | null } = {}) {
  const email = `${role}-${crypto.randomBytes(4).toString('hex')}@example.org`;
  return createUser(t.pool, { email, name: `Test ${role}`, role, password: PASSWORD, teamId: opts.teamId ?? null });
}

export async function loginAs(t: TestApp, role: Role, opts: { teamId?: number | null } = {}): Promise<StaffAgent> {
  const user = await makeStaff(t, role, opts);
  const agent = request.agent(t.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
    .split(';')[0]!;
  return { agent, csrf: res.body.csrf_token as string, cookie, user: res.body.user };
}

export async function makeTeam(t: TestApp, name = `Team ${crypto.randomBytes(3).toString('hex')}`): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>('INSERT INTO teams (name) VALUES ($1) RETURNING id', [name]);
  return rows[0]!.id;
}

export async function createReport(t: TestApp, body: Record<string, unknown> = {}): Promise<number> {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .send({ category: 'steps', lat: 52.52, lon: 13.405, severity: 2, ...body });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}
