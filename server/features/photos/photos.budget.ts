// Memory for photos is bounded by two budgets shared by every request of this process:
// bytes of uploads held in memory (multer keeps them as buffers, sharp reads buffers), and
// pixels being decoded at once (a decode costs memory by its pixels, not by its file size: a
// 100 KB PNG can declare 50 megapixels). A request that does not fit waits its turn, briefly;
// then it gets a 503 with Retry-After instead of the process running out of memory.
//
// Uploads also have a share per client address (OwnerShares): uploads that never finish hold
// their bytes, and without a share fifteen of them from one address spend the whole upload
// budget while everyone else waits.
import { AppError } from '../../http/errors';

export interface BudgetOptions {
  /** What may be held at once, in the budget's unit (bytes, pixels). */
  capacity: number;
  /** Requests waiting beyond this many are turned away at once. */
  maxWaiting: number;
  /** How long one may wait for room before it is turned away. */
  waitMs: number;
  /** The error a request that found no room gets. */
  busy: () => AppError;
  /**
   * Kept for small requests (at most this much each): one larger than the whole budget runs
   * with at most this much beside it instead of alone, and while a larger request waits for
   * room, small ones may still go ahead of it within this much (default 0: first come, first
   * served).
   */
  reserve?: number;
}

interface Waiter {
  amount: number;
  grant: () => void;
}

export class Budget {
  private held = 0;
  /** What requests of at most `reserve` hold. */
  private smallHeld = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly opts: BudgetOptions) {}

  /** What is held now; 0 when nothing is in flight. */
  get used(): number {
    return this.held;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Takes `amount` if it fits now and overtakes nobody whose turn comes first (mayGo). */
  tryTake(amount: number): boolean {
    const want = this.clamp(amount);
    const waiting = {
      small: this.queue.some((w) => this.isSmall(w.amount)),
      large: this.queue.some((w) => !this.isSmall(w.amount)),
    };
    if (!this.mayGo(want, waiting)) return false;
    this.hold(want);
    return true;
  }

  /** Takes `amount`, waiting up to waitMs for room; rejects with the busy error otherwise. */
  take(amount: number): Promise<void> {
    if (this.tryTake(amount)) return Promise.resolve();
    if (this.queue.length >= this.opts.maxWaiting) return Promise.reject(this.opts.busy());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        amount: this.clamp(amount),
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        reject(this.opts.busy());
        this.grantWaiting(); // the head may have been the one blocking smaller ones behind it
      }, this.opts.waitMs);
      this.queue.push(waiter);
    });
  }

  give(amount: number): void {
    const want = this.clamp(amount);
    this.held = Math.max(0, this.held - want);
    if (this.isSmall(want)) this.smallHeld = Math.max(0, this.smallHeld - want);
    this.grantWaiting();
  }

  /** Runs `task` holding `amount`, giving it back however the task ends. */
  async run<T>(amount: number, task: () => Promise<T>): Promise<T> {
    await this.take(amount);
    try {
      return await task();
    } finally {
      this.give(amount);
    }
  }

  /** One request larger than the whole budget may still run, beside at most `reserve` of others. */
  private clamp(amount: number): number {
    return Math.min(Math.max(0, amount), this.opts.capacity - (this.opts.reserve ?? 0));
  }

  private isSmall(amount: number): boolean {
    return amount <= (this.opts.reserve ?? 0);
  }

  /** A small request may go ahead of a large one that waits only within the reserve. */
  private smallFits(amount: number): boolean {
    return this.smallHeld + amount <= (this.opts.reserve ?? 0);
  }

  /**
   * Whether `amount` may be taken now, with requests of each kind waiting before it: first come,
   * first served among small requests and among large ones. A large request that waits is not
   * starved: small ones pass it only within the reserve, so the rest frees up for it; and a
   * waiting large one never holds up small ones (two 7000 × 7000 AVIFs from two addresses held
   * every ordinary photo 7–14 s when the second waited at the head).
   */
  private mayGo(amount: number, waiting: { small: boolean; large: boolean }): boolean {
    if (this.held + amount > this.opts.capacity) return false;
    if (this.isSmall(amount)) return !waiting.small && (!waiting.large || this.smallFits(amount));
    return !waiting.large && !waiting.small;
  }

  private hold(amount: number): void {
    this.held += amount;
    if (this.isSmall(amount)) this.smallHeld += amount;
  }

  /** Grants, in order, every waiting request whose turn it is (mayGo). */
  private grantWaiting(): void {
    const waiting = { small: false, large: false };
    for (let i = 0; i < this.queue.length;) {
      const next = this.queue[i]!;
      if (this.mayGo(next.amount, waiting)) {
        this.queue.splice(i, 1);
        this.hold(next.amount);
        next.grant();
        continue;
      }
      if (this.isSmall(next.amount)) waiting.small = true;
      else waiting.large = true;
      i++;
    }
  }
}

