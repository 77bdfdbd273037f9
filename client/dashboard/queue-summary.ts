/**
 * What the queue's heading says: which statuses it shows, and every other filter in words
 * ("team North; created 1 Mar 2026 to 31 Mar 2026; matching “ramp”"), so the count above the
 * list is never read without what it counts. And the list's answer with its true total.
 */
import type { Status } from '../lib/api';
import { language } from '../lib/i18n';
import type { QueueQuery, StaffCollection } from '../lib/staff-api';
import { labelOf, personName, teamName, type Ctx, type Filters } from './state';
import { t } from './strings';

/** The staff list's answer: a page, and how many reports the filters match in all. */
export type QueuePage = StaffCollection & { numberMatched?: number };

/** One page of the queue; the list takes the search and the queue's filters beyond QueueQuery's. */
export function fetchQueuePage(ctx: Ctx, params: QueueQuery & Record<string, string | number>): Promise<QueuePage> {
  return ctx.api.queue(params);
}

/** The statuses the queue shows, for "Showing 100 of 2,468 resolved reports". */
export function shownStatuses(f: Filters): Status | 'open' | 'all' {
  return f.status === '' ? 'open' : (f.status as Status | 'all');
}

/** A local day (YYYY-MM-DD) as the person's language writes a date. */
function day(value: string): string {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(y!, m! - 1, d);
  return Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(language(), { dateStyle: 'medium' }).format(date);
}

/** Every active filter but the statuses (said in the count), in words. */
export function filtersInWords(ctx: Ctx, f: Filters): string[] {
  const words: string[] = [];
  if (f.category) words.push(t.saysCategory(labelOf(ctx, f.category)));
  if (f.kind === 'barrier' || f.kind === 'help') words.push(t.saysKind(f.kind));
  if (f.team) words.push(f.team === 'none' ? t.saysNoTeam : t.saysTeam(teamName(ctx, Number(f.team)) ?? f.team));
  if (f.assignee) {
    words.push(
      f.assignee === 'none' ? t.saysNobody : t.saysAssignee(personName(ctx, Number(f.assignee)) ?? f.assignee),
    );
  }
  if (f.channel) words.push(t.saysChannel(t.source(f.channel)));
  if (f.from || f.to) words.push(t.saysCreated(f.from ? day(f.from) : null, f.to ? day(f.to) : null));
  if (f.area) words.push(t.saysArea);
  if (f.q?.trim()) words.push(t.saysSearch(f.q.trim()));
  return words;
}
