/**
 * The citizen app's page: three steps (where, what, details), a send bar within thumb reach,
 * my reports, and the reports already in the map view. The form never depends on the map
 * having loaded: typed coordinates are always enough.
 *
 * A language switch builds the page again in the new language; snapshot() carries what the
 * person entered (place, category, fields, photos, the result shown) across.
 */
import type { AppConfig, Category, ReportDraft } from '../lib/api';
import { announce } from '../lib/announce';
import { reducedMotion } from '../lib/basemap';
import { categoryLabel, indexCategories } from '../lib/categories';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { createCategoryStep } from './category-step';
import { createDetailsStep } from './details';
import { FieldErrors } from './errors';
import { listen } from './events';
import { createReportList } from './list';
import type { ReportMap } from './map';
import { createMyReports } from './my-reports';
import { createNearbyPanel } from './nearby';
import { createPhotoPicker, type ChosenPhoto } from './photos';
import { createPlaceStep } from './place';
import { canInstall, install, updateReady } from './pwa';
import { createDoneView, createSender, sentState, type DoneState, type Outgoing } from './send';
import { DraftState, type Place } from './state';

export interface AppData {
  config: AppConfig;
  /** Null when the categories could not load. */
  categories: Category[] | null;
}

/** What the person entered, carried from one rendering of the page to the next. */
export interface Carry {
  place: Place | null;
  category: string | null;
  fields: [string, string][];
  photos: ChosenPhoto[];
  done: DoneState | null;
}

export interface CitizenApp {
  /** Resolves when no report is being sent, so a rebuild never cuts one off. */
  settled(): Promise<void>;
  snapshot(): Carry;
  destroy(): void;
}

/** Offline, the person is told once what still works; the notice leaves when the connection is back. */
function connectionNotice(signal: AbortSignal): HTMLElement {
  const notice = h('p', { class: 'notice notice--offline', role: 'status' });
  const update = (changed: boolean) => {
    notice.textContent = navigator.onLine ? '' : t.offline;
    if (changed && navigator.onLine) announce(t.backOnline);
  };
  window.addEventListener('online', () => update(true), { signal });
  window.addEventListener('offline', () => update(true), { signal });
  update(false);
  return notice;
}

function updateNotice(signal: AbortSignal): HTMLElement {
  const reload = h('button', { type: 'button', class: 'button button--small' }, t.loadUpdate);
  reload.addEventListener('click', () => location.reload());
  const text = h('span');
  const notice = h('div', { class: 'notice notice--update', role: 'status' }, text, ' ', reload);
  const show = () => {
    notice.hidden = !updateReady();
    text.textContent = updateReady() ? t.updated : '';
  };
  listen((e) => e.type === 'update' && show(), signal);
  show();
  return notice;
}

function installButton(signal: AbortSignal): HTMLElement {
  const button = h('button', { type: 'button', class: 'button' }, t.install);
  button.addEventListener('click', () => void install());
  const box = h('p', { class: 'install' }, button);
  const show = () => {
    box.hidden = !canInstall();
  };
  listen((e) => e.type === 'installable' && show(), signal);
  show();
  return box;
}

