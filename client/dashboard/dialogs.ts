/**
 * Modal dialogs on the native <dialog> element: it traps focus while open, closes on Escape
 * and returns focus to where it was, which is what keyboard users expect.
 */
import { h } from '../lib/dom';
import { t } from './strings';

function modal(labelId: string, ...content: HTMLElement[]): HTMLDialogElement {
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': labelId }, ...content);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  return dialog;
}

export function showShortcuts(): void {
  if (document.querySelector('dialog.dialog--shortcuts')) return;
  const close = h('button', { type: 'button', class: 'button' }, t.close);
  const list = h(
    'dl',
    { class: 'shortcuts' },
    t.shortcuts.flatMap(([keys, what]) => [
      h('dt', {}, ...keys.split(/( or | \+ )/).map((part) => (/^( or | \+ )$/.test(part) ? part : h('kbd', {}, part)))),
      h('dd', {}, what),
    ]),
  );
  const dialog = modal(
    'shortcuts-heading',
    h('h2', { id: 'shortcuts-heading' }, t.shortcutsHeading),
    h('p', { class: 'hint' }, t.shortcutsIntro),
    list,
    h('div', { class: 'dialog__actions' }, close),
  );
  dialog.classList.add('dialog--shortcuts');
  close.addEventListener('click', () => dialog.close());
  dialog.showModal();
  close.focus();
}

/** Asks for the original of a duplicate; resolves with its id, or null when cancelled. */
export function askOriginal(id: number): Promise<number | null> {
  return new Promise((resolve) => {
    const error = h('p', { id: 'dup-error', class: 'form-error', role: 'alert' });
    const input = h('input', {
      id: 'dup-original',
      class: 'input input--short',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      required: true,
      'aria-describedby': 'dup-error',
    });
    const cancel = h('button', { type: 'button', class: 'button' }, t.cancel);
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'dup-heading' }, t.duplicateHeading(id)),
      h('label', { class: 'label', for: 'dup-original' }, t.duplicateLabel),
      input,
      error,
      h(
        'div',
        { class: 'dialog__actions' },
        h('button', { type: 'submit', class: 'button button--primary' }, t.duplicateSubmit),
        cancel,
      ),
    );
    const dialog = modal('dup-heading', form);
    let answer: number | null = null;
    form.addEventListener('submit', (e) => {
      const value = Number(input.value.trim().replace(/^#/, ''));
      if (!Number.isSafeInteger(value) || value <= 0 || value === id) {
        e.preventDefault();
        error.textContent = t.invalidId;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      answer = value;
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => resolve(answer));
    dialog.showModal();
    input.focus();
  });
}

/** Asks for a new password; resolves with it, or null when cancelled. */
export function askPassword(name: string): Promise<string | null> {
  return new Promise((resolve) => {
    const error = h('p', { id: 'pw-error', class: 'form-error', role: 'alert' });
    const input = h('input', {
      id: 'pw-new',
      class: 'input',
      type: 'password',
      autocomplete: 'new-password',
      minlength: 12,
      required: true,
      'aria-describedby': 'pw-hint pw-error',
    });
    const cancel = h('button', { type: 'button', class: 'button' }, t.cancel);
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'pw-heading' }, t.newPasswordFor(name)),
      h('label', { class: 'label', for: 'pw-new' }, t.userPassword),
      input,
      h('p', { id: 'pw-hint', class: 'hint' }, t.passwordHint),
      error,
      h(
        'div',
        { class: 'dialog__actions' },
        h('button', { type: 'submit', class: 'button button--primary' }, t.savePassword),
        cancel,
      ),
    );
    const dialog = modal('pw-heading', form);
    let answer: string | null = null;
    form.addEventListener('submit', (e) => {
      if (input.value.length < 12) {
        e.preventDefault();
        error.textContent = t.passwordHint;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      answer = input.value;
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => resolve(answer));
    dialog.showModal();
    input.focus();
  });
}

/** Asks to confirm a change that matters (a role, an account); resolves true only on "confirm". */
export function confirmChange(opts: { heading: string; text: string; confirm: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: 'button button--primary' }, opts.confirm);
    const cancel = h('button', { type: 'button', class: 'button' }, t.cancel);
    const dialog = modal(
      'confirm-change-heading',
      h('h2', { id: 'confirm-change-heading' }, opts.heading),
      h('p', { id: 'confirm-change-text' }, opts.text),
      h('div', { class: 'dialog__actions' }, ok, cancel),
    );
    dialog.setAttribute('aria-describedby', 'confirm-change-text');
    let answer = false;
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => resolve(answer));
    dialog.showModal();
    // The safe choice has focus: Enter on a stray key press changes nothing.
    cancel.focus();
  });
}
