/**
 * The researchers' page (/data): the static page already links every unfiltered download;
 * this adds the filter form, keeps every link and command in step with it, and adds copy
 * buttons. English only, like the staff pages.
 */
import { api, type Category } from '../lib/api';
import { byId, h, replaceChildren } from '../lib/dom';
import { buildFilterForm, readFilter, showProblems } from './filters';
import { EMPTY_FILTER, exportLinks, gdalCommands, ogcItemsUrl, type DataFilter } from './urls';

const origin = window.location.origin;
const announcer = byId('announce');
let announceTimer: number | undefined;

/** Polite, and only once typing pauses: a screen reader should not hear every keystroke. */
function announce(text: string): void {
  window.clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    announcer.textContent = text;
  }, 700);
}

function countFilters(f: DataFilter): number {
  return (
    (f.bbox ? 1 : 0) +
    (f.from || f.to ? 1 : 0) +
    [f.categories, f.kinds, f.statuses, f.severities].filter((l) => l.length).length
  );
}

function renderLinks(filter: DataFilter): void {
  replaceChildren(
    byId('downloads'),
    exportLinks(origin, filter).map((link) =>
      h(
        'li',
        {},
        h('a', { href: link.href, download: true }, link.label),
        h('span', { class: 'hint' }, ` — ${link.format}`),
        h('code', { class: 'url' }, link.href),
      ),
    ),
  );
  const commands = gdalCommands(origin, filter);
  byId('cmd-ogrinfo').textContent = commands.ogrinfo;
  byId('cmd-ogr2ogr-ogc').textContent = commands.ogr2ogrOgc;
  byId('cmd-ogr2ogr-export').textContent = commands.ogr2ogrExport;
  const items = byId<HTMLAnchorElement>('ogc-items');
  items.href = ogcItemsUrl(origin, filter);
  items.textContent = items.href;
}

function addCopyButtons(): void {
  for (const code of document.querySelectorAll<HTMLElement>('pre > code[id]')) {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'button button--small',
        'aria-label': `Copy the command: ${code.id.replace('cmd-', '')}`,
      },
      'Copy',
    );
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(code.textContent ?? '').then(
        () => announce('Copied to the clipboard.'),
        () => announce('Copying is not allowed here; select the command and copy it by hand.'),
      );
    });
    code.parentElement!.after(button);
  }
}

function absoluteUrls(): void {
  for (const el of document.querySelectorAll<HTMLElement>('code.url[data-path]')) {
    el.textContent = `${origin}${el.dataset.path ?? ''}`;
  }
}

async function loadCategories(): Promise<Category[] | null> {
  try {
    return await api.categories();
  } catch {
    return null;
  }
}

async function loadLicence(): Promise<void> {
  // The collection links name the licence this server publishes under.
  try {
    const res = await fetch('/ogc/collections/reports', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const collection = (await res.json()) as { links?: { rel: string; href: string; title?: string }[] };
    const licence = collection.links?.find((l) => l.rel === 'license');
    if (!licence) return;
    const link = byId<HTMLAnchorElement>('licence-link');
    link.href = licence.href;
    link.textContent = licence.title ?? licence.href;
  } catch {
    // The static default stays.
  }
}

async function loadGrid(): Promise<void> {
  try {
    byId('grid-m').textContent = String((await api.config()).help_grid_m);
  } catch {
    // The static default stays.
  }
}

async function main(): Promise<void> {
  absoluteUrls();
  addCopyButtons();
  renderLinks(EMPTY_FILTER);
  void loadLicence();
  void loadGrid();

  const form = buildFilterForm(await loadCategories());
  byId('filters-slot').replaceWith(h('section', { class: 'card', 'aria-labelledby': 'filters-heading' }, form));
  const update = () => {
    const result = readFilter(form);
    if ('problems' in result) {
      showProblems(form, result.problems);
      announce('Some filters need fixing; the links keep the last valid filters.');
      return;
    }
    showProblems(form, []);
    renderLinks(result.filter);
    const n = countFilters(result.filter);
    announce(n ? `Links updated for ${n} filter${n === 1 ? '' : 's'}.` : 'Links updated: no filters, everything.');
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  // After a reset the fields are cleared only once the event has run.
  form.addEventListener('reset', () => window.setTimeout(update, 0));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const result = readFilter(form);
    if ('problems' in result) showProblems(form, result.problems)?.focus();
  });
}

void main();
