/**
 * The dashboard's shell: header with sections and session, and the views — Triage and
 * Deployments share the workspace (side panel, map, detail panel); Overview and Admin are
 * pages. Each view has its own URL under /dashboard, so links and the back button work.
 */
import { h } from '../lib/dom';
import { createAdmin } from './admin';
import { createVolunteers } from './volunteers';
import { vs } from './volunteers-strings';
import { createClusterList } from './cluster-list';
import { createDeployments } from './deployments';
import { createDetail } from './detail';
import { createFilters } from './filters';
import { createInbox } from './inbox';
import { is } from './inbox-strings';
import { startLive } from './live';
import { createLegend } from './legend';
import { createMap } from './map';
import { createModeration } from './moderation';
import { ms } from './moderation-strings';
import { addOverlays } from './overlays';
import { createOverview } from './overview';
import { createQueue } from './queue';
import { bindQueueKeys } from './queue-keys';
import { isAdmin, labelOf, type Ctx } from './state';
import { t } from './strings';

type View = 'triage' | 'moderation' | 'inbox' | 'deployments' | 'overview' | 'volunteers' | 'admin';
const PATHS: Record<View, string> = {
  triage: '/dashboard',
  moderation: '/dashboard/moderation',
  inbox: '/dashboard/inbox',
  deployments: '/dashboard/deployments',
  overview: '/dashboard/overview',
  volunteers: '/dashboard/volunteers',
  admin: '/dashboard/admin',
};

function route(path: string): { view: View; report: number | null } {
  const m = /^\/dashboard\/reports\/(\d+)\/?$/.exec(path);
  if (m) return { view: 'triage', report: Number(m[1]) };
  const view = (Object.keys(PATHS) as View[]).find((v) => PATHS[v] === path.replace(/\/$/, '')) ?? 'triage';
  return { view, report: null };
}

/** What main.ts needs when the session ends and comes back. */
export interface AppSession {
  /** The session ended: the header no longer claims Live or names the person. */
  ended(): void;
  /** Signed in again (the same person): live again, reload what may have changed. */
  resumed(): void;
}

