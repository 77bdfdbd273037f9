// Staff accounts: argon2id passwords, database sessions, CSRF tokens, login throttling.
// docs/SECURITY.md (Logins) says why the throttle and the session limits are as they are.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { SESSION_MAX_HOURS_DEFAULT } from '../../config';
import { Budget } from '../photos/photos.budget';
import { AppError } from '../../http/errors';
import * as repo from './auth.repo';
import { MIN_PASSWORD_SCORE, passwordStrength, userInputsOf, weakPasswordDetail } from './password-strength';

export const SESSION_COOKIE = 'wegfrei_session';
/** A random token naming this browser to the login throttle (docs/SECURITY.md, Logins). */
export const DEVICE_COOKIE = 'wegfrei_device';
/** A browser that has not logged in for this long is a stranger again. */
export const DEVICE_DAYS = 90;

/**
 * Per account and client (an address, or a browser the account logged in from before): five
 * attempts are checked at once, then one after 15 s, 30 s, 1 min … at most one per 15 min. A
 * count is forgotten an hour after its last checked attempt, and a correct password ends it.
 * The first wait is long enough that a burst of parallel tries never slips past it.
 */
export const LOGIN_THROTTLE: repo.LoginThrottle = {
  freeAttempts: 5,
  firstWaitS: 15,
  maxWaitS: 15 * 60,
  forgetAfterS: 60 * 60,
};

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
export const randomToken = () => crypto.randomBytes(32).toString('base64url');
/** What randomToken makes: 32 bytes in base64url. */
export const TOKEN_SHAPE = /^[\w-]{43}$/;

export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* argon2id */ });

// Verifying against this when the email is unknown keeps both paths equally slow.
let dummyHash: Promise<string> | undefined;

/**
 * argon2 runs on libuv's four worker threads, which also write and send photo files: fifty
 * wrong passwords sent at once from a fresh address held every thread (a citizen's photo report
 * took 2-4 s, /healthz over a second). Two checks run at a time; the rest wait in line briefly,
 * then 503. A check takes about 50 ms, so a line of 64 clears in under two seconds.
 */
const passwordChecks = new Budget({
  capacity: 2,
  maxWaiting: 64,
  waitMs: 10_000,
  busy: () => AppError.unavailable(),
});

export interface SessionInfo {
  user: repo.User;
  csrfToken: string;
}

function throttled(waitS: number): AppError {
  return new AppError(
    429,
    'login_throttled',
    'Too many failed logins',
    `Try again in ${waitS} s.`,
    [{ field: 'password', detail: `too many failed attempts; wait ${waitS} s` }],
    { 'Retry-After': String(waitS) },
  );
}

/**
 * Counts the attempt, then checks the password. A browser holding a device token this account
 * has logged in with is counted on its own, so someone guessing from the same address (a
 * shelter's NAT) cannot lock its owner out; every other attempt counts per account and address.
 */
export async function login(
  pool: pg.Pool,
  input: { email: string; password: string; address: string; deviceToken?: string } & repo.SessionLimits,
): Promise<SessionInfo & { token: string; deviceToken: string }> {
  // Lower-casing can lengthen a string ('İ' → 'i̇'); the count's key stays within its column.
  const account = input.email.trim().toLowerCase().slice(0, 254);
  const device = input.deviceToken ? sha256(input.deviceToken) : undefined;
  const known = device ? await repo.knownDevice(pool, device, account, DEVICE_DAYS) : undefined;
  const client = known?.forAccount ? `device:${device}` : `address:${input.address}`;
  const attempt = await repo.takeLoginAttempt(pool, account, client, LOGIN_THROTTLE);
  if (!attempt.allowed) throw throttled(attempt.retryAfterS);

  const user = await repo.findUserByEmail(pool, account);
  dummyHash ??= hashPassword(randomToken());
  const stored = user?.passwordHash ?? (await dummyHash);
  const ok = await passwordChecks.run(1, () => verify(stored, input.password).catch(() => false));
  if (!user || !ok || user.disabled) {
    throw new AppError(
      401,
      'bad_credentials',
      'Login failed',
      'The email or password is wrong, or the account is disabled.',
      [{ field: 'password', detail: 'does not match the email, or the account is disabled' }],
    );
  }
  await repo.clearLoginAttempts(pool, account, client);
  // A token we never issued (or long forgotten) is replaced: nobody can choose their own.
  const deviceToken = known?.atAll ? input.deviceToken! : randomToken();
  await repo.rememberDevice(pool, sha256(deviceToken), user.id);
  await repo.sweepLogins(pool, {
    maxHours: input.maxHours,
    forgetAttemptsAfterS: LOGIN_THROTTLE.forgetAfterS,
    forgetDevicesAfterDays: DEVICE_DAYS,
  });
  // Always a new session id at login (no session fixation).
  const token = randomToken();
  const csrfToken = randomToken();
  await repo.insertSession(pool, {
    idHash: sha256(token),
    userId: user.id,
    csrfToken,
    ttlHours: input.ttlHours,
    maxHours: input.maxHours,
  });
  const { passwordHash, ...publicUser } = user;
  return { token, csrfToken, user: publicUser, deviceToken };
}

