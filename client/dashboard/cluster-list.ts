/**
 * The reports of one cluster, listed over the map when zooming in further would not separate
 * them (the deepest cluster zoom). The heading names the place (place-name.ts) and counts the
 * reports the map's current filters show there; a filter change while it is open lists again.
 * Each entry opens the report's detail panel.
 */
import { h } from '../lib/dom';
import { errorText, type Deployment, type StaffCollection } from '../lib/staff-api';
import { middleOf, placePhrase } from './place-name';
import { filterParams, labelOf, type Ctx } from './state';
import { t } from './strings';
import './styles/cluster-list.css';

const LIMIT = 50;
/** Deployment areas name places; they change rarely, so a minute's copy is enough. */
const AREAS_FOR_MS = 60_000;

export function createClusterList(ctx: Ctx, open: (id: number, from: HTMLElement) => void) {
  const heading = h('h2', { id: 'cluster-heading', tabindex: -1 });
  const list = h('ul', { class: 'cluster-list__items' });
  const note = h('p', { class: 'hint', role: 'status' });
  const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': t.close }, '×');
  const el = h(
    'section',
    { class: 'cluster-list', 'aria-labelledby': 'cluster-heading', hidden: true },
    h('div', { class: 'panel-head' }, heading, h('span', { class: 'panel-head__spacer' }), close),
    list,
    note,
  );
  let returnTo: HTMLElement | null = null;
  let current: { bbox: string; count: number } | null = null;
  let asked = 0;
  let areas: { at: number; list: Deployment[] } | null = null;
  const hide = () => {
    el.hidden = true;
    current = null;
    returnTo?.focus();
  };
  close.addEventListener('click', hide);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      hide();
    }
  });

  async function deploymentAreas(): Promise<Deployment[]> {
    if (areas && Date.now() - areas.at < AREAS_FOR_MS) return areas.list;
    const list = await ctx.api.deployments().catch(() => [] as Deployment[]);
    areas = { at: Date.now(), list };
    return list;
  }

  async function load(): Promise<void> {
    if (!current) return;
    const { bbox, count } = current;
    const ask = ++asked;
    note.textContent = t.loading;
    try {
      const page: StaffCollection & { numberMatched?: number } = await ctx.api.queue({
        bbox,
        limit: LIMIT,
        sort: 'priority',
        ...filterParams(ctx.filters),
      });
      // Without the server's total, a full page means at least the map's count.
      const total = page.numberMatched ?? (page.features.length < LIMIT ? page.features.length : count);
      const [w, s, e, n] = bbox.split(',').map(Number) as [number, number, number, number];
      const place =
        total === 0
          ? ''
          : placePhrase(page.features, middleOf(page.features, [(w + e) / 2, (s + n) / 2]), await deploymentAreas());
      if (ask !== asked) return;
      heading.textContent = total === 0 ? t.clusterHeading(0) : t.clusterAt(total, place);
      note.textContent =
        total === 0 ? t.clusterNone : page.features.length < total ? t.clusterMore(page.features.length, total) : '';
      list.replaceChildren(
        ...page.features.map((f) => {
          const p = f.properties;
          const b = h(
            'button',
            { type: 'button', class: 'link-button' },
            `${labelOf(ctx, p.category)} ${t.reportNo(f.id)}`,
          );
          b.addEventListener('click', () => open(f.id, b));
          return h(
            'li',
            {},
            h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
            ' ',
            b,
            ' ',
            h('span', { class: `badge badge--${p.status}` }, t.status(p.status)),
          );
        }),
      );
    } catch (err) {
      if (ask === asked) note.textContent = errorText(err, t.queueFailed);
    }
  }

  async function show(bbox: string, count: number): Promise<void> {
    returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    el.hidden = false;
    current = { bbox, count };
    heading.textContent = t.clusterHeading(count);
    list.replaceChildren();
    await load();
    heading.focus();
  }

  // The map's filters changed: the same place, counted and listed again under them.
  ctx.hub.on('filters', () => void load());

  return { el, show };
}
