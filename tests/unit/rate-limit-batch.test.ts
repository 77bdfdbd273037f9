import { LocalCounts } from '../../server/http/rate-limit-batch';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  const c = { now: start, fn: () => c.now };
  return c;
}

describe('LocalCounts (the batched rate-limit store’s memory)', () => {
  it('counts hits at once, sends them in one batch, and adds what the database says', () => {
    const t = clock();
    const counts = new LocalCounts(100, t.fn);
    for (let i = 1; i <= 3; i++) expect(counts.hit('reads:a', 60_000).totalHits).toBe(i);
    counts.hit('reads:b', 60_000);
    const batch = counts.take()!;
    expect(batch).toEqual({
      keys: ['reads:a', 'reads:b'],
      deltas: [3, 1],
      windows: [60_000, 60_000],
      generations: [0, 0],
    });
    // Nothing new: nothing to send. Hits during the flush still count here.
    expect(counts.take()).toBeUndefined();
    expect(counts.hit('reads:a', 60_000).totalHits).toBe(4);
    // Another process had counted 10 for a: the database's total replaces what was sent.
    const expiresAt = new Date(t.now + 50_000);
    counts.settle(batch, [
      { key: 'reads:a', hits: 13, expiresAt },
      { key: 'reads:b', hits: 1, expiresAt },
    ]);
    expect(counts.info('reads:a')).toEqual({ totalHits: 14, resetTime: expiresAt });
    expect(counts.take()).toMatchObject({ keys: ['reads:a'], deltas: [1] });
  });

  it('asks for an early flush when one client’s unsent hits reach a quarter of the limit', () => {
    const counts = new LocalCounts(100, clock().fn);
    const flags = Array.from({ length: 5 }, () => counts.hit('k', 60_000, 20).flushNow);
    expect(flags).toEqual([false, false, false, false, true]);
  });

  it('starts a new window after the old one ended, ignoring a late answer for the old one', () => {
    const t = clock();
    const counts = new LocalCounts(100, t.fn);
    counts.hit('k', 1_000);
    counts.hit('k', 1_000);
    const old = counts.take()!;
    t.now += 1_000;
    expect(counts.info('k')).toBeUndefined();
    expect(counts.hit('k', 1_000)).toMatchObject({ totalHits: 1, resetTime: new Date(t.now + 1_000) });
    counts.settle(old, [{ key: 'k', hits: 2, expiresAt: new Date(t.now) }]);
    expect(counts.info('k')!.totalHits).toBe(1);
  });

  it('keeps the hits of a failed flush for the next one', () => {
    const counts = new LocalCounts(100, clock().fn);
    counts.hit('k', 60_000);
    counts.hit('k', 60_000);
    counts.fail(counts.take()!);
    counts.hit('k', 60_000);
    expect(counts.info('k')!.totalHits).toBe(3);
    expect(counts.take()).toMatchObject({ deltas: [3] });
  });

  it('stays bounded: forgets ended windows, then settled clients, when full', () => {
    const t = clock();
    const counts = new LocalCounts(3, t.fn);
    counts.hit('old', 1_000);
    counts.hit('a', 60_000);
    const batch = counts.take()!;
    counts.settle(batch, []);
    counts.hit('b', 60_000);
    t.now += 1_000;
    // Full: 'old' has ended and 'a' was sent; 'b' has hits unsent and stays.
    expect(counts.hit('c', 60_000).flushNow).toBe(false);
    expect(counts.size).toBe(3);
    expect(counts.hit('d', 60_000).flushNow).toBe(false);
    expect(counts.info('a')).toBeUndefined();
    expect(counts.info('b')!.totalHits).toBe(1);
    // Full of clients with unsent hits: the new one is counted and a flush asked for.
    expect(counts.hit('e', 60_000).flushNow).toBe(true);
    expect(counts.sweep()).toBe(true);
  });
});