/**
 * A Budget per owner (a client address), made when the owner first asks and forgotten once it
 * holds and awaits nothing. Uploads take the size they declare (Content-Length) before any of
 * it is read, so the uploads an address has in progress can always all finish: they never wait
 * half-read on each other's bytes. Its further uploads wait unread (TCP pushes back on that
 * address only) and are turned away after the wait; other addresses never wait for them.
 */
export class OwnerShares {
  private readonly budgets = new Map<string, Budget>();

  constructor(private readonly opts: BudgetOptions) {}

  heldBy(owner: string): number {
    return this.budgets.get(owner)?.used ?? 0;
  }

  waitingFor(owner: string): number {
    return this.budgets.get(owner)?.waiting ?? 0;
  }

  /** Owners holding or waiting for something now; 0 when nothing is in flight. */
  get owners(): number {
    return this.budgets.size;
  }

  async take(owner: string, amount: number): Promise<void> {
    let budget = this.budgets.get(owner);
    if (!budget) {
      budget = new Budget(this.opts);
      this.budgets.set(owner, budget);
    }
    try {
      await budget.take(amount);
    } catch (err) {
      this.forgetIdle(owner, budget);
      throw err;
    }
  }

  give(owner: string, amount: number): void {
    const budget = this.budgets.get(owner);
    if (!budget) return;
    budget.give(amount);
    this.forgetIdle(owner, budget);
  }

  private forgetIdle(owner: string, budget: Budget): void {
    if (!budget.used && !budget.waiting && this.budgets.get(owner) === budget) this.budgets.delete(owner);
  }
}

const RETRY_AFTER_S = 10;
const MB = 1024 * 1024;

/**
 * The answer to a request the budget had no room for: 503, Retry-After, naming the photos.
 * Someone turned away for their own address's share is told so.
 */
export const photosBusy =
  (what: string, whose: 'server' | 'address' = 'server') =>
  () =>
    new AppError(
      503,
      'photos_busy',
      'Too many photos at once',
      whose === 'address'
        ? `Too many photos are arriving from this network address at once; send the report again in ${RETRY_AFTER_S} seconds.`
        : `The server is busy with other photos; send the report again in ${RETRY_AFTER_S} seconds.`,
      [{ field: 'photos', detail: `could not be ${what} now; try again in ${RETRY_AFTER_S} seconds` }],
      { 'Retry-After': String(RETRY_AFTER_S) },
    );

/**
 * Upload bytes held in memory. 200 MB is about 100 phone photos, or 13 of the largest
 * allowed; a slow connection holds only what it has sent so far.
 */
export const uploadBudget = new Budget({
  capacity: 200 * MB,
  maxWaiting: 100,
  waitMs: 10_000,
  busy: photosBusy('received'),
});

/**
 * What one client address may have in uploads at once: 75 MB, a report with five photos of
 * the largest size (PHOTO_LIMITS; a larger declared body runs alone). Uploads from one address
 * that never finish leave at least 125 MB of uploadBudget to everyone else. Behind one address
 * (a shelter's wifi) more uploads wait their turn, up to 20 at a time.
 */
export const uploadShares = new OwnerShares({
  capacity: 75 * MB,
  maxWaiting: 20,
  waitMs: 10_000,
  busy: photosBusy('received', 'address'),
});

/**
 * Pixels being decoded, AVIF and HEIC counted four times (see processPhoto): about 400 MB of
 * decoder memory. Two photos at the 50-megapixel limit, or many ordinary ones, decode at once;
 * the others wait in line. An AVIF or HEIC near the pixel limit (up to 900 MB) counts as 70
 * megapixels, so ordinary photos of up to 30 megapixels together still decode beside it: a
 * 28 KB AVIF of 7000 × 7000 takes 12–16 s to decode, and when it ran alone every other
 * address's photo reports waited that long (issue 11's last attack).
 */
export const decodeBudget = new Budget({
  capacity: 100_000_000,
  reserve: 30_000_000,
  maxWaiting: 50,
  waitMs: 15_000,
  busy: photosBusy('processed'),
});

/**
 * What one client address may have being decoded at once: 40 megapixels, so one photo near the
 * pixel limit runs alone and the rest of that address's wait in its own line (up to 16 for up
 * to 30 s, then 503 for that address only: a shelter's phones still get through in turn). 60 parallel uploads of tiny 49-megapixel WebPs from one address
 * once filled decodeBudget's line, and everybody else's photo reports got 503.
 */
export const decodeShares = new OwnerShares({
  capacity: 40_000_000,
  maxWaiting: 16,
  waitMs: 30_000,
  busy: photosBusy('processed', 'address'),
});
