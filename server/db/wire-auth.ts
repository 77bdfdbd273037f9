// The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it, for the
// embedded database's wire server (wire.ts). SCRAM rather than a cleartext or MD5 password:
// the secret never crosses the socket, a recorded exchange cannot be replayed, and `pg`,
// psql and pg_dump all speak it. No channel binding: the socket is plain TCP on loopback.
import crypto from 'node:crypto';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's default (scram_iterations); the key is derived once per start, not per connection. */
const ITERATIONS = 4096;

/** What the server keeps of the password: enough to check a proof, not to make one. */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest();

export function scramVerifier(password: string): ScramVerifier {
  const salt = crypto.randomBytes(16);
  const salted = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  return {
    salt,
    iterations: ITERATIONS,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/** `a=1,b=2` → Map; undefined when an attribute is not `letter=value`. */
function attributes(text: string): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=' || !/^[a-zA-Z]$/.test(part[0]!)) return undefined;
    map.set(part[0]!, part.slice(2));
  }
  return map;
}

/** A nonce is printable ASCII without a comma (RFC 5802 §7). */
const NONCE = /^[\x21-\x2b\x2d-\x7e]{8,256}$/;

/**
 * One connection's exchange: `first` answers the client-first-message, `final` checks the
 * client-final-message. Each returns what the server sends next, or undefined when the
 * client is to be refused (a malformed message and a wrong proof are refused alike).
 */
export class ScramExchange {
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(private readonly verifier: ScramVerifier) {}

  first(clientFirst: string): string | undefined {
    // "n,," (no channel binding) or "y,," (the client could bind, but we do not offer it);
    // an authorisation identity is not supported, as in PostgreSQL.
    const match = /^([ny]),,(.*)$/s.exec(clientFirst);
    if (!match) return undefined;
    const attrs = attributes(match[2]!);
    const clientNonce = attrs?.get('r');
    // The user name travels in the startup message; PostgreSQL ignores this one, so do we.
    if (!attrs?.has('n') || clientNonce === undefined || !NONCE.test(clientNonce) || attrs.has('m')) return undefined;
    this.gs2Header = `${match[1]},,`;
    this.clientFirstBare = match[2]!;
    this.nonce = clientNonce + crypto.randomBytes(18).toString('base64');
    const { salt, iterations } = this.verifier;
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`;
    return this.serverFirst;
  }

  final(clientFinal: string): string | undefined {
    if (!this.serverFirst) return undefined;
    const at = clientFinal.lastIndexOf(',p=');
    if (at < 0) return undefined;
    const withoutProof = clientFinal.slice(0, at);
    const attrs = attributes(withoutProof);
    if (attrs?.get('c') !== Buffer.from(this.gs2Header).toString('base64') || attrs.get('r') !== this.nonce) {
      return undefined;
    }
    const proof = Buffer.from(clientFinal.slice(at + 3), 'base64');
    if (proof.length !== 32) return undefined;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    // Constant time: how much of the proof was right must not show in how long refusing takes.
    if (!crypto.timingSafeEqual(sha256(clientKey), this.verifier.storedKey)) return undefined;
    return `v=${hmac(this.verifier.serverKey, authMessage).toString('base64')}`;
  }
}
