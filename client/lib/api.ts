/**
 * The citizen app's view of the Wegfrei HTTP API (DESIGN.md "Contracts"). Everything on the
 * wire is snake_case GeoJSON; these types mirror it as is so nothing gets renamed in transit.
 * Every request names the page's language, so the server's problem details come back in it.
 */
import { language } from './i18n';

export type Kind = 'barrier' | 'help';
export type Severity = 1 | 2 | 3;
export type Passability = 'yes' | 'limited' | 'no';
export type Status = 'new' | 'verified' | 'assigned' | 'in_progress' | 'resolved' | 'rejected' | 'duplicate';
export type ConfirmationType = 'still_there' | 'gone';
/**
 * Publication beside the workflow: a pending report's words, people count and photos are
 * withheld from the public (null / empty) until a coordinator publishes them.
 */
export type Review = 'pending' | 'published';

export interface AppConfig {
  tile_url: string;
  tile_attribution: string;
  help_grid_m: number;
}

export interface Category {
  code: string;
  kind: Kind;
  icon: string;
  labels: Record<string, string>;
  descriptions: Record<string, string>;
}

export interface Photo {
  url: string;
  thumbnail_url: string;
  width: number;
  height: number;
  /** 'resolution': staff's photo of the fix ("after"); 'report' otherwise ("before"). */
  stage?: 'report' | 'resolution';
}

export interface Confirmations {
  still_there: number;
  gone: number;
}

export interface ReportProperties {
  category: string;
  kind: Kind;
  status: Status;
  severity: Severity;
  passability: Passability | null;
  people_count: number | null;
  description: string | null;
  address: string | null;
  accuracy_m: number | null;
  confirmations: Confirmations;
  photos: Photo[];
  created_at: string;
  updated_at: string;
  url: string;
  review: Review;
  /** The channel it came through: web, open311, sms, telegram, import or staff. */
  source: string;
  /** Only in answers to /reports/nearby. */
  distance_m?: number;
  /** The report's own answer: "Affects me too" devices, and the note for the public while resolved. */
  endorsements?: number;
  resolution_note?: string | null;
  duplicate_of?: number | null;
}

export type TimelineStepName =
  'reported' | 'published' | 'verified' | 'assigned' | 'in_progress' | 'resolved' | 'reopened' | 'duplicate' | 'merged';

/** GET /api/v1/reports/{id}/timeline: the report's public story, oldest first. */
export interface Timeline {
  report_id: number;
  kind: Kind;
  status: Status;
  duplicate_of: number | null;
  endorsements: number;
  steps: {
    step: TimelineStepName;
    at: string;
    team?: string | null;
    by_public?: boolean;
    /** The volunteers' agreement made the step (verified). */
    by_volunteers?: boolean;
    note?: string | null;
  }[];
}

export type FixAnswer = 'fixed' | 'not_fixed';

export interface ReportFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: ReportProperties;
}

export interface ReportCollection {
  type: 'FeatureCollection';
  features: ReportFeature[];
  links?: { rel: string; href: string }[];
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: { field: string; detail: string }[];
}

/** The server answered, but not with success. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (offline, dropped connection, server down). */
export class NetworkError extends Error {
  constructor() {
    super('network');
    this.name = 'NetworkError';
  }
}

export interface ReportDraft {
  kind: Kind;
  category: string;
  lat: number;
  lon: number;
  accuracy_m?: number;
  description?: string;
  severity: Severity;
  passability?: Passability;
  people_count?: number;
  address?: string;
  contact?: string;
}

async function parseProblem(res: Response): Promise<Problem | null> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return null;
  }
}

async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { Accept: 'application/json', 'Accept-Language': language(), ...init?.headers },
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError();
  }
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
  return (await res.json()) as T;
}

export interface ClusterFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { cluster: true; count: number; count_barrier: number; count_help: number; max_severity: Severity };
}

