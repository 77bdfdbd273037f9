/**
 * The volunteers' phone view at /volunteer: where am I → one published barrier near me at a
 * time → "Yes, this is right", "Wrong category", "Flag" or "Skip". /volunteer/join#token makes
 * the account from an invitation. docs/VOLUNTEERS.md.
 */
import { api as publicApi, type Category } from '../lib/api';
import { announce, mountAnnouncers } from '../lib/announce';
import { categoryLabel, indexCategories, parseCoordinates } from '../lib/categories';
import { byId, h } from '../lib/dom';
import { language } from '../lib/i18n';
import { staffLanguageSwitch } from '../lib/staff-language';
import { checkCard, type CheckableReport } from './card';
import { loadVolunteerLanguage, t } from './strings';

interface Me {
  user: { id: number; name: string; email: string; role: string };
  csrf_token: string;
}

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; detail: string }[];
}

let csrf = '';

export async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      'Accept-Language': language(),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as Problem;
    throw Object.assign(new Error(problem.detail ?? String(res.status)), {
      problem: { ...problem, status: res.status },
    });
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const problemOf = (err: unknown): Problem | undefined => (err as { problem?: Problem }).problem;

function field(label: string, input: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const id = `f-${Math.random().toString(36).slice(2, 8)}`;
  input.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'volunteer-form' }, h('label', { for: id }, label), hintEl, input);
}

function errorBox(): HTMLElement {
  return h('p', { class: 'form-error', role: 'alert' });
}

/** The invitation's page: name and password, then signed in. */
function joinView(main: HTMLElement, token: string, done: (me: Me) => void): void {
  const name = h('input', { class: 'input', autocomplete: 'name', required: true, maxlength: 100 });
  const password = h('input', { class: 'input', type: 'password', autocomplete: 'new-password', required: true });
  const error = errorBox();
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t.join);
  const form = h(
    'form',
    { class: 'volunteer-form', novalidate: true },
    field(t.name, name),
    field(t.newPassword, password),
    error,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    call<Me>('/api/v1/volunteers/join', { method: 'POST', body: { token, name: name.value, password: password.value } })
      .then((me) => {
        history.replaceState(null, '', '/volunteer');
        done(me);
      })
      .catch((err: unknown) => {
        const p = problemOf(err);
        error.textContent =
          p?.status === 410 ? t.linkGone : (p?.errors?.map((x) => x.detail).join(' ') ?? p?.detail ?? t.loadFailed);
        (p?.errors?.[0]?.field === 'name' ? name : password).focus();
      })
      .finally(() => (submit.disabled = false));
  });
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: -1 }, t.joinHeading), h('p', {}, t.joinIntro), form);
  name.focus();
}

function loginView(main: HTMLElement, done: (me: Me) => void): void {
  const email = h('input', { class: 'input', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { class: 'input', type: 'password', autocomplete: 'current-password', required: true });
  const error = errorBox();
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t.signIn);
  const form = h(
    'form',
    { class: 'volunteer-form', novalidate: true },
    field(t.email, email),
    field(t.password, password),
    error,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    call<{ user: { role: string } }>('/api/v1/auth/login', {
      method: 'POST',
      body: { email: email.value, password: password.value },
    })
      .then(async (res) => {
        if (res.user.role !== 'volunteer') {
          error.textContent = t.staffHere;
          return;
        }
        done(await call<Me>('/api/v1/volunteer/me'));
      })
      .catch(() => {
        error.textContent = t.wrongLogin;
        password.focus();
      })
      .finally(() => (submit.disabled = false));
  });
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: -1 }, t.signIn), h('p', {}, t.signInIntro), form);
}

