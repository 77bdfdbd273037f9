/**
 * Keyboard shortcuts of the triage queue (listed in the "Keyboard shortcuts" dialog). They act
 * only while focus is in the queue and never while someone types in a field or a dialog is open.
 */
import { announce } from '../lib/announce';
import { assignTeam, bulkChange, markDuplicate, setStatus, undoLast } from './actions';
import { askOriginal, showShortcuts } from './dialogs';
import type { Queue } from './queue';
import type { Ctx } from './state';
import { t } from './strings';

const TEXT_INPUTS = /^(text|email|password|number|search|tel|url|date|datetime-local|time|month|week)$/;

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.test(target.type);
}

export function bindQueueKeys(ctx: Ctx, queue: Queue, open: (id: number, from: HTMLElement) => void): void {
  document.getElementById('shortcuts-button')?.addEventListener('click', showShortcuts);

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target) || document.querySelector('dialog[open]')) return;
    if (e.key === '?') {
      e.preventDefault();
      showShortcuts();
      return;
    }
    // Undo of the last one-key action, from anywhere while its notice offers it.
    if (e.key === 'u' && !e.shiftKey && undoLast()) {
      e.preventDefault();
      return;
    }
    const target = e.target as HTMLElement;
    if (!queue.el.contains(target) || !target.closest('tbody')) return;
    const feature = queue.current();
    const run = (fn: () => unknown) => {
      e.preventDefault();
      void fn();
    };
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        return run(() => queue.move(1));
      case 'k':
      case 'ArrowUp':
        return run(() => queue.move(-1));
      case 'Home':
        return run(() => queue.move(-Infinity));
      case 'End':
        return run(() => queue.move(Infinity));
      case 'Enter':
        // A focused link or checkbox does its own thing on Enter.
        if (target.tagName !== 'TR' || !feature) return;
        return run(() => open(feature.id, target));
      case 'x':
        return run(() => queue.toggleSelected());
      case 'V':
        // Through bulkChange: the notice names each report that could not be verified, and why.
        return run(async () => {
          const ids = queue.selectedIds();
          if (!ids.length) return;
          if (await bulkChange(ctx, ids, { status: 'verified' })) {
            queue.clearSelection();
            await queue.load(true);
          }
        });
    }
    if (!feature || e.shiftKey) return;
    switch (e.key) {
      case 'v':
        return run(() => setStatus(ctx, feature, 'verified'));
      case 'r':
        return run(() => setStatus(ctx, feature, 'rejected'));
      case 'a':
        return run(() => {
          const team = queue.assignTeamId();
          if (team === null) {
            announce(t.chooseTeamFirst, 'assertive');
            document.getElementById('assign-team')?.focus();
            return;
          }
          return assignTeam(ctx, feature, team);
        });
      case 'd':
        return run(async () => {
          const original = await askOriginal(feature.id);
          queue.focusRow(feature.id);
          if (original !== null) await markDuplicate(ctx, feature, original);
        });
    }
  });
}
