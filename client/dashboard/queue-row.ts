/** One row of the triage queue: select box, report (link, number, age, description), priority, severity, status. */
import { h, replaceChildren } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { labelOf, personName, teamName, type Ctx } from './state';
import { t } from './strings';

export function fillRow(
  ctx: Ctx,
  tr: HTMLTableRowElement,
  f: StaffFeature,
  selected: boolean,
  on: { toggle: () => void; open: () => void },
): void {
  const p = f.properties;
  const hadFocus = tr.contains(document.activeElement);
  const label = labelOf(ctx, p.category);
  // Out of the tab order: Tab moves between regions, the row itself is the stop (roving tabindex).
  const box = h('input', { type: 'checkbox', 'aria-label': t.selectRow(f.id), tabindex: -1 });
  box.checked = selected;
  box.addEventListener('change', on.toggle);
  const open = h('a', { href: `/dashboard/reports/${f.id}`, class: 'queue__open', tabindex: -1 }, label);
  open.addEventListener('click', (e) => {
    e.preventDefault();
    on.open();
  });
  const priority = Number.isFinite(p.priority) ? p.priority.toFixed(1) : '–';
  const assigned = [teamName(ctx, p.assigned_team_id), personName(ctx, p.assigned_user_id)].filter(Boolean);
  tr.className = `queue__row sev-${p.severity} kind-${p.kind}${selected ? ' is-selected' : ''}`;
  tr.dataset.id = String(f.id);
  tr.dataset.status = p.status;
  replaceChildren(
    tr,
    // The label around the box is its target: 24 px, 44 px on a phone (narrow.css).
    h('td', { class: 'col-select' }, h('label', { class: 'queue__check' }, box)),
    h(
      'td',
      { class: 'queue__report' },
      h('span', { class: 'queue__title' }, open, ' ', h('span', { class: 'queue__id' }, t.reportNo(f.id))),
      // Its own line: the title line is cut with an ellipsis in a narrow column.
      p.needs_attention ? h('span', { class: 'badge badge--attention queue__flag' }, t.attentionFlag) : null,
      h(
        'span',
        { class: 'queue__desc' },
        h('time', { datetime: p.created_at, title: t.date(p.created_at) }, t.ago(p.created_at)),
        p.description ? ` · ${p.description}` : '',
      ),
      // Shown instead of the priority and severity columns on a phone-wide screen
      // (narrow.css), so nothing is lost when they are hidden; display:none elsewhere.
      h(
        'span',
        { class: 'queue__narrow' },
        h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
        ` ${t.severity(p.kind, p.severity)} · ${t.colPriority} ${priority}`,
      ),
    ),
    h('td', { class: 'num col-priority' }, priority),
    h(
      'td',
      { class: 'queue__sev col-severity' },
      h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
      ` ${t.severity(p.kind, p.severity)}`,
    ),
    h(
      'td',
      {},
      h('span', { class: `badge badge--${p.status}` }, t.status(p.status)),
      assigned.length ? h('span', { class: 'queue__assigned' }, assigned.join(' · ')) : null,
    ),
  );
  if (hadFocus && !tr.contains(document.activeElement)) tr.focus();
}
