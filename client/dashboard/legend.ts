/** The map legend: what the symbols' rings, fills, shapes and numbers mean. */
import { h } from '../lib/dom';
import { legendCanvas } from './map-icons';
import { t } from './strings';

export function createLegend(): HTMLElement {
  const item = (id: string, label: string) => h('li', {}, legendCanvas(id, label), h('span', {}, label));
  return h(
    'details',
    { class: 'legend' },
    h('summary', {}, t.legend),
    h(
      'ul',
      {},
      item('rp-barrier-2-0', t.legendBarrier),
      item('rp-help-2-0', t.legendHelp),
      item('cl-12-3-1', t.legendMixed),
      item('cl-5-0-1', t.legendSeverity(1)),
      item('cl-5-0-2', t.legendSeverity(2)),
      item('cl-5-0-3', t.legendSeverity(3)),
      item('rp-barrier-1-1', t.legendClosed),
    ),
  );
}
