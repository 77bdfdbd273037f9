/**
 * "My reports", without an account: what waits in the outbox (with Delete and Send now), and
 * the reports this device sent with their current status from GET /api/v1/reports/{id}.
 * A report still waiting for a coordinator's review says so in words.
 */
import { api, ApiError, type Category } from '../lib/api';
import { announce } from '../lib/announce';
import { categoryLabel } from '../lib/categories';
import { h } from '../lib/dom';
import { formatDate } from '../lib/i18n';
import { t } from '../lib/strings';
import { listen } from './events';
import { myReports, recordStatuses, type MyReport, type Seen } from './my-reports-store';
import type { QueuedReport } from './outbox';
import { outbox } from './outbox-client';

export interface MyReportsPanel {
  section: HTMLElement;
}

/** Statuses fetched since the page opened; older ones are shown "as of" when they were seen. */
const fresh = new Set<number>();
const STATUS_CHECKS = 20;
/** A status older than this, not confirmed since the page opened, says when it was seen. */
const STALE_AFTER_MS = 10 * 60_000;

/** Updates a list in place by key, so focus inside an entry survives a refresh. */
function keyed<T>(
  list: HTMLElement,
  rows: Map<string, { el: HTMLElement; update(item: T): void }>,
  items: T[],
  keyOf: (item: T) => string,
  create: (item: T) => { el: HTMLElement; update(item: T): void },
): void {
  const wanted = new Set(items.map(keyOf));
  for (const [key, row] of rows) {
    if (!wanted.has(key)) {
      row.el.remove();
      rows.delete(key);
    }
  }
  items.forEach((item, i) => {
    const key = keyOf(item);
    let row = rows.get(key);
    if (!row) {
      row = create(item);
      rows.set(key, row);
    }
    row.update(item);
    if (list.children[i] !== row.el) list.insertBefore(row.el, list.children[i] ?? null);
  });
}

