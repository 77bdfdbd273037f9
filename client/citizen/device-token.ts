/**
 * The token that makes this phone's "still there / gone" count once per report: a random
 * UUID made on first use and kept in localStorage. It is no hardware id and names nobody; the
 * server keeps only a hash of it per report (docs/API.md, Confirmations).
 */
const STORE_KEY = 'wegfrei:device';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Storage blocked (private mode, full): one token for as long as the page is open. */
let fallback: string | undefined;

function randomUuid(): string {
  // randomUUID needs a secure context; a deployment tried over plain http on a LAN lacks one.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function deviceToken(): string {
  try {
    const kept = localStorage.getItem(STORE_KEY);
    if (kept && UUID.test(kept)) return kept;
    const made = randomUuid();
    localStorage.setItem(STORE_KEY, made);
    return made;
  } catch {
    fallback ??= randomUuid();
    return fallback;
  }
}
