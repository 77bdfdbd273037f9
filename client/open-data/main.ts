/**
 * The researchers' page (/data): the static page already links every unfiltered download
 * (in English, for browsers without JavaScript); this renders it in the chosen language,
 * adds the filter form, keeps every link and command in step with it, and adds copy buttons.
 */
import { api, type Category } from '../lib/api';
import { byId, h, replaceChildren } from '../lib/dom';
import { formatDate, formatDistance, formatNumber } from '../lib/i18n';
import { staffLanguageSwitch } from '../lib/staff-language';
import { buildFilterForm, readFilter, showProblems } from './filters';
import { pageContent, rich } from './page';
import { loadOpenDataLanguage, t } from './strings';
import { EMPTY_FILTER, exportLinks, gdalCommands, ogcItemsUrl, releaseCommands, type DataFilter } from './urls';

const origin = window.location.origin;
let announceTimer: number | undefined;

/** Polite, and only once typing pauses: a screen reader should not hear every keystroke. */
function announce(text: string): void {
  window.clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    byId('announce').textContent = text;
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
        h('a', { href: link.href, download: true }, t.exports[link.id].label),
        h('span', { class: 'hint downloads__format' }, t.exports[link.id].format),
        h('code', { class: 'url' }, link.href),
      ),
    ),
  );
  const commands = gdalCommands(origin, filter);
  byId('cmd-qgis-gdal').textContent = commands.qgisGdal;
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
        'aria-label': t.copyLabel(code.id.replace('cmd-', '')),
      },
      t.copy,
    );
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(code.textContent ?? '').then(
        () => announce(t.copied),
        () => announce(t.copyFailed),
      );
    });
    code.parentElement!.after(button);
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

interface ReleaseList {
  releases: {
    id: string;
    created: string;
    rows: number;
    datapackage: string;
    files: { name: string; href: string; bytes: number }[];
  }[];
}

/** A file's size in the page's language: kB below a megabyte (never "0 MB"), else MB. */
const fileSize = (bytes: number) =>
  bytes < 1e6
    ? formatNumber(Math.max(1, Math.round(bytes / 1e3)), { style: 'unit', unit: 'kilobyte' })
    : formatNumber(bytes / 1e6, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });

/** How to cite the release: author, title and licence as its data package names them. */
async function citeRelease(datapackage: string, created: string): Promise<void> {
  try {
    const res = await fetch(new URL(datapackage, origin).pathname, { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const pkg = (await res.json()) as {
      title?: string;
      homepage?: string;
      contributors?: { title: string }[];
      licenses?: { title?: string; name?: string }[];
    };
    const author = pkg.contributors?.[0]?.title;
    const licence = pkg.licenses?.[0]?.title ?? pkg.licenses?.[0]?.name;
    if (!author || !pkg.title || !pkg.homepage || !licence) return;
    byId('release-cite').textContent = t.releaseCite(author, created.slice(0, 4), pkg.title, pkg.homepage, licence);
  } catch {
    // Without it the dated URLs above still say what to cite.
  }
}

/** The latest release and its files, from /releases/ (the page says so when there is none). */
async function loadReleases(): Promise<void> {
  const status = byId('release-latest');
  let list: ReleaseList;
  try {
    const res = await fetch('/releases/', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    list = (await res.json()) as ReleaseList;
  } catch {
    replaceChildren(status, ...rich(t.releaseFailed));
    return;
  }
  const latest = list.releases[0];
  if (!latest) {
    status.textContent = t.releaseNone;
    return;
  }
  status.textContent = t.releaseLatest(latest.id, formatDate(latest.created), latest.rows, formatNumber(latest.rows));
  void citeRelease(latest.datapackage, latest.created);
  const files = [{ name: 'datapackage.json', href: latest.datapackage, bytes: 0 }, ...latest.files];
  replaceChildren(
    byId('release-files'),
    files.map((f) => {
      const path = new URL(f.href, origin).pathname;
      return h(
        'li',
        {},
        h('a', { href: path }, t.releaseFiles[f.name] ?? f.name),
        f.bytes ? h('span', { class: 'hint downloads__format' }, fileSize(f.bytes)) : null,
        h('code', { class: 'url' }, `${origin}${path}`),
      );
    }),
  );
}

async function loadGrid(): Promise<void> {
  try {
    byId('grid-m').textContent = formatDistance((await api.config()).help_grid_m);
  } catch {
    // The static default stays.
  }
}

// The filters last for this tab, so a language switch (a reload) keeps them.
const FILTER_KEY = 'wegfrei:data-filters';

function saveForm(form: HTMLFormElement): void {
  const fields = [...form.querySelectorAll<HTMLInputElement>('input')].map((i) =>
    i.type === 'checkbox' ? i.checked : i.value,
  );
  try {
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(fields));
  } catch {
    // Storage may be blocked; nothing else depends on it.
  }
}

function restoreForm(form: HTMLFormElement): void {
  let fields: unknown;
  try {
    fields = JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null');
  } catch {
    return;
  }
  const inputs = [...form.querySelectorAll<HTMLInputElement>('input')];
  // Only when the form still has the same fields (the categories may have changed).
  if (!Array.isArray(fields) || fields.length !== inputs.length) return;
  inputs.forEach((input, i) => {
    const value: unknown = fields[i];
    if (input.type === 'checkbox') input.checked = value === true;
    else if (typeof value === 'string') input.value = value;
  });
}

function renderChrome(): void {
  document.title = t.title;
  byId('skip-link').textContent = t.skip;
  byId('site-section').textContent = t.section;
  byId('site-header').append(staffLanguageSwitch(t.languageNav));
  byId('main').replaceChildren(...pageContent(500, origin));
}

async function main(): Promise<void> {
  await loadOpenDataLanguage();
  renderChrome();
  addCopyButtons();
  renderLinks(EMPTY_FILTER);
  const release = releaseCommands(origin);
  byId('cmd-release-gdal').textContent = release.gdal;
  byId('cmd-release-duckdb').textContent = release.duckdb;
  byId('cmd-release-pandas').textContent = release.pandas;
  void loadLicence();
  void loadGrid();
  void loadReleases();

  const form = buildFilterForm(await loadCategories());
  byId('filters-slot').replaceWith(h('section', { class: 'card', 'aria-labelledby': 'filters-heading' }, form));
  const update = (quiet = false) => {
    saveForm(form);
    const result = readFilter(form);
    if ('problems' in result) {
      showProblems(form, result.problems);
      if (!quiet) announce(t.filtersInvalid);
      return;
    }
    showProblems(form, []);
    renderLinks(result.filter);
    if (!quiet) announce(t.linksUpdated(countFilters(result.filter)));
  };
  restoreForm(form);
  update(true);
  form.addEventListener('input', () => update());
  form.addEventListener('change', () => update());
  // After a reset the fields are cleared only once the event has run.
  form.addEventListener('reset', () => window.setTimeout(update, 0));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const result = readFilter(form);
    if ('problems' in result) showProblems(form, result.problems)?.focus();
  });
}

void main();
