/**
 * The inbox view: messages from SMS and Telegram that did not say where or what, urgent first,
 * then newest, as a table whose rows take focus one at a time like the triage queue (j/k or
 * arrows, Enter opens, x selects several to file as one report, s spam, n not a report). The
 * opened message is placed and filed beside the list (inbox-form.ts). Live: inbox.changed
 * reloads the list; a new message is announced, one handled elsewhere leaves the list.
 */
import { announce, speak } from '../lib/announce';
import { h, replaceChildren } from '../lib/dom';
import { inboxApi, type InboxMessage } from './inbox-api';
import { createInboxForm, inboxError, type InboxForm, type Outcome } from './inbox-form';
import { bindListKeys, keysHelp } from './inbox-keys';
import { messageDetails, messageRow } from './inbox-row';
import { is } from './inbox-strings';
import type { Ctx } from './state';
import './styles/inbox.css';

const PAGE = 50;

export interface Inbox {
  el: HTMLElement;
  enter(): Promise<void>;
  refreshCount(): Promise<void>;
  /** A message arrived or changed (the event stream's inbox.changed). */
  changed(messageId: number): void;
}

export function createInbox(ctx: Ctx, onCount: (waiting: number) => void): Inbox {
  const s = is();
  let messages: InboxMessage[] = [];
  const rows = new Map<number, HTMLTableRowElement>();
  const selected = new Set<number>();
  let currentId: number | null = null;
  let open: { ids: number[]; form: InboxForm } | null = null;
  let limit = PAGE;
  let loaded = false;
  const mine = new Set<number>();
  let lastWaiting: number | null = null;

  const count = h('p', { class: 'inbox__count', role: 'status' });
  const listError = h('p', { class: 'form-error', role: 'alert' });
  // After setting a message aside: what happened, and the way back (one key is quick to press).
  const undoText = h('span');
  const undo = h('button', { type: 'button', class: 'button button--small' }, s.undo);
  const undoNotice = h('p', { class: 'inbox__undo', hidden: true }, undoText, ' ', undo);
  let undoId: number | null = null;
  const empty = h('p', { class: 'inbox__empty', hidden: true }, s.empty);
  const selection = h('p', { class: 'inbox__selection' });
  const clear = h('button', { type: 'button', class: 'button button--small', hidden: true }, s.clearSelection);
  const more = h('button', { type: 'button', class: 'button button--small', hidden: true }, s.loadMore);
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'queue__table inbox__table', id: 'inbox-table' },
    h('caption', { class: 'visually-hidden' }, s.listLabel),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, s.colMessage),
        h('th', { scope: 'col', class: 'inbox__col-select' }, s.colSelect),
      ),
    ),
    tbody,
  );
  const itemHeading = h('h2', { id: 'inbox-item-heading', tabindex: -1 }, s.colMessage);
  const itemStatus = h('div', { class: 'inbox__status', tabindex: -1 });
  const itemError = h('p', { class: 'form-error', role: 'alert' });
  const itemBody = h('div', { class: 'inbox__item-body' }, h('p', { class: 'hint' }, s.choose));
  const item = h(
    'section',
    { class: 'inbox__item', 'aria-labelledby': 'inbox-item-heading' },
    itemHeading,
    h('div', { role: 'status' }, itemStatus),
    itemError,
    itemBody,
  );

  function makeRow(m: InboxMessage): HTMLTableRowElement {
    const box = h('input', { type: 'checkbox', class: 'inbox__check', 'aria-label': s.select(m.id), tabindex: -1 });
    box.checked = selected.has(m.id);
    box.addEventListener('change', () => toggle(m.id, box.checked));
    const tr = messageRow(ctx, m, box);
    tr.addEventListener('focus', () => {
      currentId = m.id;
      updateTabStops();
    });
    tr.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('input')) return;
      tr.focus();
      void openMessage(m.id);
    });
    return tr;
  }

  function updateTabStops(): void {
    if (currentId === null || !rows.has(currentId)) currentId = messages[0]?.id ?? null;
    for (const [id, tr] of rows) {
      tr.tabIndex = id === currentId ? 0 : -1;
      tr.querySelector('input')!.tabIndex = id === currentId ? 0 : -1;
      tr.classList.toggle('is-open', open?.ids.includes(id) ?? false);
      if (open?.ids[0] === id) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
  }

  function toggle(id: number, on = !selected.has(id)): void {
    if (on) selected.add(id);
    else selected.delete(id);
    const box = rows.get(id)?.querySelector('input');
    if (box) box.checked = on;
    selection.textContent = s.selected(selected.size);
    clear.hidden = selected.size === 0;
    speak(s.selected(selected.size) || s.selected(0));
  }

  async function load(): Promise<void> {
    const hadFocus = tbody.contains(document.activeElement);
    const before = new Set(messages.map((m) => m.id));
    try {
      // The server gives at most 200 a page: follow its cursor up to what is shown.
      let page = await inboxApi.list(ctx, { limit: Math.min(limit, 200) });
      const all = [...page.messages];
      while (all.length < limit && page.next_cursor) {
        page = await inboxApi.list(ctx, { limit: Math.min(limit - all.length, 200), cursor: page.next_cursor });
        all.push(...page.messages);
      }
      messages = all;
      rows.clear();
      replaceChildren(
        tbody,
        messages.map((m) => {
          const tr = makeRow(m);
          rows.set(m.id, tr);
          return tr;
        }),
      );
      for (const id of [...selected]) if (!rows.has(id)) selected.delete(id);
      selection.textContent = s.selected(selected.size);
      clear.hidden = selected.size === 0;
      listError.textContent = '';
      count.textContent = s.count(page.waiting, page.urgent);
      empty.hidden = messages.length > 0;
      table.hidden = messages.length === 0;
      more.hidden = page.next_cursor === null;
      lastWaiting = page.waiting;
      onCount(page.waiting);
      const arrived = loaded ? messages.filter((m) => !before.has(m.id)).length : 0;
      if (arrived) speak(s.arrived(arrived));
      loaded = true;
      if (open && open.ids.some((id) => !rows.has(id) && !mine.has(id))) handledElsewhere();
      updateTabStops();
      if (hadFocus) focusRow(currentId);
    } catch (err) {
      listError.textContent = inboxError(err) || s.errors.load;
    }
  }

  /** The open message was filed or set aside by someone else: its words stay, the form goes. */
  function handledElsewhere(): void {
    if (!open) return;
    open.form.disable();
    open.form.el.remove();
    itemError.textContent = s.handledElsewhere;
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
    if (messages.length === 0) return;
    const i = messages.findIndex((m) => m.id === currentId);
    const next = messages[Math.max(0, Math.min(messages.length - 1, (i < 0 ? 0 : i) + delta))];
    if (next) focusRow(next.id);
  }

  function closeItem(): void {
    open?.form.destroy();
    open = null;
  }

  /**
   * Opens `id`, together with the selected messages only when it is one of them: a message
   * opened outside the selection is never filed with it (a help request merged into a ramp).
   */
  async function openMessage(id: number): Promise<void> {
    const ids = selected.has(id) ? [id, ...[...selected].filter((x) => x !== id)] : [id];
    closeItem();
    itemError.textContent = '';
    itemStatus.textContent = '';
    let list: InboxMessage[];
    try {
      list = await Promise.all(ids.map((x) => inboxApi.message(ctx, x)));
    } catch (err) {
      itemError.textContent = inboxError(err);
      return;
    }
    const form = createInboxForm(
      ctx,
      list,
      (o) => void finished(o),
      (_err, message) => {
        itemError.textContent = message;
        if (message === s.errors.conflict) void load();
      },
    );
    open = { ids, form };
    updateTabStops();
    itemHeading.textContent = ids.length === 1 ? s.messageNo(id) : s.messagesNo(ids);
    replaceChildren(
      itemBody,
      list.map((m) => messageDetails(ctx, m)),
      form.el,
    );
    if (list.some((m) => m.state !== 'inbox')) handledElsewhere();
    itemHeading.focus();
  }

  async function finished(o: Outcome): Promise<void> {
    for (const id of o.ids) {
      mine.add(id);
      selected.delete(id);
    }
    const at = messages.findIndex((m) => m.id === o.ids[0]);
    closeItem();
    const words =
      o.kind === 'filed'
        ? s.filed(o.reportId)
        : o.kind === 'added'
          ? s.added(o.reportId)
          : o.kind === 'spam'
            ? s.markedSpam(o.ids[0]!)
            : s.markedNotReport(o.ids[0]!);
    itemHeading.textContent = o.ids.length === 1 ? s.messageNo(o.ids[0]!) : s.messagesNo(o.ids);
    replaceChildren(
      itemStatus,
      h('p', {}, words),
      'reportId' in o
        ? h(
            'p',
            {},
            h('a', { href: `/dashboard/reports/${o.reportId}`, class: 'inbox__report-link' }, s.viewReport(o.reportId)),
          )
        : null,
    );
    replaceChildren(itemBody, h('p', { class: 'hint' }, s.choose));
    await load();
    const next = messages[Math.min(Math.max(at, 0), messages.length - 1)];
    if (next) currentId = next.id;
    updateTabStops();
    itemStatus.focus();
  }

  async function setAside(state: 'spam' | 'not_report'): Promise<void> {
    const id = currentId;
    if (id === null) return;
    try {
      await inboxApi.setState(ctx, id, state);
    } catch (err) {
      listError.textContent = inboxError(err);
      if (err instanceof Error) void load();
      return;
    }
    mine.add(id);
    selected.delete(id);
    const at = messages.findIndex((m) => m.id === id);
    if (open?.ids.includes(id)) {
      closeItem();
      replaceChildren(itemBody, h('p', { class: 'hint' }, s.choose));
    }
    announce(state === 'spam' ? s.markedSpam(id) : s.markedNotReport(id));
    undoId = id;
    undoText.textContent = state === 'spam' ? s.markedSpam(id) : s.markedNotReport(id);
    undoNotice.hidden = false;
    await load();
    const next = messages[Math.min(at, messages.length - 1)];
    if (next) focusRow(next.id);
    else itemHeading.focus();
  }

  bindListKeys(tbody, {
    move,
    open: () => currentId !== null && void openMessage(currentId),
    toggle: () => currentId !== null && toggle(currentId),
    setAside: (state) => void setAside(state),
  });
  item.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
    e.preventDefault();
    focusRow(open?.ids[0] ?? currentId);
  });
  undo.addEventListener('click', () => {
    const id = undoId;
    if (id === null) return;
    undoNotice.hidden = true;
    undoId = null;
    void inboxApi.setState(ctx, id, 'inbox').then(
      async () => {
        announce(s.undone(id));
        await load();
        focusRow(id);
      },
      (err: unknown) => {
        listError.textContent = inboxError(err);
      },
    );
  });
  clear.addEventListener('click', () => {
    for (const id of [...selected]) toggle(id, false);
    focusRow(currentId);
  });
  more.addEventListener('click', () => {
    limit += PAGE;
    void load();
  });

  const el = h(
    'section',
    { class: 'page-section inbox', 'aria-labelledby': 'inbox-heading', hidden: true },
    h('div', { class: 'page-head' }, h('h1', { id: 'inbox-heading', tabindex: -1 }, s.heading)),
    h('p', { class: 'hint inbox__intro' }, s.intro),
    h(
      'div',
      { class: 'inbox__grid' },
      h(
        'section',
        { class: 'inbox__list', 'aria-labelledby': 'inbox-list-heading' },
        h('h2', { id: 'inbox-list-heading' }, s.listLabel),
        count,
        h('div', { class: 'inbox__toolbar' }, selection, clear),
        undoNotice,
        listError,
        empty,
        h('div', { class: 'inbox__scroll' }, table, more),
      ),
      item,
    ),
  );

  // The keys after the intro: they need the section, where "?" opens them.
  el.querySelector('.inbox__intro')!.after(keysHelp(el));

  let visible = false;
  let pending = 0;
  new MutationObserver(() => {
    visible = !el.hidden;
  }).observe(el, { attributes: true, attributeFilter: ['hidden'] });

  async function refreshCount(): Promise<void> {
    try {
      const { waiting } = await inboxApi.list(ctx, { limit: 1 });
      if (lastWaiting !== null && waiting > lastWaiting) speak(s.arrived(waiting - lastWaiting));
      lastWaiting = waiting;
      onCount(waiting);
    } catch {
      // The badge keeps its last number; the view itself shows load errors.
    }
  }

  return {
    el,
    async enter() {
      visible = true;
      await load();
    },
    refreshCount,
    changed() {
      window.clearTimeout(pending);
      // A burst of changes is one reload; away from the view only the badge.
      pending = window.setTimeout(() => void (visible && loaded ? load() : refreshCount()), 300);
    },
  };
}
