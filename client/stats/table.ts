/**
 * A section's numbers as a real table: a caption, column headers and the first cell of each
 * row as its header, in a region of its own that scrolls sideways (focusable and named, so a
 * keyboard can scroll it) while the page itself reflows at 320 px.
 */
import { h } from '../lib/dom';
import { t } from './strings';

/** A cell's text; a row header may carry a second line (the kind), read after a comma. */
export type Cell = string | { label: string; note: string };

function rowHeader(cell: Cell): HTMLElement {
  if (typeof cell === 'string') return h('th', { scope: 'row' }, cell);
  return h(
    'th',
    { scope: 'row' },
    cell.label,
    h('span', { class: 'visually-hidden' }, ', '),
    h('span', { class: 'numbers__note' }, cell.note),
  );
}

export function dataTable(id: string, caption: string, columns: string[], rows: Cell[][]): HTMLElement[] {
  const captionId = `${id}-caption`;
  // The caption is read with the table; its visible copy sits above the scrolling region, so a
  // wide table at 320 px does not cut its title off.
  return [
    h('p', { class: 'table-title', 'aria-hidden': 'true' }, caption),
    h(
      'div',
      { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': t.tableRegion(caption) },
      h(
        'table',
        { class: 'numbers', id: `${id}-table` },
        h('caption', { id: captionId, class: 'visually-hidden' }, caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              {},
              r.map((cell, i) => (i === 0 ? rowHeader(cell) : h('td', { class: 'num' }, cell as string))),
            ),
          ),
        ),
      ),
    ),
  ];
}
