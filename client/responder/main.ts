/**
 * The responder's phone view at /responder: "My assignments" — reports assigned to me or my
 * team — as a list and a Leaflet map, with directions, Start and Resolve.
 */
import L from 'leaflet';
import { api as publicApi, type AppConfig, type Category, type ReportFeature } from '../lib/api';
import { mountAnnouncers } from '../lib/announce';
import { createBaseMap, lonLat, reportIcon } from '../lib/basemap';
import { categoryLabel, indexCategories } from '../lib/categories';
import { byId, h } from '../lib/dom';
import { errorText, StaffApi, type Session, type StaffFeature } from '../lib/staff-api';
import { staffLanguageSwitch } from '../lib/staff-language';
import { sessionOrLogin, showLogin } from '../lib/staff-login';
import { assignmentCard } from './assignment';
import { loadResponderLanguage, t } from './strings';

const FALLBACK_CONFIG: AppConfig = { tile_url: '', tile_attribution: '', help_grid_m: 500 };

async function start(): Promise<void> {
  await loadResponderLanguage();
  byId('skip-link').textContent = t.skip;
  document.title = t.appName;
  const main = byId('main');
  const header = byId('topbar');
  // Before signing in too: the form is in the chosen language.
  const languages = staffLanguageSwitch(t.languageNav);
  header.append(h('span', { class: 'topbar__spacer' }), languages);
  mountAnnouncers(document.body);
  const api = new StaffApi();
  main.replaceChildren(h('p', {}, t.loading));

  let current: Session;
  try {
    current = await sessionOrLogin(api, main, t);
  } catch {
    main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, t.loadFailed));
    return;
  }
  api.setSession(current);
  api.onExpired = () => {
    main.replaceChildren();
    void showLogin(main, api, { ...t.login, intro: t.sessionExpired }).then(() => location.reload());
  };
  document.title = `${t.heading} — ${t.appName}`;

  const logout = h('button', { type: 'button', class: 'button button--small button--on-dark' }, t.logout);
  logout.addEventListener('click', () => {
    void api
      .logout()
      .catch(() => undefined)
      .then(() => location.assign('/responder'));
  });
  languages.before(h('span', { class: 'topbar__user' }, current.user.name || current.user.email), logout);

  const [config, categories] = await Promise.all([
    publicApi.config().catch(() => FALLBACK_CONFIG),
    publicApi.categories().catch(() => [] as Category[]),
  ]);
  const cats = indexCategories(categories);

  const heading = h('h1', { id: 'page-title', tabindex: -1 }, t.heading);
  const count = h('p', { class: 'hint', role: 'status' });
  const refresh = h('button', { type: 'button', class: 'button button--small' }, t.refresh);
  const notice = h('p', { class: 'hint', role: 'status' });
  const mapEl = h('div', { class: 'responder-map' });
  const list = h('ol', { class: 'assignments', 'aria-labelledby': 'page-title' });
  main.replaceChildren(
    h('div', { class: 'page-head' }, heading, refresh),
    count,
    h('p', { id: 'map-help', class: 'visually-hidden' }, t.mapHelp),
    mapEl,
    notice,
    list,
  );

  const map = createBaseMap(mapEl, config, {
    center: [51.16, 10.45],
    zoom: 5,
    label: t.mapLabel,
    describedBy: 'map-help',
    zoomTitles: { zoomIn: t.zoomIn, zoomOut: t.zoomOut },
    onTilesFailed: () => (notice.textContent = t.tilesFailed),
  });
  const markers = L.layerGroup().addTo(map);
  const items = new Map<number, HTMLElement>();

  function showOnMap(f: StaffFeature): void {
    map.setView(lonLat(f), Math.max(map.getZoom(), 17));
    mapEl.scrollIntoView({ block: 'nearest' });
  }

  function render(f: StaffFeature): HTMLElement {
    return assignmentCard(api, f, cats.get(f.properties.category), {
      showOnMap,
      changed: (updated) => {
        const li = items.get(updated.id);
        if (!li) return;
        li.replaceChildren(render(updated));
        li.querySelector<HTMLElement>('h2')?.focus();
      },
    });
  }

  async function load(): Promise<void> {
    count.textContent = t.loading;
    try {
      const fc = await api.myAssignments();
      const features = [...fc.features].sort((a, b) => (b.properties.priority ?? 0) - (a.properties.priority ?? 0));
      items.clear();
      markers.clearLayers();
      list.replaceChildren(
        ...features.map((f) => {
          const li = h('li', {}, render(f));
          items.set(f.id, li);
          const label = categoryLabel(cats.get(f.properties.category), f.properties.category);
          L.marker(lonLat(f as unknown as ReportFeature), {
            icon: reportIcon(f as unknown as ReportFeature, cats.get(f.properties.category)),
            title: t.reportTitle(label, f.id),
            alt: t.reportTitle(label, f.id),
          })
            .on('click', () => li.querySelector<HTMLElement>('h2')?.focus())
            .addTo(markers);
          return li;
        }),
      );
      count.textContent = t.count(features.length);
      if (features.length) {
        const bounds = L.latLngBounds(features.map((f) => lonLat(f as unknown as ReportFeature)));
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
      }
    } catch (err) {
      count.textContent = errorText(err, t.loadFailed);
    }
  }
  refresh.addEventListener('click', () => void load());
  await load();
}

void start();