/**
 * A new session for an account just made without a login (a volunteer who accepted an
 * invitation): a fresh random id, as at every login.
 */
export async function openSession(
  pool: pg.Pool,
  user: repo.User,
  limits: repo.SessionLimits,
): Promise<SessionInfo & { token: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  await repo.insertSession(pool, { idHash: sha256(token), userId: user.id, csrfToken, ...limits });
  return { token, csrfToken, user };
}

/** The session limits of the configuration; SESSION_MAX_HOURS's default when it is left out. */
export function sessionLimits(opts: { ttlHours: number; maxHours?: number }): repo.SessionLimits {
  return { ttlHours: opts.ttlHours, maxHours: opts.maxHours ?? SESSION_MAX_HOURS_DEFAULT };
}

export function sessionFromToken(
  pool: pg.Pool,
  token: string,
  limits: repo.SessionLimits,
): Promise<SessionInfo | undefined> {
  return repo.touchSession(pool, sha256(token), limits);
}

export function logout(pool: pg.Pool, token: string): Promise<void> {
  return repo.deleteSession(pool, sha256(token));
}

export const MIN_PASSWORD = 12;
/**
 * At least 12 characters, and not guessable: zxcvbn's score of 3 or more, with the account's
 * email and name counted as guesses. Refusals name the field and say why in a sentence.
 */
export async function checkPassword(
  password: string,
  person: { email?: string; name?: string },
  field = 'password',
): Promise<void> {
  if (password.length < MIN_PASSWORD) {
    throw AppError.validation([{ field, detail: `must be at least ${MIN_PASSWORD} characters` }]);
  }
  const strength = await passwordStrength(password, userInputsOf(person));
  if (strength.score < MIN_PASSWORD_SCORE) throw AppError.validation([{ field, detail: weakPasswordDetail(strength) }]);
}

export async function createUser(
  pool: pg.Pool,
  input: { email: string; name?: string; role: repo.Role; password: string; teamId?: number | null },
): Promise<repo.User> {
  await checkPassword(input.password, input);
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
  if (changes.password !== undefined) {
    const current = await repo.findUser(pool, id);
    if (!current) throw AppError.notFound(`User ${id}`);
    await checkPassword(changes.password, { email: current.email, name: changes.name ?? current.name });
  }
  const user = await repo.updateUser(pool, id, {
    name: changes.name,
    role: changes.role,
    teamId: changes.teamId,
    disabled: changes.disabled,
    passwordHash: changes.password === undefined ? undefined : await hashPassword(changes.password),
  });
  if (!user) throw AppError.notFound(`User ${id}`);
  // A disabled account or a new password ends every session of that user, and the browsers
  // they logged in from start counting as strangers (the reset may be after a compromise).
  if (changes.disabled || changes.password !== undefined) await repo.deleteUserSessions(pool, id);
  return user;
}

/**
 * Creates the first admin from WEGFREI_BOOTSTRAP_ADMIN when there is none. A weak password
 * there stops the start (main.ts prints the message); once an admin exists the variable is
 * not used, and not checked.
 */
export async function bootstrapAdmin(
  pool: pg.Pool,
  admin: { email: string; password: string } | undefined,
): Promise<repo.User | undefined> {
  if (!admin || (await repo.countAdmins(pool)) > 0) return undefined;
  if (await repo.findUserByEmail(pool, admin.email)) return undefined;
  const person = { email: admin.email, name: 'Administrator' };
  try {
    await checkPassword(admin.password, person);
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 422) throw err;
    const why = err.errors[0]?.detail ?? 'is not allowed';
    throw new Error(`WEGFREI_BOOTSTRAP_ADMIN: the first admin's password ${why}${why.endsWith('.') ? '' : '.'}`, {
      cause: err,
    });
  }
  return createUser(pool, { ...person, role: 'admin', password: admin.password });
}

/**
 * Whether a device cookie is one this server gave a browser at a successful login (to any
 * account, within DEVICE_DAYS): such a browser is not password spraying, so the per-address
 * limit over all accounts leaves it alone (server/app.ts) while its own count still holds.
 */
export async function isKnownDevice(pool: pg.Pool, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || !/^[\w-]{20,100}$/.test(token)) return false;
  return (await repo.knownDevice(pool, sha256(token), '', DEVICE_DAYS)).atAll;
}
