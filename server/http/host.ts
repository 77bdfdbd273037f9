// Where the absolute links in our responses point. With PUBLIC_URL they point there whatever
// the request says. Without it they follow the request's Host header, which the client
// writes: so the Host must be a plain host[:port] (and one of ALLOWED_HOSTS when that is
// set), and a response built from it says `Vary: Host`, so that a shared cache never hands
// a link made for one Host to a request for another.
import net from 'node:net';
import type { Request, RequestHandler } from 'express';
import { AppError } from './errors';

/** A DNS name is at most 253 characters; then a colon and a port. */
const MAX_HOST_LENGTH = 253 + 6;
const LABEL = /^[a-z0-9-]{1,63}$/;
const PORT = /^[0-9]{1,5}$/;

/**
 * `host[:port]` in lower case, or undefined unless it is a DNS name, an IPv4 address or a
 * bracketed IPv6 address, with an optional port from 1 to 65535: no user, path, spaces,
 * percent-encoding or underscores, nothing a link could be bent with.
 */
export function parseHost(value: string | undefined): string | undefined {
  if (!value || value.length > MAX_HOST_LENGTH) return undefined;
  const host = value.toLowerCase();
  const close = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', close);
  const name = colon < 0 ? host : host.slice(0, colon);
  if (colon >= 0) {
    const port = host.slice(colon + 1);
    if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535) return undefined;
  }
  if (close) return close === name.length && net.isIPv6(name.slice(1, -1)) ? host : undefined;
  if (net.isIPv4(name)) return host;
  const labels = name.split('.');
  // A name ending in a number would be read as an (invalid) IPv4 address by browsers.
  if (/^[0-9]+$/.test(labels.at(-1)!)) return undefined;
  return labels.every((l) => LABEL.test(l) && !l.startsWith('-') && !l.endsWith('-')) ? host : undefined;
}

const badHeader = (field: string, detail: string) =>
  new AppError(400, 'bad_host', 'The request names no host this server answers for', undefined, [{ field, detail }]);

export interface PublicOrigin {
  /** Refuses a request whose Host cannot be put in a link or is not allowed. */
  checkHost: RequestHandler;
  /** The origin absolute links start with: PUBLIC_URL, or this request's scheme and Host. */
  baseUrl: (req: Request) => string;
}

export function publicOrigin(config: {
  publicUrl: string | undefined;
  allowedHosts?: readonly string[];
  trustProxy: boolean;
}): PublicOrigin {
  const allowed = new Set(config.allowedHosts ?? []);
  const hostOf = (req: Request): string => {
    const host = parseHost(req.get('host'));
    if (!host) throw badHeader('Host', 'must be a host name or address with an optional port');
    if (allowed.size && !allowed.has(host)) throw badHeader('Host', 'is not a host this server answers for');
    return host;
  };
  const fromRequest = (req: Request): string => {
    const host = hostOf(req);
    // Behind a proxy req.protocol is X-Forwarded-Proto, which the client may also have written.
    if (req.protocol !== 'http' && req.protocol !== 'https') {
      throw badHeader('X-Forwarded-Proto', 'must be http or https');
    }
    return `${req.protocol}://${host}`;
  };
  return {
    checkHost: (req, _res, next) => {
      if (!config.publicUrl) fromRequest(req);
      else if (allowed.size) hostOf(req);
      next();
    },
    baseUrl: (req) => {
      if (config.publicUrl) return config.publicUrl;
      const res = req.res;
      // A live stream has long sent its headers (and is private); every other caller has not.
      if (res && !res.headersSent) res.vary(config.trustProxy ? 'Host, X-Forwarded-Proto' : 'Host');
      return fromRequest(req);
    },
  };
}
