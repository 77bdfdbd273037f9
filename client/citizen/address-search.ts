/**
 * The place step's address search, through our own server (GET /api/v1/geocode), which asks
 * the geocoder the deployment configured: the phone never contacts a third party. Results are
 * a list of buttons under the field; choosing one puts the pin there and keeps its address.
 */
import { h } from '../lib/dom';
import { language } from '../lib/i18n';
import { t } from '../lib/strings';

export interface FoundPlace {
  label: string;
  lat: number;
  lon: number;
}

export interface AddressSearch {
  list: HTMLElement;
  /** Searches `q`; the outcome goes to `say` (a status line), the places to the list. */
  run(q: string, say: (text: string) => void): Promise<void>;
  clear(): void;
}

type Answer = { kind: 'ok'; results: FoundPlace[] } | { kind: 'failed'; why: string };

async function ask(q: string, signal: AbortSignal): Promise<Answer> {
  const params = new URLSearchParams({ q, lang: language() });
  let res: Response;
  try {
    res = await fetch(`/api/v1/geocode?${params.toString()}`, { signal, headers: { Accept: 'application/json' } });
  } catch {
    return { kind: 'failed', why: navigator.onLine ? t.searchUnavailable : t.searchOffline };
  }
  if (res.status === 429) return { kind: 'failed', why: t.searchTooMany };
  if (!res.ok) return { kind: 'failed', why: t.searchUnavailable };
  try {
    const body = (await res.json()) as { results: FoundPlace[] };
    return { kind: 'ok', results: body.results };
  } catch {
    return { kind: 'failed', why: t.searchUnavailable };
  }
}

export function createAddressSearch(onChoose: (place: FoundPlace) => void): AddressSearch {
  const list = h('ul', { class: 'search-results', 'aria-label': t.searchResults, hidden: true });
  let inFlight: AbortController | null = null;

  function clear(): void {
    inFlight?.abort();
    list.replaceChildren();
    list.hidden = true;
  }

  return {
    list,
    clear,
    async run(q, say) {
      clear();
      const controller = new AbortController();
      inFlight = controller;
      say(t.searching);
      const answer = await ask(q, controller.signal);
      if (controller.signal.aborted) return;
      if (answer.kind === 'failed') return say(answer.why);
      if (answer.results.length === 0) return say(t.searchNone(q));
      list.replaceChildren(
        ...answer.results.map((place) => {
          const button = h('button', { type: 'button', class: 'search-result' }, place.label);
          button.addEventListener('click', () => {
            clear();
            onChoose(place);
          });
          return h('li', {}, button);
        }),
      );
      list.hidden = false;
      say(t.searchFound(answer.results.length));
      // On a phone the results can open under the sticky send bar: bring them into view (the
      // page's scroll padding keeps them above the bar).
      const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
      list.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
    },
  };
}
