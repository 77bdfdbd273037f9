/**
 * Sending a report: the bottom action bar with its real upload progress, retries that reuse
 * the same Idempotency-Key (a retry can never create a second report), and server field
 * errors shown next to their fields.
 */
import { ApiError, NetworkError, sendReport, type ReportDraft, type ReportFeature } from '../lib/api';
import { announce } from '../lib/announce';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { FieldErrors } from './errors';

export interface Outgoing {
  draft: ReportDraft;
  photos: File[];
}

export interface Sender {
  bar: HTMLElement;
  /** Runs one send attempt; resolves when it has finished, whatever the outcome. */
  send(outgoing: Outgoing): Promise<void>;
  /** Client-side problems found before sending. */
  showInvalid(count: number): void;
  reset(): void;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a plain-http test deployment still deserves a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function createSender(errors: FieldErrors, onSent: (feature: ReportFeature) => void): Sender {
  const button = h('button', { type: 'submit', class: 'button button--primary button--wide', id: 'send' }, t.send);
  const progress = h('progress', { max: 100, value: 0, 'aria-labelledby': 'progress-label' });
  const progressLabel = h('span', { id: 'progress-label' }, t.sending(0));
  const progressBox = h('div', { class: 'progress', hidden: true }, progressLabel, progress);
  const problem = h('p', { class: 'action-bar__problem', role: 'alert' });
  const bar = h('div', { class: 'action-bar' }, h('div', { class: 'action-bar__inner' }, problem, progressBox, button));

  // One key per report: made on the first attempt, kept across retries, dropped once the
  // server has answered definitively (success, or a 4xx that stored nothing).
  let key: string | null = null;
  let busy = false;
  let lastQuarter = -1;

  function setProgress(fraction: number): void {
    const pct = Math.round(fraction * 100);
    progress.value = pct;
    progressLabel.textContent = t.sending(pct);
    const quarter = Math.floor(pct / 25);
    if (quarter > lastQuarter && pct < 100) announce(t.sending(pct));
    lastQuarter = quarter;
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
    async send({ draft, photos }) {
      if (busy) return;
      busy = true;
      key ??= newKey();
      problem.textContent = '';
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      progressBox.hidden = false;
      lastQuarter = -1;
      setProgress(0);
      try {
        const feature = await sendReport(draft, photos, key, setProgress);
        key = null;
        onSent(feature);
      } catch (err) {
        if (err instanceof ApiError && err.problem?.errors?.some((e) => e.field === 'Idempotency-Key')) {
          // The first attempt did arrive, then the person edited the report: a new key makes
          // the next press send the edited report as its own.
          key = null;
          problem.textContent = t.keyReused;
        } else if (err instanceof ApiError && err.status < 500) {
          key = null;
          const unclaimed = errors.showProblem(err.problem);
          const claimed = errors.count();
          problem.textContent = [claimed ? t.fixErrors(claimed) : '', ...(claimed ? unclaimed : [err.message])]
            .filter(Boolean)
            .join(' ');
        } else {
          problem.textContent = err instanceof NetworkError ? t.sendOffline : t.sendServerError;
          button.textContent = t.retry;
        }
      } finally {
        busy = false;
        button.disabled = false;
        button.removeAttribute('aria-busy');
        progressBox.hidden = true;
      }
    },
    reset() {
      key = null;
      problem.textContent = '';
      button.textContent = t.send;
      progressBox.hidden = true;
    },
  };
}

/** The view after a report was sent or an existing one confirmed. */
export function createDoneView(onAnother: () => void): {
  section: HTMLElement;
  show(heading: string, text: string, id: number): void;
} {
  const heading = h('h2', { tabindex: -1, id: 'done-heading' });
  const text = h('p');
  const link = h('a', { class: 'button button--primary button--wide', href: '/' }, t.viewReport);
  const another = h('button', { type: 'button', class: 'button button--wide' }, t.reportAnother);
  another.addEventListener('click', onAnother);
  const section = h(
    'section',
    { class: 'done', 'aria-labelledby': 'done-heading', hidden: true },
    h('span', { class: 'done__mark', 'aria-hidden': 'true' }, '✓'),
    heading,
    text,
    h('div', { class: 'done__actions' }, link, another),
  );
  return {
    section,
    show(title, body, id) {
      heading.textContent = title;
      text.textContent = body;
      link.href = `/reports/${id}`;
      section.hidden = false;
      heading.focus();
      announce(`${title}. ${body}`);
    },
  };
}
