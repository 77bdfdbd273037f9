/**
 * The staff dashboard at /dashboard: sign in (or reuse the session), load what every view
 * needs (config, taxonomy, teams, people), then start the app shell. When the session ends
 * on the way, the page stays as it was behind a sign-in form, the header stops claiming Live,
 * and the change that was cut off is sent once the same person has signed in again.
 */
import { api as publicApi, type AppConfig } from '../lib/api';
import { mountAnnouncers } from '../lib/announce';
import { indexCategories } from '../lib/categories';
import { byId, h } from '../lib/dom';
import { staffLanguageSwitch } from '../lib/staff-language';
import { StaffApi, type Session } from '../lib/staff-api';
import { sessionOrLogin, showLogin } from '../lib/staff-login';
import { ChangedMeanwhile, pending } from './actions';
import { startApp, type AppSession } from './app';
import { clearNotices, mountNotices, problemText, showError, showResult } from './notices';
import { Hub, type Ctx } from './state';
import { t } from './strings';

const FALLBACK_CONFIG: AppConfig = { tile_url: '', tile_attribution: '', help_grid_m: 500 };

async function start(): Promise<void> {
  byId('skip-link').textContent = t.skip;
  const header = byId('topbar');
  header.append(staffLanguageSwitch(t.languageNav));
  const main = byId('main');
  mountAnnouncers(document.body);
  mountNotices(main);
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
  let app: AppSession | null = null;
  let ctx: Ctx | null = null;
  let signingIn = false;
  api.onExpired = () => {
    if (signingIn) return;
    signingIn = true;
    app?.ended();
    // The page stays behind the form, so nothing the person was doing is lost.
    const kept = [...main.children] as HTMLElement[];
    const wasHidden = kept.map((el) => el.hidden);
    for (const el of kept) el.hidden = true;
    document.querySelector('dialog[open]')?.remove();
    const box = h('div', { class: 'relogin' });
    main.append(box);
    // The cut-off change is kept just after this call; say so once it is there.
    window.setTimeout(() => {
      if (pending.length) showError(t.pendingKept(pending.length));
    }, 0);
    const previous = current.user.id;
    void showLogin(box, api, { ...t.login, intro: t.sessionExpired }).then(async (session) => {
      if (session.user.id !== previous || !app || !ctx) {
        // Someone else signed in: nothing of the other person's work is sent in their name.
        location.reload();
        return;
      }
      current = session;
      api.setSession(session);
      ctx.session = session;
      box.remove();
      kept.forEach((el, i) => (el.hidden = wasHidden[i] ?? false));
      clearNotices();
      signingIn = false;
      app.resumed();
      await sendPending();
    });
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
    ctx = {
      api,
      session: current,
      config,
      categories: indexCategories(categories),
      teams,
      people,
      filters: { category: '', kind: '', status: '' },
      hub: new Hub(),
    };
    app = startApp(ctx, header, main, () => {
      void api
        .logout()
        .catch(() => undefined)
        .then(() => location.assign('/dashboard'));
    });
  } catch {
    main.replaceChildren(h('p', { class: 'page-message form-error', role: 'alert' }, t.loadFailed));
  }
}

/** Sends the changes an ended session cut off, in order, and says how it went. */
async function sendPending(): Promise<void> {
  const waiting = pending.splice(0);
  if (!waiting.length) return;
  let sent = 0;
  for (const p of waiting) {
    try {
      await p.send();
      sent++;
    } catch (err) {
      showError(err instanceof ChangedMeanwhile ? err.message : problemText(err, t.pendingFailed));
    }
  }
  const what = waiting.map((p) => p.what).join(' ');
  if (sent) showResult(`${t.pendingSaved(sent)} ${what}`);
}

void start();
