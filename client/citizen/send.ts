/**
 * Sending a report: the bottom action bar with its real upload progress. The report goes
 * into the outbox first (./outbox.ts), with the Idempotency-Key made on this press of Send;
 * without a connection it waits there and is sent by itself later. Server field errors are
 * shown next to their fields.
 */
import {
  ApiError,
  NetworkError,
  sendReport,
  type Kind,
  type ReportDraft,
  type ReportFeature,
  type Review,
} from '../lib/api';
import { announce } from '../lib/announce';
import { markIcon } from '../lib/category-icons';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { FieldErrors } from './errors';
import { rememberReport } from './my-reports-store';
import { outbox } from './outbox-client';

export interface Outgoing {
  draft: ReportDraft;
  photos: File[];
}

export interface Sender {
  bar: HTMLElement;
  /** Runs one send attempt; resolves when it has finished, whatever the outcome. */
  send(outgoing: Outgoing | Promise<Outgoing>): Promise<void>;
  /** Client-side problems found before sending. */
  showInvalid(count: number): void;
  /** Resolves once no send is in progress (the page waits for it before it is rebuilt). */
  idle(): Promise<void>;
  reset(): void;
}

/** Why a report waits on the phone: each is said in its own words. */
export type QueueReason = 'offline' | 'unreachable' | 'busy';

export interface SendHandlers {
  onSent(feature: ReportFeature): void;
  /** The report is in the outbox, waiting for a connection or for the server. */
  onQueued(key: string, reason: QueueReason): void;
}

export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a plain-http test deployment still deserves a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The sticky bar covers the bottom of the screen, and grows with a problem or the progress:
 * the page's scroll-padding follows its height (app.css), so whatever gets focus, or is
 * scrolled into view, lands above it (WCAG 2.4.11).
 */
function keepFocusClearOf(bar: HTMLElement): void {
  if (typeof ResizeObserver !== 'function') return;
  new ResizeObserver(() => {
    // A bar taken out of the page (a rebuild in another language) no longer covers anything.
    if (!bar.isConnected) return;
    document.documentElement.style.setProperty('--send-bar-height', `${Math.ceil(bar.offsetHeight)}px`);
  }).observe(bar);
}

export function createSender(errors: FieldErrors, on: SendHandlers): Sender {
  const button = h('button', { type: 'submit', class: 'button button--primary button--wide', id: 'send' }, t.send);
  const progress = h('progress', { max: 100, value: 0, 'aria-labelledby': 'progress-label' });
  const progressLabel = h('span', { id: 'progress-label' }, t.sending(0));
  const progressBox = h('div', { class: 'progress', hidden: true }, progressLabel, progress);
  const problem = h('p', { class: 'action-bar__problem', role: 'alert' });
  const bar = h('div', { class: 'action-bar' }, h('div', { class: 'action-bar__inner' }, problem, progressBox, button));
  keepFocusClearOf(bar);

  // One key per report: made on the first press, kept across retries, dropped once the
  // report is stored, queued, or refused (a 4xx stores nothing).
  let key: string | null = null;
  let busy: Promise<void> | null = null;
  let lastQuarter = -1;

  function setProgress(fraction: number): void {
    const pct = Math.round(fraction * 100);
    progress.value = pct;
    progressLabel.textContent = t.sending(pct);
    const quarter = Math.floor(pct / 25);
    if (quarter > lastQuarter && pct < 100) announce(t.sending(pct));
    lastQuarter = quarter;
  }

  function showRefusal(err: ApiError): void {
    if (err.problem?.errors?.some((e) => e.field === 'Idempotency-Key')) {
      // The first attempt did arrive, then the person edited the report: a new key makes
      // the next press send the edited report as its own.
      problem.textContent = t.keyReused;
      return;
    }
    const unclaimed = errors.showProblem(err.problem);
    const claimed = errors.count();
    problem.textContent = [claimed ? t.fixErrors(claimed) : '', ...(claimed ? unclaimed : [err.message])]
      .filter(Boolean)
      .join(' ');
  }

  /** Without IndexedDB: one direct attempt; on failure the form keeps everything for a retry. */
  async function sendDirectly(report: Outgoing, reportKey: string): Promise<void> {
    try {
      const feature = await sendReport(report.draft, report.photos, reportKey, setProgress);
      key = null;
      rememberReport(feature);
      on.onSent(feature);
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) {
        key = null;
        showRefusal(err);
      } else {
        problem.textContent =
          err instanceof NetworkError ? (navigator.onLine ? t.sendUnreachable : t.sendOffline) : t.sendBusy;
        button.textContent = t.retry;
      }
    }
  }

  async function sendViaOutbox(report: Outgoing, reportKey: string): Promise<boolean> {
    const box = await outbox();
    if (!box) return false;
    try {
      await box.save({ key: reportKey, ...report });
    } catch {
      return false;
    }
    if (!navigator.onLine) {
      key = null;
      on.onQueued(reportKey, 'offline');
      return true;
    }
    const outcome = await box.attempt(reportKey, { onProgress: setProgress, dropIfRefused: true });
    key = null;
    if (outcome.kind === 'sent') on.onSent(outcome.feature);
    else if (outcome.kind === 'refused') showRefusal(outcome.error);
    else {
      box.retrySoon();
      const reason = outcome.kind === 'waiting' ? (outcome.reason ?? 'busy') : 'busy';
      on.onQueued(reportKey, !navigator.onLine ? 'offline' : reason);
    }
    return true;
  }

  return {
    bar,
    showInvalid(count) {
      // Cleared first, so pressing Send twice with the same gaps is announced twice.
      problem.textContent = '';
      window.setTimeout(() => {
        problem.textContent = t.fixErrors(count);
      }, 50);
    },
    send(pending) {
      if (busy) return busy;
      problem.textContent = '';
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      progressBox.hidden = false;
      lastQuarter = -1;
      setProgress(0);
      busy = (async () => {
        try {
          key ??= newKey();
          const report = await pending;
          if (!(await sendViaOutbox(report, key))) await sendDirectly(report, key);
        } finally {
          busy = null;
          button.disabled = false;
          button.removeAttribute('aria-busy');
          progressBox.hidden = true;
        }
      })();
      return busy;
    },
    idle: () => busy ?? Promise.resolve(),
    reset() {
      key = null;
      problem.textContent = '';
      button.textContent = t.send;
      progressBox.hidden = true;
    },
  };
}

