/**
 * The outbox module (IndexedDB, retries) loads after the first screen; this is its handle.
 * Null when it cannot load or IndexedDB is unavailable: the form then sends directly.
 */
type Outbox = typeof import('./outbox');

let loading: Promise<Outbox | null> | null = null;

export function outbox(): Promise<Outbox | null> {
  loading ??= (async () => {
    try {
      const mod = await import('./outbox');
      // Private modes of some browsers expose IndexedDB but refuse to open it.
      await mod.list();
      return mod;
    } catch {
      loading = null;
      return null;
    }
  })();
  return loading;
}
