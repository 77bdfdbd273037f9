// Web push (RFC 8030 with VAPID, RFC 8292, and aes128gcm payloads, RFC 8291). web-push signs and
// encrypts; the request itself is ours, so the endpoint a stranger gave us cannot be turned
// against our own network: every address its name resolves to is checked and the connection
// goes to the checked address, plain http only where private hosts are allowed (tests).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import webpush from 'web-push';
import type pg from 'pg';
import { isPublicAddress } from '../open311/open311.media';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface PushSubscriptionData {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const SETTING = 'vapid_keys';
/** The whole delivery, from connecting to the answer's last byte: a service that trickles is cut here. */
export const PUSH_DEADLINE_MS = 10_000;
/** A push service's answer is a status line and a short body; more is not read. */
const MAX_ANSWER_BYTES = 16_384;
/** A notification waits at the push service up to a day for a phone that is off. */
const TTL_S = 24 * 60 * 60;

/**
 * The keys from the environment, or the pair this deployment generated the first time it
 * needed one (kept in `settings`, so every app process signs with the key browsers were given).
 */
export async function loadVapidKeys(
  pool: pg.Pool,
  fromEnv: { publicKey: string; privateKey: string } | undefined,
  subject: string,
): Promise<VapidKeys> {
  if (fromEnv) return { ...fromEnv, subject };
  const fresh = webpush.generateVAPIDKeys();
  // One row for the pair: two processes racing keep the same one.
  await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    SETTING,
    JSON.stringify(fresh),
  ]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [SETTING]);
  const stored = JSON.parse(rows[0]!.value) as { publicKey: string; privateKey: string };
  return { publicKey: stored.publicKey, privateKey: stored.privateKey, subject };
}

export class PushGone extends Error {}

/**
 * A failed delivery, with a code safe for the log (ENOTFOUND, ECONNREFUSED, timeout, http_503):
 * an error's message can hold the endpoint's host, which is private.
 */
export class PushFailed extends Error {
  constructor(readonly code: string) {
    super(`push failed: ${code}`);
  }
}

/** The loggable code of anything a delivery throws. */
export function pushFailureCode(err: unknown): string {
  if (err instanceof PushFailed) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,39}$/.test(code) ? code : 'error';
}

/** Why an endpoint is refused before anything is sent to it; undefined: acceptable. */
export function endpointProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && (host === 'localhost' || (net.isIP(host) && !isPublicAddress(host)))) {
    return 'must not point to a private, loopback or link-local address';
  }
  return undefined;
}

function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!addresses.length || (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address)))) {
        return callback(new PushFailed('refused_address'), '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Sends one notification; PushGone when the service says the subscription no longer exists
 * (404/410), PushFailed (or a socket error with its code) otherwise.
 */
export async function sendPush(
  subscription: PushSubscriptionData,
  payload: object,
  vapid: VapidKeys,
  allowPrivate: boolean,
  deadlineMs = PUSH_DEADLINE_MS,
): Promise<void> {
  const problem = endpointProblem(subscription.endpoint, allowPrivate);
  if (problem) throw new PushGone(problem);
  const details = webpush.generateRequestDetails(subscription, JSON.stringify(payload), {
    vapidDetails: vapid,
    TTL: TTL_S,
    contentEncoding: 'aes128gcm',
  });
  const url = new URL(details.endpoint);
  const client = url.protocol === 'https:' ? https : http;
  const status = await new Promise<number>((resolve, reject) => {
    // The socket's idle timeout alone lets a service that sends a byte now and then hold us forever.
    const deadline = setTimeout(() => {
      reject(new PushFailed('timeout'));
      req.destroy();
    }, deadlineMs);
    const done = (fn: () => void) => {
      clearTimeout(deadline);
      fn();
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: details.headers,
        lookup: guardedLookup(allowPrivate),
        timeout: deadlineMs,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('end', () => done(() => resolve(res.statusCode ?? 0)));
        // Cut short (by us, past MAX_ANSWER_BYTES, or by the service): the status line is what counts.
        res.on('close', () => done(() => resolve(res.statusCode ?? 0)));
        res.on('error', (err) => done(() => reject(err)));
      },
    );
    req.on('timeout', () => req.destroy(new PushFailed('timeout')));
    req.on('error', (err) => done(() => reject(err)));
    req.end(details.body ?? undefined);
  });
  if (status === 404 || status === 410) throw new PushGone(`http_${status}`);
  if (status < 200 || status > 299) throw new PushFailed(`http_${status}`);
}
