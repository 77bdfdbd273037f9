/**
 * Filters for the queue and the map: category, kind and status. A change is broadcast on the
 * hub; the map sets its tile URL and the queue reloads.
 */
import type { Status } from '../lib/api';
import { h } from '../lib/dom';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

const STATUSES: Status[] = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'];

export function createFilters(ctx: Ctx): HTMLElement {
  const cats = [...ctx.categories.values()];
  const category = h(
    'select',
    { id: 'filter-category', class: 'input input--compact' },
    h('option', { value: '' }, t.any),
    (['barrier', 'help'] as const).map((kind) =>
      h(
        'optgroup',
        { label: kind === 'barrier' ? t.barriers : t.helpRequests },
        cats.filter((c) => c.kind === kind).map((c) => h('option', { value: c.code }, labelOf(ctx, c.code))),
      ),
    ),
  );
  const kind = h(
    'select',
    { id: 'filter-kind', class: 'input input--compact' },
    h('option', { value: '' }, t.any),
    h('option', { value: 'barrier' }, t.barriers),
    h('option', { value: 'help' }, t.helpRequests),
  );
  const status = h(
    'select',
    { id: 'filter-status', class: 'input input--compact' },
    h('option', { value: '' }, t.openStatuses),
    h('option', { value: 'all' }, t.allStatuses),
    STATUSES.map((s) => h('option', { value: s }, t.status(s))),
  );
  category.value = ctx.filters.category;
  kind.value = ctx.filters.kind;
  status.value = ctx.filters.status;

  const form = h(
    'form',
    { class: 'filters', 'aria-label': t.filters },
    h(
      'div',
      { class: 'filters__field' },
      h('label', { class: 'label label--small', for: 'filter-category' }, t.category),
      category,
    ),
    h(
      'div',
      { class: 'filters__field' },
      h('label', { class: 'label label--small', for: 'filter-kind' }, t.kindLabel),
      kind,
    ),
    h(
      'div',
      { class: 'filters__field' },
      h('label', { class: 'label label--small', for: 'filter-status' }, t.statusLabel),
      status,
    ),
  );
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => {
    ctx.filters = { category: category.value, kind: kind.value, status: status.value };
    ctx.hub.emit('filters', ctx.filters);
  });
  return form;
}
