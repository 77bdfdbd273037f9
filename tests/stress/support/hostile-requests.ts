// What the attackers of tests/stress/slow-clients.test.ts send: requests built to cost the
// server (each must be refused quickly with a 4xx, the issue's 40,000-digit `lat` first), and
// valid reads that cost the database, which one address may only run a few at a time.

/** Bodies and queries meant to cost the server: each must get a quick 4xx. */
export const HOSTILE: { method: string; path: string; type?: string; body?: () => string }[] = [
  {
    method: 'POST',
    path: '/api/v1/reports',
    type: 'application/json',
    body: () => JSON.stringify({ category: 'steps', lat: '1'.repeat(40_000), lon: 13.4 }),
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    type: 'application/json',
    body: () => `{"category":"steps","lat":${'9'.repeat(40_000)},"lon":13.4}`,
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    type: 'application/json',
    body: () => `{"category":"steps","lat":52.5,"lon":13.4,"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    type: 'application/json',
    body: () => JSON.stringify({ category: 'steps', lat: 52.5, lon: 13.4, description: 'x'.repeat(70_000) }),
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    type: 'multipart/form-data; boundary=hostile',
    body: () =>
      `--hostile\r\nContent-Disposition: form-data; name="lat"\r\n\r\n${'1'.repeat(40_000)}\r\n` +
      `--hostile\r\nContent-Disposition: form-data; name="lon"\r\n\r\n13.4\r\n--hostile--\r\n`,
  },
  // Telegram's webhook without its secret: refused before the body is read, however it looks.
  {
    method: 'POST',
    path: '/api/v1/inbound/telegram',
    type: 'application/json',
    body: () => `{"update_id":1,"message":${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
  },
  {
    method: 'POST',
    path: '/api/v1/inbound/telegram',
    type: 'application/json',
    body: () => JSON.stringify({ update_id: 1, message: { text: 'x'.repeat(70_000) } }),
  },
  { method: 'GET', path: `/api/v1/reports/nearby?lat=${'1'.repeat(15_000)}&lon=13.4` },
  { method: 'GET', path: `/api/v1/reports/nearby?lat=52.${'5'.repeat(2000)}&lon=13.4` },
  { method: 'GET', path: `/api/v1/reports?bbox=${'1,'.repeat(1000)}1` },
  { method: 'GET', path: `/api/v1/reports?${'a=1&'.repeat(2000)}` },
  { method: 'GET', path: '/tiles/public/0/0/0.mvt?since=2000-01-01T00:00:00Z' },
  // A limit over the maximum is clamped (OGC API asks so), no longer refused; these are refused.
  { method: 'GET', path: '/ogc/collections/reports/items?offset=100000000' },
  { method: 'GET', path: `/ogc/collections/reports/items?filter=${encodeURIComponent('('.repeat(500))}` },
  {
    method: 'GET',
    path: `/ogc/collections/reports/items?filter=${encodeURIComponent(`${'NOT '.repeat(300)}severity = 1`)}`,
  },
  { method: 'GET', path: '/open311/v2/requests.json?page=1000000&page_size=100' },
  // Issue 16's public writes: following, judging a fix, "affects me too", a volunteer joining.
  // Bodies just under each route's limit, nested or long where a parser or a check could be slow.
  {
    method: 'POST',
    path: '/api/v1/reports/1/subscriptions',
    type: 'application/json',
    body: () => JSON.stringify({ email: `${'a'.repeat(7_000)}@example.org` }),
  },
  {
    method: 'POST',
    path: '/api/v1/reports/1/subscriptions',
    type: 'application/json',
    body: () => `{"push":${'['.repeat(4_000)}${']'.repeat(4_000)}}`,
  },
  {
    method: 'POST',
    path: '/api/v1/reports/1/fix-checks',
    type: 'application/json',
    body: () => `{"answer":"not_fixed","device":${'['.repeat(8_000)}${']'.repeat(8_000)}}`,
  },
  {
    method: 'POST',
    path: '/api/v1/reports/1/endorsements',
    type: 'application/json',
    body: () => JSON.stringify({ device: '1'.repeat(15_000) }),
  },
  {
    method: 'POST',
    path: '/api/v1/volunteers/join',
    type: 'application/json',
    body: () => JSON.stringify({ token: '1'.repeat(8_000), password: 'x'.repeat(7_000) }),
  },
  { method: 'GET', path: `/api/v1/subscriptions/confirm?token=${'a'.repeat(7_000)}` },
  {
    method: 'POST',
    path: '/api/v1/subscriptions/unsubscribe',
    type: 'application/x-www-form-urlencoded',
    body: () => `token=${'a'.repeat(2_000)}`,
  },
];

/** Reads that cost the database, as fast as one address may: the per-address read limits hold them. */
export const EXPENSIVE = [
  '/api/v1/clusters?bbox=-180,-85,180,85&zoom=2',
  '/api/v1/clusters?bbox=5,47,15,55&zoom=8&category=steps',
  '/tiles/public/3/4/2.mvt?category=steps,lift',
  '/tiles/public/6/34/21.mvt?kind=barrier',
  '/api/v1/reports/nearby?lat=52.52&lon=13.405&radius_m=1000',
  '/api/v1/reports?limit=100',
  '/ogc/collections/reports/items?limit=1000',
  // A CQL2 filter that reads every row's text: its statement budget bounds it (a 503 past it).
  `/ogc/collections/reports/items?limit=1000&filter=${encodeURIComponent("ACCENTI(CASEI(description)) LIKE ACCENTI(CASEI('%a%e%i%'))")}`,
  '/ogc/collections/reports/items?limit=100&offset=90000',
  '/open311/v2/requests.json?page_size=100&page=50',
  // Cheap one by one, but an attack found 400 at once from one address held everyone's pool.
  '/api/v1/reports/1',
  '/api/v1/reports/2',
  '/ogc/collections/reports/items/3',
  // A report's story (issue 16): its history read through the public view.
  '/api/v1/reports/1/timeline',
  // Built once per base URL now; built per request it held the event loop (issue 11's attack).
  '/api/openapi.json',
  // Each export is made whole (spooled) before it is sent: the costliest read of all.
  '/api/v1/exports/reports.csv',
  // The public statistics count every report per filter; each new filter misses the minute's cache.
  '/api/v1/stats',
  '/api/v1/stats.csv?kind=help',
  '/api/v1/stats?since=2020-01-01&until=2026-12-31',
  '/api/v1/stats?since=2021-06-15&kind=barrier',
];
