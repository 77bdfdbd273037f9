/**
 * Screen-reader announcements. The regions exist in the page from the start (regions added
 * later are often not read); text is cleared first so a repeated message is read again.
 *
 * A page with visible notices (the dashboard's notices.ts) registers a sink: then announce()
 * shows the message there, visible and announced by the notice's own live region, and only
 * speak() stays hidden (for messages that would only clutter the screen, like "new report").
 */
import { h } from './dom';

let polite: HTMLElement | null = null;
let assertive: HTMLElement | null = null;
let sink: ((message: string, urgency: 'polite' | 'assertive') => unknown) | null = null;

export function mountAnnouncers(parent: HTMLElement): void {
  polite = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  assertive = h('div', { class: 'visually-hidden', role: 'alert', 'aria-atomic': 'true' });
  parent.append(polite, assertive);
}

export function setAnnounceSink(fn: typeof sink): void {
  sink = fn;
}

/** A result or error the person must know about: visible where the page has notices. */
export function announce(message: string, urgency: 'polite' | 'assertive' = 'polite'): void {
  if (sink) {
    sink(message, urgency);
    return;
  }
  speak(message, urgency);
}

/** For screen readers only. */
export function speak(message: string, urgency: 'polite' | 'assertive' = 'polite'): void {
  const region = urgency === 'polite' ? polite : assertive;
  if (!region) return;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}
