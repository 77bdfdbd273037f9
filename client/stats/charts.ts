/**
 * The page's charts, drawn as inline SVG without a library. Each is one image to assistive
 * technology (role="img" with a sentence that says what it shows); the table beside it holds
 * the same numbers. Open is a solid bar, resolved a striped one, and every bar has its number
 * written beside it, so neither colour nor shape alone carries the meaning.
 */
import { h } from '../lib/dom';
import { t } from './strings';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The stripes of "resolved", defined once per page. */
export function patternDefs(): SVGSVGElement {
  const root = svg('svg', { width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false', class: 'chart-defs' });
  const pattern = svg('pattern', {
    id: 'stripes',
    patternUnits: 'userSpaceOnUse',
    width: 6,
    height: 6,
    patternTransform: 'rotate(45)',
  });
  pattern.append(svg('rect', { width: 6, height: 6, class: 'bar-resolved-bg' }));
  pattern.append(svg('rect', { width: 3, height: 6, class: 'bar-resolved-stripe' }));
  const defs = svg('defs', {});
  defs.append(pattern);
  root.append(defs);
  return root;
}

function swatch(kind: 'open' | 'resolved'): SVGSVGElement {
  const s = svg('svg', { width: 18, height: 18, viewBox: '0 0 18 18', 'aria-hidden': 'true', focusable: 'false' });
  s.append(svg('rect', { x: 1, y: 1, width: 16, height: 16, class: `bar-${kind}` }));
  return s;
}

/** The key to the bars: words beside their swatches. */
export function chartLegend(first: string, second: string): HTMLElement {
  return h(
    'ul',
    { class: 'chart-legend', 'aria-label': t.legend },
    h('li', {}, swatch('open'), first),
    h('li', {}, swatch('resolved'), second),
  );
}

export interface BarRow {
  label: string;
  open: number;
  resolved: number;
  /** The numbers as written beside the bars ("fewer than 3" where withheld). */
  openText: string;
  resolvedText: string;
}

function bar(kind: 'open' | 'resolved', value: number, max: number, text: string): HTMLElement {
  const width = max > 0 ? Math.max((value / max) * 100, value > 0 ? 0.5 : 0) : 0;
  const s = svg('svg', {
    class: 'hbar__svg',
    viewBox: '0 0 100 10',
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
    focusable: 'false',
  });
  s.append(svg('rect', { x: 0, y: 0, width: width.toFixed(2), height: 10, class: `bar-${kind}` }));
  return h('div', { class: 'hbar__line' }, s, h('span', { class: 'hbar__value' }, text));
}

/** Horizontal bars, two per row (open, resolved), labels and numbers in HTML so they reflow and zoom. */
export function barChart(rows: BarRow[], summary: string): HTMLElement {
  const max = Math.max(0, ...rows.flatMap((r) => [r.open, r.resolved]));
  return h(
    'div',
    { class: 'hbar', role: 'img', 'aria-label': summary },
    rows.map((r) =>
      h(
        'div',
        { class: 'hbar__row' },
        h('span', { class: 'hbar__label' }, r.label),
        bar('open', r.open, max, r.openText),
        bar('resolved', r.resolved, max, r.resolvedText),
      ),
    ),
  );
}

export interface Column {
  label: string;
  reported: number;
  resolved: number;
}

/**
 * Columns per period (reported solid, resolved striped) with the scale and the first and last
 * period written in HTML under and beside it.
 */
export function columnChart(columns: Column[], summary: string, maxText: (n: number) => string): HTMLElement {
  const max = Math.max(1, ...columns.flatMap((c) => [c.reported, c.resolved]));
  const step = 100 / Math.max(columns.length, 1);
  const s = svg('svg', {
    class: 'columns__svg',
    viewBox: '0 0 100 100',
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
    focusable: 'false',
  });
  s.append(
    svg('line', { x1: 0, y1: 100, x2: 100, y2: 100, class: 'columns__axis', 'vector-effect': 'non-scaling-stroke' }),
  );
  columns.forEach((c, i) => {
    const w = step * 0.4;
    const x = i * step + step * 0.1;
    const height = (n: number) => (n / max) * 100;
    s.append(svg('rect', { x, y: 100 - height(c.reported), width: w, height: height(c.reported), class: 'bar-open' }));
    s.append(
      svg('rect', {
        x: x + w,
        y: 100 - height(c.resolved),
        width: w,
        height: height(c.resolved),
        class: 'bar-resolved',
      }),
    );
  });
  return h(
    'div',
    { class: 'columns', role: 'img', 'aria-label': summary },
    h('div', { class: 'columns__scale', 'aria-hidden': 'true' }, h('span', {}, maxText(max)), h('span', {}, '0')),
    s,
    h(
      'div',
      { class: 'columns__ends', 'aria-hidden': 'true' },
      h('span', {}, columns[0]?.label ?? ''),
      h('span', {}, columns.length > 1 ? columns.at(-1)!.label : ''),
    ),
  );
}
