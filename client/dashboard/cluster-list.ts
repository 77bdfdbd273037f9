/**
 * The reports of one cluster, listed over the map when zooming in further would not separate
 * them (the deepest cluster zoom). Each entry opens the report's detail panel.
 */
import { h } from '../lib/dom';
import { errorText } from '../lib/staff-api';
import { filterParams, labelOf, type Ctx } from './state';
import { t } from './strings';

const LIMIT = 50;

export function createClusterList(ctx: Ctx, open: (id: number, from: HTMLElement) => void) {
  const heading = h('h2', { id: 'cluster-heading', tabindex: -1 });
  const list = h('ul', { class: 'cluster-list__items' });
  const note = h('p', { class: 'hint' });
  const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': t.close }, '×');
  const el = h(
    'section',
    { class: 'cluster-list', 'aria-labelledby': 'cluster-heading', hidden: true },
    h('div', { class: 'panel-head' }, heading, h('span', { class: 'panel-head__spacer' }), close),
    list,
    note,
  );
  let returnTo: HTMLElement | null = null;
  const hide = () => {
    el.hidden = true;
    returnTo?.focus();
  };
  close.addEventListener('click', hide);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      hide();
    }
  });

  async function show(bbox: string, count: number): Promise<void> {
    returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    el.hidden = false;
    heading.textContent = t.clusterHeading(count);
    list.replaceChildren();
    note.textContent = t.loading;
    try {
      const page = await ctx.api.queue({ bbox, limit: LIMIT, sort: 'priority', ...filterParams(ctx.filters) });
      note.textContent = page.features.length < count ? t.clusterMore(page.features.length, count) : '';
      for (const f of page.features) {
        const p = f.properties;
        const b = h(
          'button',
          { type: 'button', class: 'link-button' },
          `${labelOf(ctx, p.category)} ${t.reportNo(f.id)}`,
        );
        b.addEventListener('click', () => open(f.id, b));
        list.append(
          h(
            'li',
            {},
            h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
            ' ',
            b,
            ' ',
            h('span', { class: `badge badge--${p.status}` }, t.status(p.status)),
          ),
        );
      }
    } catch (err) {
      note.textContent = errorText(err, t.queueFailed);
    }
    heading.focus();
  }

  return { el, show };
}
