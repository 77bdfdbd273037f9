/**
 * The staff apps' view of the Wegfrei HTTP API: a session cookie set by the server and a CSRF
 * token that every state-changing request repeats in `X-CSRF-Token`. Types mirror the wire
 * (snake_case) so nothing is renamed in transit.
 */
import { ApiError, NetworkError, type Problem, type ReportFeature, type ReportProperties, type Status } from './api';

/** A GeoJSON Polygon (RFC 7946): rings of [lon, lat], the first ring the outline. */
export interface Polygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

export type Role = 'admin' | 'coordinator' | 'responder';

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  team_id: number | null;
}

export interface Session {
  user: SessionUser;
  csrf_token: string;
}

export interface Note {
  id: number;
  author: { id: number; name: string } | null;
  body: string;
  created_at: string;
}

export interface HistoryEntry {
  id: number;
  actor: { id: number; name: string; role: Role } | null;
  /** A change no one person made: 'volunteers' when their agreement made it. */
  actor_group?: 'volunteers' | null;
  action: string;
  field: string | null;
  from: string | null;
  to: string | null;
  /** Names where from/to is a team's, person's or deployment's id. */
  from_name?: string | null;
  to_name?: string | null;
  /** The note's words on a 'note' entry. */
  note?: string | null;
  created_at: string;
}

export interface StaffProperties extends ReportProperties {
  contact: string | null;
  priority: number;
  assigned_team_id: number | null;
  assigned_user_id: number | null;
  duplicate_of: number | null;
  deployment_id: number | null;
  allowed_transitions: Status[];
  /** The public text when a coordinator redacted it ('' for none); null: the reporter's words. */
  public_description?: string | null;
  /** The public said a fix did not hold: first in the queue until the status changes. */
  needs_attention?: boolean;
  /** Only in the answer to GET /api/v1/staff/reports/{id}. */
  notes?: Note[];
  history?: HistoryEntry[];
}

export interface StaffFeature extends Omit<ReportFeature, 'properties'> {
  properties: StaffProperties;
}

export interface StaffCollection {
  type: 'FeatureCollection';
  features: StaffFeature[];
}

export interface Team {
  id: number;
  name: string;
}

export interface StaffUser {
  id: number;
  name: string;
  role: Role;
  team_id: number | null;
}

export interface AdminUser extends StaffUser {
  email: string;
  disabled: boolean;
  created_at: string;
}

export interface ReportChanges {
  status?: Status;
  assigned_team_id?: number | null;
  assigned_user_id?: number | null;
  duplicate_of?: number | null;
  severity?: number;
  category?: string;
  note?: string;
  /** Written for the public: the report page shows it while the report is resolved. */
  resolution_note?: string | null;
}

export interface BulkResult {
  id: number;
  status: number;
  detail?: string;
}

export interface Deployment {
  id: number;
  name: string;
  team_id: number | null;
  status: string;
  report_count?: number;
  open_count?: number;
  assigned?: number;
  area: Polygon;
  created_at?: string;
}

export interface HotspotCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id?: number | string;
    geometry: Polygon;
    properties: { count: number; weight: number; max_severity: number };
  }[];
}

export interface Overview {
  by_category: { category: string; status: Status; count: number }[];
  per_day: { day: string; created: number; resolved: number }[];
  median_hours_to_resolve: number | null;
}

export interface QueueQuery {
  status?: string;
  category?: string;
  kind?: string;
  bbox?: string;
  sort?: 'priority';
  limit?: number;
  offset?: number;
}

/** Raised when the session is gone; the app shows its login form again. */
export class SessionExpired extends Error {
  constructor() {
    super('session expired');
    this.name = 'SessionExpired';
  }
}

