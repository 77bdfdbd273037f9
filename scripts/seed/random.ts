// Seeded randomness: the same seed gives the same data, and report i depends only on
// (seed, i), so a later run can continue a sequence without repeating it.

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for synthetic data. */
export function mulberry32(seed: number): Random {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's finaliser over two 32-bit words. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The generator for item `index` of the sequence `seed`. */
export function randomFor(seed: number, index: number): Random {
  return mulberry32(mix(mix(seed, Math.floor(index / 4294967296)), index >>> 0));
}

/** Standard normal (Box–Muller). */
export function gaussian(rng: Random): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Picks from `values` with the given relative weights (same length). */
export function weighted<T>(values: readonly T[], weights: readonly number[]): (rng: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return (rng) => {
    const r = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}
