import type pg from 'pg';
import { listCategories, type Category } from './categories.repo';

/** The taxonomy only changes with a migration, so one read per process is enough. */
export interface Taxonomy {
  all(): Promise<Category[]>;
  find(code: string): Promise<Category | undefined>;
}

export function createTaxonomy(pool: pg.Pool): Taxonomy {
  let loading: Promise<Map<string, Category>> | undefined;
  const load = () => {
    loading ??= listCategories(pool).then(
      (list) => new Map(list.map((c) => [c.code, c])),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  return {
    all: async () => [...(await load()).values()],
    find: async (code) => (await load()).get(code),
  };
}