export function createApp(root: HTMLElement, data: Promise<AppData>, carry: Carry | null): CitizenApp {
  const life = new AbortController();
  const { signal } = life;
  const state = new DraftState();
  const errors = new FieldErrors();
  let cats = new Map<string, Category>();
  let reportMap: ReportMap | null = null;
  let done: DoneState | null = null;

  const place = createPlaceStep(state, errors);
  const category = createCategoryStep(state, errors);
  const details = createDetailsStep(state, errors);
  const photos = createPhotoPicker(state, errors);
  details.photoSlot.append(photos.fieldset);
  const list = createReportList(state);
  const mine = createMyReports(() => cats, signal);

  const form = h('form', {
    id: 'report-form',
    class: 'report-form',
    novalidate: true,
    'aria-labelledby': 'page-title',
  });
  const doneView = createDoneView(() => {
    resetForm();
    done = null;
    doneView.section.hidden = true;
    form.hidden = false;
    root.querySelector<HTMLElement>('#page-title')?.focus();
  });

  function showDone(next: DoneState, focus = true): void {
    done = next;
    form.hidden = true;
    doneView.show(next, focus);
    if (next.kind !== 'queued') list.refresh();
  }

  const nearby = createNearbyPanel(
    state,
    (feature) =>
      showDone({
        kind: 'confirmed',
        id: feature.id,
        label: categoryLabel(state.category ?? undefined),
        confirmations: feature.properties.confirmations,
      }),
    signal,
  );
  const sender = createSender(errors, {
    onSent: (feature) => showDone(sentState(feature)),
    onQueued: (key, reason) => {
      resetForm();
      showDone({ kind: 'queued', key, reason });
    },
  });

  // A waiting report that gets through while its "waiting" view is shown turns into "sent".
  listen((e) => {
    if (e.type !== 'sent') return;
    announce(t.sentLater(e.feature.id));
    if (done?.kind === 'queued' && done.key === e.key) showDone(sentState(e.feature), false);
    list.refresh();
  }, signal);

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
  function collect(): Promise<Outgoing> | null {
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
    // Photos may still be shrinking; the send bar shows progress meanwhile.
    return photos.files().then((files) => ({ draft, photos: files }));
  }

  // A tapped category brings step 3 into view, which on a phone would sit under the send bar.
  // Not for the keyboard: arrows choose as they move, and focus must stay on the tiles.
  let tappedAt = -Infinity;
  category.section.addEventListener('pointerdown', () => {
    tappedAt = performance.now();
  });
  category.section.addEventListener('change', () => {
    if (performance.now() - tappedAt > 2000) return;
    details.severityFieldset.scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
  });

  // A radio's target is its whole tile or card (a tile also shows the radio's focus), so the
  // whole card is scrolled clear of the send bar, not only the small input the browser would.
  form.addEventListener('focusin', (e) => {
    const card = e.target instanceof HTMLInputElement ? e.target.closest('.tile, .choice') : null;
    card?.scrollIntoView({ block: 'nearest' });
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    errors.clear();
    const outgoing = collect();
    if (outgoing) void sender.send(outgoing);
  });

  form.append(place.section, category.section, nearby.section, details.section, sender.bar);
  root.replaceChildren(
    connectionNotice(signal),
    updateNotice(signal),
    h('h1', { id: 'page-title', tabindex: -1 }, t.title),
    h('p', { class: 'intro' }, t.intro),
    form,
    doneView.section,
    mine.section,
    list.section,
    installButton(signal),
  );

  /** Puts back what was entered before the page was rebuilt; category first, as it decides the fields. */
  function restore(c: Carry): void {
    if (c.category) {
      const radio = form.querySelector<HTMLInputElement>(`input[name="category"][value="${CSS.escape(c.category)}"]`);
      if (radio) {
        radio.checked = true;
        radio.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    for (const [name, value] of c.fields) {
      if (name === 'category') continue;
      const field = form.elements.namedItem(name);
      if (field instanceof RadioNodeList) field.value = value;
      else if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.value = value;
    }
    details.syncCounter();
    if (c.place) state.setPlace(c.place);
    photos.restore(c.photos);
    if (c.done) showDone(c.done, false);
  }

  void data.then(({ config, categories }) => {
    if (signal.aborted) return;
    reportMap = place.mountMap(config);
    if (categories) {
      category.setCategories(categories);
      place.legend.setCategories(categories);
    } else category.showLoadError();
    cats = indexCategories(categories ?? []);
    list.attach(reportMap, cats, signal);
    if (carry) restore(carry);
    else void centreOnKnownPosition(reportMap.map);
  });

  return {
    settled: () => sender.idle(),
    snapshot: () => ({
      place: state.place,
      category: state.category?.code ?? null,
      fields: [...new FormData(form)].flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
      photos: photos.take(),
      done,
    }),
    destroy() {
      life.abort();
      reportMap?.map.remove();
      root.replaceChildren();
    },
  };
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
