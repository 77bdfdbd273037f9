import { AppError } from '../../server/http/errors';
import { Budget, photosBusy } from '../../server/features/photos/photos.budget';

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
