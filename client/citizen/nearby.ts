/**
 * "Already reported here?": once a barrier category and a place are known, open reports of the
 * same category within 50 m are offered for confirmation instead of a duplicate report.
 */
import { api, type ReportFeature } from '../lib/api';
import { announce } from '../lib/announce';
import { categoryLabel } from '../lib/categories';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { deviceToken } from './device-token';
import type { DraftState } from './state';

export const NEARBY_RADIUS_M = 50;

export interface NearbyPanel {
  section: HTMLElement;
  hide(): void;
}

export function createNearbyPanel(
  state: DraftState,
  onConfirmed: (feature: ReportFeature) => void,
  signal: AbortSignal,
): NearbyPanel {
  const list = h('ul', { class: 'nearby-list' });
  const message = h('p', { class: 'hint', role: 'status' });
  const section = h(
    'section',
    { class: 'nearby', 'aria-labelledby': 'nearby-heading', hidden: true },
    h('h2', { id: 'nearby-heading' }, t.nearbyHeading),
    h('p', {}, t.nearbyIntro),
    list,
    message,
  );
  let timer = 0;
  let inFlight: AbortController | null = null;
  let lastKey = '';
  signal.addEventListener('abort', () => {
    window.clearTimeout(timer);
    inFlight?.abort();
  });

  async function confirm(feature: ReportFeature, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const result = await api.confirm(feature.id, 'still_there', deviceToken());
      feature.properties.confirmations = result.confirmations;
      onConfirmed(feature);
    } catch {
      message.textContent = t.confirmFailed;
      button.disabled = false;
    } finally {
      button.removeAttribute('aria-busy');
    }
  }

  function render(features: ReportFeature[]): void {
    const label = categoryLabel(state.category ?? undefined);
    list.replaceChildren(
      ...features.map((f) => {
        const p = f.properties;
        const button = h('button', { type: 'button', class: 'button button--primary' }, t.confirmInstead);
        button.addEventListener('click', () => void confirm(f, button));
        const facts = [
          p.distance_m !== undefined ? t.away(p.distance_m) : null,
          t.severityShort(p.kind, p.severity),
          t.status(p.status),
          t.date(p.created_at),
        ].filter(Boolean);
        return h(
          'li',
          { class: 'nearby-list__item' },
          h(
            'p',
            { class: 'nearby-list__title' },
            // A new tab, so the half-filled form is not lost by looking.
            h(
              'a',
              { href: `/reports/${f.id}`, target: '_blank', rel: 'noopener' },
              `${label} — ${t.reportNumber(f.id)}`,
              h('span', { class: 'visually-hidden' }, t.newTab),
            ),
          ),
          h('p', { class: 'hint' }, facts.join(' · ')),
          p.description ? h('p', { class: 'nearby-list__text' }, p.description) : null,
          button,
        );
      }),
    );
  }

  async function check(): Promise<void> {
    const { place, category } = state;
    if (!place || !category || category.kind === 'help') return;
    const key = `${category.code}@${place.lat.toFixed(6)},${place.lon.toFixed(6)}`;
    if (key === lastKey) return;
    lastKey = key;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const result = await api.nearby(place.lat, place.lon, category.code, NEARBY_RADIUS_M, controller.signal);
      if (controller.signal.aborted) return;
      const open = result.features;
      section.hidden = open.length === 0;
      render(open);
      if (open.length) announce(t.nearbyAnnounce(open.length));
    } catch {
      // The check is a courtesy; if it fails the person can still send their report.
      if (!controller.signal.aborted) section.hidden = true;
      lastKey = '';
    }
  }

  state.subscribe(() => {
    window.clearTimeout(timer);
    // No check for a help request: its exact point leaves the phone only when the person sends
    // it (docs/PRIVACY.md, "Help requests").
    if (!state.place || !state.category || state.category.kind === 'help') {
      inFlight?.abort();
      section.hidden = true;
      lastKey = '';
      return;
    }
    timer = window.setTimeout(() => void check(), 300);
  });

  return {
    section,
    hide() {
      section.hidden = true;
      list.replaceChildren();
      message.textContent = '';
      lastKey = '';
    },
  };
}
