/**
 * Created vs resolved per day as an inline SVG line chart. Two series that differ in colour
 * (Okabe–Ito blue and vermillion), line style and marker shape, so no one needs colour to tell
 * them apart. The numbers are also offered as a table (overview.ts).
 */
const NS = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(v: number): number {
  if (v <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}

export interface Series {
  label: string;
  values: number[];
  colour: string;
  dash?: string;
  marker: 'circle' | 'square';
}

export function lineChart(days: string[], series: Series[], label: string): SVGSVGElement {
  const W = 760;
  const H = 240;
  const pad = { l: 44, r: 16, t: 16, b: 40 };
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const x = (i: number) => pad.l + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (W - pad.l - pad.r));
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);

  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'aria-label': label,
  }) as SVGSVGElement;
  const axes = el('g', { class: 'chart__axes', 'aria-hidden': 'true' });
  for (let k = 0; k <= 4; k += 1) {
    const v = (max / 4) * k;
    axes.append(el('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'chart__grid' }));
    axes.append(
      el(
        'text',
        { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart__tick' },
        String(Math.round(v * 10) / 10),
      ),
    );
  }
  const every = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((d, i) => {
    const last = days.length - 1;
    if (i !== last && (i % every !== 0 || last - i < every / 2)) return;
    axes.append(el('text', { x: x(i), y: H - pad.b + 18, 'text-anchor': 'middle', class: 'chart__tick' }, d.slice(5)));
  });
  svg.append(axes);

  series.forEach((s, n) => {
    const g = el('g', { 'aria-hidden': 'true' });
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    g.append(
      el('polyline', {
        points,
        fill: 'none',
        stroke: s.colour,
        'stroke-width': 2.5,
        ...(s.dash ? { 'stroke-dasharray': s.dash } : {}),
      }),
    );
    s.values.forEach((v, i) => {
      g.append(
        s.marker === 'circle'
          ? el('circle', { cx: x(i), cy: y(v), r: 3.5, fill: s.colour })
          : el('rect', { x: x(i) - 3.5, y: y(v) - 3.5, width: 7, height: 7, fill: s.colour }),
      );
    });
    // Legend, top left.
    const lx = pad.l + 12 + n * 150;
    g.append(
      el('line', {
        x1: lx,
        x2: lx + 26,
        y1: pad.t + 4,
        y2: pad.t + 4,
        stroke: s.colour,
        'stroke-width': 2.5,
        ...(s.dash ? { 'stroke-dasharray': s.dash } : {}),
      }),
    );
    g.append(el('text', { x: lx + 32, y: pad.t + 8, class: 'chart__legend' }, s.label));
    svg.append(g);
  });
  return svg;
}
