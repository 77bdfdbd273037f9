/**
 * The staff dashboard at /dashboard: sign in (or reuse the session), load what every view
 * needs (config, taxonomy, teams, people), then start the app shell.
 */
import { api as publicApi, type AppConfig } from '../lib/api';
import { mountAnnouncers } from '../lib/announce';
import { indexCategories } from '../lib/categories';
import { byId, h } from '../lib/dom';
import { StaffApi, type Session } from '../lib/staff-api';
import { sessionOrLogin, showLogin } from '../lib/staff-login';
import { startApp } from './app';
import { Hub, type Ctx } from './state';
import { t } from './strings';

const FALLBACK_CONFIG: AppConfig = { tile_url: '', tile_attribution: '', help_grid_m: 500 };

async function start(): Promise<void> {
  byId('skip-link').textContent = t.skip;
  const header = byId('topbar');
  const main = byId('main');
  mountAnnouncers(document.body);
  const api = new StaffApi();
  main.replaceChildren(h('p', { class: 'page-message' }, t.loading));

  let current: Session;
  try {
    current = await sessionOrLogin(api, main, t);
  } catch {
    main.replaceChildren(h('p', { class: 'page-message form-error', role: 'alert' }, t.loadFailed));
    return;
  }
  api.setSession(current);
  api.onExpired = () => {
    // The session ended (expired or signed out elsewhere): sign in again, then start afresh.
    main.replaceChildren();
    void showLogin(main, api, { ...t.login, intro: t.sessionExpired }).then(() => location.reload());
  };

  if (current.user.role === 'responder') {
    main.replaceChildren(
      h('p', { class: 'page-message' }, t.notStaffApp, ' ', h('a', { href: '/responder' }, t.responderLink)),
    );
    return;
  }

  try {
    const [config, categories, teams, people] = await Promise.all([
      publicApi.config().catch(() => FALLBACK_CONFIG),
      publicApi.categories(),
      api.teams(),
      api.staffUsers().catch(() => []),
    ]);
    const ctx: Ctx = {
      api,
      session: current,
      config,
      categories: indexCategories(categories),
      teams,
      people,
      filters: { category: '', kind: '', status: '' },
      hub: new Hub(),
    };
    startApp(ctx, header, main, () => {
      void api
        .logout()
        .catch(() => undefined)
        .then(() => location.assign('/dashboard'));
    });
  } catch {
    main.replaceChildren(h('p', { class: 'page-message form-error', role: 'alert' }, t.loadFailed));
  }
}

void start();