export type DoneState =
  | { kind: 'sent'; id: number; reportKind: Kind; review: Review }
  | { kind: 'confirmed'; id: number; label: string; confirmations: { still_there: number; gone: number } }
  | { kind: 'queued'; key: string; reason?: QueueReason };

export function sentState(feature: ReportFeature): DoneState {
  return { kind: 'sent', id: feature.id, reportKind: feature.properties.kind, review: feature.properties.review };
}

/** Heading and text of the view after sending; a pending report says who looks at it first. */
function sentWords(state: Extract<DoneState, { kind: 'sent' }>): [string, string] {
  if (state.review !== 'pending') return [t.sentHeading, t.sentText(state.id)];
  return state.reportKind === 'help'
    ? [t.sentHelpHeading, t.sentPendingHelpText(state.id)]
    : [t.sentHeading, t.sentPendingBarrierText(state.id)];
}

function queuedWords(reason: QueueReason | undefined): [string, string] {
  if (reason === 'busy') return [t.queuedBusyHeading, t.queuedBusyText];
  if (reason === 'unreachable') return [t.queuedHeading, t.queuedUnreachableText];
  return [t.queuedHeading, t.queuedText];
}

/** The view after a report was sent, queued, or an existing one confirmed. */
export function createDoneView(onAnother: () => void): {
  section: HTMLElement;
  show(state: DoneState, focus?: boolean): void;
} {
  const mark = h('span', { class: 'done__mark', 'aria-hidden': 'true' }, '✓');
  const heading = h('h2', { tabindex: -1, id: 'done-heading' });
  // In words, not only in the mark's colour: what the report waits for.
  const review = h('p', { class: 'done__review pending-mark', hidden: true });
  const text = h('p');
  const link = h('a', { class: 'button button--primary button--wide', href: '/' });
  const another = h('button', { type: 'button', class: 'button button--wide' }, t.reportAnother);
  // "Follow this report" for a report that reached the server (lazily: not in the first load).
  const follow = h('div', { class: 'done__follow' });
  let followFor: number | undefined;
  another.addEventListener('click', onAnother);
  const section = h(
    'section',
    { class: 'done', 'aria-labelledby': 'done-heading', hidden: true },
    mark,
    heading,
    review,
    text,
    h('div', { class: 'done__actions' }, link, another),
    follow,
  );
  return {
    section,
    show(state, focus = true) {
      const queued = state.kind === 'queued';
      const pending = state.kind === 'sent' && state.review === 'pending';
      const [title, body] =
        state.kind === 'sent'
          ? sentWords(state)
          : state.kind === 'confirmed'
            ? [t.confirmThanks, `${state.label} — ${t.reportNumber(state.id)}. ${t.confirmCounts(state.confirmations)}`]
            : queuedWords(state.reason);
      heading.textContent = title;
      review.textContent = pending ? t.reviewPending : '';
      review.hidden = !pending;
      text.textContent = body;
      mark.replaceChildren(queued ? markIcon('waiting', 30) : '✓');
      section.classList.toggle('done--queued', queued);
      // A barrier waiting for review has no public page yet; My reports follows it.
      const toMine = queued || (pending && state.reportKind === 'barrier');
      link.textContent = toMine ? t.toMyReports : t.viewReport;
      link.href = toMine ? '#my-reports' : `/reports/${state.id}`;
      const id = state.kind === 'queued' ? undefined : state.id;
      if (id !== followFor) {
        followFor = id;
        follow.replaceChildren();
        if (id !== undefined) {
          import('./follow')
            .then(({ createFollowBlock }) => {
              if (followFor === id) follow.replaceChildren(createFollowBlock(id, { headingLevel: 3 }));
            })
            .catch(() => undefined);
        }
      }
      section.hidden = false;
      if (!focus) return;
      heading.focus();
      announce([title, pending ? t.reviewPending : '', body].filter(Boolean).join('. '));
    },
  };
}
