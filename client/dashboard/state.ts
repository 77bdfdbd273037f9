/**
 * What every part of the dashboard shares: the session, the taxonomy, teams and people, the
 * filters, and a small event hub so the queue, map and detail panel stay in step without
 * knowing each other.
 */
import type { AppConfig, Category } from '../lib/api';
import { categoryLabel } from '../lib/categories';
import type { Session, StaffApi, StaffFeature, StaffUser, Team } from '../lib/staff-api';

export const OPEN_STATUSES = ['new', 'verified', 'assigned', 'in_progress'] as const;

export interface Filters {
  category: string;
  kind: string;
  /** '' = the open statuses; 'all' = every status; otherwise one status. */
  status: string;
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

/** Whether a report belongs in the queue under the current filters. */
export function matchesFilters(f: Filters, feature: StaffFeature): boolean {
  const p = feature.properties;
  if (f.category && p.category !== f.category) return false;
  if (f.kind && p.kind !== f.kind) return false;
  if (f.status === '') return (OPEN_STATUSES as readonly string[]).includes(p.status);
  if (f.status !== 'all') return p.status === f.status;
  return true;
}
