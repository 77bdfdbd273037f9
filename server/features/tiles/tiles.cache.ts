// The encoded bytes of low-zoom public tiles, which every viewer of the map asks for (the whole
// world at zoom 0–6 is 5,461 tiles). Keyed by the response's ETag (server/http/conditional.ts),
// which holds the data's version, the tile and its filters: a change makes new keys, and the
// old entries age out of the LRU. Bounded in bytes, not entries: one busy tile can be 100 kB.

/** Zooms at and below this are kept: a viewer cannot zoom a country map further out. */
export const CACHED_MAX_ZOOM = 6;
/** 16 MB holds zoom 0–6 several times over for a country-sized deployment. */
export const TILE_CACHE_BYTES = 16 * 1024 * 1024;

export class TileCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = TILE_CACHE_BYTES) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // A Map iterates in insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, body: Buffer): void {
    if (body.length > this.maxBytes / 16 || this.entries.has(key)) return;
    this.entries.set(key, body);
    this.bytes += body.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.length;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
