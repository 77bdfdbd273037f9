/**
 * What every part of the dashboard shares: the session, the taxonomy, teams and people, the
 * filters, and a small event hub so the queue, map and detail panel stay in step without
 * knowing each other.
 */
import type { AppConfig, Category } from '../lib/api';
import { categoryLabel } from '../lib/categories';
import type { Session, StaffApi, StaffFeature, StaffUser, Team } from '../lib/staff-api';

export const OPEN_STATUSES = ['new', 'verified', 'assigned', 'in_progress'] as const;
/** The channels a report comes through (`source`; server/features/reports/reports.repo.ts). */
export const CHANNELS = ['web', 'open311', 'sms', 'telegram', 'import', 'staff'] as const;

export interface Filters {
  category: string;
  kind: string;
  /** '' = the open statuses; 'all' = every status; otherwise one status. */
  status: string;
  // The queue's own (the map shows category, kind and status); '' or absent = no filter.
  /** Search: a report number (3001, #3001) or words. */
  q?: string;
  /** A team's id, or 'none'. */
  team?: string;
  /** A person's id, or 'none'. */
  assignee?: string;
  /** The channel the report came through (`source`: web, sms, …). */
  channel?: string;
  /** Created from / until these local days (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
  /** A map view chosen with "Only this map view": minLon,minLat,maxLon,maxLat. */
  area?: string;
}

interface Events {
  /** A report changed (here, by someone else, or it is new). */
  report: { feature: StaffFeature; created: boolean };
  filters: Filters;
  /** Open a report's detail panel. */
  open: { id: number; from?: HTMLElement | null };
  /** Something the map should show: a report's position or an area. */
  focusReport: StaffFeature;
}

type Handler<T> = (value: T) => void;

export class Hub {
  private handlers = new Map<keyof Events, Set<Handler<never>>>();

  on<K extends keyof Events>(name: K, fn: Handler<Events[K]>): void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(fn);
    this.handlers.set(name, set);
  }

  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    for (const fn of this.handlers.get(name) ?? []) (fn as Handler<Events[K]>)(value);
  }
}

export interface Ctx {
  api: StaffApi;
  session: Session;
  config: AppConfig;
  categories: Map<string, Category>;
  teams: Team[];
  people: StaffUser[];
  filters: Filters;
  hub: Hub;
  /** The map's current view as minLon,minLat,maxLon,maxLat (map.ts sets it once the map exists). */
  mapBbox?: () => string;
}

export function isAdmin(ctx: Ctx): boolean {
  return ctx.session.user.role === 'admin';
}

export function labelOf(ctx: Ctx, code: string): string {
  return categoryLabel(ctx.categories.get(code), code);
}

export function teamName(ctx: Ctx, id: number | null): string | null {
  if (id === null || id === undefined) return null;
  return ctx.teams.find((tm) => tm.id === id)?.name ?? `#${id}`;
}

export function personName(ctx: Ctx, id: number | null): string | null {
  if (id === null || id === undefined) return null;
  return ctx.people.find((p) => p.id === id)?.name || `#${id}`;
}

/** The filters as query parameters of the tile and list URLs. */
export function filterParams(f: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.category) q.category = f.category;
  if (f.kind) q.kind = f.kind;
  if (f.status === '') q.status = OPEN_STATUSES.join(',');
  else if (f.status !== 'all') q.status = f.status;
  return q;
}

/** A local day (YYYY-MM-DD) as the instant it starts, for the list's created_from/created_before. */
export function startOfLocalDay(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The filters and the search as query parameters of the staff list. */
export function queueParams(f: Filters): Record<string, string> {
  const q = filterParams(f);
  if (f.q?.trim()) q.q = f.q.trim();
  if (f.team) q.team_id = f.team;
  if (f.assignee) q.assigned_user_id = f.assignee;
  if (f.channel) q.source = f.channel;
  const from = f.from ? startOfLocalDay(f.from) : undefined;
  const before = f.to ? startOfLocalDay(f.to, 1) : undefined;
  if (from) q.created_from = from;
  if (before) q.created_before = before;
  if (f.area) q.bbox = f.area;
  return q;
}

/** The report number a search asks for (3001 or #3001), if it is one. */
export function searchedNumber(f: Filters): number | null {
  const m = /^#?(\d{1,15})$/.exec(f.q?.trim() ?? '');
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}

const idMatches = (want: string | undefined, id: number | null) =>
  !want || (want === 'none' ? id === null : id === Number(want));

/** Whether the filters other than the search hold a report, as the server decides it. */
export function inFilters(f: Filters, feature: StaffFeature): boolean {
  const p = feature.properties;
  if (f.category && p.category !== f.category) return false;
  if (f.kind && p.kind !== f.kind) return false;
  if (!idMatches(f.team, p.assigned_team_id) || !idMatches(f.assignee, p.assigned_user_id)) return false;
  if (f.channel && p.source !== f.channel) return false;
  const created = Date.parse(p.created_at);
  const from = f.from ? startOfLocalDay(f.from) : undefined;
  const before = f.to ? startOfLocalDay(f.to, 1) : undefined;
  if ((from && created < Date.parse(from)) || (before && created >= Date.parse(before))) return false;
  if (f.area) {
    const [w, s, e, n] = f.area.split(',').map(Number) as [number, number, number, number];
    const [lon, lat] = feature.geometry.coordinates;
    if (lat < s || lat > n || (w <= e ? lon < w || lon > e : lon < w && lon > e)) return false;
  }
  if (f.status === '') return (OPEN_STATUSES as readonly string[]).includes(p.status);
  if (f.status !== 'all') return p.status === f.status;
  return true;
}

/** Whether a report belongs in the queue under the current filters. */
export function matchesFilters(f: Filters, feature: StaffFeature): boolean {
  // A search is answered by the server; a live report waits for the next load.
  return !f.q?.trim() && inFilters(f, feature);
}
