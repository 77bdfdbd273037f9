import { AppError } from '../../server/http/errors';
import {
  Budget,
  OwnerShares,
  photosBusy,
  decodeBudget,
  uploadBudget,
  uploadShares,
} from '../../server/features/photos/photos.budget';
import { PHOTO_LIMITS } from '../../server/features/photos/photos.pipeline';

const budget = (capacity: number, opts: { maxWaiting?: number; waitMs?: number } = {}) =>
  new Budget({
    capacity,
    maxWaiting: opts.maxWaiting ?? 10,
    waitMs: opts.waitMs ?? 60_000,
    busy: photosBusy('processed'),
  });

/** Settles the promise's state into something a test can read without waiting on it. */
function track(promise: Promise<unknown>): { state: () => 'pending' | 'granted' | 'refused'; error?: unknown } {
  let state: 'pending' | 'granted' | 'refused' = 'pending';
  const tracked: { state: () => typeof state; error?: unknown } = { state: () => state };
  promise.then(
    () => (state = 'granted'),
    (err: unknown) => {
      state = 'refused';
      tracked.error = err;
    },
  );
  return tracked;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Budget', () => {
  it('grants what fits at once and counts it until given back', async () => {
    const b = budget(100);
    await b.take(60);
    expect(b.tryTake(30)).toBe(true);
    expect(b.tryTake(20)).toBe(false);
    expect(b.used).toBe(90);
    b.give(60);
    b.give(30);
    expect(b.used).toBe(0);
  });

  it('lets a request larger than the whole budget run, alone', async () => {
    const b = budget(100);
    await b.take(500);
    expect(b.used).toBe(100);
    expect(b.tryTake(1)).toBe(false);
    b.give(500);
    expect(b.used).toBe(0);
  });

  it('with a reserve, lets others of up to the reserve run beside a request larger than the whole budget', async () => {
    const b = new Budget({ capacity: 100, reserve: 30, maxWaiting: 10, waitMs: 60_000, busy: photosBusy('processed') });
    await b.take(500);
    expect(b.used).toBe(70);
    expect(b.tryTake(20)).toBe(true);
    expect(b.tryTake(10)).toBe(true);
    expect(b.tryTake(1)).toBe(false);
  });

  it('with a reserve, a large request that waits holds up no small one, and small ones pass it only within the reserve', async () => {
    const b = new Budget({ capacity: 100, reserve: 30, maxWaiting: 10, waitMs: 60_000, busy: photosBusy('processed') });
    await b.take(500); // 70, running
    const second = track(b.take(500)); // another address's giant: waits
    await tick();
    expect(second.state()).toBe('pending');
    await b.take(10); // an ordinary photo goes ahead of it at once
    const larger = track(b.take(25)); // past the reserve (10 + 25 > 30): waits
    const after = track(b.take(5)); // small ones stay in their own order
    await tick();
    expect([larger.state(), after.state()]).toEqual(['pending', 'pending']);
    b.give(10);
    await tick();
    expect([larger.state(), after.state(), second.state()]).toEqual(['granted', 'granted', 'pending']);
    b.give(500); // the first giant is done: the second fits beside the 30 of small ones
    await tick();
    expect([second.state(), b.used]).toEqual(['granted', 100]);
  });

  it('decodes ordinary photos beside an AVIF at the pixel limit (counted four times)', async () => {
    const avif = 4 * PHOTO_LIMITS.maxPixels;
    await decodeBudget.take(avif);
    try {
      // A phone's 12-megapixel JPEG twice over.
      expect(decodeBudget.tryTake(12_000_000)).toBe(true);
      expect(decodeBudget.tryTake(12_000_000)).toBe(true);
      decodeBudget.give(24_000_000);
    } finally {
      decodeBudget.give(avif);
    }
    expect(decodeBudget.used).toBe(0);
  });

  it('makes others wait in turn, first come first served', async () => {
    const b = budget(100);
    await b.take(80);
    const big = track(b.take(60));
    const small = track(b.take(10));
    await tick();
    // 10 would fit, but the 60 that came first is not overtaken.
    expect([big.state(), small.state(), b.waiting]).toEqual(['pending', 'pending', 2]);
    expect(b.tryTake(5)).toBe(false);
    b.give(80);
    await tick();
    expect([big.state(), small.state(), b.used, b.waiting]).toEqual(['granted', 'granted', 70, 0]);
  });

  it('turns a request away at once when too many wait, with 503 and Retry-After', async () => {
    const b = budget(10, { maxWaiting: 1 });
    await b.take(10);
    const waiting = track(b.take(5));
    const turnedAway = track(b.take(5));
    await tick();
    expect([waiting.state(), turnedAway.state()]).toEqual(['pending', 'refused']);
    const err = turnedAway.error as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect({ status: err.status, retryAfter: err.headers['Retry-After'], field: err.errors[0]?.field }).toEqual({
      status: 503,
      retryAfter: '10',
      field: 'photos',
    });
    b.give(10);
    await tick();
    expect(waiting.state()).toBe('granted');
  });

  it('gives up on a wait after waitMs, and lets those behind it through', async () => {
    const b = budget(100, { waitMs: 20 });
    await b.take(50);
    const tooBig = b.take(80);
    const fits = track(b.take(40));
    await expect(tooBig).rejects.toMatchObject({ status: 503 });
    await tick();
    expect([fits.state(), b.used, b.waiting]).toEqual(['granted', 90, 0]);
  });

  it('gives back what a task held however the task ends', async () => {
    const b = budget(100);
    await expect(b.run(70, () => Promise.reject(new Error('decoder broke')))).rejects.toThrow('decoder broke');
    expect(b.used).toBe(0);
    await expect(b.run(70, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(b.used).toBe(0);
  });
});

describe('OwnerShares: a budget per client address', () => {
  const shares = (opts: { maxWaiting?: number; waitMs?: number } = {}) =>
    new OwnerShares({
      capacity: 30,
      maxWaiting: opts.maxWaiting ?? 5,
      waitMs: opts.waitMs ?? 60_000,
      busy: photosBusy('received', 'address'),
    });

  it('lets one address hold at most its share while another takes its own at once', async () => {
    const s = shares();
    for (let i = 0; i < 3; i++) await s.take('attacker', 10);
    const stalled = track(s.take('attacker', 10));
    await s.take('citizen', 30);
    await tick();
    expect([stalled.state(), s.heldBy('attacker'), s.heldBy('citizen'), s.owners]).toEqual(['pending', 30, 30, 2]);
    s.give('attacker', 10);
    await tick();
    expect([stalled.state(), s.heldBy('attacker')]).toEqual(['granted', 30]);
  });

  it("serves one address's waiting uploads first come, first served", async () => {
    const s = shares();
    await s.take('a', 30);
    const first = track(s.take('a', 20));
    const second = track(s.take('a', 5));
    await tick();
    s.give('a', 10);
    await tick();
    // 5 would fit in the 10 given back, but the 20 that came first is not overtaken.
    expect([first.state(), second.state()]).toEqual(['pending', 'pending']);
    s.give('a', 20);
    await tick();
    expect([first.state(), second.state(), s.heldBy('a')]).toEqual(['granted', 'granted', 25]);
  });

  it('lets an address that holds nothing send one upload larger than its share, alone', async () => {
    const s = shares();
    await s.take('a', Number.POSITIVE_INFINITY);
    expect(s.heldBy('a')).toBe(30);
    const next = track(s.take('a', 1));
    await tick();
    expect(next.state()).toBe('pending');
    s.give('a', Number.POSITIVE_INFINITY);
    await tick();
    expect(next.state()).toBe('granted');
    s.give('a', 1);
    expect(s.owners).toBe(0);
  });

  it("turns an address's uploads away past its waiting limit, with a 503 that names the address", async () => {
    const s = shares({ maxWaiting: 2 });
    await s.take('a', 30);
    const waiting = [track(s.take('a', 1)), track(s.take('a', 1))];
    const third = track(s.take('a', 1));
    await tick();
    expect([...waiting.map((w) => w.state()), third.state()]).toEqual(['pending', 'pending', 'refused']);
    const err = third.error as AppError;
    expect({ status: err.status, retryAfter: err.headers['Retry-After'], field: err.errors[0]?.field }).toEqual({
      status: 503,
      retryAfter: '10',
      field: 'photos',
    });
    expect(err.detail).toMatch(/from this network address/);
    s.give('a', 30);
    await tick();
    expect(waiting.map((w) => w.state())).toEqual(['granted', 'granted']);
  });

  it('forgets an address once it holds and awaits nothing, however its wait ended', async () => {
    const s = shares({ waitMs: 20 });
    await s.take('a', 30);
    await expect(s.take('a', 5)).rejects.toMatchObject({ status: 503 });
    expect(s.owners).toBe(1);
    s.give('a', 30);
    s.give('nobody', 30);
    expect([s.owners, s.heldBy('a')]).toEqual([0, 0]);
  });

  it('fifteen 14 MB uploads that never finish from one address leave room for a photo from another', async () => {
    const MB = 1024 * 1024;
    const attacker = Array.from({ length: 15 }, () => track(uploadShares.take('198.51.100.7', 14 * MB)));
    await tick();
    const admitted = attacker.filter((a) => a.state() === 'granted').length;
    // What the admitted uploads then hold of the upload budget, chunk by chunk, all of it.
    let held = 0;
    while (held < admitted * 14 * MB && uploadBudget.tryTake(64 * 1024)) held += 64 * 1024;
    try {
      expect({ admitted, held: held / MB }).toEqual({ admitted: 5, held: 70 });
      expect(uploadBudget.tryTake(175 * 1024)).toBe(true);
      uploadBudget.give(175 * 1024);
    } finally {
      uploadBudget.give(held);
      // Dropping the connections gives the shares back and lets the next in; then those go too.
      for (let i = 0; i < 15; i++) uploadShares.give('198.51.100.7', 14 * MB);
      await tick();
      for (let i = 0; i < 15; i++) uploadShares.give('198.51.100.7', 14 * MB);
    }
    expect([uploadBudget.used, uploadShares.owners]).toEqual([0, 0]);
  });

  it('gives one address room for the largest report the upload form allows', async () => {
    const largest = PHOTO_LIMITS.maxFiles * PHOTO_LIMITS.maxBytes;
    const other = track(uploadShares.take('one address', largest));
    await tick();
    expect(other.state()).toBe('granted');
    expect(uploadShares.heldBy('one address')).toBe(largest);
    uploadShares.give('one address', largest);
    expect(uploadShares.owners).toBe(0);
  });
});
