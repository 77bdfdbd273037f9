/**
 * The confirmation step before something becomes public: a modal that shows exactly what the
 * public will see, so publishing is a decision and never the side effect of one key press.
 */
import { h, type Child } from '../lib/dom';
import { ms } from './moderation-strings';

export function confirmPublic(opts: {
  heading: string;
  intro: string;
  details: [string, Child][];
  confirm: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    const m = ms().confirm;
    const ok = h('button', { type: 'button', class: 'button button--primary', 'data-confirm': 'yes' }, opts.confirm);
    const cancel = h('button', { type: 'button', class: 'button' }, m.cancel);
    const dialog = h(
      'dialog',
      { class: 'dialog dialog--confirm', 'aria-labelledby': 'confirm-heading', 'aria-describedby': 'confirm-intro' },
      h('h2', { id: 'confirm-heading' }, opts.heading),
      h('p', { id: 'confirm-intro' }, opts.intro),
      opts.details.length
        ? h(
            'dl',
            { class: 'confirm__details' },
            opts.details.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
          )
        : null,
      h('div', { class: 'dialog__actions' }, ok, cancel),
    );
    let answer = false;
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
  });
}
