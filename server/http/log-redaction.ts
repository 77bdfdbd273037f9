// What a log line keeps of a request's URL. Query values can hold an exact point (`lat`/`lon`,
// a bbox a few metres wide), a secret (`?api_key=`) or contact data, and a log is kept longer
// and read by more people than the database (DESIGN.md, Privacy; docs/SECURITY.md).

/**
 * The query parameters logged with their values: enumerations, numbers, dates and ids that
 * say what was asked for without saying where or who. An allow-list rather than a list of
 * secrets, so that a parameter added later, or one a client makes up (`?latitude=`, `?q=`), is
 * redacted until someone decides its value is harmless. Never add a place (`lat`, `lon`,
 * `long`, `bbox`), a key or token, a device id, or free text.
 */
export const LOGGED_QUERY_VALUES: ReadonlySet<string> = new Set([
  // Filters of the lists, tiles, clusters, exports and OGC items.
  'category',
  'kind',
  'status',
  'severity',
  'since',
  'datetime',
  'days',
  // Paging and output.
  'limit',
  'offset',
  'page',
  'page_size',
  'f',
  'hxl',
  'sort',
  'zoom',
  'radius_m',
  'locale',
  // Open311 (GeoReport v2).
  'service_code',
  'service_request_id',
  'start_date',
  'end_date',
  'jurisdiction_id',
  // Staff lists and hotspots: numbers and ids of our own records.
  'team_id',
  'assigned_user_id',
  'deployment_id',
  'distance_m',
  'min_reports',
  'last_event_id',
]);

export const REDACTED = '[redacted]';

/** A name that reads like a parameter; anything else in the name position may be a value. */
const PARAMETER_NAME = /^[A-Za-z][\w.-]{0,39}$/;

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function redactPart(part: string): string {
  if (part === '') return part;
  const eq = part.indexOf('=');
  const rawName = eq === -1 ? part : part.slice(0, eq);
  // Compared decoded, as Express reads it: `api%5Fkey` is `api_key`.
  const name = decode(rawName);
  if (name !== undefined && LOGGED_QUERY_VALUES.has(name)) return part;
  // `?52.52,13.40` or `?SECRET` has no name, only a value.
  if (eq === -1 || name === undefined || !PARAMETER_NAME.test(name)) return REDACTED;
  return `${name}=${REDACTED}`;
}

/**
 * The URL as the access log keeps it: the path as sent, each query parameter's value kept if
 * the parameter is in LOGGED_QUERY_VALUES and `name=[redacted]` otherwise, so the log still
 * shows which parameters a request had.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  return `${url.slice(0, q)}?${url
    .slice(q + 1)
    .split('&')
    .map(redactPart)
    .join('&')}`;
}
