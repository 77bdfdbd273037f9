// Fetches the photo an Open311 client names by media_url, as a server that must not be
// turned against its own network (SSRF): http(s) only, every address a name resolves to is
// checked, and the connection goes to the address that was checked (no DNS rebinding);
// redirects are followed by hand and checked again; size, time and content type are bounded.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../../http/errors';
import { PHOTO_LIMITS } from '../photos/photos.pipeline';

export const MEDIA_LIMITS = Object.freeze({
  maxBytes: PHOTO_LIMITS.maxBytes,
  timeoutMs: 10_000,
  maxRedirects: 3,
});

export interface MediaFetchOptions {
  /** Lets media_url reach private, loopback and link-local addresses (tests, closed networks). */
  allowPrivate: boolean;
  /**
   * An Authorization header for the URL's own origin (an SMS gateway's protected media); never
   * sent on after a redirect to another origin (Twilio's media redirect to a CDN).
   */
  authorization?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Only globally routable unicast addresses; IPv4-mapped IPv6 is judged as the IPv4 inside. */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

const refused = (detail: string) =>
  new AppError(400, 'media_url', 'media_url refused', undefined, [{ field: 'media_url', detail }]);

class PrivateAddress extends Error {}

const TOO_SLOW = `did not answer within ${MEDIA_LIMITS.timeoutMs / 1000} s`;

/** A DNS lookup for http(s).request that refuses a name if any of its addresses is private. */
function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!addresses.length) return callback(new Error(`${hostname} has no address`), '');
      if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
        return callback(new PrivateAddress(hostname), '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused('must be an http or https URL');
  if (url.username || url.password) throw refused('must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host) && !allowPrivate && !isPublicAddress(host)) {
    throw refused('points to a private, loopback or link-local address');
  }
  return url;
}

function get(
  url: URL,
  lookup: net.LookupFunction,
  signal: AbortSignal,
  authorization?: string,
): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, {
      lookup,
      signal,
      agent: false,
      headers: {
        'User-Agent': 'Wegfrei-Open311/1 (media_url)',
        Accept: 'image/*',
        ...(authorization ? { Authorization: authorization } : {}),
      },
    });
    req.once('response', resolve);
    req.once('error', reject);
  });
}

function readBody(res: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(refused(`is larger than ${maxBytes / (1024 * 1024)} MB`));
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(signal.aborted ? refused(TOO_SLOW) : refused('could not be read to the end'));
    });
  });
}

function describe(err: unknown): string {
  if (err instanceof PrivateAddress) return 'points to a private, loopback or link-local address';
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return TOO_SLOW;
  }
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'names a host that does not exist';
  return 'could not be fetched';
}

/** The bytes of the image at `raw`; every failure is a 400 naming media_url. */
export async function fetchMedia(raw: string, opts: MediaFetchOptions): Promise<Buffer> {
  const signal = AbortSignal.timeout(MEDIA_LIMITS.timeoutMs);
  const lookup = guardedLookup(opts.allowPrivate);
  let url = checkUrl(raw, opts.allowPrivate);
  const origin = url.origin;
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await get(url, lookup, signal, url.origin === origin ? opts.authorization : undefined);
      if (REDIRECTS.has(res.statusCode ?? 0)) {
        res.resume();
        const location = res.headers.location;
        if (!location) throw refused('redirects without a Location');
        if (redirects >= MEDIA_LIMITS.maxRedirects) {
          throw refused(`redirects more than ${MEDIA_LIMITS.maxRedirects} times`);
        }
        url = checkUrl(new URL(location, url).toString(), opts.allowPrivate);
        continue;
      }
      if (res.statusCode !== 200) {
        res.resume();
        throw refused(`answered with HTTP status ${res.statusCode}`);
      }
      const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!type.startsWith('image/')) {
        res.resume();
        throw refused('is not an image (its Content-Type is not image/*)');
      }
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > MEDIA_LIMITS.maxBytes) {
        res.destroy();
        throw refused(`is larger than ${MEDIA_LIMITS.maxBytes / (1024 * 1024)} MB`);
      }
      return await readBody(res, MEDIA_LIMITS.maxBytes, signal);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw refused(describe(err));
  }
}
