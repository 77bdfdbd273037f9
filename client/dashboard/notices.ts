/**
 * The dashboard's visible notices: every result and error a coordinator must know about, in a
 * strip between the top bar and the page. It is part of the page flow, never laid over it, so
 * a notice cannot hide what has focus (WCAG 2.4.11). Results (role=status) fade after a few
 * seconds, but not while the pointer or focus is on them; errors (role=alert) stay until
 * dismissed. The last messages stay reachable under "Earlier messages". Both regions are in
 * the page from the start, so screen readers read what is added to them.
 */
import { ApiError, NetworkError } from '../lib/api';
import { setAnnounceSink } from '../lib/announce';
import { h } from '../lib/dom';
import { SessionExpired } from '../lib/staff-api';
import { t } from './strings';

export interface NoticeAction {
  label: string;
  /** Runs once; the notice is removed first (the action reports its own outcome). */
  run: () => unknown;
  /** A key in the triage queue that does the same, shown next to the button. */
  key?: string;
}

export interface NoticeOptions {
  action?: NoticeAction;
  /** How long a result stays, in ms (errors stay until dismissed). */
  timeout?: number;
}

const RESULT_MS = 6000;
const KEEP = 20;

let results: HTMLElement | null = null;
let errors: HTMLElement | null = null;
let log: HTMLElement | null = null;
let logBox: HTMLDetailsElement | null = null;
let seq = 0;

/** The strip with both live regions; `mountNotices` puts it in the page before `before`. */
export function mountNotices(before: HTMLElement): HTMLElement {
  errors = h('div', { class: 'notices__list', role: 'alert', 'aria-relevant': 'additions' });
  results = h('div', { class: 'notices__list', role: 'status', 'aria-relevant': 'additions' });
  log = h('ol', { class: 'notices__log' });
  logBox = h('details', { class: 'notices__earlier', hidden: true }, h('summary', {}, t.noticesEarlier), log);
  const strip = h('div', { class: 'notices', id: 'notices' }, errors, results, logBox);
  before.before(strip);
  keepFocusClear(strip);
  // Messages sent through announce() by any part of the dashboard are shown here too.
  setAnnounceSink((message, urgency) => (urgency === 'assertive' ? showError(message) : showResult(message)));
  return strip;
}

/**
 * On a narrow screen the page scrolls and the strip sticks to the top of the window
 * (narrow.css), so a result or error is seen where the person acts, not above the fold. The
 * page's scroll padding follows the strip's height, and the element with focus is brought out
 * from under a notice that appears over it (WCAG 2.4.11).
 */
function keepFocusClear(strip: HTMLElement): void {
  if (typeof ResizeObserver !== 'function') return;
  new ResizeObserver(() => {
    const sticky = getComputedStyle(strip).position === 'sticky';
    const height = sticky ? strip.getBoundingClientRect().height : 0;
    document.documentElement.style.scrollPaddingTop = height ? `${Math.ceil(height) + 8}px` : '';
    const focused = document.activeElement;
    if (!height || !(focused instanceof HTMLElement) || strip.contains(focused)) return;
    if (focused.getBoundingClientRect().top < strip.getBoundingClientRect().bottom) {
      focused.scrollIntoView({ block: 'nearest' });
    }
  }).observe(strip);
}

function remember(message: string, kind: 'result' | 'error'): void {
  if (!log || !logBox) return;
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date());
  log.prepend(h('li', { class: `notices__logitem notices__logitem--${kind}` }, `${time} · ${message}`));
  while (log.children.length > KEEP) log.lastElementChild?.remove();
  logBox.hidden = false;
}

