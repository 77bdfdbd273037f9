/**
 * The map's legend, under the map: what the badges' shapes and rings mean, what the blue
 * discs and the small numbers are, and every category's icon with its name. Folded by
 * default (a <details>), so it costs the form no room until someone asks.
 */
import type { Category, Severity } from '../lib/api';
import { categoryLabel } from '../lib/categories';
import { categoryIcon } from '../lib/category-icons';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

export interface MapLegend {
  el: HTMLElement;
  setCategories(list: Category[]): void;
}

/** A still copy of a map symbol, drawn with the map's own classes. */
function sample(className: string, content: Node | string): HTMLElement {
  return h('span', { class: `legend__sample ${className}`, 'aria-hidden': 'true' }, content);
}

export function createMapLegend(): MapLegend {
  const categories = h('ul', { class: 'legend__categories' });
  const catHeading = h('h3', { class: 'legend__subheading', hidden: true }, t.legendCategories);
  const row = (symbol: HTMLElement, text: string) => h('li', {}, symbol, h('span', {}, text));
  const el = h(
    'details',
    { class: 'legend' },
    h('summary', {}, t.legendHeading),
    h(
      'ul',
      { class: 'legend__symbols' },
      row(
        sample('report-marker report-marker--barrier report-marker--sev1', categoryIcon(undefined, 'steps', 18)),
        t.legendBarrier,
      ),
      row(
        sample('report-marker report-marker--help report-marker--sev1', categoryIcon(undefined, 'help_assist', 18)),
        t.legendHelp,
      ),
      ...([1, 2, 3] as Severity[]).map((level) =>
        row(sample(`report-marker report-marker--barrier report-marker--sev${level}`, ''), t.legendRing(level)),
      ),
      row(
        sample(
          'cluster-marker cluster-marker--sev3 legend__cluster',
          h('span', { class: 'cluster-marker__disc' }, '12'),
        ),
        t.legendCluster,
      ),
      row(
        sample(
          'report-marker report-marker--barrier report-marker--sev2',
          h(
            'span',
            { class: 'report-marker__stack' },
            categoryIcon(undefined, 'obstacle', 18),
            h('span', { class: 'report-marker__count' }, '3'),
          ),
        ),
        t.legendStack,
      ),
    ),
    catHeading,
    categories,
  );
  return {
    el,
    setCategories(list) {
      catHeading.hidden = list.length === 0;
      categories.replaceChildren(
        ...list.map((cat) =>
          h(
            'li',
            {},
            h('span', { class: 'legend__icon', 'aria-hidden': 'true' }, categoryIcon(cat, cat.code, 20)),
            h('span', {}, categoryLabel(cat)),
          ),
        ),
      );
    },
  };
}
