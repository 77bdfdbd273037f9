import type { Queryable } from '../reports/reports.repo';

export type StaffRole = 'admin' | 'coordinator' | 'responder';
/** Volunteers sign in too, but are not staff: server/http/auth.ts keeps them off every staff route. */
export type Role = StaffRole | 'volunteer';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'coordinator', 'responder'];
export const ROLES: readonly Role[] = [...STAFF_ROLES, 'volunteer'];
export const isStaffRole = (role: Role): role is StaffRole => role !== 'volunteer';

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

// Session lifetimes are hours (fractions allowed); intervals are built from seconds.
const HOURS = (param: string) => `make_interval(secs => ${param}::float8 * 3600)`;

/** A session ends after `ttlHours` without use, and `maxHours` after login whatever happens. */
export interface SessionLimits {
  ttlHours: number;
  maxHours: number;
}

export async function insertSession(
  db: Queryable,
  s: { idHash: string; userId: number; csrfToken: string } & SessionLimits,
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + least(${HOURS('$4')}, ${HOURS('$5')}))`,
    [s.idHash, s.userId, s.csrfToken, s.ttlHours, s.maxHours],
  );
}

/**
 * The session's user if the session is live and the user enabled. Use extends an idle
 * session, never beyond `maxHours` after login; the age is checked against the setting as it
 * is now, so lowering SESSION_MAX_HOURS ends older sessions at once.
 *
 * Only a read, except when the expiry would move by more than a minute (about once a minute
 * for a session in use, at once for one about to end): a write on every request (a commit
 * and a row lock each) let one staff client's flood queue the database for everybody (issue
 * 11's second attack), and sessions last hours, so a minute of slide is nothing.
 */
export async function touchSession(
  db: Queryable,
  idHash: string,
  limits: SessionLimits,
): Promise<{ user: User; csrfToken: string } | undefined> {
  const { rows } = await db.query<UserRecord & { csrf_token: string }>(
    `WITH live AS (
       SELECT u.id, u.email, u.name, u.role, u.team_id, u.disabled, u.created_at, s.csrf_token,
              least(now() + ${HOURS('$2')}, s.created_at + ${HOURS('$3')}) AS slid_to, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id_hash = $1 AND NOT u.disabled
          AND s.expires_at > now() AND s.created_at > now() - ${HOURS('$3')}
     ), touched AS (
       UPDATE sessions s SET last_seen_at = now(),
              expires_at = greatest(s.expires_at, live.slid_to)
         FROM live
        WHERE s.id_hash = $1 AND live.expires_at < live.slid_to - interval '${TOUCH_EVERY_S} seconds'
     )
     SELECT id, email, name, role, team_id, disabled, created_at, csrf_token FROM live`,
    [idHash, limits.ttlHours, limits.maxHours],
  );
  return rows[0] ? { user: toUser(rows[0]), csrfToken: rows[0].csrf_token } : undefined;
}

/** How far a session's expiry must slide before it is written (with its last use). */
const TOUCH_EVERY_S = 60;

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1 OR expires_at < now()', [idHash]);
}

/** Ends every session of a user and forgets the browsers they logged in from. */
export async function deleteUserSessions(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM login_devices WHERE user_id = $1', [userId]);
}

/** How many checked attempts are free, how long each further one waits, when a count is forgotten. */
export interface LoginThrottle {
  freeAttempts: number;
  firstWaitS: number;
  maxWaitS: number;
  forgetAfterS: number;
}

// When the next attempt of a row `a` may be checked, in the parameters $3…$5 of both
// statements below. The exponent is capped so that 2^n never overflows.
const NEXT_CHECK = `a.last_attempt + make_interval(secs => least(
    $4::float8 * 2 ^ least(greatest(a.attempts - $3::int, 0), 30), $5::float8))`;

/**
 * Counts an attempt of `client` on `account` before its password is checked, in one statement:
 * the row lock of ON CONFLICT makes parallel attempts wait for each other, so each sees the
 * count the one before it left. The first `freeAttempts` are checked at once, each further
 * one only once its wait (doubling up to `maxWaitS`) has passed since the last checked one;
 * a refused attempt changes nothing and gets the seconds left to wait.
 */
export async function takeLoginAttempt(
  db: Queryable,
  account: string,
  client: string,
  t: LoginThrottle,
): Promise<{ allowed: true; attempts: number } | { allowed: false; retryAfterS: number }> {
  const params = [account, client, t.freeAttempts, t.firstWaitS, t.maxWaitS];
  const { rows } = await db.query<{ attempts: number }>(
    `INSERT INTO login_attempts AS a (account, client, attempts, last_attempt) VALUES ($1, $2, 1, now())
     ON CONFLICT (account, client) DO UPDATE
       SET attempts = CASE WHEN a.last_attempt < now() - make_interval(secs => $6::float8) THEN 1
                           ELSE a.attempts + 1 END,
           last_attempt = now()
       WHERE a.attempts < $3::int OR ${NEXT_CHECK} <= now()
     RETURNING attempts`,
    [...params, t.forgetAfterS],
  );
  if (rows[0]) return { allowed: true, attempts: rows[0].attempts };
  // Refused: how long is left is for the Retry-After header only, so a second read is fine.
  const wait = await db.query<{ s: number }>(
    `SELECT ceil(extract(epoch FROM ${NEXT_CHECK} - now()))::int AS s
       FROM login_attempts a WHERE a.account = $1 AND a.client = $2`,
    params,
  );
  return { allowed: false, retryAfterS: Math.max(1, wait.rows[0]?.s ?? 1) };
}

export async function clearLoginAttempts(db: Queryable, account: string, client: string): Promise<void> {
  await db.query('DELETE FROM login_attempts WHERE account = $1 AND client = $2', [account, client]);
}

/** Whether the device token (hashed) has logged in to `account`, and to any account at all. */
export async function knownDevice(
  db: Queryable,
  tokenHash: string,
  account: string,
  forgetAfterDays: number,
): Promise<{ forAccount: boolean; atAll: boolean }> {
  const { rows } = await db.query<{ for_account: boolean | null; at_all: boolean }>(
    `SELECT bool_or(lower(u.email) = $2) AS for_account, count(*) > 0 AS at_all
       FROM login_devices d JOIN users u ON u.id = d.user_id
      WHERE d.token_hash = $1 AND d.last_login > now() - make_interval(days => $3::int)`,
    [tokenHash, account, forgetAfterDays],
  );
  return { forAccount: rows[0]?.for_account ?? false, atAll: rows[0]?.at_all ?? false };
}

export async function rememberDevice(db: Queryable, tokenHash: string, userId: number): Promise<void> {
  await db.query(
    `INSERT INTO login_devices (token_hash, user_id) VALUES ($1, $2)
     ON CONFLICT (token_hash, user_id) DO UPDATE SET last_login = now()`,
    [tokenHash, userId],
  );
}

/** Removes what can no longer count: ended sessions, forgotten attempts and devices. */
export async function sweepLogins(
  db: Queryable,
  opts: { maxHours: number; forgetAttemptsAfterS: number; forgetDevicesAfterDays: number },
): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE expires_at <= now() OR created_at <= now() - ${HOURS('$1')}`, [
    opts.maxHours,
  ]);
  await db.query('DELETE FROM login_attempts WHERE last_attempt < now() - make_interval(secs => $1::float8)', [
    opts.forgetAttemptsAfterS,
  ]);
  await db.query('DELETE FROM login_devices WHERE last_login < now() - make_interval(days => $1::int)', [
    opts.forgetDevicesAfterDays,
  ]);
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
