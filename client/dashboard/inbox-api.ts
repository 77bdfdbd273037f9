/**
 * The inbox endpoints (server/features/inbound/inbox.routes.ts): messages from SMS and
 * messenger gateways that did not say where or what, for coordinators and admins. A message's
 * sender is contact data: it travels in answers only, never in a URL this page builds.
 */
import { ApiError } from '../lib/api';
import type { Ctx } from './state';

export interface InboxPhoto {
  url: string;
  thumbnail_url: string;
  width: number;
  height: number;
}

export type MessageState = 'inbox' | 'filed' | 'spam' | 'not_report';

export interface InboxMessage {
  id: number;
  /** 'sms' or 'telegram' (more gateways may come). */
  channel: string;
  gateway: string;
  sender: string;
  body: string;
  place: { lat: number; lon: number } | null;
  category: string | null;
  urgent: boolean;
  language: string | null;
  state: MessageState;
  report_id: number | null;
  report_url: string | null;
  received_at: string;
  handled_at: string | null;
  photos: InboxPhoto[];
}

export interface InboxPage {
  messages: InboxMessage[];
  waiting: number;
  urgent: number;
  next_cursor: string | null;
}

export type Filing =
  | { message_ids: number[]; lat: number; lon: number; category: string; severity: number; description?: string }
  | { message_ids: number[]; report_id: number };

/** Staff calls go through the one staff client (client/lib/staff-api.ts). */
const send = <T>(ctx: Ctx, method: string, url: string, body?: unknown) => ctx.api.request<T>(method, url, body);

export const inboxApi = {
  list: (ctx: Ctx, q: { limit: number; cursor?: string }) =>
    send<InboxPage>(
      ctx,
      'GET',
      `/api/v1/staff/inbox?${new URLSearchParams({
        limit: String(q.limit),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      }).toString()}`,
    ),
  message: (ctx: Ctx, id: number) => send<InboxMessage>(ctx, 'GET', `/api/v1/staff/inbox/${id}`),
  setState: (ctx: Ctx, id: number, state: 'spam' | 'not_report' | 'inbox') =>
    send<InboxMessage>(ctx, 'PATCH', `/api/v1/staff/inbox/${id}`, { state }),
  file: (ctx: Ctx, filing: Filing) =>
    send<{ report_id: number; report_url: string }>(ctx, 'POST', '/api/v1/staff/inbox/file', filing),
};

/** The problem's errors by the field they name (message_ids, lat, lon, category, …). */
export function fieldErrors(err: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(err instanceof ApiError) || !err.problem?.errors) return out;
  for (const e of err.problem.errors) {
    const field = e.field.replace(/\[\d+\]$|\.\d+$/, '');
    out.set(field, out.has(field) ? `${out.get(field)}; ${e.detail}` : e.detail);
  }
  return out;
}
