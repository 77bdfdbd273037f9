import type { Queryable } from '../reports/reports.repo';

export type Role = 'admin' | 'coordinator' | 'responder';
export const ROLES: readonly Role[] = ['admin', 'coordinator', 'responder'];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  teamId: number | null;
  disabled: boolean;
  createdAt: Date;
}

interface UserRecord {
  id: number;
  email: string;
  name: string;
  role: Role;
  team_id: number | null;
  disabled: boolean;
  created_at: Date;
  password_hash?: string;
}

const USER_COLUMNS = 'id, email, name, role, team_id, disabled, created_at';
const toUser = (r: UserRecord): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  teamId: r.team_id,
  disabled: r.disabled,
  createdAt: r.created_at,
});

export async function findUserByEmail(
  db: Queryable,
  email: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRecord & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0] ? { ...toUser(rows[0]), passwordHash: rows[0].password_hash } : undefined;
}

export async function findUser(db: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(email)`);
  return rows.map(toUser);
}

export async function insertUser(
  db: Queryable,
  u: { email: string; name: string; role: Role; passwordHash: string; teamId: number | null },
): Promise<User> {
  const { rows } = await db.query<UserRecord>(
    `INSERT INTO users (email, name, role, password_hash, team_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
    [u.email, u.name, u.role, u.passwordHash, u.teamId],
  );
  return toUser(rows[0]!);
}

export async function updateUser(
  db: Queryable,
  id: number,
  changes: { name?: string; role?: Role; teamId?: number | null; disabled?: boolean; passwordHash?: string },
): Promise<User | undefined> {
  const { rows } = await db.query<UserRecord>(
    `UPDATE users SET
        name = coalesce($2, name), role = coalesce($3, role),
        team_id = CASE WHEN $4 THEN $5 ELSE team_id END,
        disabled = coalesce($6, disabled), password_hash = coalesce($7, password_hash), updated_at = now()
      WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [
      id,
      changes.name ?? null,
      changes.role ?? null,
      changes.teamId !== undefined,
      changes.teamId ?? null,
      changes.disabled ?? null,
      changes.passwordHash ?? null,
    ],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function countAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`,
  );
  return rows[0]!.n;
}

export async function insertSession(
  db: Queryable,
  s: { idHash: string; userId: number; csrfToken: string; ttlHours: number },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
    [s.idHash, s.userId, s.csrfToken, s.ttlHours],
  );
}

/** The session's user if the session is live and the user enabled; extends a sliding session. */
export async function touchSession(
  db: Queryable,
  idHash: string,
  ttlHours: number,
): Promise<{ user: User; csrfToken: string } | undefined> {
  const { rows } = await db.query<UserRecord & { csrf_token: string }>(
    `UPDATE sessions s SET last_seen_at = now(), expires_at = greatest(s.expires_at, now() + make_interval(hours => $2))
       FROM users u
      WHERE s.id_hash = $1 AND s.user_id = u.id AND s.expires_at > now() AND NOT u.disabled
      RETURNING u.id, u.email, u.name, u.role, u.team_id, u.disabled, u.created_at, s.csrf_token`,
    [idHash, ttlHours],
  );
  return rows[0] ? { user: toUser(rows[0]), csrfToken: rows[0].csrf_token } : undefined;
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1 OR expires_at < now()', [idHash]);
}

export async function deleteUserSessions(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

export async function loginFailures(
  db: Queryable,
  emailKey: string,
  client: string,
): Promise<{ failures: number; last: Date } | undefined> {
  const { rows } = await db.query<{ failures: number; last_failure: Date }>(
    `SELECT failures, last_failure FROM login_failures WHERE email_key = $1 AND client = $2`,
    [emailKey, client],
  );
  return rows[0] ? { failures: rows[0].failures, last: rows[0].last_failure } : undefined;
}

export async function recordLoginFailure(db: Queryable, emailKey: string, client: string): Promise<void> {
  // Failures older than an hour no longer count.
  await db.query(
    `INSERT INTO login_failures (email_key, client, failures, last_failure) VALUES ($1, $2, 1, now())
     ON CONFLICT (email_key, client) DO UPDATE
       SET failures = CASE WHEN login_failures.last_failure < now() - interval '1 hour' THEN 1
                           ELSE login_failures.failures + 1 END,
           last_failure = now()`,
    [emailKey, client],
  );
}

export async function clearLoginFailures(db: Queryable, emailKey: string, client: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE email_key = $1 AND client = $2', [emailKey, client]);
}

export interface Team {
  id: number;
  name: string;
}

export async function listTeams(db: Queryable): Promise<Team[]> {
  const { rows } = await db.query<Team>('SELECT id, name FROM teams ORDER BY name');
  return rows;
}

export async function insertTeam(db: Queryable, name: string): Promise<Team> {
  const { rows } = await db.query<Team>('INSERT INTO teams (name) VALUES ($1) RETURNING id, name', [name]);
  return rows[0]!;
}

export async function findTeamByName(db: Queryable, name: string): Promise<Team | undefined> {
  const { rows } = await db.query<Team>('SELECT id, name FROM teams WHERE lower(name) = lower($1)', [name]);
  return rows[0];
}
