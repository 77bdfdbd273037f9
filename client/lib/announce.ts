/**
 * Screen-reader announcements. The regions exist in the page from the start (regions added
 * later are often not read); text is cleared first so a repeated message is read again.
 */
import { h } from './dom';

let polite: HTMLElement | null = null;
let assertive: HTMLElement | null = null;

export function mountAnnouncers(parent: HTMLElement): void {
  polite = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  assertive = h('div', { class: 'visually-hidden', role: 'alert', 'aria-atomic': 'true' });
  parent.append(polite, assertive);
}

export function announce(message: string, urgency: 'polite' | 'assertive' = 'polite'): void {
  const region = urgency === 'polite' ? polite : assertive;
  if (!region) return;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}