async function problemOf(res: Response): Promise<Problem | null> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return null;
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class StaffApi {
  private csrf = '';
  /** Called once per request that found the session gone (401 on anything but login). */
  onExpired: () => void = () => {};

  setSession(session: Session | null): void {
    this.csrf = session?.csrf_token ?? '';
  }

  private async send<T>(method: string, url: string, body?: unknown): Promise<T> {
    // Problem details in the page's language (the server knows en, de, fr), which may differ
    // from the browser's when the person chose another.
    const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(lang ? { 'Accept-Language': lang } : {}),
    };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
    } catch {
      throw new NetworkError();
    }
    if (res.status === 401 && !url.endsWith('/auth/login') && !url.endsWith('/auth/me')) {
      this.onExpired();
      throw new SessionExpired();
    }
    if (!res.ok) {
      const err = new ApiError(res.status, await problemOf(res));
      (err as ApiError & { retryAfter?: number }).retryAfter = Number(res.headers.get('Retry-After')) || undefined;
      throw err;
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Any staff call, with the session's CSRF token, the page's language and its errors as above. */
  request = <T>(method: string, url: string, body?: unknown) => this.send<T>(method, url, body);

  // Session
  me = () => this.send<Session>('GET', '/api/v1/auth/me');
  login = (email: string, password: string) => this.send<Session>('POST', '/api/v1/auth/login', { email, password });
  logout = () => this.send<void>('POST', '/api/v1/auth/logout');

  // Reports
  queue = (q: QueueQuery) => this.send<StaffCollection>('GET', `/api/v1/staff/reports${query({ ...q })}`);
  report = (id: number) => this.send<StaffFeature>('GET', `/api/v1/staff/reports/${id}`);
  change = (id: number, changes: ReportChanges) => this.send<StaffFeature>('PATCH', `/api/v1/reports/${id}`, changes);
  bulk = (ids: number[], changes: Pick<ReportChanges, 'status' | 'assigned_team_id' | 'assigned_user_id'>) =>
    this.send<{ results: BulkResult[] }>('POST', '/api/v1/reports/bulk', { ids, changes });
  addNote = (id: number, body: string) => this.send<Note>('POST', `/api/v1/reports/${id}/notes`, { body });
  addPhotos = (id: number, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    return this.send<unknown>('POST', `/api/v1/reports/${id}/photos`, form);
  };
  myAssignments = () => this.send<StaffCollection>('GET', '/api/v1/my/assignments');

  // People
  teams = async () => (await this.send<{ teams: Team[] }>('GET', '/api/v1/teams')).teams;
  staffUsers = async () => (await this.send<{ users: StaffUser[] }>('GET', '/api/v1/staff/users')).users;
  users = async () => (await this.send<{ users: AdminUser[] }>('GET', '/api/v1/users')).users;
  addUser = (u: { email: string; name: string; role: Role; password: string; team_id?: number }) =>
    this.send<AdminUser>('POST', '/api/v1/users', u);
  changeUser = (
    id: number,
    changes: Partial<{ disabled: boolean; password: string; role: Role; team_id: number | null; name: string }>,
  ) => this.send<AdminUser>('PATCH', `/api/v1/users/${id}`, changes);
  addTeam = (name: string) => this.send<Team>('POST', '/api/v1/teams', { name });

  // Deployments and analysis
  hotspots = (bbox: string, distanceM: number, minReports: number) =>
    this.send<HotspotCollection>(
      'GET',
      `/api/v1/hotspots${query({ bbox, distance_m: distanceM, min_reports: minReports })}`,
    );
  deployments = async () => (await this.send<{ deployments: Deployment[] }>('GET', '/api/v1/deployments')).deployments;
  addDeployment = (d: { name: string; team_id: number; area: Polygon }) =>
    this.send<Deployment>('POST', '/api/v1/deployments', d);
  overview = (days: number) => this.send<Overview>('GET', `/api/v1/overview${query({ days })}`);
}

/**
 * A message for an error from the API: the server's own words, each field error as one
 * sentence ("Password must be at least 12 characters."), never the field list twice. The
 * dashboard names fields in its own words (dashboard/notices.ts problemText).
 */
export function errorText(err: unknown, fallback: string): string {
  if (err instanceof ApiError) {
    const fields = (err.problem?.errors ?? []).map((e) => {
      const name = e.field.replace(/_/g, ' ');
      const text = /^[a-zà-ÿ]/.test(e.detail) ? `${name} ${e.detail}` : `${name}: ${e.detail}`;
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
    });
    if (fields.length) return fields.join(' ');
    return err.problem?.detail ?? err.problem?.title ?? fallback;
  }
  return fallback;
}
