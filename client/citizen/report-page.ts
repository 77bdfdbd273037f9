/**
 * A report's public page, served by the server for /reports/{id}: what was reported, how it
 * stands and what happened to it (./report-story.ts), its photos and place, and the question
 * that fits its state: "still there / gone" and "Affects me too" for an open barrier, "Is it
 * really fixed?" once resolved (./report-feedback.ts), none for passers-by of a help request.
 */
import L from 'leaflet';
import {
  api,
  ApiError,
  type AppConfig,
  type Category,
  type ConfirmationType,
  type ReportFeature,
  type Status,
  type Timeline,
} from '../lib/api';
import { announce, mountAnnouncers } from '../lib/announce';
import { createBaseMap, lonLat } from '../lib/basemap';
import { categoryIcon } from '../lib/category-icons';
import { categoryDescription, categoryLabel } from '../lib/categories';
import { byId, h, type Child } from '../lib/dom';
import { preferredLanguage } from '../lib/i18n';
import { loadLanguage, t } from '../lib/strings';
import { deviceToken } from './device-token';
import { createFollowBlock } from './follow';
import { createLanguageSwitch } from './language-switch';
import { reportMarkerIcon } from './markers';
import { isMine } from './my-reports-store';
import { affectedBlock, affectedTally, fixCheckBlock, fixCheckOutcome } from './report-feedback';
import { duplicateNotice, nextBlock, photosBlock, storyBlock } from './report-story';
import { startPwa } from './pwa';

const main = byId('main');
/** What is rebuilt on a language switch; the announcers beside it stay. */
const content = h('div');
let map: L.Map | null = null;

