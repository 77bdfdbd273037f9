// The live streams of one process share one read of report_events per change (live.feed.ts):
// fifty coordinators online used to make fifty reads per event (issue 11's third attack). Each
// stream still gets exactly its own scope, and a stream further behind than the feed keeps
// reads the database itself.
import pino from 'pino';
import type pg from 'pg';
import { LiveFeed } from '../../server/features/live/live.feed';
import { closeStreams, openLiveStream, type LiveStream } from './support/live-stream';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
afterEach(closeStreams);
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Counts the statements that read events after a position (the feed's and a stream's own). */
function countEventReads(pool: pg.Pool): { reads: () => number; restore: () => void } {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  let reads = 0;
  const counting = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
    if (text?.includes('FROM report_events WHERE id > $1 ORDER BY id LIMIT')) reads++;
    return query(...args);
  };
  pool.query = counting as typeof pool.query;
  return { reads: () => reads, restore: () => delete (pool as { query?: unknown }).query };
}

const patch = (who: StaffAgent, id: number, body: object) =>
  who.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', who.csrf).send(body);

it('reads each change once for all streams, and each stream keeps to its scope', async () => {
  const team = await makeTeam(t);
  const coordinators = [await loginAs(t, 'coordinator'), await loginAs(t, 'coordinator')];
  const responder = await loginAs(t, 'responder', { teamId: team });
  const coordinatorStreams: LiveStream[] = [];
  for (const who of coordinators) for (let i = 0; i < 3; i++) coordinatorStreams.push(await openLiveStream(t.app, who));
  const responderStreams = [await openLiveStream(t.app, responder), await openLiveStream(t.app, responder)];
  // Let the streams' first reads (their replays) end before counting.
  await new Promise((r) => setTimeout(r, 300));

  const counter = countEventReads(t.pool);
  const changes = 6;
  let ours: number;
  const others: number[] = [];
  try {
    for (let i = 0; i < changes - 2; i++) others.push(await createReport(t, { contact: `other-${i}@example.org` }));
    ours = await createReport(t, { contact: 'ours@example.org' });
    expect((await patch(coordinators[0]!, ours, { assigned_team_id: team })).status).toBe(200);
    const last = Number((await t.pool.query<{ id: string }>('SELECT max(id) AS id FROM report_events')).rows[0]!.id);
    for (const stream of coordinatorStreams) await stream.waitFor(() => stream.events().some((e) => e.id === last));
    for (const stream of responderStreams) await stream.waitFor(() => stream.events().some((e) => e.id === last));
  } finally {
    counter.restore();
  }
  // One read per change at most, and a second when a change arrived during a read; eight
  // streams reading for themselves made at least eight per change.
  expect(counter.reads()).toBeGreaterThan(0);
  expect(counter.reads()).toBeLessThanOrEqual(2 * changes);

  for (const stream of coordinatorStreams) {
    const ids = stream.events().map((e) => e.data.id);
    expect(ids).toEqual(expect.arrayContaining([...others, ours!]));
    expect(stream.raw()).toContain('other-0@example.org');
  }
  for (const stream of responderStreams) {
    // Only the change that put the report in the team's scope, and not a word of the others.
    expect(stream.events().map((e) => [e.event, e.data.id])).toEqual([['report.updated', ours!]]);
    expect(stream.raw()).toContain('ours@example.org');
    expect(stream.raw()).not.toContain('other-');
  }
});

const headEvent = async () =>
  Number((await t.pool.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM report_events')).rows[0]!.id);

it('keeps the newest events only, and replays within them from one read for all', async () => {
  const feed = new LiveFeed(t.pool, t.events, pino({ level: 'silent' }), { keep: 3, batch: 2 });
  const from = await headEvent();
  let changed = 0;
  const leave = feed.join(from, () => changed++);
  const ids: number[] = [];
  try {
    for (let i = 0; i < 5; i++) ids.push(await createReport(t));
    const head = await headEvent();
    for (let i = 0; i < 100 && feed.after(head - 1, 10)?.[0]?.id !== head; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(changed).toBeGreaterThan(0);
    // Read in batches of two, it keeps the last three.
    expect(feed.after(from, 10)).toBeNull();
    const kept = feed.after(head - 3, 10)!;
    expect(kept.map((e) => e.id)).toEqual([head - 2, head - 1, head]);
    expect(kept.at(-1)!.report?.id).toBe(ids.at(-1));
    expect(feed.after(head - 3, 2)!.map((e) => e.id)).toEqual([head - 2, head - 1]);
    expect(feed.after(head, 10)).toEqual([]);
  } finally {
    leave();
  }
  // Nobody left: it keeps what it held a while, for streams that reconnect at once…
  const head = await headEvent();
  expect(feed.after(head - 1, 10)!.map((e) => e.id)).toEqual([head]);
  const rejoined = feed.join(head - 3, () => undefined);
  expect(feed.after(head - 3, 10)!.map((e) => e.id)).toEqual([head - 2, head - 1, head]);
  rejoined();
  // …and forgets it once the while is over.
  feed.close();
  expect(feed.after(head - 1, 10)).toBeNull();

  // In the app: a stream that joins now starts the feed at now; three that missed the five
  // reports reconnect at once and share one read of them, in order.
  const coordinator = await loginAs(t, 'coordinator');
  const now = await openLiveStream(t.app, coordinator);
  await new Promise((r) => setTimeout(r, 200));
  const counter = countEventReads(t.pool);
  let behind: LiveStream[];
  try {
    behind = await Promise.all([1, 2, 3].map(() => openLiveStream(t.app, coordinator, from)));
    for (const stream of behind) await stream.waitFor(() => stream.events().some((e) => e.id === head));
  } finally {
    counter.restore();
  }
  expect(counter.reads()).toBeLessThanOrEqual(1);
  for (const stream of behind) {
    const replayed = stream.events().filter((e) => e.id !== undefined && e.id <= head);
    expect(replayed.map((e) => e.id)).toEqual(Array.from({ length: head - from }, (_, i) => from + 1 + i));
    expect(replayed.filter((e) => e.event === 'report.created').map((e) => e.data.id)).toEqual(ids);
  }
  // And all hear what happens next.
  const next = await createReport(t);
  for (const stream of [now, ...behind]) await stream.waitFor(() => stream.events().some((e) => e.data.id === next));
  expect(now.events().some((e) => e.id !== undefined && e.id <= head)).toBe(false);
});

it('a stream further behind than the feed keeps reads the database itself, in order', async () => {
  const feed = new LiveFeed(t.pool, t.events, pino({ level: 'silent' }), { keep: 3, batch: 2 });
  const from = await headEvent();
  for (let i = 0; i < 5; i++) await createReport(t);
  const head = await headEvent();
  const leave = feed.join(head, () => undefined);
  try {
    // Five back is more than the three it keeps: it does not read them for the stream.
    await feed.cover(from);
    expect(feed.after(from, 10)).toBeNull();
    // Three back it does, once.
    await feed.cover(head - 3);
    expect(feed.after(head - 3, 10)!.map((e) => e.id)).toEqual([head - 2, head - 1, head]);
  } finally {
    leave();
  }
});