export interface ClusterCollection {
  type: 'FeatureCollection';
  features: ClusterFeature[];
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export const api = {
  config: () => requestJson<AppConfig>('/api/v1/config'),
  categories: async () => (await requestJson<{ categories: Category[] }>('/api/v1/categories')).categories,
  reports: (bbox: BBox, limit: number, signal?: AbortSignal) => {
    const q = new URLSearchParams({ bbox: bbox.map((n) => n.toFixed(6)).join(','), limit: String(limit) });
    return requestJson<ReportCollection>(`/api/v1/reports?${q.toString()}`, { signal });
  },
  report: (id: number) => requestJson<ReportFeature>(`/api/v1/reports/${id}`),
  /** Server-side clusters of the view: how zoomed-out maps show a million reports. */
  clusters: (bbox: BBox, zoom: number, signal?: AbortSignal) => {
    const q = new URLSearchParams({ bbox: bbox.map((n) => n.toFixed(6)).join(','), zoom: String(zoom) });
    return requestJson<ClusterCollection>(`/api/v1/clusters?${q.toString()}`, { signal });
  },
  nearby: (lat: number, lon: number, category: string, radiusM: number, signal?: AbortSignal) => {
    const q = new URLSearchParams({
      lat: lat.toFixed(7),
      lon: lon.toFixed(7),
      radius_m: String(radiusM),
      category,
    });
    return requestJson<ReportCollection>(`/api/v1/reports/nearby?${q.toString()}`, { signal });
  },
  /** `device`: the phone's token (citizen/device-token.ts), so its answer counts once per report. */
  confirm: (id: number, type: ConfirmationType, device: string) =>
    requestJson<{ report_id: number; confirmations: Confirmations; counted: boolean }>(
      `/api/v1/reports/${id}/confirmations`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type, device }),
      },
    ),
  timeline: (id: number) => requestJson<Timeline>(`/api/v1/reports/${id}/timeline`),
  /** "Is it really fixed?"; a photo goes only with not_fixed (it waits for staff review). */
  checkFix: (id: number, answer: FixAnswer, device: string, photo?: Blob) => {
    const form = new FormData();
    form.append('answer', answer);
    form.append('device', device);
    if (photo) form.append('photos', photo, 'photo.jpg');
    return requestJson<{
      report_id: number;
      fix_checks: { fixed: number; not_fixed: number };
      counted: boolean;
      reopened: boolean;
      /** A stored "No" that did not reopen: the fix is too old (a new report is the way), or the address's share is used. */
      not_reopened?: 'resolution_too_old' | 'too_many_from_address';
    }>(`/api/v1/reports/${id}/fix-checks`, { method: 'POST', body: form });
  },
  endorse: (id: number, device: string) =>
    requestJson<{ report_id: number; endorsements: number; counted: boolean }>(`/api/v1/reports/${id}/endorsements`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ device }),
    }),
};

/**
 * Sends a report. XMLHttpRequest rather than fetch because only XHR reports real upload
 * progress, and photos on a slow mobile connection can take a minute. The same
 * idempotency key must be passed on every retry so the server never stores a report twice.
 */
export function sendReport(
  draft: ReportDraft,
  photos: readonly File[],
  idempotencyKey: string,
  onProgress: (fraction: number) => void,
): Promise<ReportFeature> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/reports');
    xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', language());
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new NetworkError());
    xhr.ontimeout = () => reject(new NetworkError());
    xhr.onabort = () => reject(new NetworkError());
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        onProgress(1);
        resolve(body as ReportFeature);
      } else if (xhr.status === 0) {
        reject(new NetworkError());
      } else {
        reject(new ApiError(xhr.status, (body as Problem | null) ?? null));
      }
    };

    if (photos.length === 0) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify(draft));
      return;
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(draft)) {
      if (value !== undefined && value !== null && value !== '') form.append(name, String(value));
    }
    for (const photo of photos) form.append('photos', photo, photo.name);
    xhr.send(form);
  });
}
