// Staff accounts: argon2id passwords, database sessions, CSRF tokens, login throttling.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { AppError } from '../../http/errors';
import * as repo from './auth.repo';

export const SESSION_COOKIE = 'wegfrei_session';
/** Failures per account and client address before each further try must wait. */
const FREE_FAILURES = 5;
const MAX_WAIT_S = 15 * 60;

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const randomToken = () => crypto.randomBytes(32).toString('base64url');

export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* argon2id */ });

// Verifying against this when the email is unknown keeps both paths equally slow.
let dummyHash: Promise<string> | undefined;

export interface SessionInfo {
  user: repo.User;
  csrfToken: string;
}

/** Seconds the next try from this client for this account must wait, 0 if none. */
function waitSeconds(failures: number, last: Date): number {
  if (failures < FREE_FAILURES) return 0;
  const wait = Math.min(2 ** (failures - FREE_FAILURES), MAX_WAIT_S);
  return Math.max(0, Math.ceil(wait - (Date.now() - last.getTime()) / 1000));
}

export async function login(
  pool: pg.Pool,
  input: { email: string; password: string; client: string; ttlHours: number },
): Promise<SessionInfo & { token: string }> {
  const emailKey = input.email.trim().toLowerCase();
  const earlier = await repo.loginFailures(pool, emailKey, input.client);
  const wait = earlier ? waitSeconds(earlier.failures, earlier.last) : 0;
  if (wait > 0) {
    throw new AppError(
      429,
      'login_throttled',
      'Too many failed logins',
      `Try again in ${wait} s.`,
      [{ field: 'password', detail: `too many failed attempts; wait ${wait} s` }],
      { 'Retry-After': String(wait) },
    );
  }
  const user = await repo.findUserByEmail(pool, emailKey);
  dummyHash ??= hashPassword(randomToken());
  const ok = await verify(user?.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!user || !ok || user.disabled) {
    await repo.recordLoginFailure(pool, emailKey, input.client);
    throw new AppError(
      401,
      'bad_credentials',
      'Login failed',
      'The email or password is wrong, or the account is disabled.',
      [{ field: 'password', detail: 'does not match the email, or the account is disabled' }],
    );
  }
  await repo.clearLoginFailures(pool, emailKey, input.client);
  // Always a new session id at login (no session fixation).
  const token = randomToken();
  const csrfToken = randomToken();
  await repo.insertSession(pool, { idHash: sha256(token), userId: user.id, csrfToken, ttlHours: input.ttlHours });
  const { passwordHash, ...publicUser } = user;
  return { token, csrfToken, user: publicUser };
}

export function sessionFromToken(pool: pg.Pool, token: string, ttlHours: number): Promise<SessionInfo | undefined> {
  return repo.touchSession(pool, sha256(token), ttlHours);
}

export function logout(pool: pg.Pool, token: string): Promise<void> {
  return repo.deleteSession(pool, sha256(token));
}

const MIN_PASSWORD = 12;
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD) {
    throw AppError.validation([{ field, detail: `must be at least ${MIN_PASSWORD} characters` }]);
  }
}

export async function createUser(
  pool: pg.Pool,
  input: { email: string; name?: string; role: repo.Role; password: string; teamId?: number | null },
): Promise<repo.User> {
  checkPassword(input.password);
  if (await repo.findUserByEmail(pool, input.email)) {
    throw new AppError(409, 'user_exists', 'User exists', undefined, [
      { field: 'email', detail: 'is already an account' },
    ]);
  }
  return repo.insertUser(pool, {
    email: input.email.trim(),
    name: input.name?.trim() ?? '',
    role: input.role,
    passwordHash: await hashPassword(input.password),
    teamId: input.teamId ?? null,
  });
}

export async function updateUser(
  pool: pg.Pool,
  id: number,
  changes: { name?: string; role?: repo.Role; teamId?: number | null; disabled?: boolean; password?: string },
): Promise<repo.User> {
  if (changes.password !== undefined) checkPassword(changes.password);
  const user = await repo.updateUser(pool, id, {
    name: changes.name,
    role: changes.role,
    teamId: changes.teamId,
    disabled: changes.disabled,
    passwordHash: changes.password === undefined ? undefined : await hashPassword(changes.password),
  });
  if (!user) throw AppError.notFound(`User ${id}`);
  // A disabled account or a new password ends every session of that user.
  if (changes.disabled || changes.password !== undefined) await repo.deleteUserSessions(pool, id);
  return user;
}

/** Creates the first admin from WEGFREI_BOOTSTRAP_ADMIN when there is none. */
export async function bootstrapAdmin(
  pool: pg.Pool,
  admin: { email: string; password: string } | undefined,
): Promise<repo.User | undefined> {
  if (!admin || (await repo.countAdmins(pool)) > 0) return undefined;
  if (await repo.findUserByEmail(pool, admin.email)) return undefined;
  return createUser(pool, { email: admin.email, name: 'Administrator', role: 'admin', password: admin.password });
}