export function createMyReports(categories: () => Map<string, Category>, signal: AbortSignal): MyReportsPanel {
  const heading = h('h2', { id: 'my-reports-heading', tabindex: -1 }, t.myReportsHeading);
  const waitingList = h('ul', { class: 'my-list', 'aria-labelledby': 'waiting-heading' });
  const sendNow = h('button', { type: 'button', class: 'button button--primary' }, t.sendNow);
  const sendNowMsg = h('p', { class: 'hint', role: 'status' });
  const waiting = h(
    'div',
    { class: 'my-reports__waiting', hidden: true },
    h('h3', { id: 'waiting-heading' }, t.waitingHeading),
    h('p', { class: 'hint' }, t.waitingIntro),
    waitingList,
    h('div', { class: 'button-row' }, sendNow),
    sendNowMsg,
  );
  const sentList = h('ul', { class: 'my-list', 'aria-labelledby': 'sent-heading' });
  const sentHeading = h('h3', { id: 'sent-heading' }, t.sentListHeading);
  const empty = h('p', { class: 'hint' }, t.myReportsEmpty);
  const section = h(
    'section',
    { class: 'card my-reports', id: 'my-reports', 'aria-labelledby': 'my-reports-heading' },
    heading,
    h('p', { class: 'hint' }, t.myReportsIntro),
    waiting,
    sentHeading,
    sentList,
    empty,
  );
  const waitingRows = new Map<string, { el: HTMLElement; update(item: QueuedReport): void }>();
  const sentRows = new Map<string, { el: HTMLElement; update(item: MyReport): void }>();
  const label = (code: string) => categoryLabel(categories().get(code), code);

  function waitingRow(item: QueuedReport): { el: HTMLElement; update(item: QueuedReport): void } {
    const title = h('p', { class: 'my-list__title' });
    const facts = h('p', { class: 'hint' });
    const state = h('p', { class: 'my-list__state' });
    const remove = h('button', { type: 'button', class: 'button button--small' });
    const actions = h('div', { class: 'button-row' }, remove);
    const el = h('li', { class: 'my-list__item' }, title, facts, state, actions);
    let current = item;

    remove.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'button button--small button--danger' }, t.confirmDeleteYes);
      const keep = h('button', { type: 'button', class: 'button button--small' }, t.keepIt);
      const question = h('div', { class: 'my-list__confirm', role: 'group', 'aria-label': t.confirmDelete });
      question.append(h('p', {}, t.confirmDelete), h('div', { class: 'button-row' }, yes, keep));
      actions.hidden = true;
      el.append(question);
      keep.focus();
      keep.addEventListener('click', () => {
        question.remove();
        actions.hidden = false;
        remove.focus();
      });
      yes.addEventListener('click', () => {
        void outbox().then(async (box) => {
          await box?.remove(current.key);
          announce(t.deletedWaiting);
          heading.focus();
        });
      });
    });

    return {
      el,
      update(next) {
        current = next;
        const name = label(next.draft.category);
        title.textContent = name;
        facts.textContent = t.waitingFacts(formatDate(next.createdAt), next.photos.length);
        state.textContent = next.refused
          ? t.waitingRefused(next.refused.detail ?? next.refused.title)
          : sending.has(next.key)
            ? t.waitingSending
            : next.attempts > 0 && navigator.onLine
              ? t.waitingRetry
              : t.waitingForConnection;
        state.classList.toggle('my-list__state--refused', Boolean(next.refused));
        remove.replaceChildren(t.deleteWaiting, h('span', { class: 'visually-hidden' }, t.whichReport(name)));
      },
    };
  }

  function sentRow(report: MyReport): { el: HTMLElement; update(item: MyReport): void } {
    const title = h('a', { href: `/reports/${report.id}`, class: 'my-list__title' });
    const facts = h('p', { class: 'hint' });
    const state = h('p', { class: 'my-list__state' });
    const why = h('p', { class: 'hint my-list__why' });
    return {
      el: h('li', { class: 'my-list__item' }, title, facts, state, why),
      update(r) {
        const pending = r.review === 'pending' && r.status !== 'withdrawn';
        // A barrier waiting for review is on no public page yet: a link would only say "not found".
        const linked = !(pending && r.kind === 'barrier');
        if (linked) title.setAttribute('href', `/reports/${r.id}`);
        else title.removeAttribute('href');
        title.textContent = label(r.category);
        facts.textContent = t.myReportFacts(r.id, formatDate(r.sentAt));
        const status = !r.status
          ? t.statusUnknown
          : r.status === 'withdrawn'
            ? t.reportWithdrawn
            : pending
              ? t.reviewPendingState(r.status === 'new' ? null : t.status(r.status))
              : t.status(r.status);
        const seen = r.checkedAt;
        const stale = seen && !fresh.has(r.id) && Date.now() - Date.parse(seen) > STALE_AFTER_MS;
        state.textContent = r.status && stale ? t.statusAsOf(status, formatDate(seen)) : status;
        state.classList.toggle('my-list__state--pending', pending);
        state.classList.toggle('pending-mark', pending);
        why.textContent = pending ? (r.kind === 'help' ? t.reviewPendingWhyHelp : t.reviewPendingWhyBarrier) : '';
        why.hidden = !pending;
      },
    };
  }

  let sending = new Set<string>();
  async function renderWaiting(): Promise<void> {
    const box = await outbox();
    if (!box || signal.aborted) return;
    const items = await box.list();
    sending = new Set(items.filter((i) => box.isSending(i.key)).map((i) => i.key));
    keyed(waitingList, waitingRows, items, (i) => i.key, waitingRow);
    waiting.hidden = items.length === 0;
    sendNow.hidden = !items.some((i) => !i.refused);
  }

  function renderSent(): void {
    const list = myReports();
    keyed(sentList, sentRows, list, (r) => String(r.id), sentRow);
    sentList.hidden = list.length === 0;
    sentHeading.hidden = list.length === 0;
    empty.hidden = list.length > 0;
  }

  async function checkStatuses(): Promise<void> {
    if (!navigator.onLine) return;
    const due = myReports()
      .filter((r) => !fresh.has(r.id))
      .slice(0, STATUS_CHECKS);
    const found = new Map<number, Seen>();
    await Promise.all(
      due.map(async (r) => {
        try {
          const { status, review } = (await api.report(r.id)).properties;
          found.set(r.id, { status, review });
          fresh.add(r.id);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) {
            // A barrier waiting for review (BARRIER_MODERATION=pre) is on no public channel
            // yet, so its 404 says nothing new; otherwise rejected and hidden reports leave
            // every public channel, and a 404 says just that.
            found.set(
              r.id,
              r.review === 'pending' && r.kind === 'barrier' ? { review: 'pending' } : { status: 'withdrawn' },
            );
            fresh.add(r.id);
          }
        }
      }),
    );
    if (!signal.aborted) recordStatuses(found);
  }

  sendNow.addEventListener('click', () => {
    if (!navigator.onLine) {
      sendNowMsg.textContent = t.sendNowOffline;
      return;
    }
    sendNowMsg.textContent = '';
    sendNow.setAttribute('aria-busy', 'true');
    void outbox()
      .then((box) => box?.drain())
      .finally(() => sendNow.removeAttribute('aria-busy'));
  });

  listen((e) => {
    if (e.type === 'outbox' || e.type === 'sent') void renderWaiting();
    if (e.type === 'mine') renderSent();
  }, signal);
  window.addEventListener('online', () => void checkStatuses(), { signal });

  renderSent();
  void renderWaiting();
  void checkStatuses();
  return { section };
}
