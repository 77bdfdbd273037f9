// The grid help requests are published on (HELP_GRID_M). A help request keeps the cell it was
// first published in; a new grid applies to help requests received from then on. Re-cutting
// the published ones would hand anyone who saved the old cells a second, offset cell per
// request to intersect with (migrations/0011_help_grid.sql, which also makes the database
// refuse it). SQL only, like a repo.
import type pg from 'pg';

export interface HelpGridChange {
  /** The grid the database was last started with; null on a fresh database. */
  fromM: number | null;
  toM: number;
  /** Help requests published before, which keep their cells. */
  kept: number;
}

/** Records the deployment's grid; says what changed, or undefined when nothing did. */
export async function recordHelpGrid(
  db: pg.Pool | pg.PoolClient,
  helpGridM: number,
): Promise<HelpGridChange | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM settings WHERE name = 'help_grid_m' FOR UPDATE`,
  );
  const before = rows[0]?.value;
  if (before === String(helpGridM)) return undefined;
  await db.query(
    `INSERT INTO settings (name, value) VALUES ('help_grid_m', $1)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
    [String(helpGridM)],
  );
  const { rows: counted } = await db.query<{ kept: number }>(
    `SELECT count(*)::int AS kept FROM reports WHERE kind = 'help'`,
  );
  return { fromM: before === undefined ? null : Number(before), toM: helpGridM, kept: counted[0]?.kept ?? 0 };
}
