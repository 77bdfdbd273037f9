/**
 * The page's content in its language. data.html carries the same page in English for
 * browsers without JavaScript; with it, this replaces that copy so every word follows the
 * language choice. Ids stay the same, so main.ts fills in links and commands as before.
 */
import { h, type Child } from '../lib/dom';
import { formatDistance } from '../lib/i18n';
import { t } from './strings';

// The texts are this page's own strings, never input, so the alternation's backtracking is bounded.
// eslint-disable-next-line regexp/no-super-linear-move
const MARKUP = /(\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)]+\)|\{\w+\})/;

/** Turns the strings' small markup into elements: *strong*, `code`, [text](href), {slot}. */
export function rich(text: string, slots: Record<string, Node> = {}): Child[] {
  return text.split(MARKUP).map((part, i): Child => {
    if (i % 2 === 0) return part;
    if (part.startsWith('*')) return h('strong', {}, part.slice(1, -1));
    if (part.startsWith('`')) return h('code', {}, part.slice(1, -1));
    if (part.startsWith('{')) return slots[part.slice(1, -1)] ?? part;
    const m = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(part)!;
    return h('a', { href: m[2] }, m[1]);
  });
}

const command = (id: string, text: string) => h('pre', {}, h('code', { id }, text));

export function pageContent(gridM: number, origin: string): HTMLElement[] {
  const grid = h('span', { id: 'grid-m' }, formatDistance(gridM));
  const licence = h('a', { id: 'licence-link', href: 'https://opendatacommons.org/licenses/odbl/1-0/' }, 'ODbL 1.0');
  const url = (path: string, id?: string) => h('code', { class: 'url', id, 'data-path': path }, `${origin}${path}`);
  const items = h('a', { id: 'ogc-items', href: '/ogc/collections/reports/items' }, '/ogc/collections/reports/items');
  return [
    h('h1', {}, t.heading),
    h('p', { class: 'lead' }, t.lead),
    h(
      'ul',
      { class: 'facts' },
      t.facts.map((fact) => h('li', {}, rich(fact, { grid, licence }))),
    ),
    h('div', { id: 'filters-slot' }),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'downloads-heading' },
      h('h2', { id: 'downloads-heading' }, t.downloadsHeading),
      h('p', { class: 'hint' }, t.downloadsHint),
      h('ul', { class: 'downloads', id: 'downloads' }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'releases-heading' },
      h('h2', { id: 'releases-heading' }, t.releasesHeading),
      h('p', {}, t.releasesLead),
      h('p', { id: 'release-latest', role: 'status' }),
      h('p', { id: 'release-cite', class: 'cite' }),
      h('ul', { class: 'downloads', id: 'release-files' }),
      h('p', {}, t.releaseReadInPlace),
      command('cmd-release-gdal', ''),
      command('cmd-release-duckdb', ''),
      command('cmd-release-pandas', ''),
      h('p', {}, rich(t.releasesAll)),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ogc-heading' },
      h('h2', { id: 'ogc-heading' }, t.ogcHeading),
      h('p', {}, rich(t.ogcService, { url: url('/ogc', 'ogc-url') })),
      h('h3', {}, t.qgisHeading),
      h(
        'ol',
        {},
        t.qgisSteps.map((step) => h('li', {}, rich(step))),
      ),
      h('p', {}, rich(t.qgisGdal)),
      command('cmd-qgis-gdal', ''),
      h('h3', {}, t.gdalHeading),
      h('p', {}, t.gdalDescribe),
      command('cmd-ogrinfo', ''),
      h('p', {}, rich(t.gdalCopy)),
      command('cmd-ogr2ogr-ogc', ''),
      h('p', {}, t.gdalConvert),
      command('cmd-ogr2ogr-export', ''),
      h('p', {}, rich(t.ogcItems, { items })),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'open311-heading' },
      h('h2', { id: 'open311-heading' }, t.open311Heading),
      h('p', {}, rich(t.open311, { endpoint: url('/open311/v2') })),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'api-heading' },
      h('h2', { id: 'api-heading' }, t.apiHeading),
      h(
        'ul',
        { class: 'links' },
        t.apiLinks.map((link) => h('li', {}, rich(link))),
      ),
    ),
    h('p', { id: 'announce', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }),
  ];
}
