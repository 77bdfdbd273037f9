/**
 * A report's volunteer checks on its details: how many confirmed and flagged against the
 * agreement needed, and each check with the volunteer's name (staff only: the server answers
 * staff alone). Filled in when the answer comes; a failure leaves the section out.
 */
import { h } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { labelOf, type Ctx } from './state';
import { t } from './strings';
import { vs } from './volunteers-strings';

interface Checks {
  agreement: number;
  confirm: number;
  flag: number;
  recategorize: Record<string, number>;
  checks: {
    id: number;
    verdict: string;
    category: string | null;
    reason: string | null;
    note: string | null;
    volunteer: { name: string };
    created_at: string;
  }[];
}

export function volunteerChecksSection(ctx: Ctx, f: StaffFeature): HTMLElement | null {
  if (f.properties.kind !== 'barrier') return null;
  const s = vs();
  const section = h(
    'section',
    { class: 'detail__section', 'aria-labelledby': 'detail-volunteers', hidden: true },
    h('h3', { id: 'detail-volunteers' }, s.checksHeading),
  );
  void ctx.api
    .request<Checks>('GET', `/api/v1/staff/reports/${f.id}/volunteer-checks`)
    .then((c) => {
      if (!c.checks.length) {
        section.append(h('p', { class: 'hint' }, s.checksNone));
      } else {
        section.append(
          h('p', {}, s.checksSummary(c.confirm, c.flag, c.agreement)),
          h(
            'ul',
            { class: 'history' },
            c.checks.map((x) =>
              h(
                'li',
                {},
                h('strong', {}, x.volunteer.name),
                ' ',
                s.verdict[x.verdict] ?? x.verdict,
                x.category ? ` ${labelOf(ctx, x.category)}` : '',
                x.reason ? `: ${s.reason[x.reason] ?? x.reason}` : '',
                x.note ? [' ', h('q', {}, x.note)] : '',
                ' ',
                h('time', { class: 'history__time', datetime: x.created_at }, t.date(x.created_at)),
              ),
            ),
          ),
        );
      }
      section.hidden = false;
    })
    .catch(() => undefined);
  return section;
}
