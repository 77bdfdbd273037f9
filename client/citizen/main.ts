/**
 * The citizen app: one page, three steps (where, what, details), a send bar within thumb
 * reach, and the reports already in the map view. The form never depends on the map
 * having loaded: typed coordinates are always enough.
 */
import { api, type AppConfig, type Category, type ReportDraft, type ReportFeature } from '../lib/api';
import { mountAnnouncers } from '../lib/announce';
import { categoryLabel, indexCategories } from '../lib/categories';
import { byId, h } from '../lib/dom';
import { t } from '../lib/strings';
import { createCategoryStep } from './category-step';
import { createDetailsStep } from './details';
import { FieldErrors } from './errors';
import { createReportList } from './list';
import { createNearbyPanel } from './nearby';
import { createPhotoPicker } from './photos';
import { createPlaceStep } from './place';
import { createDoneView, createSender, type Outgoing } from './send';
import { DraftState } from './state';

const FALLBACK_CONFIG: AppConfig = { tile_url: '', tile_attribution: '', help_grid_m: 500 };

function renderHeader(): void {
  byId('skip-link').textContent = t.skipToForm;
  byId('brand-tagline').textContent = t.tagline;
  document.title = `${t.title} — ${t.appName}`;
}

async function start(): Promise<void> {
  renderHeader();
  const main = byId('main');
  const state = new DraftState();
  const errors = new FieldErrors();

  const place = createPlaceStep(state, errors);
  const category = createCategoryStep(state, errors);
  const details = createDetailsStep(state, errors);
  const photos = createPhotoPicker(state, errors);
  details.photoSlot.append(photos.fieldset);
  const list = createReportList(state);

  const form = h('form', {
    id: 'report-form',
    class: 'report-form',
    novalidate: true,
    'aria-labelledby': 'page-title',
  });
  const done = createDoneView(() => {
    resetForm();
    done.section.hidden = true;
    form.hidden = false;
    byId('page-title').focus();
  });

  function showDone(title: string, body: string, feature: ReportFeature): void {
    form.hidden = true;
    done.show(title, body, feature.id);
    list.refresh();
  }

  const nearby = createNearbyPanel(state, (feature) => {
    const label = categoryLabel(state.category ?? undefined);
    showDone(
      t.confirmThanks,
      `${label} — ${t.reportNumber(feature.id)}. ${t.confirmCounts(feature.properties.confirmations)}`,
      feature,
    );
  });
  const sender = createSender(errors, (feature) => {
    showDone(t.sentHeading, t.sentText(feature.id), feature);
  });

  function resetForm(): void {
    errors.clear();
    place.reset();
    category.reset();
    details.reset();
    photos.reset();
    nearby.hide();
    sender.reset();
  }

  /** Validates what only the client can know is missing; ranges and the rest are the server's. */
  function collect(): Outgoing | null {
    const problems: { field: string; detail: string }[] = [];
    const cat: Category | null = state.category;
    const where = state.place;
    const v = details.values();
    if (!where) problems.push({ field: 'lat', detail: t.placeRequired });
    if (!cat) problems.push({ field: 'category', detail: t.categoryRequired });
    if (!v.severity)
      problems.push({ field: 'severity', detail: cat?.kind === 'help' ? t.severityRequiredHelp : t.severityRequired });
    if (cat?.kind === 'help' && v.peopleCount === 'invalid')
      problems.push({ field: 'people_count', detail: t.peopleInvalid });
    if (problems.length || !where || !cat || !v.severity) {
      errors.show(problems);
      sender.showInvalid(errors.count());
      return null;
    }
    const draft: ReportDraft = {
      kind: cat.kind,
      category: cat.code,
      lat: Number(where.lat.toFixed(7)),
      lon: Number(where.lon.toFixed(7)),
      severity: v.severity,
    };
    if (where.accuracyM !== null) draft.accuracy_m = where.accuracyM;
    if (v.description) draft.description = v.description;
    if (cat.kind === 'barrier' && v.passability) draft.passability = v.passability;
    if (cat.kind === 'help' && typeof v.peopleCount === 'number') draft.people_count = v.peopleCount;
    const address = place.address();
    if (address) draft.address = address;
    if (v.contact) draft.contact = v.contact;
    return { draft, photos: photos.files() };
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    errors.clear();
    const outgoing = collect();
    if (outgoing) void sender.send(outgoing);
  });

  form.append(place.section, category.section, nearby.section, details.section, sender.bar);
  main.append(
    h('h1', { id: 'page-title', tabindex: -1 }, t.title),
    h('p', { class: 'intro' }, t.intro),
    form,
    done.section,
    list.section,
  );
  mountAnnouncers(main);

  // The map and the categories load side by side; either may fail without blocking the other.
  const [config, categories] = await Promise.allSettled([api.config(), api.categories()]);
  const reportMap = place.mountMap(config.status === 'fulfilled' ? config.value : FALLBACK_CONFIG);
  const catList = categories.status === 'fulfilled' ? categories.value : [];
  if (categories.status === 'fulfilled') category.setCategories(catList);
  else category.showLoadError();
  list.attach(reportMap, indexCategories(catList));
  await centreOnKnownPosition(reportMap.map);
}

/**
 * If the person already allowed location access, start the map where they are — without
 * placing the pin: the place of a report is always their explicit choice.
 */
async function centreOnKnownPosition(map: import('leaflet').Map): Promise<void> {
  try {
    const perm = await navigator.permissions?.query({ name: 'geolocation' });
    if (perm?.state !== 'granted') return;
    navigator.geolocation.getCurrentPosition(
      (pos) => map.setView([pos.coords.latitude, pos.coords.longitude], 17),
      () => undefined,
      { maximumAge: 60_000, timeout: 10_000 },
    );
  } catch {
    // Permissions API missing: keep the saved or default view.
  }
}

void start();