/** /reports/12 in production; ?id=12 on the dev server's report.html. */
function reportId(): number | null {
  const m = /\/reports\/(\d+)\/?$/.exec(location.pathname);
  const raw = m?.[1] ?? new URLSearchParams(location.search).get('id');
  const id = Number(raw);
  return raw && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function backLink(): HTMLElement {
  return h('p', { class: 'back' }, h('a', { href: '/' }, `← ${t.backToMap}`));
}

function showMessage(heading: string, text: string): void {
  document.title = `${heading} — ${t.appName}`;
  content.replaceChildren(backLink(), h('h1', {}, heading), h('p', { class: 'notice' }, text));
}

function fact(term: string, value: Child): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function confirmBlock(feature: ReportFeature): HTMLElement {
  const storeKey = `wegfrei:confirmed:${feature.id}`;
  const counts = h('p', { 'aria-live': 'polite' }, t.confirmCounts(feature.properties.confirmations));
  const thanks = h('p', { class: 'hint', role: 'status' });
  const buttons = (['still_there', 'gone'] as ConfirmationType[]).map((type) =>
    h('button', { type: 'button', class: 'button' }, type === 'still_there' ? t.stillThere : t.gone),
  );
  const answered = localStorage.getItem(storeKey) !== null;
  buttons.forEach((button, i) => {
    const type: ConfirmationType = i === 0 ? 'still_there' : 'gone';
    button.disabled = answered;
    button.addEventListener('click', async () => {
      for (const b of buttons) b.disabled = true;
      try {
        const result = await api.confirm(feature.id, type, deviceToken());
        feature.properties.confirmations = result.confirmations;
        counts.textContent = t.confirmCounts(result.confirmations);
        thanks.textContent = t.confirmRecorded;
        localStorage.setItem(storeKey, type);
      } catch {
        thanks.textContent = t.confirmFailed;
        for (const b of buttons) b.disabled = false;
      }
    });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'confirm-heading' },
    h('h2', { id: 'confirm-heading' }, t.confirmHeading),
    counts,
    h('div', { class: 'button-row' }, buttons),
    thanks,
  );
}

/**
 * A pending report's words, people count and photos are withheld, not missing: say so, where
 * the description would be, rather than show a page that looks as if nothing had been sent.
 */
function reviewNotice(): HTMLElement {
  return h(
    'div',
    { class: 'notice notice--review' },
    h('p', { class: 'notice__title pending-mark' }, t.reviewDetailsPending),
    h('p', {}, t.reviewDetailsPendingText),
  );
}

const OPEN: readonly Status[] = ['new', 'verified', 'assigned', 'in_progress'];

/** The question for this state; a help request asks passers-by nothing (its reporter may judge the help). */
function questionBlocks(view: View, onReopened: (message: string) => void): (HTMLElement | null)[] {
  const { feature, timeline, outcome } = view;
  if (outcome) return [fixCheckOutcome(outcome)];
  const p = feature.properties;
  if (p.kind === 'barrier' && OPEN.includes(p.status)) return [confirmBlock(feature), affectedBlock(feature)];
  const tally = p.kind === 'barrier' ? affectedTally(feature) : null;
  if (p.status === 'resolved' && (p.kind === 'barrier' || isMine(feature.id)))
    return [tally, fixCheckBlock(feature, timeline, onReopened)];
  return [tally];
}

interface View {
  feature: ReportFeature;
  timeline: Timeline | null;
  cat: Category | undefined;
  config: AppConfig;
  /** After "not fixed" reopened the report: said where the question was. */
  outcome?: string;
}

function render(view: View, onReopened: (message: string) => void): void {
  const { feature, cat, config, timeline } = view;
  const p = feature.properties;
  const label = categoryLabel(cat, p.category);
  const ll = lonLat(feature);
  document.title = t.reportTitle(label);

  const facts: HTMLElement[] = [
    ...fact(t.statusLabel, h('span', { class: `badge badge--${p.status}` }, t.status(p.status))),
    ...fact(t.severityLabel, `${p.severity} — ${t.severityShort(p.kind, p.severity)}`),
  ];
  if (p.kind === 'barrier' && p.passability) facts.push(...fact(t.passabilityLabel, t.passability(p.passability)));
  if (p.kind === 'help' && p.people_count) facts.push(...fact(t.peopleCountLabel, String(p.people_count)));
  if (p.address) facts.push(...fact(t.addressLabel, p.address));
  facts.push(...fact(t.reportedLabel, h('time', { datetime: p.created_at }, t.date(p.created_at))));
  if (p.updated_at && p.updated_at !== p.created_at)
    facts.push(...fact(t.updatedLabel, h('time', { datetime: p.updated_at }, t.date(p.updated_at))));

  const photos = photosBlock(feature, label);
  const mapEl = h('div', { class: 'map map--small', id: 'report-map' });
  map?.remove();
  content.replaceChildren(
    backLink(),
    h(
      'article',
      { class: 'report', 'aria-labelledby': 'report-heading' },
      h(
        'h1',
        { id: 'report-heading' },
        h('span', { class: 'report__icon', 'aria-hidden': 'true' }, categoryIcon(cat, p.category, 32)),
        label,
      ),
      h(
        'p',
        { class: 'hint' },
        [t.reportNumber(feature.id), cat ? categoryDescription(cat) : ''].filter(Boolean).join(' · '),
      ),
      isMine(feature.id) ? h('p', { class: 'notice notice--mine' }, t.yourReport) : null,
      duplicateNotice(feature),
      h('dl', { class: 'facts' }, facts),
      p.review === 'pending' ? reviewNotice() : null,
      p.description ? h('p', { class: 'report__description' }, p.description) : null,
      nextBlock(feature, timeline),
      storyBlock(timeline),
      photos?.section ?? null,
      h(
        'section',
        { 'aria-labelledby': 'location-heading' },
        h('h2', { id: 'location-heading' }, t.locationHeading),
        mapEl,
        h('p', { class: 'hint' }, t.coords(ll.lat, ll.lng)),
        p.kind === 'help' ? h('p', { class: 'hint' }, t.approximate(config.help_grid_m)) : null,
      ),
      ...questionBlocks(view, onReopened),
      p.status === 'duplicate' ? null : createFollowBlock(feature.id, { help: p.kind === 'help' }),
    ),
  );
  if (photos) content.append(photos.dialog);
  if (view.outcome) byId('fix-check').focus();

  map = createBaseMap(mapEl, config, {
    center: ll,
    zoom: 17,
    label: `${t.mapLabel}: ${label}`,
    zoomTitles: { zoomIn: t.zoomInTitle, zoomOut: t.zoomOutTitle },
  });
  L.marker(ll, { icon: reportMarkerIcon(feature, cat), keyboard: false, interactive: false }).addTo(map);
}

function renderChrome(): void {
  byId('skip-link').textContent = t.skipToContent;
  byId('brand-tagline').textContent = t.tagline;
  byId('footer-nav').setAttribute('aria-label', t.footerNav);
  byId('footer-data').textContent = t.footerOpenData;
  byId('footer-api').textContent = t.footerApi;
}

/** Fetches the report; `show` draws it (again, after a language switch, or anew after "not fixed"). */
async function load(id: number | null, outcome?: string): Promise<() => void> {
  if (id === null) return () => showMessage(t.notFoundHeading, t.notFoundText);
  try {
    const [feature, timeline, categories, config] = await Promise.all([
      api.report(id),
      // The story is the page's second part: without it the report still shows.
      api.timeline(id).catch(() => null),
      api.categories().catch(() => [] as Category[]),
      api.config().catch((): AppConfig => ({ tile_url: '', tile_attribution: '', help_grid_m: 500 })),
    ]);
    const cat = categories.find((c) => c.code === feature.properties.category);
    const view: View = { feature, timeline, cat, config, outcome };
    const draw = () =>
      render(view, (message) => {
        void load(id, message).then((next) => {
          show = next;
          next();
        });
      });
    return draw;
  } catch (err) {
    return err instanceof ApiError && (err.status === 404 || err.status === 400)
      ? () => showMessage(t.notFoundHeading, t.notFoundText)
      : () => showMessage(t.loadFailedHeading, t.loadFailed);
  }
}

/** What a language switch draws again. */
let show: () => void = () => undefined;

async function start(): Promise<void> {
  await loadLanguage(preferredLanguage()).catch(() => loadLanguage('en'));
  renderChrome();
  main.replaceChildren(content);
  mountAnnouncers(main);
  content.replaceChildren(h('p', { role: 'status' }, t.loading));
  show = await load(reportId());
  show();
  // A notification's link (/reports/{id}#fix-check) lands on the question, drawn after load.
  if (location.hash === '#fix-check') document.getElementById('fix-check')?.focus();
  if (content.querySelector('.report') === null) announce(content.textContent ?? '');

  const switcher = createLanguageSwitch(async (lang) => {
    await loadLanguage(lang, true);
    renderChrome();
    show();
    switcher.update();
  });
  byId('site-header').append(switcher.nav);
  startPwa();
}

void start();
