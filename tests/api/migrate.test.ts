// The migration runner on a real database: a file marked WITHOUT_TRANSACTION runs statement by
// statement (CREATE INDEX CONCURRENTLY cannot run in a transaction), is recorded once it has
// run, and may run again after a failure; two processes migrating at once wait for each other.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type pg from 'pg';
import { createPool } from '../../server/db/database';
import { migrate, WITHOUT_TRANSACTION } from '../../server/db/migrate';

jest.setTimeout(60_000);

const url = process.env.TEST_DATABASE_URL ?? process.env.WF_EMBEDDED_TEST_URL!;
const logger = pino({ level: 'silent' });
const opened: pg.Pool[] = [];
const schemas: string[] = [];
let dir: string;

async function freshSchema(): Promise<pg.Pool> {
  const schema = `test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = createPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  schemas.push(schema);
  const pool = createPool(url, { max: 2, schema });
  opened.push(pool);
  return pool;
}

const indexOf = async (pool: pg.Pool, name: string) =>
  (
    await pool.query<{ valid: boolean }>(
      `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
      [name],
    )
  ).rows[0];

const recorded = async (pool: pg.Pool) =>
  (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wf-migrate-'));
  await fs.writeFile(path.join(dir, '0001_table.sql'), 'CREATE TABLE m_places (id bigint, g int);\n');
  await fs.writeFile(
    path.join(dir, '0002_index.sql'),
    `${WITHOUT_TRANSACTION}
-- A DO block holds semicolons but no empty line after one.
DO $$
BEGIN
  INSERT INTO m_places VALUES (1, 1);
  INSERT INTO m_places VALUES (2, 2);
END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS m_places_g_idx ON m_places (g);
`,
  );
});

afterEach(() => fs.rm(dir, { recursive: true, force: true }));
afterAll(async () => {
  await Promise.all(opened.map((p) => p.end()));
  const admin = createPool(url, { max: 1 });
  for (const schema of schemas) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

test('runs a file without a transaction statement by statement, and records it once', async () => {
  const pool = await freshSchema();
  expect(await migrate(pool, logger, dir)).toEqual(['0001_table.sql', '0002_index.sql']);
  expect(await indexOf(pool, 'm_places_g_idx')).toEqual({ valid: true });
  expect((await pool.query('SELECT id FROM m_places ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  expect(await recorded(pool)).toEqual(['0001_table.sql', '0002_index.sql']);
  expect(await migrate(pool, logger, dir)).toEqual([]);
});

test('a failed statement names the file, leaves it unrecorded, and the mended file runs again', async () => {
  const pool = await freshSchema();
  const file = path.join(dir, '0003_more.sql');
  await fs.writeFile(
    file,
    `${WITHOUT_TRANSACTION}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS m_places_id_idx ON m_places (id);\n\nSELECT no_such_column FROM m_places;\n`,
  );
  await expect(migrate(pool, logger, dir)).rejects.toThrow(/Migration 0003_more\.sql failed: .*no_such_column/);
  expect(await recorded(pool)).toEqual(['0001_table.sql', '0002_index.sql']);
  expect(await indexOf(pool, 'm_places_id_idx')).toEqual({ valid: true }); // what ran before the failure stays
  await fs.writeFile(
    file,
    `${WITHOUT_TRANSACTION}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS m_places_id_idx ON m_places (id);\n\nSELECT g FROM m_places;\n`,
  );
  expect(await migrate(pool, logger, dir)).toEqual(['0003_more.sql']);
  expect(await recorded(pool)).toEqual(['0001_table.sql', '0002_index.sql', '0003_more.sql']);
});

// Two processes: on the embedded database one session serves every connection, where an
// advisory lock does not keep connections apart, and one process owns it anyway.
const twoProcesses = process.env.TEST_DATABASE_URL ? test : test.skip;
twoProcesses('two processes migrating at once apply each file once, the concurrent index included', async () => {
  const first = await freshSchema();
  const schema = (await first.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  const second = createPool(url, { max: 2, schema });
  opened.push(second);
  const [a, b] = await Promise.all([migrate(first, logger, dir), migrate(second, logger, dir)]);
  expect([...a, ...b].sort()).toEqual(['0001_table.sql', '0002_index.sql']);
  expect(await indexOf(first, 'm_places_g_idx')).toEqual({ valid: true });
  expect(await recorded(first)).toEqual(['0001_table.sql', '0002_index.sql']);
});
