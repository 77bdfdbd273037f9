/**
 * The map's symbols, drawn on a canvas when MapLibre first asks for them (its missing-image resolver),
 * so the map needs no sprite or glyph server — the operations room may be offline.
 *
 * Colours are from the Okabe–Ito palette, which stays distinct with every common colour-vision
 * deficiency, and nothing relies on colour alone: the count or severity is written inside,
 * kind is also the shape (round barrier, square help), closed reports are faded and dashed.
 */
export const COLOURS = {
  barrier: '#0072b2',
  help: '#e69f00',
  sevFill: { 1: '#ffffff', 2: '#f6c6c6', 3: '#8e1b1b' } as Record<number, string>,
  sevText: { 1: '#16202b', 2: '#16202b', 3: '#ffffff' } as Record<number, string>,
  closed: '#66727f',
  outline: '#16202b',
};

const RATIO = 2;

export function clusterRadius(count: number): number {
  return Math.round(13 + 5 * Math.log10(Math.max(1, count)));
}

export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function canvas(size: number): CanvasRenderingContext2D {
  const c = document.createElement('canvas');
  c.width = size * RATIO;
  c.height = size * RATIO;
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('2d canvas unavailable');
  ctx.scale(RATIO, RATIO);
  return ctx;
}

function text(ctx: CanvasRenderingContext2D, value: string, x: number, y: number, px: number, colour: string): void {
  ctx.fillStyle = colour;
  ctx.font = `700 ${px}px system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(value, x, y + 0.5);
}

/** A cluster: a ring split by the share of help requests (in eighths), a disc by severity. */
function cluster(count: number, helpEighths: number, sev: number): ImageData {
  const r = clusterRadius(count);
  const size = 2 * r + 4;
  const ctx = canvas(size);
  const c = size / 2;
  const ring = Math.max(4, Math.round(r / 3.5));
  const helpShare = helpEighths / 8;
  const start = -Math.PI / 2;
  const parts: [number, string][] = [
    [1 - helpShare, COLOURS.barrier],
    [helpShare, COLOURS.help],
  ];
  let angle = start;
  for (const [share, colour] of parts) {
    if (share <= 0) continue;
    ctx.beginPath();
    ctx.moveTo(c, c);
    ctx.arc(c, c, r, angle, angle + share * 2 * Math.PI);
    ctx.closePath();
    ctx.fillStyle = colour;
    ctx.fill();
    angle += share * 2 * Math.PI;
  }
  ctx.beginPath();
  ctx.arc(c, c, r, 0, 2 * Math.PI);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = COLOURS.outline;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(c, c, r - ring, 0, 2 * Math.PI);
  ctx.fillStyle = COLOURS.sevFill[sev] ?? COLOURS.sevFill[1]!;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.stroke();
  const label = shortCount(count);
  const px = label.length > 3 ? 10 : 12;
  text(ctx, label, c, c, px, COLOURS.sevText[sev] ?? COLOURS.outline);
  return ctx.getImageData(0, 0, size * RATIO, size * RATIO);
}

/** A single report: shape = kind, border colour = kind, fill = severity, its number inside. */
function report(kind: string, sev: number, closed: boolean): ImageData {
  const size = 26;
  const ctx = canvas(size);
  const c = size / 2;
  const r = 10;
  ctx.globalAlpha = closed ? 0.55 : 1;
  ctx.beginPath();
  if (kind === 'help') ctx.roundRect(c - r, c - r, 2 * r, 2 * r, 4);
  else ctx.arc(c, c, r, 0, 2 * Math.PI);
  ctx.fillStyle = COLOURS.sevFill[sev] ?? COLOURS.sevFill[1]!;
  ctx.fill();
  ctx.lineWidth = 3.5;
  ctx.strokeStyle = closed ? COLOURS.closed : kind === 'help' ? COLOURS.help : COLOURS.barrier;
  if (closed) ctx.setLineDash([3, 2]);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLOURS.outline;
  ctx.beginPath();
  if (kind === 'help') ctx.roundRect(c - r - 2, c - r - 2, 2 * r + 4, 2 * r + 4, 5);
  else ctx.arc(c, c, r + 2, 0, 2 * Math.PI);
  ctx.stroke();
  text(ctx, String(sev), c, c, 12, COLOURS.sevText[sev] ?? COLOURS.outline);
  return ctx.getImageData(0, 0, size * RATIO, size * RATIO);
}

/** Draws the image a style expression named, or null for names that are not ours. */
export function drawIcon(id: string): { data: ImageData; pixelRatio: number } | null {
  let m = /^cl-(\d+)-(\d)-(\d)$/.exec(id);
  if (m) return { data: cluster(Number(m[1]), Number(m[2]), Number(m[3])), pixelRatio: RATIO };
  m = /^rp-(barrier|help)-(\d)-([01])$/.exec(id);
  if (m) return { data: report(m[1]!, Number(m[2]), m[3] === '1'), pixelRatio: RATIO };
  return null;
}

/** The same symbols as small canvases for the legend. */
export function legendCanvas(id: string, label: string): HTMLElement {
  const icon = drawIcon(id);
  const el = document.createElement('canvas');
  el.setAttribute('aria-hidden', 'true');
  if (!icon) return el;
  el.width = icon.data.width;
  el.height = icon.data.height;
  el.style.width = `${icon.data.width / RATIO}px`;
  el.style.height = `${icon.data.height / RATIO}px`;
  el.getContext('2d')?.putImageData(icon.data, 0, 0);
  el.title = label;
  return el;
}
