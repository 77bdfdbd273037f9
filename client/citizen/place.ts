/**
 * Step 1, "Where is it?": GPS with its accuracy, tapping or keying on the map, or typing
 * coordinates or an address. Any one of these is enough; dragging is never required.
 */
import type { AppConfig } from '../lib/api';
import { announce } from '../lib/announce';
import { parseCoordinates, validCoordinates } from '../lib/categories';
import { h, replaceChildren } from '../lib/dom';
import { t } from '../lib/strings';
import { createAddressSearch } from './address-search';
import type { FieldErrors } from './errors';
import { createMapLegend, type MapLegend } from './legend';
import { createReportMap, type ReportMap } from './map';
import type { DraftState } from './state';

export interface PlaceStep {
  section: HTMLElement;
  legend: MapLegend;
  /** Leaflet measures its container, so the map is created once the section is in the page. */
  mountMap(config: AppConfig): ReportMap;
  address(): string;
  input: HTMLInputElement;
  reset(): void;
}

export function createPlaceStep(state: DraftState, errors: FieldErrors): PlaceStep {
  const helpId = 'map-help';
  const legend = createMapLegend();
  const mapEl = h('div', { class: 'map', id: 'map' });
  const tileNotice = h('p', { class: 'notice', role: 'status' });
  const locateBtn = h('button', { type: 'button', class: 'button button--primary', id: 'locate-me' }, t.locateMe);
  const centreBtn = h('button', { type: 'button', class: 'button' }, t.pinAtCentre);
  const placeText = h('span', { class: 'place-status__text' }, t.noPlace);
  const accuracyText = h('span', { class: 'place-status__accuracy' });
  const placeStatus = h('p', { class: 'place-status', id: 'place-status' }, placeText, ' ', accuracyText);
  const locateMsg = h('p', { class: 'hint', role: 'status' });
  const input = h('input', {
    type: 'text',
    id: 'place-input',
    name: 'address',
    autocomplete: 'street-address',
    'aria-describedby': 'place-input-hint place-status',
    maxlength: 300,
  });
  const applyBtn = h('button', { type: 'button', class: 'button button--inline' }, t.placeApply);
  const inputMsg = h('p', { class: 'hint', role: 'status' });
  const inputHint = h('p', { class: 'hint', id: 'place-input-hint' }, t.placeInputHint);
  const errorSlot = errors.slot('place', ['lat', 'lon', 'accuracy_m', 'address'], () => [input]);
  let address = '';
  let reportMap: ReportMap | null = null;

  function describePlace(): void {
    const p = state.place;
    placeText.textContent = p ? t.placeChosen(p.lat, p.lon) : t.noPlace;
    accuracyText.textContent = p?.accuracyM != null ? t.accuracy(p.accuracyM) : '';
    placeStatus.classList.toggle('place-status--set', p !== null);
  }

  state.subscribe((changed) => {
    if (changed !== 'place') return;
    describePlace();
    const p = state.place;
    if (!reportMap) return;
    if (p) reportMap.setPin(p.lat, p.lon, p.accuracyM, p.source !== 'map');
    else reportMap.clearPin();
  });

  function pick(lat: number, lon: number, source: 'map' | 'typed' | 'photo', accuracyM: number | null = null): void {
    state.setPlace({ lat, lon, accuracyM, source });
    announce(t.placeAnnounce(lat, lon, accuracyM));
  }

  locateBtn.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
      locateMsg.textContent = t.locateUnsupported;
      return;
    }
    locateMsg.textContent = t.locating;
    locateBtn.setAttribute('aria-busy', 'true');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        locateBtn.removeAttribute('aria-busy');
        locateMsg.textContent = '';
        const { latitude, longitude, accuracy } = pos.coords;
        state.setPlace({ lat: latitude, lon: longitude, accuracyM: Math.round(accuracy), source: 'gps' });
        announce(t.placeAnnounce(latitude, longitude, accuracy));
      },
      (err) => {
        locateBtn.removeAttribute('aria-busy');
        // Denied is a setting the person can change, not a failure to find them: say which.
        locateMsg.textContent =
          err.code === err.PERMISSION_DENIED
            ? t.locateDenied
            : err.code === err.TIMEOUT
              ? t.locateTimeout
              : t.locateFailed;
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  });

  centreBtn.addEventListener('click', () => {
    if (!reportMap) return;
    const c = reportMap.centre();
    pick(c.lat, c.lng, 'map');
  });

  let searchOn = false;
  const search = createAddressSearch((found) => {
    address = found.label;
    input.value = found.label;
    lastApplied = found.label;
    inputMsg.textContent = t.searchChosen(found.label);
    pick(found.lat, found.lon, 'typed');
    input.focus();
  });

  let lastApplied = '';
  function applyTyped(): void {
    const text = input.value.trim();
    lastApplied = text;
    const coords = parseCoordinates(text);
    if (coords) {
      if (!validCoordinates(coords.lat, coords.lon)) {
        inputMsg.textContent = t.coordsOutOfRange;
        return;
      }
      address = '';
      inputMsg.textContent = '';
      pick(coords.lat, coords.lon, 'typed');
      return;
    }
    address = text;
    if (searchOn && text.length >= 2) {
      void search.run(text, (msg) => (inputMsg.textContent = msg));
      return;
    }
    search.clear();
    inputMsg.textContent = !text ? '' : state.place ? t.addressSavedWithPoint : t.addressSaved;
  }
  applyBtn.addEventListener('click', applyTyped);
  // Leaving the box applies what was typed, unless Enter or "Use" already did.
  input.addEventListener('change', () => {
    // With a search, leaving the box does not start one: the results would appear behind the person.
    if (input.value.trim() !== lastApplied && !searchOn) applyTyped();
  });
  input.addEventListener('keydown', (e) => {
    // Enter here means "use what I typed", not "send the whole report".
    if (e.key === 'Enter') {
      e.preventDefault();
      applyTyped();
    }
  });

  const section = h(
    'section',
    { class: 'step', 'aria-labelledby': 'step-place' },
    h('h2', { id: 'step-place' }, h('span', { class: 'step__num', 'aria-hidden': 'true' }, '1'), t.placeHeading),
    tileNotice,
    h('div', { class: 'map-frame' }, mapEl, h('span', { class: 'map-crosshair', 'aria-hidden': 'true' })),
    h(
      'p',
      { class: 'hint map-help', id: helpId },
      t.mapHelp,
      ' ',
      h('span', { class: 'map-help__keys', id: 'map-keys' }, t.mapKeys),
    ),
    legend.el,
    h(
      'p',
      { class: 'to-list' },
      h('a', { href: '#list-heading' }, t.toList, h('span', { 'aria-hidden': 'true' }, ' ↓')),
    ),
    h('div', { class: 'button-row' }, locateBtn, centreBtn),
    locateMsg,
    placeStatus,
    h('label', { for: 'place-input', class: 'label' }, t.placeInputLabel),
    inputHint,
    h('div', { class: 'input-row' }, input, applyBtn),
    inputMsg,
    search.list,
    errorSlot,
  );

  return {
    section,
    legend,
    input,
    mountMap(config) {
      // Only a server with a geocoder searches; the hint never promises what is not there.
      searchOn = (config as { address_search?: boolean }).address_search === true;
      inputHint.textContent = searchOn ? t.placeInputHintSearch : t.placeInputHint;
      applyBtn.textContent = searchOn ? t.placeSearch : t.placeApply;
      // The key list is hidden until the map has focus; referenced directly, it is still read.
      reportMap = createReportMap(mapEl, config, `${helpId} map-keys`, {
        onPick: (lat, lon) => pick(lat, lon, 'map'),
        onTilesFailed: () => replaceChildren(tileNotice, t.tilesFailed),
        escapeTarget: () => centreBtn,
      });
      return reportMap;
    },
    address: () => address || (parseCoordinates(input.value) ? '' : input.value.trim()),
    reset() {
      address = '';
      lastApplied = '';
      input.value = '';
      inputMsg.textContent = '';
      search.clear();
      locateMsg.textContent = '';
      state.setPlace(null);
    },
  };
}