/** Asks where the volunteer is: the device's location, or a typed place or coordinates. */
function whereView(main: HTMLElement, found: (lat: number, lon: number) => void): void {
  const status = h('p', { class: 'hint', role: 'status' });
  const locate = h('button', { type: 'button', class: 'button button--primary' }, t.useLocation);
  locate.addEventListener('click', () => {
    status.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => found(pos.coords.latitude, pos.coords.longitude),
      () => {
        status.textContent = t.locationFailed;
        place.focus();
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  });
  const place = h('input', { class: 'input', type: 'text', autocomplete: 'street-address', maxlength: 200 });
  const error = errorBox();
  const form = h(
    'form',
    { class: 'volunteer-form', novalidate: true },
    field(t.place, place, t.placeHint),
    error,
    h('button', { type: 'submit', class: 'button' }, t.search),
  );
  // Only a server with a geocoder searches: the hint never promises what is not there.
  let addressSearch = true;
  void call<{ address_search?: boolean }>('/api/v1/config')
    .then((config) => {
      addressSearch = config.address_search === true;
      const hint = place.getAttribute('aria-describedby');
      const hintEl = hint ? form.querySelector(`[id="${hint}"]`) : null;
      if (!addressSearch && hintEl) hintEl.textContent = t.placeHintCoordinates;
    })
    .catch(() => undefined);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    const text = place.value.trim();
    const coords = parseCoordinates(text);
    if (coords) return found(coords.lat, coords.lon);
    if (!text) return void (error.textContent = t.placeNotFound);
    if (!addressSearch) return void (error.textContent = t.placeNeedsCoordinates);
    call<{ results: { lat: number; lon: number }[] }>(
      `/api/v1/geocode?q=${encodeURIComponent(text)}&lang=${language()}`,
    )
      .then((r) => (r.results[0] ? found(r.results[0].lat, r.results[0].lon) : (error.textContent = t.placeNotFound)))
      .catch(() => (error.textContent = t.placeNotFound));
  });
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: -1 }, t.whereHeading),
    h('p', {}, t.whereIntro),
    locate,
    status,
    form,
  );
  byId('page-title').focus();
}

async function checkView(
  main: HTMLElement,
  where: { lat: number; lon: number },
  cats: Map<string, Category>,
  again: () => void,
): Promise<void> {
  main.replaceChildren(h('p', { role: 'status' }, t.loading));
  let reports: CheckableReport[];
  try {
    reports = (
      await call<{ reports: CheckableReport[] }>(`/api/v1/volunteer/reports?lat=${where.lat}&lon=${where.lon}`)
    ).reports;
  } catch {
    main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, t.loadFailed));
    return;
  }
  let index = 0;
  let checked = 0;
  const change = h('button', { type: 'button', class: 'button button--small' }, t.changePlace);
  change.addEventListener('click', again);
  const tally = h('p', { class: 'hint', role: 'status' });
  const slot = h('div', {});
  main.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: -1 }, t.heading), change),
    tally,
    slot,
  );
  const show = () => {
    if (index >= reports.length) {
      slot.replaceChildren(h('p', { id: 'none' }, t.none));
      byId('page-title').focus();
      return;
    }
    const report = reports[index]!;
    slot.replaceChildren(
      checkCard(report, {
        position: t.position(index + 1, reports.length),
        categories: [...cats.values()].filter((c) => c.kind === 'barrier'),
        label: (code) => categoryLabel(cats.get(code), code),
        send: (body) => call(`/api/v1/volunteer/reports/${report.id}/checks`, { method: 'POST', body }),
        next: (message) => {
          if (message) {
            checked += 1;
            tally.textContent = t.checked(checked);
            announce(message);
          }
          index += 1;
          show();
          slot.querySelector<HTMLElement>('h2')?.focus();
        },
      }),
    );
  };
  show();
  byId('page-title').focus();
}

async function start(): Promise<void> {
  await loadVolunteerLanguage();
  byId('skip-link').textContent = t.skip;
  document.title = t.appName;
  const main = byId('main');
  const header = byId('topbar');
  const languages = staffLanguageSwitch(t.languageNav);
  header.append(h('span', { class: 'topbar__spacer' }), languages);
  mountAnnouncers(document.body);
  const cats = indexCategories(await publicApi.categories().catch(() => [] as Category[]));

  const signedIn = (me: Me) => {
    csrf = me.csrf_token;
    const logout = h('button', { type: 'button', class: 'button button--small button--on-dark' }, t.logout);
    logout.addEventListener('click', () => {
      void call('/api/v1/auth/logout', { method: 'POST', body: {} })
        .catch(() => undefined)
        .then(() => location.assign('/volunteer'));
    });
    languages.before(h('span', { class: 'topbar__user' }, me.user.name), logout);
    const ask = () => whereView(main, (lat, lon) => void checkView(main, { lat, lon }, cats, ask));
    ask();
  };

  if (location.pathname === '/volunteer/join') {
    const token = location.hash.slice(1);
    if (!/^[\w-]{43}$/.test(token)) {
      main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, t.linkMissing));
      return;
    }
    joinView(main, token, signedIn);
    return;
  }
  try {
    signedIn(await call<Me>('/api/v1/volunteer/me'));
  } catch {
    loginView(main, signedIn);
  }
}

void start();