function notice(kind: 'result' | 'error', message: string, options: NoticeOptions = {}): HTMLElement | null {
  const region = kind === 'error' ? errors : results;
  if (!region) return null;
  const id = `notice-${++seq}`;
  const text = h('p', { class: 'notice__text', id: `${id}-text` }, message);
  const dismiss = h(
    'button',
    {
      type: 'button',
      class: 'notice__close',
      'aria-label': t.noticeDismiss,
      'aria-describedby': `${id}-text`,
      title: t.noticeDismiss,
    },
    '×',
  );
  const el = h('div', { class: `notice notice--${kind}`, id, 'data-kind': kind }, text);
  const remove = () => {
    window.clearTimeout(timer);
    const hadFocus = el.contains(document.activeElement);
    el.remove();
    // Focus never falls to the page's start: back to where the person was working.
    if (hadFocus) (returnFocus?.isConnected ? returnFocus : document.getElementById('main'))?.focus();
  };
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  if (options.action) {
    const action = options.action;
    const button = h(
      'button',
      { type: 'button', class: 'button button--small notice__action', 'aria-describedby': `${id}-text` },
      action.label,
      action.key ? h('kbd', { class: 'notice__key', 'aria-hidden': 'true' }, action.key) : null,
    );
    button.addEventListener('click', () => {
      remove();
      void action.run();
    });
    el.append(button);
  }
  el.append(dismiss);
  dismiss.addEventListener('click', remove);

  let timer = 0;
  let held = false;
  const arm = () => {
    window.clearTimeout(timer);
    if (kind === 'result' && !held) timer = window.setTimeout(remove, options.timeout ?? RESULT_MS);
  };
  const hold = (on: boolean) => {
    held = on || el.matches(':hover') || el.contains(document.activeElement);
    if (held) window.clearTimeout(timer);
    else arm();
  };
  el.addEventListener('pointerenter', () => hold(true));
  el.addEventListener('pointerleave', () => hold(false));
  el.addEventListener('focusin', () => hold(true));
  el.addEventListener('focusout', () => window.setTimeout(() => hold(false), 0));
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      remove();
    }
  });
  // The same message again replaces the old one rather than stacking up.
  for (const old of region.querySelectorAll<HTMLElement>('.notice')) {
    if (old.querySelector('.notice__text')?.textContent === message) old.remove();
  }
  region.append(el);
  while (region.children.length > 3) region.firstElementChild?.remove();
  remember(message, kind);
  arm();
  return el;
}

export function showResult(message: string, options?: NoticeOptions): HTMLElement | null {
  return notice('result', message, options);
}

export function showError(message: string, options?: NoticeOptions): HTMLElement | null {
  return notice('error', message, options);
}

/** Removes every notice (a new session starts clean). */
export function clearNotices(): void {
  results?.replaceChildren();
  errors?.replaceChildren();
}

/** The request fields the server names in its errors, in words. */
function fieldName(field: string): string {
  const base = field.replace(/\[\d+\]$/, '');
  return t.fieldNames[base] ?? t.fieldUnknown(base.replace(/_/g, ' '));
}

function sentence(s: string): string {
  const trimmed = s.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * An error from the API as a coordinator reads it: what failed (`what`), then why, naming
 * each field in words ("The password must be at least 12 characters.") instead of
 * repeating the server's field list.
 */
export function problemText(err: unknown, what: string): string {
  if (err instanceof NetworkError) return `${sentence(what)} ${t.noConnection}`;
  if (err instanceof SessionExpired) return `${sentence(what)} ${t.sessionExpired}`;
  if (!(err instanceof ApiError)) return sentence(what);
  const p = err.problem;
  const fields = p?.errors ?? [];
  const reasons = fields.length
    ? fields.map((e) => {
        const detail = e.detail.trim();
        // Field details are predicates ("must be …"); anything else is a sentence of its own.
        return /^[a-zà-ÿ]/.test(detail)
          ? sentence(`${fieldName(e.field)} ${detail}`)
          : sentence(`${fieldName(e.field)}: ${detail}`);
      })
    : [sentence(p?.detail ?? p?.title ?? t.serverTrouble(err.status))];
  if (err.status === 403 && !fields.length) reasons.splice(0, 1, t.notPermitted);
  if (err.status >= 500) reasons.splice(0, reasons.length, t.serverTrouble(err.status));
  return [sentence(what), ...new Set(reasons)].join(' ');
}
