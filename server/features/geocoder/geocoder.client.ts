/**
 * One address search against the configured geocoder (GEOCODER_URL): Nominatim's
 * /search?format=jsonv2, or Photon's /api when the URL's path ends in /api. Either answer is
 * reduced to what the citizen app needs, a label and a point.
 */
export interface Place {
  label: string;
  lat: number;
  lon: number;
}

export type GeocoderKind = 'nominatim' | 'photon';

export interface SearchOptions {
  lang?: string;
  limit: number;
  timeoutMs: number;
  /** Who is asking: Nominatim's usage policy requires an identifying User-Agent. */
  userAgent: string;
}

/** Answers larger than this are not addresses; reading them would only cost memory. */
const MAX_ANSWER_BYTES = 512 * 1024;

export class GeocoderError extends Error {}

export function geocoderKind(base: string): GeocoderKind {
  return /\/api\/?$/.test(new URL(base).pathname) ? 'photon' : 'nominatim';
}

export function searchUrl(base: string, q: string, opts: Pick<SearchOptions, 'lang' | 'limit'>): URL {
  const kind = geocoderKind(base);
  const url = new URL(base);
  if (kind === 'nominatim' && !/\/search\/?$/.test(url.pathname)) {
    url.pathname = `${url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname}/search`;
  }
  url.searchParams.set('q', q);
  url.searchParams.set('limit', String(opts.limit));
  if (kind === 'nominatim') {
    url.searchParams.set('format', 'jsonv2');
    if (opts.lang) url.searchParams.set('accept-language', opts.lang);
  } else if (opts.lang) {
    url.searchParams.set('lang', opts.lang);
  }
  return url;
}

const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

function place(label: unknown, lat: unknown, lon: unknown): Place | null {
  const la = finite(lat);
  const lo = finite(lon);
  if (typeof label !== 'string' || !label.trim() || la === null || lo === null) return null;
  if (Math.abs(la) > 90 || Math.abs(lo) > 180) return null;
  return { label: label.trim().slice(0, 300), lat: la, lon: lo };
}

function fromNominatim(body: unknown): Place[] {
  if (!Array.isArray(body)) throw new GeocoderError('not a Nominatim answer');
  return body.map((r: Record<string, unknown>) => place(r?.display_name, r?.lat, r?.lon)).filter((p) => p !== null);
}

/** Photon's properties, joined the way an address is written: name, street and number, city. */
function photonLabel(p: Record<string, unknown>): string {
  const s = (k: string) => {
    const v = p[k];
    return typeof v === 'string' ? v : '';
  };
  const street = [s('street'), s('housenumber')].filter(Boolean).join(' ');
  const town = [s('postcode'), s('city') || s('town') || s('village')].filter(Boolean).join(' ');
  const parts = [s('name'), street, town, s('country')].filter(Boolean);
  return [...new Set(parts)].join(', ');
}

function fromPhoton(body: unknown): Place[] {
  const features = (body as { features?: unknown })?.features;
  if (!Array.isArray(features)) throw new GeocoderError('not a Photon answer');
  return features
    .map((f: { geometry?: { coordinates?: unknown[] }; properties?: Record<string, unknown> }) =>
      place(photonLabel(f?.properties ?? {}), f?.geometry?.coordinates?.[1], f?.geometry?.coordinates?.[0]),
    )
    .filter((p) => p !== null);
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new GeocoderError('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function search(base: string, q: string, opts: SearchOptions): Promise<Place[]> {
  const url = searchUrl(base, q, opts);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Accept: 'application/json', 'User-Agent': opts.userAgent },
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    throw new GeocoderError(err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'unreachable');
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new GeocoderError(`answered ${res.status}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await readCapped(res));
  } catch (err) {
    throw err instanceof GeocoderError ? err : new GeocoderError('not JSON');
  }
  const places = geocoderKind(base) === 'photon' ? fromPhoton(body) : fromNominatim(body);
  return places.slice(0, opts.limit);
}
