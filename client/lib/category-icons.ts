/**
 * Category icons as inline SVG, drawn for Wegfrei (no third-party set, nothing fetched).
 * The taxonomy's emoji (`icon` in /api/v1/categories) are empty boxes on phones whose fonts
 * lack them (🪜 and 🛗 came with Unicode 13 and 14), so every page draws these instead.
 *
 * Each icon is stroke-only path data on a 24 × 24 grid, drawn in `currentColor` with round
 * caps, so it follows the text colour (dark mode, high contrast). A dot is a zero-length segment ("h.01"), which round caps draw as a disc.
 */
import type { Category } from './api';

const PATHS: Record<string, string[]> = {
  // A raised kerb with an arrow: no ramp down.
  kerb_missing: ['M2 10h9v9h11', 'M17 4v8', 'M14 9l3 3 3-3'],
  // A ramp with a crack in it.
  kerb_defect: ['M2 9h6l8 10h6', 'M18 4l4 4', 'M22 4l-4 4'],
  steps: ['M3 20h5v-5h5v-5h5V5h3'],
  obstacle: ['M12 3L2 20h20z', 'M12 9v5', 'M12 17h.01'],
  // Broken ground: a hole in the line of the path, cracks around it.
  surface: ['M2 15h4', 'M18 15h4', 'M6 15c1.5 4 10.5 4 12 0', 'M8 11l2-3 2 2 2-3'],
  narrow: ['M4 3v18', 'M20 3v18', 'M7 12h10', 'M10 9l-3 3 3 3', 'M14 9l3 3-3 3'],
  slope: ['M3 20L21 6v14z', 'M16 20v-3h2'],
  // A walking person struck through: no footway.
  no_sidewalk: ['M12 3h.01', 'M12 7v6', 'M12 13l-3 7', 'M12 13l3 7', 'M8 10h8', 'M3 21L21 3'],
  crossing: ['M3 4v16', 'M21 4v16', 'M7 6v12', 'M12 6v12', 'M17 6v12'],
  signal: ['M8 2h8v20H8z', 'M12 6.5h.01', 'M12 12h.01', 'M12 17.5h.01'],
  entrance: ['M6 21V3h12v18', 'M3 21h18', 'M14.5 12h.01'],
  // "WC", drawn: a W and a C.
  toilet: ['M2 7l2 10 2.5-7 2.5 7 2-10', 'M21 8.5a4 4 0 1 0 0 7'],
  lift: ['M4 3h16v18H4z', 'M8.5 10l3.5-3.5 3.5 3.5', 'M8.5 14l3.5 3.5 3.5-3.5'],
  parking: ['M4 3h16v18H4z', 'M9.5 17V7h3.5a3 3 0 0 1 0 6H9.5'],
  // A road-works barrier with its stripes and legs.
  works: ['M3 8h18v6H3z', 'M8 8l-3 6', 'M13 8l-3 6', 'M18 8l-3 6', 'M6 14v6', 'M18 14v6'],
  other_barrier: [
    'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20',
    'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5',
    'M12 17h.01',
  ],
  help_assist: ['M12 20s-8-5-8-10.5a4 4 0 0 1 8-1.5a4 4 0 0 1 8 1.5c0 5.5-8 10.5-8 10.5z'],
  help_evacuation: [
    'M2 6h12v11H2z',
    'M14 10h4l4 4v3h-8',
    'M4 19a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
    'M15 19a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
  ],
  help_medical: ['M9 3h6v6h6v6h-6v6H9v-6H3V9h6z'],
  help_equipment: ['M14.5 3.5a5 5 0 0 0-5.6 6.6L3 16l5 5 5.9-5.9a5 5 0 0 0 6.6-5.6l-3 3-3-1-1-3z'],
  help_shelter: ['M3 11l9-8 9 8', 'M5 9.5V21h14V9.5', 'M10 21v-6h4v6'],
  help_food_water: ['M12 3s-6 7-6 11.5a6 6 0 0 0 12 0C18 10 12 3 12 3z'],
  help_info: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M12 11v6', 'M12 7.5h.01'],
  help_other: [
    'M8 13V6.5a1.5 1.5 0 0 1 3 0V11',
    'M11 11V4.5a1.5 1.5 0 0 1 3 0V11',
    'M14 11V6a1.5 1.5 0 0 1 3 0v6',
    'M17 12V9a1.5 1.5 0 0 1 3 0v5a8 8 0 0 1-8 8h-.5a7 7 0 0 1-5.6-2.8L3.3 16a1.5 1.5 0 0 1 2.4-1.8L8 16.5',
  ],
};

/** Marks the apps draw beside words, for the same reason: an hourglass emoji is a box on old phones. */
const MARKS: Record<'waiting', string[]> = {
  waiting: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M12 6v6l4 2'],
};

/** For a category this client does not know yet (the taxonomy grows on the server). */
const FALLBACK: Record<'barrier' | 'help', string[]> = {
  barrier: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M7 12h10'],
  help: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M12 7v6', 'M12 16.5h.01'],
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The path data of a category's icon. */
export function iconPaths(code: string, kind: 'barrier' | 'help' = 'barrier'): string[] {
  return PATHS[code] ?? (code.startsWith('help_') ? FALLBACK.help : FALLBACK[kind]);
}

/** A decorative mark (aria-hidden) in `currentColor`. */
export function markIcon(name: keyof typeof MARKS, size = 24): SVGSVGElement {
  const svg = categoryIcon(undefined, '', size);
  svg.replaceChildren(
    ...MARKS[name].map((d) => {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      return path;
    }),
  );
  return svg;
}

/** A decorative icon (aria-hidden): the category's name is always written beside it. */
export function categoryIcon(cat: Category | undefined, code = cat?.code ?? '', size = 24): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'category-icon');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.dataset.category = code;
  for (const d of iconPaths(code, cat?.kind)) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
