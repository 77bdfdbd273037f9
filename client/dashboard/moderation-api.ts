/**
 * The moderation endpoints (server/features/moderation/moderation.routes.ts), with the staff
 * session's cookie and CSRF token like every other staff change, and their errors in plain
 * words: a coordinator needs to know what happened and what to do, not the server's field names.
 */
import { ApiError, NetworkError } from '../lib/api';
import { SessionExpired, type StaffCollection, type StaffFeature } from '../lib/staff-api';
import { ms, type PhotoState } from './moderation-strings';
import type { Ctx } from './state';

export interface ModerationPhoto {
  url: string;
  thumbnail_url: string;
  width: number;
  height: number;
  state?: PhotoState;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PublicationChange {
  review?: 'pending' | 'published';
  hidden?: boolean;
  description?: string | null;
}

export type ModerationQueue = StaffCollection & { total: number };

/** Staff calls go through the one staff client (client/lib/staff-api.ts). */
const send = <T>(ctx: Ctx, method: string, url: string, body?: unknown) => ctx.api.request<T>(method, url, body);

export const moderationApi = {
  queue: (ctx: Ctx, q: { kind?: string; limit: number; offset: number }) =>
    send<ModerationQueue>(
      ctx,
      'GET',
      `/api/v1/staff/moderation?${new URLSearchParams({
        ...(q.kind ? { kind: q.kind } : {}),
        limit: String(q.limit),
        offset: String(q.offset),
      }).toString()}`,
    ),
  report: (ctx: Ctx, id: number) => send<StaffFeature>(ctx, 'GET', `/api/v1/staff/reports/${id}`),
  publication: (ctx: Ctx, id: number, change: PublicationChange) =>
    send<void>(ctx, 'PATCH', `/api/v1/staff/reports/${id}/publication`, change),
  photoState: (ctx: Ctx, id: number, position: number, state: 'published' | 'hidden') =>
    send<void>(ctx, 'PATCH', `/api/v1/staff/reports/${id}/photos/${position}`, { state }),
  redact: (ctx: Ctx, id: number, position: number, regions: Region[]) =>
    send<void>(ctx, 'POST', `/api/v1/staff/reports/${id}/photos/${position}/redactions`, { regions }),
};

/** What went wrong, in words for the person who acted. */
export function moderationError(err: unknown): string {
  const m = ms().errors;
  if (err instanceof NetworkError) return m.network;
  if (err instanceof SessionExpired) return '';
  if (!(err instanceof ApiError)) return m.server;
  if (err.status === 403) return m.forbidden;
  if (err.status === 404) return m.notFound;
  if (err.status === 409) return m.conflict;
  if (err.status === 400 || err.status === 422) {
    if (err.problem?.errors?.some((e) => e.field === 'description' && /4000/.test(e.detail))) return m.tooLong;
    const detail = err.problem?.errors?.map((e) => e.detail).join('; ') || err.problem?.detail || '';
    return m.invalid(detail);
  }
  return m.server;
}

/** The photos of a staff feature, with their moderation state. */
export function photosOf(f: StaffFeature): ModerationPhoto[] {
  return f.properties.photos ?? [];
}
