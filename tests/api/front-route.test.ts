// POST /api/v1/reports is one route in front of all others (server/app.ts): it restates the
// steps that every request takes. A step mounted later for every request, and not added to
// the front route, would silently not guard the busiest anonymous write; this finds it.
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

interface Layer {
  name: string;
  handle: ((...args: unknown[]) => unknown) & { stack?: unknown };
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  match(path: string): unknown;
}

/** Steps below the front route that a new report may pass by, and why. */
const NOT_FOR_NEW_REPORTS: Record<string, string> = {
  expensiveReadsOnly: 'the read limits apply to GET and HEAD only',
  wakeFollowersOnChanges: 'a new report has no followers yet; only changes to reports wake them',
  notFoundHandler: 'answers what no route did',
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('mounts new reports first, with every step that every request takes', () => {
  const stack = (t.app as unknown as { router: { stack: Layer[] } }).router.stack;
  const [front, ...below] = stack;
  expect(front!.route?.path).toBe('/api/v1/reports');
  expect(front!.route?.methods).toEqual({ post: true });
  const frontSteps = new Set(front!.route!.stack.map((layer) => layer.handle));

  // What a POST /api/v1/reports would pass below: middleware for its path (not the features'
  // routers, which are routes; not the error handlers) and other routes that take the POST.
  const passed = below.filter(
    (layer) =>
      layer.match('/api/v1/reports') &&
      layer.handle.length < 4 &&
      layer.handle.stack === undefined &&
      (!layer.route || layer.route.methods.post),
  );
  expect(passed.length).toBeGreaterThan(5);
  const missing = passed
    .filter((layer) => !frontSteps.has(layer.handle) && !(layer.handle.name in NOT_FOR_NEW_REPORTS))
    .map((layer) => layer.handle.name || layer.name || '(anonymous)');
  expect(missing).toEqual([]);
  // And the other way round: the shared steps are the same functions, in the same order.
  const shared = passed.filter((layer) => frontSteps.has(layer.handle)).map((layer) => layer.handle);
  const order = front!.route!.stack.map((layer) => layer.handle).filter((h) => shared.includes(h));
  expect(order).toEqual(shared);
});
