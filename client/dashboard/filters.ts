/**
 * The search and the filters of the queue and the map: category, kind and status for both;
 * team, person, channel, creation dates and "only this map view" (behind "More filters") and
 * the search for the queue (the map's tiles do not carry a report's channel). They live in the URL's hash (queue-url.ts): read at the start, written on each
 * change (a search being typed replaces the entry instead of adding one), read again on
 * back/forward. A change is broadcast on the hub; the map sets its tile URL and the queue reloads.
 */
import type { Status } from '../lib/api';
import { h, replaceChildren } from '../lib/dom';
import { filtersFromHash, sameFilters, saveFilters } from './queue-url';
import { createNumberOffer } from './search-number';
import { CHANNELS, labelOf, type Ctx, type Filters } from './state';
import { t } from './strings';

const STATUSES: Status[] = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'];
/** Typing pauses this long before the queue asks the server. */
const TYPING_MS = 350;

const field = (id: string, label: string, control: HTMLElement, extra?: HTMLElement | null) =>
  h(
    'div',
    { class: 'filters__field' },
    h('label', { class: 'label label--small', for: id }, label),
    control,
    extra ?? null,
  );

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
  const team = h(
    'select',
    { id: 'filter-team', class: 'input input--compact' },
    h('option', { value: '' }, t.anyTeam),
    h('option', { value: 'none' }, t.noTeamAssigned),
    ctx.teams.map((tm) => h('option', { value: String(tm.id) }, tm.name)),
  );
  const assignee = h(
    'select',
    { id: 'filter-assignee', class: 'input input--compact' },
    h('option', { value: '' }, t.anyone),
    h('option', { value: 'none' }, t.nobodyInParticular),
    ctx.people.map((p) => h('option', { value: String(p.id) }, p.name || `#${p.id}`)),
  );
  const channel = h(
    'select',
    { id: 'filter-channel', class: 'input input--compact' },
    h('option', { value: '' }, t.any),
    CHANNELS.map((c) => h('option', { value: c }, t.source(c))),
  );
  const from = h('input', { id: 'filter-from', type: 'date', class: 'input input--compact' });
  const to = h('input', { id: 'filter-to', type: 'date', class: 'input input--compact' });
  const datesError = h('p', { id: 'filter-dates-error', class: 'field-error filters__error', hidden: true });
  const area = h('button', { type: 'button', class: 'button button--small', 'aria-pressed': 'false' });
  const areaUpdate = h('button', { type: 'button', class: 'button button--small', hidden: true }, t.mapAreaUpdate);
  const clear = h('button', { type: 'button', class: 'button button--small filters__clear' }, t.clearFilters);
  const moreSummary = h('summary', { class: 'filters__summary' });
  const more = h(
    'details',
    { class: 'filters__more' },
    moreSummary,
    h(
      'div',
      { class: 'filters__row' },
      field('filter-team', t.teamFilter, team),
      field('filter-assignee', t.assigneeFilter, assignee),
      field('filter-channel', t.channelFilter, channel),
      field('filter-from', t.createdFrom, from),
      field('filter-to', t.createdTo, to),
    ),
    datesError,
    h('div', { class: 'filters__row filters__row--buttons' }, area, areaUpdate),
  );

  const offer = createNumberOffer(ctx);
  const search = h('input', {
    id: 'queue-search',
    type: 'search',
    class: 'input input--compact filters__search-input',
    maxlength: 200,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'queue-search-hint',
  });
  const searchForm = h(
    'form',
    { class: 'filters__search', role: 'search', 'aria-label': t.searchLabel },
    h('label', { class: 'label label--small', for: 'queue-search' }, t.searchLabel),
    h(
      'div',
      { class: 'filters__search-row' },
      search,
      h('button', { type: 'submit', class: 'button button--small' }, t.searchButton),
    ),
    h('p', { id: 'queue-search-hint', class: 'hint filters__hint' }, t.searchHint),
    offer.el,
  );

  const form = h(
    'form',
    { class: 'filters', 'aria-label': t.filters },
    h(
      'div',
      { class: 'filters__row' },
      field('filter-category', t.category, category),
      field('filter-kind', t.kindLabel, kind),
      field('filter-status', t.statusLabel, status),
    ),
    more,
    clear,
  );

  function show(f: Filters): void {
    category.value = f.category;
    kind.value = f.kind;
    status.value = f.status;
    team.value = f.team ?? '';
    assignee.value = f.assignee ?? '';
    channel.value = f.channel ?? '';
    from.value = f.from ?? '';
    to.value = f.to ?? '';
    if (document.activeElement !== search) search.value = f.q ?? '';
    to.min = from.value;
    from.max = to.value;
    datesError.hidden = true;
    from.removeAttribute('aria-invalid');
    to.removeAttribute('aria-invalid');
    const on = [f.team, f.assignee, f.channel, f.from, f.to, f.area].filter(Boolean).length;
    moreSummary.textContent = t.moreFilters(on);
    area.setAttribute('aria-pressed', String(Boolean(f.area)));
    area.textContent = f.area ? t.mapAreaOn : t.mapAreaButton;
    areaUpdate.hidden = !f.area;
    clear.hidden = sameFilters(f, { category: '', kind: '', status: '' });
    if (on) more.open = true;
    offer.update(f);
  }

  /** Makes `next` the filters: the hub, the URL (a new entry, or while typing the same one). */
  function apply(next: Filters, push = true): void {
    if (sameFilters(next, ctx.filters)) return;
    ctx.filters = next;
    saveFilters(next, push);
    show(next);
    ctx.hub.emit('filters', next);
  }

  const fromControls = (): Filters => ({
    ...ctx.filters,
    category: category.value,
    kind: kind.value,
    status: status.value,
    team: team.value,
    assignee: assignee.value,
    channel: channel.value,
    from: from.value,
    to: to.value,
  });

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (e) => {
    if (e.target === from || e.target === to) {
      if (from.value && to.value && to.value < from.value) {
        // Said where the dates are; the queue keeps the last range that made sense.
        datesError.textContent = t.datesReversed;
        datesError.hidden = false;
        (e.target as HTMLInputElement).setAttribute('aria-invalid', 'true');
        (e.target as HTMLInputElement).setAttribute('aria-describedby', 'filter-dates-error');
        return;
      }
    }
    apply(fromControls());
  });

  let typing = 0;
  let typed = false;
  search.addEventListener('input', () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => {
      // The first pause of a search is a new history entry; later ones refine it.
      apply({ ...ctx.filters, q: search.value.trim() }, !typed);
      typed = true;
    }, TYPING_MS);
  });
  search.addEventListener('blur', () => (typed = false));
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    window.clearTimeout(typing);
    apply({ ...ctx.filters, q: search.value.trim() }, !typed);
    typed = false;
  });

  area.addEventListener('click', () => {
    const bbox = ctx.mapBbox?.();
    apply({ ...ctx.filters, area: ctx.filters.area ? '' : (bbox ?? '') });
  });
  areaUpdate.addEventListener('click', () => {
    const bbox = ctx.mapBbox?.();
    if (bbox) apply({ ...ctx.filters, area: bbox });
  });
  clear.addEventListener('click', () => {
    apply({ category: '', kind: '', status: '' });
    search.value = '';
    search.focus();
  });

  // Back and forward: the URL says which filters that step had.
  window.addEventListener('popstate', () => {
    const next = filtersFromHash(location.hash);
    if (sameFilters(next, ctx.filters)) return;
    ctx.filters = next;
    search.value = next.q ?? '';
    show(next);
    ctx.hub.emit('filters', next);
  });

  // The URL's filters from the start (a reload, a shared link); the map follows on the hub.
  const initial = filtersFromHash(location.hash);
  ctx.filters = initial;
  show(initial);
  if (!sameFilters(initial, { category: '', kind: '', status: '' })) ctx.hub.emit('filters', initial);

  const wrap = h('div', { class: 'filters-panel' }, searchForm, form);
  // Teams and people can change in the admin view; keep the lists' names current on return.
  wrap.addEventListener('focusin', () => {
    if (team.options.length !== ctx.teams.length + 2) {
      replaceChildren(
        team,
        h('option', { value: '' }, t.anyTeam),
        h('option', { value: 'none' }, t.noTeamAssigned),
        ctx.teams.map((tm) => h('option', { value: String(tm.id) }, tm.name)),
      );
      team.value = ctx.filters.team ?? '';
    }
  });
  return wrap;
}
