/**
 * The moderation view: reports whose words or photos wait for a person, in the server's order
 * (help requests first, most urgent first), as a table whose rows take focus one at a time like
 * the triage queue. Enter opens a report beside the list with its full text (editable, to
 * redact), its photos and the decisions (publication.ts). After a decision the next report opens.
 */
import { announce } from '../lib/announce';
import { h, replaceChildren } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { moderationApi, moderationError, photosOf } from './moderation-api';
import { ms } from './moderation-strings';
import { publicationControls, reviewOf } from './publication';
import { isTyping } from './queue-keys';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

const PAGE = 50;

export interface Moderation {
  el: HTMLElement;
  enter(): Promise<void>;
  refreshCount(): Promise<void>;
}

export function createModeration(ctx: Ctx, onCount: (total: number) => void): Moderation {
  const m = ms();
  const features: StaffFeature[] = [];
  const rows = new Map<number, HTMLTableRowElement>();
  let currentId: number | null = null;
  let openId: number | null = null;
  let limit = PAGE;
  let total = 0;

  const kind = h(
    'select',
    { id: 'moderation-kind', class: 'input input--compact' },
    h('option', { value: '' }, m.kindAll),
    h('option', { value: 'help' }, m.kindHelp),
    h('option', { value: 'barrier' }, m.kindBarrier),
  );
  const count = h('p', { class: 'moderation__count' });
  const listMessage = h('p', { class: 'moderation__message' });
  const listError = h('p', { class: 'form-error', role: 'alert' });
  const more = h('button', { type: 'button', class: 'button button--small', hidden: true }, m.loadMore);
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'queue__table moderation__table', id: 'moderation-table' },
    h('caption', { class: 'visually-hidden' }, m.listLabel),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'col-report' }, m.colReport),
        h('th', { scope: 'col', class: 'col-severity' }, m.colUrgency),
        h('th', { scope: 'col', class: 'col-waiting' }, m.colWaiting),
      ),
    ),
    tbody,
  );

  const itemHeading = h('h2', { id: 'moderation-item-heading', tabindex: -1 }, m.stateHeading);
  const itemStatus = h('p', { class: 'moderation__status', role: 'status' });
  const itemError = h('p', { class: 'form-error', role: 'alert' });
  const itemBody = h('div', { class: 'moderation__item-body' }, h('p', { class: 'hint' }, m.chooseReport));
  const item = h(
    'section',
    { class: 'moderation__item', 'aria-labelledby': 'moderation-item-heading' },
    itemHeading,
    itemStatus,
    itemError,
    itemBody,
  );

  function waiting(f: StaffFeature): string {
    const pendingPhotos = photosOf(f).filter((p) => p.state === 'pending').length;
    return m.waitingWhat(reviewOf(f) === 'pending' && Boolean(f.properties.description), pendingPhotos);
  }

  function makeRow(f: StaffFeature): HTMLTableRowElement {
    const p = f.properties;
    const tr = h(
      'tr',
      { tabindex: -1, class: `queue__row sev-${p.severity} kind-${p.kind}`, 'data-id': f.id },
      h(
        'td',
        { class: 'queue__report' },
        h(
          'span',
          { class: 'queue__title' },
          h('span', { class: 'queue__open' }, labelOf(ctx, p.category)),
          ' ',
          h('span', { class: 'queue__id' }, t.reportNo(f.id)),
        ),
        h(
          'span',
          { class: 'queue__desc' },
          `${t.kind(p.kind)} · `,
          h('time', { datetime: p.created_at, title: t.date(p.created_at) }, t.ago(p.created_at)),
        ),
      ),
      h(
        'td',
        { class: 'queue__sev' },
        h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
        ` ${t.severity(p.kind, p.severity)}`,
      ),
      h('td', { class: 'moderation__waiting' }, waiting(f)),
    );
    tr.addEventListener('focus', () => {
      currentId = f.id;
      updateTabStops();
    });
    tr.addEventListener('click', () => {
      tr.focus();
      void open(f.id);
    });
    return tr;
  }

  function updateTabStops(): void {
    if (currentId === null || !rows.has(currentId)) currentId = features[0]?.id ?? null;
    for (const [id, tr] of rows) {
      tr.tabIndex = id === currentId ? 0 : -1;
      tr.classList.toggle('is-open', id === openId);
      if (id === openId) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
  }

  async function load(): Promise<void> {
    const hadFocus = tbody.contains(document.activeElement);
    try {
      const page = await moderationApi.queue(ctx, { kind: kind.value || undefined, limit, offset: 0 });
      features.splice(0, features.length, ...page.features);
      total = page.total;
      rows.clear();
      replaceChildren(
        tbody,
        features.map((f) => {
          const tr = makeRow(f);
          rows.set(f.id, tr);
          return tr;
        }),
      );
      listError.textContent = '';
      count.textContent = m.count(total);
      listMessage.textContent = features.length === 0 ? m.done.allDone : m.showing(features.length, total);
      more.hidden = features.length >= total;
      if (!kind.value) onCount(total);
      updateTabStops();
      if (hadFocus) focusRow(currentId);
    } catch (err) {
      listError.textContent = moderationError(err) || m.errors.load;
    }
  }

  function focusRow(id: number | null): void {
    const tr = id === null ? undefined : rows.get(id);
    if (!tr) return;
    currentId = id;
    updateTabStops();
    tr.focus();
    tr.scrollIntoView({ block: 'nearest' });
  }

  function move(delta: number): void {
    if (features.length === 0) return;
    const i = features.findIndex((f) => f.id === currentId);
    const next = features[Math.max(0, Math.min(features.length - 1, (i < 0 ? 0 : i) + delta))];
    if (next) focusRow(next.id);
  }

  /** The report after `id` in the list as it was, or null at the end. */
  function after(id: number): number | null {
    const i = features.findIndex((f) => f.id === id);
    return features[i + 1]?.id ?? null;
  }

  function showError(message: string): void {
    itemStatus.textContent = '';
    itemError.textContent = message;
    if (message) itemError.scrollIntoView({ block: 'nearest' });
  }

  function facts(f: StaffFeature): HTMLElement {
    const p = f.properties;
    const fact = (term: string, value: string | Node) => [h('dt', {}, term), h('dd', {}, value)];
    return h(
      'dl',
      { class: 'facts moderation__facts' },
      fact(m.facts.kind, t.kind(p.kind)),
      fact(m.facts.category, labelOf(ctx, p.category)),
      fact(
        m.facts.urgency,
        h(
          'span',
          {},
          h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
          ` ${t.severity(p.kind, p.severity)}`,
        ),
      ),
      p.kind === 'help' ? fact(m.facts.people, String(p.people_count ?? t.none)) : [],
      fact(m.facts.sent, h('time', { datetime: p.created_at }, t.date(p.created_at))),
      fact(m.facts.contact, p.contact ? h('span', { class: 'private' }, p.contact) : m.noContact),
    );
  }

  async function open(id: number, focusKey: string | null = null): Promise<void> {
    openId = id;
    currentId = id;
    updateTabStops();
    itemError.textContent = '';
    let f: StaffFeature;
    try {
      f = await moderationApi.report(ctx, id);
    } catch (err) {
      showError(moderationError(err));
      return;
    }
    if (openId !== id) return;
    itemHeading.textContent = `${labelOf(ctx, f.properties.category)} ${t.reportNo(id)}`;
    replaceChildren(
      itemBody,
      facts(f),
      publicationControls(ctx, f, {
        scope: 'moderation',
        large: true,
        headingLevel: 'h3',
        done: (message, decided) => void afterChange(id, message, decided),
        failed: (message) => {
          showError(message);
          // A photo that someone else changed meanwhile: show it as it is now.
          if (message === m.errors.conflict || message === m.errors.notFound) void reopen(id);
        },
        skip: () => void skip(id),
      }),
    );
    const again = focusKey ? itemBody.querySelector<HTMLElement>(`[data-key="${focusKey}"]`) : null;
    (again ?? itemHeading).focus();
  }

  async function reopen(id: number): Promise<void> {
    await load();
    if (rows.has(id)) await open(id);
  }

  async function afterChange(id: number, message: string, decided: boolean): Promise<void> {
    const focusKey = document.activeElement?.closest('[data-key]')?.getAttribute('data-key') ?? null;
    const next = after(id);
    await load();
    itemError.textContent = '';
    if (!decided && rows.has(id)) {
      await open(id, focusKey);
      itemStatus.textContent = message;
      return;
    }
    const target = next !== null && rows.has(next) ? next : (features[0]?.id ?? null);
    if (target === null || target === id) {
      openId = null;
      updateTabStops();
      itemHeading.textContent = m.stateHeading;
      replaceChildren(itemBody, h('p', { class: 'hint' }, features.length ? m.chooseReport : m.done.allDone));
      itemStatus.textContent = message;
      itemHeading.focus();
      return;
    }
    await open(target);
    itemStatus.textContent = `${message} ${m.done.next(target)}`;
  }

  async function skip(id: number): Promise<void> {
    const next = after(id) ?? features[0]?.id ?? null;
    if (next === null || next === id) {
      itemStatus.textContent = m.done.skipped(id);
      return;
    }
    await open(next);
    itemStatus.textContent = `${m.done.skipped(id)} ${m.done.next(next)}`;
  }

  tbody.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    const run = (fn: () => void) => {
      e.preventDefault();
      fn();
    };
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        return run(() => move(1));
      case 'k':
      case 'ArrowUp':
        return run(() => move(-1));
      case 'Home':
        return run(() => move(-Infinity));
      case 'End':
        return run(() => move(Infinity));
      case 'Enter':
        if (currentId !== null) run(() => void open(currentId!));
    }
  });
  // Escape in the open report goes back to its row in the list.
  item.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || document.querySelector('dialog[open]') || openId === null) return;
    e.preventDefault();
    focusRow(openId);
  });
  kind.addEventListener('change', () => {
    limit = PAGE;
    void load();
  });
  more.addEventListener('click', () => {
    limit += PAGE;
    void load();
  });

  let visible = false;
  let pending = 0;
  ctx.hub.on('report', () => {
    window.clearTimeout(pending);
    // Only the count when the view is away; the list too when someone looks at it.
    pending = window.setTimeout(
      () => void (visible && !document.querySelector('dialog[open]') ? load() : refreshCount()),
      800,
    );
  });

  async function refreshCount(): Promise<void> {
    try {
      onCount((await moderationApi.queue(ctx, { limit: 1, offset: 0 })).total);
    } catch {
      // The badge keeps its last number; the view itself shows load errors.
    }
  }

  const el = h(
    'section',
    { class: 'page-section moderation', 'aria-labelledby': 'moderation-heading', hidden: true },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'moderation-heading', tabindex: -1 }, m.heading),
      h('label', { for: 'moderation-kind', class: 'label label--inline' }, m.kindFilter),
      kind,
    ),
    h('p', { class: 'hint moderation__intro' }, m.intro),
    h(
      'div',
      { class: 'moderation__grid' },
      h(
        'section',
        { class: 'moderation__list', 'aria-labelledby': 'moderation-list-heading' },
        h('h2', { id: 'moderation-list-heading' }, m.listLabel),
        count,
        h('p', { class: 'hint' }, m.keysHint),
        listError,
        h('div', { class: 'moderation__scroll' }, table, listMessage, more),
      ),
      item,
    ),
  );

  const observer = new MutationObserver(() => {
    visible = !el.hidden;
  });
  observer.observe(el, { attributes: true, attributeFilter: ['hidden'] });

  return {
    el,
    async enter() {
      visible = true;
      await load();
      if (features.length === 0) announce(m.done.allDone);
    },
    refreshCount,
  };
}
