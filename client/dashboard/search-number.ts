/**
 * A search that is a report number (3001 or #3001) finds that report at once: right under the
 * search field it says whether the report exists, its status, whether the filters hold it,
 * and offers to open it, filters or not. Staff read only what their scope holds, so "no such
 * report" and "not yours to see" are one answer, as on the server.
 */
import { h, replaceChildren } from '../lib/dom';
import { inFilters, searchedNumber, type Ctx, type Filters } from './state';
import { t } from './strings';

export interface NumberOffer {
  el: HTMLElement;
  update(f: Filters): void;
}

export function createNumberOffer(ctx: Ctx): NumberOffer {
  const el = h('div', { class: 'queue__number', id: 'queue-number', hidden: true, 'aria-live': 'polite' });
  let asked = 0;

  async function update(f: Filters): Promise<void> {
    const id = searchedNumber(f);
    const ask = ++asked;
    if (id === null) {
      el.hidden = true;
      replaceChildren(el);
      return;
    }
    const found = await ctx.api.report(id).catch(() => null);
    if (ask !== asked) return;
    if (!found) {
      replaceChildren(el, h('p', {}, t.numberMissing(id)));
    } else {
      const open = h('button', { type: 'button', class: 'button button--small button--primary' }, t.openNumber(id));
      open.addEventListener('click', () => ctx.hub.emit('open', { id, from: open }));
      const outside = inFilters(f, found) ? null : ` ${t.numberOutside}`;
      replaceChildren(el, h('p', {}, t.numberFound(id, t.status(found.properties.status)), outside), open);
    }
    el.hidden = false;
  }

  return { el, update: (f) => void update(f) };
}
