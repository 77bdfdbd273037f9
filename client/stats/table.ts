/**
 * A section's numbers as a real table: a caption, column headers and the first cell of each
 * row as its header, in a region of its own that scrolls sideways (focusable and named, so a
 * keyboard can scroll it) while the page itself reflows at 320 px.
 */
import { h } from '../lib/dom';
import { t } from './strings';

export type Cell = string;

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
            columns.map((c, i) =>
              h('th', { scope: 'col', class: i > 1 || (i === 1 && columns.length === 4) ? 'num' : undefined }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              {},
              r.map((cell, i) =>
                i === 0
                  ? h('th', { scope: 'row' }, cell)
                  : h('td', { class: i > 1 || (i === 1 && columns.length === 4) ? 'num' : undefined }, cell),
              ),
            ),
          ),
        ),
      ),
    ),
  ];
}