export function startApp(ctx: Ctx, header: HTMLElement, main: HTMLElement, onLogout: () => void): AppSession {
  // Read before the map writes its own position into the hash.
  const viewInUrl = /map=/.test(location.hash);
  // The inbox holds senders' phone numbers: coordinators and admins only, as on the server.
  const inboxAllowed = ctx.session.user.role !== 'responder';
  const views: View[] = [
    'triage',
    'moderation',
    ...(inboxAllowed ? (['inbox'] as const) : []),
    'deployments',
    'overview',
    // Coordinators and admins invite and manage volunteers, as on the server.
    ...(inboxAllowed ? (['volunteers'] as const) : []),
    ...(isAdmin(ctx) ? (['admin'] as const) : []),
  ];
  const navName = (v: View) =>
    v === 'moderation' ? ms().nav : v === 'inbox' ? is().nav : v === 'volunteers' ? vs().nav : t.nav[v];
  // The moderation link carries how many reports wait for review.
  const badge = h('span', { class: 'nav-badge', hidden: true });
  const inboxBadge = h('span', { class: 'nav-badge', hidden: true });
  const links = new Map<View, HTMLAnchorElement>();
  const nav = h(
    'nav',
    { class: 'topnav', 'aria-label': t.sections },
    h(
      'ul',
      {},
      views.map((v) => {
        const a = h(
          'a',
          { href: PATHS[v] },
          navName(v),
          v === 'moderation' ? badge : v === 'inbox' ? inboxBadge : null,
        );
        a.addEventListener('click', (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey) return;
          e.preventDefault();
          go(v, null, true);
        });
        links.set(v, a);
        return h('li', {}, a);
      }),
    ),
  );
  const logout = h('button', { type: 'button', class: 'button button--small button--on-dark' }, t.logout);
  logout.addEventListener('click', onLogout);

  // Workspace: side panel | map | detail
  const mapArea = h('section', { class: 'map-area', 'aria-label': t.mapLabel });
  const viewHeading = h('h1', { class: 'visually-hidden', tabindex: -1 });
  const side = h('div', { class: 'side' });
  const workspace = h('div', { class: 'workspace' }, viewHeading, side, mapArea);
  const dmap = createMap(ctx, mapArea, {
    onReport: (id) => void detail.open(id, document.activeElement as HTMLElement | null),
    onClusterList: (bbox, count) => void clusters.show(bbox, count),
  });
  addOverlays(dmap.map);
  mapArea.append(createLegend());

  const queue = createQueue(ctx, (id, from) => void openReport(id, from));
  const detail = createDetail(ctx, {
    onShow: (f) => {
      dmap.select(f.id);
      workspace.classList.add('has-detail');
      dmap.resize();
      history.replaceState(null, '', `/dashboard/reports/${f.id}${location.hash}`);
      dmap.show(f);
    },
    onClose: (returnTo) => {
      dmap.select(null);
      workspace.classList.remove('has-detail');
      dmap.resize();
      if (location.pathname.startsWith('/dashboard/reports/'))
        history.replaceState(null, '', `${PATHS.triage}${location.hash}`);
      if (returnTo?.isConnected) returnTo.focus();
      else queue.focusCurrent();
    },
  });
  const clusters = createClusterList(ctx, (id, from) => void detail.open(id, from));
  mapArea.append(clusters.el);
  workspace.append(detail.el);
  const filters = createFilters(ctx);
  const deployments = createDeployments(ctx, dmap);
  const overview = createOverview(ctx);
  const moderation = createModeration(ctx, (total) => {
    badge.hidden = total === 0;
    badge.replaceChildren(
      h('span', { 'aria-hidden': 'true' }, String(total)),
      h('span', { class: 'visually-hidden' }, ` ${ms().navWaiting(total)}`),
    );
  });
  const inbox = inboxAllowed
    ? createInbox(ctx, (waiting) => {
        inboxBadge.hidden = waiting === 0;
        inboxBadge.replaceChildren(
          h('span', { 'aria-hidden': 'true' }, String(waiting)),
          h('span', { class: 'visually-hidden' }, ` ${is().navWaiting(waiting)}`),
        );
      })
    : null;
  const volunteers = inboxAllowed ? createVolunteers(ctx, (code) => labelOf(ctx, code)) : null;
  const admin = isAdmin(ctx)
    ? createAdmin(ctx, () => {
        void deployments.enter();
      })
    : null;
  side.append(filters, queue.el, deployments.el);

  async function openReport(id: number, from: HTMLElement | null): Promise<void> {
    await detail.open(id, from);
  }

  ctx.hub.on('filters', (f) => dmap.setFilters(f));
  const live = startLive(
    ctx,
    () => dmap.refresh(),
    (id) => inbox?.changed(id),
  );
  const user = h(
    'span',
    { class: 'topbar__user' },
    t.signedInAs(ctx.session.user.name || ctx.session.user.email, ctx.session.user.role),
  );
  header.append(nav, h('span', { class: 'topbar__spacer' }), live.el, user, logout);
  main.replaceChildren(
    workspace,
    moderation.el,
    ...(inbox ? [inbox.el] : []),
    overview.el,
    ...(volunteers ? [volunteers.el] : []),
    ...(admin ? [admin.el] : []),
  );
  bindQueueKeys(ctx, queue, (id, from) => void openReport(id, from));
  // Escape closes the details from anywhere (drawing and dialogs handle their own Escape first).
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (detail.openId() !== null) {
      e.preventDefault();
      detail.close();
    }
  });

  let current: View | null = null;
  function go(view: View, report: number | null, push: boolean): void {
    if (!views.includes(view)) view = 'triage';
    if (push) history.pushState(null, '', `${PATHS[view]}${location.hash}`);
    for (const [v, a] of links) {
      if (v === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const inWorkspace = view === 'triage' || view === 'deployments';
    workspace.hidden = !inWorkspace;
    overview.el.hidden = view !== 'overview';
    moderation.el.hidden = view !== 'moderation';
    if (inbox) inbox.el.hidden = view !== 'inbox';
    if (admin) admin.el.hidden = view !== 'admin';
    if (volunteers) volunteers.el.hidden = view !== 'volunteers';
    queue.el.hidden = view !== 'triage';
    filters.hidden = view !== 'triage';
    deployments.el.hidden = view !== 'deployments';
    if (current === 'deployments' && view !== 'deployments') deployments.leave();
    document.title = `${navName(view)} — ${t.appName}`;
    viewHeading.textContent = navName(view);
    const changed = current !== null && current !== view;
    current = view;
    if (inWorkspace) dmap.resize();
    if (view === 'deployments') void deployments.enter();
    if (view === 'overview') void overview.enter();
    if (view === 'moderation') void moderation.enter();
    if (view === 'inbox') void inbox?.enter();
    if (view === 'admin') void admin?.enter();
    if (view === 'volunteers') void volunteers?.enter();
    if (changed)
      (view === 'overview' || view === 'admin' || view === 'moderation' || view === 'inbox' || view === 'volunteers'
        ? main.querySelector<HTMLElement>(`#${view}-heading`)
        : viewHeading
      )?.focus();
    if (report !== null) void openReport(report, null);
  }

  window.addEventListener('popstate', () => {
    const r = route(location.pathname);
    go(r.view, r.report, false);
  });

  const first = route(location.pathname);
  go(first.view, first.report, false);
  if (first.view !== 'moderation') void moderation.refreshCount();
  if (first.view !== 'inbox') void inbox?.refreshCount();
  void queue.load().then((features) => {
    // Without a view in the URL, start where the open reports are.
    if (!viewInUrl && first.report === null) dmap.fitReports(features);
  });

  return {
    ended() {
      live.stop();
      user.hidden = true;
      logout.hidden = true;
      nav.hidden = true;
    },
    resumed() {
      user.hidden = false;
      logout.hidden = false;
      nav.hidden = false;
      live.start();
      dmap.refresh();
      void queue.load(true);
      void inbox?.refreshCount();
      const open = detail.openId();
      if (open !== null) void detail.open(open, null);
    },
  };
}
