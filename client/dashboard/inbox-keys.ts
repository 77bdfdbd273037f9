/**
 * The inbox's keys, like the triage queue's (queue-keys.ts): in the list j/k or ↓/↑ move, Home
 * and End jump, Enter opens, x selects for filing together, s spam, n not a report; "?" opens
 * the list of keys on the page. Never while someone types in a field.
 */
import { h } from '../lib/dom';
import { is } from './inbox-strings';
import { isTyping } from './queue-keys';

export interface InboxKeyActions {
  move(delta: number): void;
  /** Enter on a row: open the focused message. */
  open(): void;
  toggle(): void;
  setAside(state: 'spam' | 'not_report'): void;
}

export function bindListKeys(tbody: HTMLElement, act: InboxKeyActions): void {
  tbody.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    const run = (fn: () => unknown) => {
      e.preventDefault();
      void fn();
    };
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        return run(() => act.move(1));
      case 'k':
      case 'ArrowUp':
        return run(() => act.move(-1));
      case 'Home':
        return run(() => act.move(-Infinity));
      case 'End':
        return run(() => act.move(Infinity));
      case 'Enter':
        // A focused checkbox does its own thing.
        if ((e.target as HTMLElement).tagName === 'TR') run(() => act.open());
        return;
      case 'x':
        return run(() => act.toggle());
      case 's':
        return run(() => act.setAside('spam'));
      case 'n':
        return run(() => act.setAside('not_report'));
    }
  });
}

/** The keys listed on the page; "?" anywhere in `section` opens the list (not the triage dialog). */
export function keysHelp(section: HTMLElement): HTMLDetailsElement {
  const s = is();
  const keys = h(
    'details',
    { class: 'inbox__keys' },
    h('summary', {}, s.keysTitle),
    h(
      'dl',
      {},
      s.keys.flatMap(([k, what]) => {
        // "On the map: Enter": the place in words, the key as a key.
        const [where, key] = k.includes(': ') ? k.split(': ') : ['', k];
        return [h('dt', {}, where ? `${where}: ` : '', h('kbd', {}, key)), h('dd', {}, what)];
      }),
    ),
  );
  // queue-keys.ts shows the triage queue's keys on "?" unless the event was handled here first.
  section.addEventListener('keydown', (e) => {
    if (e.key !== '?' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    e.preventDefault();
    keys.open = true;
    keys.querySelector('summary')?.focus();
  });
  return keys;
}
