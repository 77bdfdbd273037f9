/**
 * The triage queue: open reports, most urgent first (the server's priority score), as a table
 * whose rows take focus one at a time (roving tabindex). Keys are handled in queue-keys.ts;
 * live changes arrive through the hub and update rows in place.
 */
import { announce } from '../lib/announce';
import { h, replaceChildren } from '../lib/dom';
import { formatNumber } from '../lib/i18n';
import { errorText, type StaffFeature } from '../lib/staff-api';
import { bulkChange } from './actions';
import { fetchQueuePage, filtersInWords, shownStatuses } from './queue-summary';
import { fillRow } from './queue-row';
import { matchesFilters, queueParams, type Ctx } from './state';
import { t } from './strings';

const PAGE = 100;

export interface Queue {
  el: HTMLElement;
  load(keepFocus?: boolean): Promise<StaffFeature[]>;
  current(): StaffFeature | null;
  move(delta: number): void;
  focusCurrent(): void;
  focusRow(id: number): void;
  toggleSelected(id?: number): void;
  selectedIds(): number[];
  clearSelection(): void;
  assignTeamId(): number | null;
  bulk(action: 'verify' | 'reject' | 'assign'): Promise<void>;
}

export function createQueue(ctx: Ctx, onOpen: (id: number, from: HTMLElement) => void): Queue {
  const features: StaffFeature[] = [];
  const rows = new Map<number, HTMLTableRowElement>();
  const selected = new Set<number>();
  let currentId: number | null = null;
  let offset = 0;
  /** Every report the filters match (the server's numberMatched), not only those loaded. */
  let total = 0;
  /** Answers to older requests are dropped: the filters moved on. */
  let requested = 0;

  const count = h('p', { class: 'queue__count', id: 'queue-count', 'aria-live': 'polite' });
  const said = h('p', { class: 'queue__filters', id: 'queue-filters' });
  const tbody = h('tbody');
  const message = h('p', { class: 'queue__message', role: 'status' });
  const more = h('button', { type: 'button', class: 'button button--small', hidden: true }, t.loadMore);
  const teamSelect = h('select', { id: 'assign-team', class: 'input input--compact' });
  const selectAll = h('input', { type: 'checkbox', 'aria-label': t.selectAll });
  const bulkInfo = h('span', { class: 'bulk__info', 'aria-live': 'polite' });
  const bulkButtons = [
    h('button', { type: 'button', class: 'button button--small', 'data-bulk': 'verify' }, t.bulkVerify),
    h('button', { type: 'button', class: 'button button--small', 'data-bulk': 'reject' }, t.bulkReject),
    h('button', { type: 'button', class: 'button button--small', 'data-bulk': 'assign' }, t.bulkAssign),
  ];
  const bulkBar = h('div', { class: 'bulk', hidden: true }, bulkInfo, ...bulkButtons);
  const table = h(
    'table',
    { class: 'queue__table', id: 'queue-table' },
    h('caption', { class: 'visually-hidden' }, t.queueHeading),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'col-select' }, h('label', { class: 'queue__check' }, selectAll)),
        h('th', { scope: 'col', class: 'col-report' }, t.colReport),
        h('th', { scope: 'col', class: 'num col-priority' }, t.colPriority),
        h('th', { scope: 'col', class: 'col-severity' }, t.colSeverity),
        h('th', { scope: 'col', class: 'col-status' }, t.colStatus),
      ),
    ),
    tbody,
  );

  function fillTeams(): void {
    const keep = teamSelect.value;
    replaceChildren(
      teamSelect,
      h('option', { value: '' }, t.noTeam),
      ctx.teams.map((tm) => h('option', { value: String(tm.id) }, tm.name)),
    );
    teamSelect.value = keep;
  }
  fillTeams();

  function renderRow(tr: HTMLTableRowElement, f: StaffFeature): void {
    fillRow(ctx, tr, f, selected.has(f.id), {
      toggle: () => toggleSelected(f.id),
      open: () => {
        currentId = f.id;
        onOpen(f.id, tr);
      },
    });
  }

  function updateTabStops(): void {
    if (currentId === null || !rows.has(currentId)) currentId = features[0]?.id ?? null;
    for (const [id, tr] of rows) tr.tabIndex = id === currentId ? 0 : -1;
  }

  function makeRow(f: StaffFeature): HTMLTableRowElement {
    const tr = h('tr', { tabindex: -1 });
    tr.addEventListener('focus', () => {
      currentId = f.id;
      updateTabStops();
    });
    tr.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('a, input, button, label')) return;
      tr.focus();
    });
    renderRow(tr, f);
    rows.set(f.id, tr);
    return tr;
  }

  function updateCount(): void {
    const which = shownStatuses(ctx.filters);
    count.textContent =
      total === 0
        ? t.queueNoneFound(which)
        : t.queueShowing(formatNumber(features.length), formatNumber(total), total, which);
    const words = filtersInWords(ctx, ctx.filters);
    said.textContent = words.length ? t.filteredBy(words) : '';
    said.hidden = words.length === 0;
    message.textContent = features.length === 0 ? t.queueEmpty : '';
    const left = Math.max(0, total - features.length);
    more.hidden = left === 0;
    more.textContent = t.loadMoreOf(Math.min(PAGE, left), formatNumber(left));
  }

  function updateBulk(): void {
    bulkBar.hidden = selected.size === 0;
    bulkInfo.textContent = t.selected(selected.size);
    selectAll.checked = selected.size > 0 && selected.size === features.length;
    selectAll.indeterminate = selected.size > 0 && selected.size < features.length;
  }

  function toggleSelected(id = currentId ?? -1): void {
    const f = features.find((x) => x.id === id);
    if (!f) return;
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    const tr = rows.get(id);
    if (tr) renderRow(tr, f);
    updateBulk();
  }

  selectAll.addEventListener('change', () => {
    if (selectAll.checked) for (const f of features) selected.add(f.id);
    else selected.clear();
    for (const f of features) renderRow(rows.get(f.id)!, f);
    updateBulk();
  });

  async function load(keepFocus = false): Promise<StaffFeature[]> {
    const append = offset > 0;
    const hadFocus = keepFocus && tbody.contains(document.activeElement);
    const asked = ++requested;
    try {
      const page = await fetchQueuePage(ctx, { sort: 'priority', limit: PAGE, offset, ...queueParams(ctx.filters) });
      if (asked !== requested) return [];
      total = page.numberMatched ?? page.features.length;
      if (!append) {
        features.length = 0;
        rows.clear();
        tbody.replaceChildren();
        for (const id of [...selected]) if (!page.features.some((f) => f.id === id)) selected.delete(id);
      }
      for (const f of page.features) {
        if (rows.has(f.id)) continue;
        features.push(f);
        tbody.append(makeRow(f));
      }
      updateTabStops();
      updateCount();
      updateBulk();
      if (hadFocus) focusCurrent();
      return page.features;
    } catch (err) {
      if (asked !== requested) return [];
      message.textContent = errorText(err, t.queueFailed);
      return [];
    }
  }

  async function bulk(action: 'verify' | 'reject' | 'assign'): Promise<void> {
    const ids = [...selected];
    if (ids.length === 0) return;
    let changes: { status?: 'verified' | 'rejected'; assigned_team_id?: number };
    if (action === 'assign') {
      const team = teamSelect.value ? Number(teamSelect.value) : null;
      if (team === null) {
        announce(t.chooseTeamFirst, 'assertive');
        teamSelect.focus();
        return;
      }
      changes = { assigned_team_id: team };
    } else changes = { status: action === 'verify' ? 'verified' : 'rejected' };
    // The notice names the reports that changed and, for each that did not, why.
    if (!(await bulkChange(ctx, ids, changes))) return;
    selected.clear();
    offset = 0;
    await load(true);
  }
  for (const b of bulkButtons) b.addEventListener('click', () => void bulk(b.dataset.bulk as 'verify'));

  more.addEventListener('click', () => {
    offset += PAGE;
    void load();
  });

  // The search's "Open report #3001" (filters.ts) opens through here, as a row would.
  ctx.hub.on('open', ({ id, from }) => onOpen(id, from ?? more));

  ctx.hub.on('filters', () => {
    offset = 0;
    void load();
  });

  ctx.hub.on('report', ({ feature, created }) => {
    const i = features.findIndex((f) => f.id === feature.id);
    const old = features[i];
    if (
      old &&
      !Array.isArray(feature.properties.allowed_transitions) &&
      old.properties.status === feature.properties.status
    ) {
      // Live events do not say what may follow; unchanged status, unchanged answer.
      feature = {
        ...feature,
        properties: { ...feature.properties, allowed_transitions: old.properties.allowed_transitions },
      };
    }
    if (i >= 0) {
      features[i] = feature;
      renderRow(rows.get(feature.id)!, feature);
      return;
    }
    if (!created || !matchesFilters(ctx.filters, feature)) return;
    // Insert by priority, as the server sorts.
    let at = features.findIndex((f) => f.properties.priority < feature.properties.priority);
    if (at < 0) at = features.length;
    features.splice(at, 0, feature);
    total += 1;
    const tr = makeRow(feature);
    tr.classList.add('is-new');
    tbody.insertBefore(tr, tbody.children[at] ?? null);
    updateTabStops();
    updateCount();
  });

  function current(): StaffFeature | null {
    return features.find((f) => f.id === currentId) ?? null;
  }

  function focusRow(id: number): void {
    const tr = rows.get(id);
    if (!tr) return;
    currentId = id;
    updateTabStops();
    tr.focus();
    tr.scrollIntoView({ block: 'nearest' });
  }

  function focusCurrent(): void {
    updateTabStops();
    if (currentId !== null) focusRow(currentId);
  }

  function move(delta: number): void {
    if (features.length === 0) return;
    const i = features.findIndex((f) => f.id === currentId);
    const next = features[Math.max(0, Math.min(features.length - 1, (i < 0 ? 0 : i) + delta))];
    if (next) focusRow(next.id);
  }

  const el = h(
    'section',
    { class: 'queue', 'aria-labelledby': 'queue-heading' },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'queue-heading' }, t.queueHeading),
      h('span', { class: 'panel-head__spacer' }),
      h(
        'button',
        { type: 'button', class: 'button button--small', id: 'shortcuts-button', 'aria-keyshortcuts': '?' },
        t.shortcutsButton,
      ),
    ),
    count,
    said,
    h(
      'div',
      { class: 'queue__tools' },
      h('label', { for: 'assign-team', class: 'label label--inline' }, t.assignTeam),
      teamSelect,
    ),
    bulkBar,
    h('div', { class: 'queue__scroll' }, table, message, more),
  );

  return {
    el,
    load,
    current,
    move,
    focusCurrent,
    focusRow,
    toggleSelected,
    selectedIds: () => [...selected],
    clearSelection() {
      selected.clear();
      for (const f of features) renderRow(rows.get(f.id)!, f);
      updateBulk();
    },
    assignTeamId: () => (teamSelect.value ? Number(teamSelect.value) : null),
    bulk,
  };
}
