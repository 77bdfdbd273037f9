// What every answer of the API must be, whatever was sent (tests/api/fuzz.test.ts): never a
// 5xx; a 4xx in the error format of its API; no stack trace, SQL, file path or private detail
// in any body or header; X-Request-Id echoed only when it is a safe id.

/** What went out, as the server could echo it back (so an echo of our own input is no leak). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Strings that must never reach the public: seeded private details (a contact, an exact help point). */
export interface Secrets {
  [what: string]: string;
}

const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat (?:async )?[\w$.<>[\] ]*\(?(?:\/|file:\/\/|node:)[^\s)"]*:\d+:\d+/],
  ['a stack trace line', /(?:^|\\n|\n)[\t ]+at [\w$.<>]+ \(/],
  ['an error with a file path', /\b\w*Error: [^\n"]*\/[\w.-]+\.(?:ts|js|mjs|cjs)\b/],
  ['SQL (SELECT)', /SELECT /],
  ['an SQL syntax error', /syntax error/i],
  ['an SQL relation', /relation "/],
  ['a PostgreSQL catalogue name', /pg_/],
  ['a constraint violation', /violates/],
  ['an SQL column', /column "/],
  ['a path under /work', /\/work\b/],
  ['a path under /tmp', /\/tmp\b/],
  ['node_modules', /node_modules/],
  ['a TypeScript source position', /\.ts:/],
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_REQUEST_ID = /^[\w-]{1,64}$/;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const mediaType = (h: string | string[] | undefined) =>
  String(h ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

export interface ErrorFormat {
  /** `problem` (RFC 9457, the rest of the API) or `open311` (GeoReport v2's own error list). */
  kind: 'problem' | 'open311';
}

/** Problems of one answer; empty when it is fine. */
export function problemsOf(sent: SentRequest, got: Received, format: ErrorFormat, secrets: Secrets): string[] {
  const out: string[] = [];
  const text = got.body.toString('utf8');
  const type = mediaType(got.headers['content-type']);

  if (got.status >= 500) out.push(`answered ${got.status}`);

  if (got.status >= 400 && got.status < 500) {
    if (format.kind === 'open311') out.push(...open311ErrorProblems(got.status, type, text));
    else out.push(...problemJsonProblems(got.status, type, text));
  }

  // An echo of what we sent is not a leak: only markers absent from the request count.
  const echo = [
    sent.url,
    safeDecode(sent.url),
    ...Object.values(sent.headers),
    typeof sent.body === 'string' ? sent.body : (sent.body?.toString('utf8') ?? ''),
  ].join('\n');
  const headerText = Object.entries(got.headers)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('\n');
  for (const [what, re] of LEAKS) {
    if (re.test(echo)) continue;
    if (re.test(text)) out.push(`the body shows ${what}: …${excerpt(text, re)}…`);
    if (re.test(headerText)) out.push(`a header shows ${what}: ${excerpt(headerText, re)}`);
  }
  for (const [what, secret] of Object.entries(secrets)) {
    if (text.includes(secret) || headerText.includes(secret)) out.push(`the answer reveals ${what}`);
  }

  out.push(...requestIdProblems(sent.headers['X-Request-Id'], got.headers['x-request-id']));
  return out;
}

function excerpt(text: string, re: RegExp): string {
  const at = text.search(re);
  return text.slice(Math.max(0, at - 60), at + 60);
}

function problemJsonProblems(status: number, type: string, text: string): string[] {
  if (type !== 'application/problem+json') return [`${status} with Content-Type ${type || '(none)'}, not problem+json`];
  let body: { type?: unknown; status?: unknown; title?: unknown; errors?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return [`${status} problem+json that is not JSON: ${text.slice(0, 80)}`];
  }
  const out: string[] = [];
  if (body.status !== status) out.push(`problem status ${String(body.status)} ≠ HTTP ${status}`);
  if (typeof body.title !== 'string' || !body.title) out.push('problem without a title');
  // Bad input names the field at fault; 401/403/404/405/406/409/429 are about something else.
  // A field may be '' when the client sent a parameter with an empty name (`?=1`): that is its name.
  if ([400, 413, 415, 422].includes(status)) {
    const errors = body.errors as { field?: unknown }[] | undefined;
    if (!Array.isArray(errors) || errors.length === 0) out.push(`${status} without errors[]`);
    else if (errors.some((e) => typeof e.field !== 'string')) out.push(`${status} with an error naming no field`);
  }
  return out;
}

function open311ErrorProblems(status: number, type: string, text: string): string[] {
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`Open311 ${status} that is not JSON: ${text.slice(0, 80)}`];
    }
    const ok =
      Array.isArray(body) &&
      body.length > 0 &&
      body.every(
        (e: { code?: unknown; description?: unknown }) => e.code === status && typeof e.description === 'string',
      );
    return ok ? [] : [`Open311 ${status} is not a GeoReport error list: ${text.slice(0, 120)}`];
  }
  if (type === 'text/xml') {
    const ok = /<errors>\s*<error>\s*<code>(\d+)<\/code>\s*<description>[^<]*<\/description>/.exec(text);
    return ok && Number(ok[1]) === status
      ? []
      : [`Open311 ${status} is not GeoReport XML errors: ${text.slice(0, 120)}`];
  }
  return [`Open311 ${status} with Content-Type ${type || '(none)'}`];
}

/** Spaces and tabs off both ends (a regex for the end would be quadratic on long blank runs). */
function trimBlanks(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s[start] === ' ' || s[start] === '\t')) start++;
  while (end > start && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(start, end);
}

function requestIdProblems(raw: string | undefined, got: string | string[] | undefined): string[] {
  if (typeof got !== 'string') return ['no X-Request-Id'];
  // HTTP drops the blanks around a header value before the server sees it.
  const sent = raw === undefined ? undefined : trimBlanks(raw);
  if (sent !== undefined && SAFE_REQUEST_ID.test(sent)) {
    return got === sent ? [] : [`X-Request-Id ${got} is not the safe id sent (${sent})`];
  }
  return UUID.test(got) ? [] : [`X-Request-Id ${JSON.stringify(got)} was echoed unsanitised`];
}
