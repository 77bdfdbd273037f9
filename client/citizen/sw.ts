/**
 * The citizen app's service worker: the app opens without a connection, and a new version
 * takes over by itself.
 *
 * It answers only what the citizen pages need — their two HTML pages (network first, the
 * cached copy when offline or after 4 s of no answer), their built files (cache first; their
 * names carry a content hash), and the categories and config (network first). Everything
 * else — the staff apps, every other API call, POSTs, /api/v1/events, /tiles/…, photos —
 * it leaves to the network untouched and never stores.
 *
 * The list of files to cache and the version are written in at build time by
 * scripts/service-worker-plugin.ts; a new build is a new worker, so browsers pick it up.
 */
export {};

interface Build {
  version: string;
  /** Paths to cache on install: '/', '/report.html', assets, manifest, icons. */
  precache: string[];
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

interface PushEvent extends ExtendableEvent {
  data: { json(): unknown } | null;
}

interface NotificationEvent extends ExtendableEvent {
  action: string;
  notification: Notification;
}

interface WindowClient {
  url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}

interface WorkerScope {
  location: Location;
  clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window' }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<unknown>;
  };
  registration: {
    showNotification(
      title: string,
      options: NotificationOptions & { actions?: { action: string; title: string }[] },
    ): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
}

/** What the server pushes to a follower (server/features/follow/follow.service.ts). */
interface FollowPush {
  title: string;
  body: string;
  url: string;
  unsubscribe_url: string;
  unsubscribe_label?: string;
  tag?: string;
}

const worker = self as unknown as WorkerScope;

function readBuild(): Build {
  try {
    return JSON.parse('__WEGFREI_SW_BUILD__') as Build;
  } catch {
    // Not built by Vite (e.g. read by a type checker): a worker that caches nothing.
    return { version: 'dev', precache: [] };
  }
}

const BUILD = readBuild();
const SHELL = `wegfrei-shell-${BUILD.version}`;
const RUNTIME = 'wegfrei-runtime';
const PRECACHED = new Set(BUILD.precache);
const PAGE_TIMEOUT_MS = 4000;
/** Paths whose answer the app can live with being a little old when offline. */
const NETWORK_FIRST = new Set(['/api/v1/categories', '/api/v1/config']);

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // `reload`: the HTTP cache may hold an older copy of the page or the manifest.
      await cache.addAll(BUILD.precache.map((path) => new Request(path, { cache: 'reload' })));
      // No waiting for old tabs to close: the update reaches people without a refresh dance.
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Keep the previous version's files one round longer: a tab still running it may
      // load one of its lazy parts after this version took over.
      const shells = (await caches.keys()).filter((name) => name.startsWith('wegfrei-shell-') && name !== SHELL);
      await Promise.all(shells.slice(0, -1).map((name) => caches.delete(name)));
      await worker.clients.claim();
    })(),
  );
});

function timeout(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('timeout')), ms));
}

/** The page from the network if it answers in time, else the copy cached with this version. */
async function page(event: FetchEvent, cachedPath: string): Promise<Response> {
  const fromNetwork = fetch(event.request);
  // If the cached copy wins, a late network failure is expected, not an error to report.
  fromNetwork.catch(() => undefined);
  try {
    return await Promise.race([fromNetwork, timeout(PAGE_TIMEOUT_MS)]);
  } catch {
    const cached = await caches.match(cachedPath, { cacheName: SHELL });
    // Nothing cached yet: wait for the network after all, and let its error show.
    return cached ?? fromNetwork;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? fetch(request);
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(RUNTIME);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw err;
  }
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;

  if (request.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html') event.respondWith(page(event, '/'));
    else if (/^\/reports\/\d+\/?$/.test(url.pathname)) event.respondWith(page(event, '/report.html'));
    return;
  }
  if (PRECACHED.has(url.pathname)) event.respondWith(cacheFirst(request));
  // A hashed file of the previous version, asked for by a tab that still runs it.
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else if (NETWORK_FIRST.has(url.pathname)) event.respondWith(networkFirst(request));
});

// Following a report (docs/FOLLOW.md): show what changed; a click opens the report's page, the
// "stop" action unsubscribes with the same one-click POST a mail client makes (RFC 8058).
worker.addEventListener('push', (event) => {
  let data: FollowPush;
  try {
    data = event.data?.json() as FollowPush;
  } catch {
    return;
  }
  if (!data?.title) return;
  event.waitUntil(
    worker.registration.showNotification(data.title, {
      body: data.body,
      tag: data.tag,
      icon: '/icons/icon-192.png',
      data: { url: data.url, unsubscribe: data.unsubscribe_url },
      actions: data.unsubscribe_url
        ? [{ action: 'unsubscribe', title: data.unsubscribe_label ?? 'Stop following' }]
        : [],
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const { url, unsubscribe } = (event.notification.data ?? {}) as { url?: string; unsubscribe?: string };
  if (event.action === 'unsubscribe' && unsubscribe) {
    event.waitUntil(
      fetch(unsubscribe, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }).catch(() => undefined),
    );
    return;
  }
  if (!url) return;
  event.waitUntil(
    (async () => {
      // A tab already on the report comes forward instead of a second one opening.
      const open = (await worker.clients.matchAll({ type: 'window' })).find(
        (c) => c.url.split('#')[0] === url.split('#')[0],
      );
      if (open) {
        await open.focus();
        if (open.url !== url) await open.navigate(url);
      } else {
        await worker.clients.openWindow(url);
      }
    })(),
  );
});
