// Anonymous "still there" / "gone" cannot be stuffed (issue 11): one answer per device and
// report, bounds per network address, counters that always equal the rows (also under
// concurrent requests), and a triage priority that confirmations can move only a little and
// never lower for a help request. Client addresses come from X-Forwarded-For behind
// TRUST_PROXY, as a reverse proxy would write them.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createPool } from '../../server/db/database';
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate';
import { CONFIRMATION_LIMITS } from '../../server/features/reports/reports.service';
import { createReport, loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

const PER_REPORT = CONFIRMATION_LIMITS.perAddressAndReport;
const PER_WINDOW = CONFIRMATION_LIMITS.perAddressPerWindow;

/** A fresh address per use (198.18.0.0/15 is for benchmarks: never a real client). */
let nextAddress = 0;
const newAddress = () => {
  nextAddress += 1;
  return `198.18.${nextAddress >> 8}.${nextAddress & 255}`;
};

describe('migration 0008', () => {
  it('keeps confirmations from before it, which still count', async () => {
    const url = process.env.TEST_DATABASE_URL ?? process.env.WF_EMBEDDED_TEST_URL!;
    const schema = `test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = createPool(url, { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pool = createPool(url, { max: 1, schema });
    const before = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-migrations-'));
    try {
      for (const file of await fs.readdir(MIGRATIONS_DIR)) {
        if (file < '0008') await fs.copyFile(path.join(MIGRATIONS_DIR, file), path.join(before, file));
      }
      const logger = pino({ level: 'silent' });
      await migrate(pool, logger, before);
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO reports (kind, category, severity, geom, public_geom, still_there_count, gone_count)
         VALUES ('barrier', 'steps', 2, ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), ST_SetSRID(ST_MakePoint(13.4, 52.5), 4326), 2, 1)
         RETURNING id`,
      );
      const id = rows[0]!.id;
      await pool.query(
        `INSERT INTO confirmations (report_id, type) VALUES ($1, 'still_there'), ($1, 'still_there'), ($1, 'gone')`,
        [id],
      );
      expect(await migrate(pool, logger)).toContain('0008_confirmation_devices.sql');

      const kept = await pool.query<{ type: string; device_hash: Buffer | null; address_hash: Buffer | null }>(
        'SELECT type, device_hash, address_hash FROM confirmations WHERE report_id = $1 ORDER BY id',
        [id],
      );
      expect(kept.rows).toEqual([
        { type: 'still_there', device_hash: null, address_hash: null },
        { type: 'still_there', device_hash: null, address_hash: null },
        { type: 'gone', device_hash: null, address_hash: null },
      ]);
      const key = await pool.query<{ value: string }>(
        `SELECT value FROM settings WHERE name = 'confirmation_address_key'`,
      );
      expect(key.rows[0]!.value).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      await fs.rm(before, { recursive: true, force: true });
    }
  });
});

describe('confirmations', () => {
  let t: TestApp;
  let server: http.Server;
  let coordinator: StaffAgent;

  beforeAll(async () => {
    t = await startTestApp({ config: { trustProxy: true } });
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    coordinator = await loginAs(t, 'coordinator');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const confirm = (id: number, body: object, address: string) =>
    request(server).post(`/api/v1/reports/${id}/confirmations`).set('X-Forwarded-For', address).send(body);

  /** What the report says, and what its rows say: they must always agree. */
  async function countsOf(id: number) {
    const report = await t.pool.query<{ still_there: number; gone: number }>(
      'SELECT still_there_count AS still_there, gone_count AS gone FROM reports WHERE id = $1',
      [id],
    );
    const rows = await t.pool.query<{ still_there: number; gone: number }>(
      `SELECT count(*) FILTER (WHERE type = 'still_there')::int AS still_there,
              count(*) FILTER (WHERE type = 'gone')::int AS gone
         FROM confirmations WHERE report_id = $1`,
      [id],
    );
    return { counters: report.rows[0]!, rows: rows.rows[0]! };
  }

  describe('one answer per device and report', () => {
    it('counts a device once; the other answer replaces its first', async () => {
      const id = await createReport(t);
      const device = crypto.randomUUID();
      const address = newAddress();
      const first = await confirm(id, { type: 'still_there', device }, address);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ report_id: id, confirmations: { still_there: 1, gone: 0 }, counted: true });

      const again = await confirm(id, { type: 'still_there', device: device.toUpperCase() }, newAddress());
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ report_id: id, confirmations: { still_there: 1, gone: 0 }, counted: true });

      const changed = await confirm(id, { type: 'gone', device }, address);
      expect(changed.status).toBe(200);
      expect(changed.body.confirmations).toEqual({ still_there: 0, gone: 1 });
      const back = await confirm(id, { type: 'still_there', device }, address);
      expect(back.body.confirmations).toEqual({ still_there: 1, gone: 0 });

      const other = await confirm(id, { type: 'gone', device: crypto.randomUUID() }, address);
      expect(other.status).toBe(201);
      expect(other.body.confirmations).toEqual({ still_there: 1, gone: 1 });
      expect(await countsOf(id)).toEqual({ counters: { still_there: 1, gone: 1 }, rows: { still_there: 1, gone: 1 } });
    });

    it('stores neither the token nor the address, and one device cannot be followed across reports', async () => {
      const [a, b] = [await createReport(t), await createReport(t)];
      const device = crypto.randomUUID();
      const address = newAddress();
      expect((await confirm(a, { type: 'still_there', device }, address)).status).toBe(201);
      expect((await confirm(b, { type: 'still_there', device }, address)).status).toBe(201);
      const { rows } = await t.pool.query<{ row: string; device_hash: Buffer; address_hash: Buffer }>(
        'SELECT c::text AS row, device_hash, address_hash FROM confirmations c WHERE report_id = ANY($1) ORDER BY id',
        [[a, b]],
      );
      expect(rows).toHaveLength(2);
      const plainHashes = [device, address].map((s) => crypto.createHash('sha256').update(s).digest('hex'));
      for (const row of rows) {
        for (const secret of [device, device.replace(/-/g, ''), address, ...plainHashes]) {
          expect(row.row).not.toContain(secret);
        }
        expect(row.device_hash).toHaveLength(32);
        expect(row.address_hash).toHaveLength(32);
      }
      expect(rows[0]!.device_hash.equals(rows[1]!.device_hash)).toBe(false);
      // The address is the same on both (the hourly bound counts over all reports).
      expect(rows[0]!.address_hash.equals(rows[1]!.address_hash)).toBe(true);
    });

    it('counts confirmations without a device token each, under the same address bounds', async () => {
      const id = await createReport(t);
      const address = newAddress();
      expect((await confirm(id, { type: 'still_there' }, address)).status).toBe(201);
      const second = await confirm(id, { type: 'gone' }, address);
      expect(second.status).toBe(201);
      expect(second.body.confirmations).toEqual({ still_there: 1, gone: 1 });
      const stored = await t.pool.query('SELECT 1 FROM confirmations WHERE report_id = $1 AND device_hash IS NULL', [
        id,
      ]);
      expect(stored.rowCount).toBe(2);
    });

    it.each([
      ['not-a-uuid', 'must be a UUID made once per device'],
      [`${crypto.randomUUID()}x`, 'must be a UUID made once per device'],
      [42, 'must be a UUID made once per device'],
      ['x'.repeat(20_000), 'must be a UUID made once per device'],
    ])('refuses the device token %#, naming the field', async (device, detail) => {
      const id = await createReport(t);
      const res = await confirm(id, { type: 'gone', device }, newAddress());
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'device', detail }]);
      if (typeof device === 'string') expect(JSON.stringify(res.body)).not.toContain(device.slice(0, 30));
      expect((await countsOf(id)).rows).toEqual({ still_there: 0, gone: 0 });
    });
  });

  describe('bounds per network address', () => {
    it(`counts ${PER_REPORT} confirmations of one report from one address; more are accepted, not counted`, async () => {
      const id = await createReport(t);
      const shelter = newAddress();
      const devices = Array.from({ length: PER_REPORT + 1 }, () => crypto.randomUUID());
      for (const device of devices.slice(0, PER_REPORT)) {
        expect((await confirm(id, { type: 'still_there', device }, shelter)).status).toBe(201);
      }
      const over = await confirm(id, { type: 'still_there', device: devices[PER_REPORT] }, shelter);
      expect(over.status).toBe(200);
      expect(over.body).toEqual({ report_id: id, confirmations: { still_there: PER_REPORT, gone: 0 }, counted: false });
      const tokenless = await confirm(id, { type: 'gone' }, shelter);
      expect(tokenless.body.counted).toBe(false);

      // A device that already counted may still change its answer; another address still counts.
      const changed = await confirm(id, { type: 'gone', device: devices[0] }, shelter);
      expect(changed.body).toMatchObject({ confirmations: { still_there: PER_REPORT - 1, gone: 1 }, counted: true });
      expect((await confirm(id, { type: 'gone', device: crypto.randomUUID() }, newAddress())).status).toBe(201);
      expect(await countsOf(id)).toEqual({
        counters: { still_there: PER_REPORT - 1, gone: 2 },
        rows: { still_there: PER_REPORT - 1, gone: 2 },
      });
    });

    it(`takes ${PER_WINDOW} answers per hour from one address over all reports, then 429 with Retry-After`, async () => {
      const address = newAddress();
      const extra = 30;
      const reports: number[] = [];
      for (let i = 0; i < (PER_WINDOW + extra) / PER_REPORT; i++) reports.push(await createReport(t));
      const devices = Array.from({ length: PER_WINDOW + extra }, () => crypto.randomUUID());
      const reportOf = (i: number) => reports[Math.floor(i / PER_REPORT)]!;
      // Fifty at a time (one address's line holds 2 running and 64 waiting), to many reports:
      // the bound must hold exactly however the requests interleave.
      const answers: request.Response[] = [];
      for (let i = 0; i < devices.length; i += 50) {
        answers.push(
          ...(await Promise.all(
            devices.slice(i, i + 50).map((device, k) => confirm(reportOf(i + k), { type: 'gone', device }, address)),
          )),
        );
      }
      expect(answers.filter((r) => r.status === 201)).toHaveLength(PER_WINDOW);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(extra);

      // A report this address has not confirmed yet (on the others its per-report count is full).
      const fresh = await createReport(t);
      const refused = await confirm(fresh, { type: 'gone', device: crypto.randomUUID() }, address).set(
        'Accept-Language',
        'de',
      );
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ type: 'urn:wegfrei:problem:rate_limited', title: 'Zu viele Bestätigungen' });
      const retry = Number(refused.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(CONFIRMATION_LIMITS.windowS);
      expect(refused.body.detail).toBe(
        `Zu viele Bestätigungen von dieser Netzwerkadresse; bitte in ${retry} s erneut versuchen.`,
      );

      // A changed answer is a write too; the same answer again is not.
      const kept = answers.findIndex((r) => r.status === 201);
      const same = await confirm(reportOf(kept), { type: 'gone', device: devices[kept] }, address);
      expect(same.status).toBe(200);
      const change = await confirm(reportOf(kept), { type: 'still_there', device: devices[kept] }, address);
      expect(change.status).toBe(429);
      const rowsOf = async () =>
        (
          await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM confirmations WHERE report_id = ANY($1)', [
            reports,
          ])
        ).rows[0]!.n;
      expect(await rowsOf()).toBe(PER_WINDOW);
      for (const id of reports) {
        const { counters, rows } = await countsOf(id);
        expect(counters).toEqual(rows);
      }
      // Someone else on another network is not affected.
      expect((await confirm(reports[0]!, { type: 'gone', device: crypto.randomUUID() }, newAddress())).status).toBe(
        201,
      );
      expect(await rowsOf()).toBe(PER_WINDOW + 1);
    });
  });

  describe('under concurrent requests', () => {
    it('lets one address have two in the database at a time, queues the rest, and turns away a flood', async () => {
      const id = await createReport(t);
      const address = newAddress();
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => confirm(id, { type: 'gone', device: crypto.randomUUID() }, address)),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => ![200, 201, 429].includes(s))).toEqual([]);
      const refused = answers.filter((r) => r.status === 429);
      // Requests answered early free places; a hundred at once still overflow a line of 2 + 64.
      expect(refused.length).toBeGreaterThan(0);
      expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
      expect((await countsOf(id)).counters).toEqual((await countsOf(id)).rows);
    });

    it('keeps the counters equal to the rows and one row per device', async () => {
      const id = await createReport(t);
      const devices = Array.from({ length: 24 }, () => crypto.randomUUID());
      // Every device sends three answers at once, alternating, each over another network (a
      // phone between wifi and mobile data), plus tokenless ones beside them.
      const sends = devices.flatMap((device, i) =>
        [0, 1, 2].map((k) =>
          confirm(id, { type: (i + k) % 2 ? 'gone' : 'still_there', device }, `203.0.113.${(i + k * 5) % 12}`),
        ),
      );
      sends.push(...Array.from({ length: 6 }, (_, i) => confirm(id, { type: 'gone' }, `203.0.113.${i}`)));
      const answers = await Promise.all(sends);
      expect(answers.filter((r) => ![200, 201].includes(r.status))).toEqual([]);
      expect(answers.filter((r) => r.status === 201)).toHaveLength(devices.length + 6);

      const { counters, rows } = await countsOf(id);
      expect(counters).toEqual(rows);
      expect(rows.still_there + rows.gone).toBe(devices.length + 6);
      const perDevice = await t.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM confirmations WHERE report_id = $1 AND device_hash IS NOT NULL
          GROUP BY device_hash ORDER BY n DESC LIMIT 1`,
        [id],
      );
      expect(perDevice.rows[0]!.n).toBe(1);
    });

    it(`counts exactly ${PER_REPORT} of many devices behind one address sending at once`, async () => {
      const id = await createReport(t);
      const shelter = newAddress();
      const answers = await Promise.all(
        Array.from({ length: PER_REPORT * 3 }, () =>
          confirm(id, { type: 'gone', device: crypto.randomUUID() }, shelter),
        ),
      );
      expect(answers.filter((r) => r.body.counted === true)).toHaveLength(PER_REPORT);
      expect(answers.filter((r) => r.body.counted === false)).toHaveLength(PER_REPORT * 2);
      expect(await countsOf(id)).toEqual({
        counters: { still_there: 0, gone: PER_REPORT },
        rows: { still_there: 0, gone: PER_REPORT },
      });
    });
  });

  describe('triage priority', () => {
    const queue = async (where: string) => {
      const res = await coordinator.agent.get(`/api/v1/staff/reports?bbox=${where}&sort=priority&limit=100`);
      expect(res.status).toBe(200);
      return res.body.features as { id: number; properties: { priority: number } }[];
    };
    const priorityOf = (features: { id: number; properties: { priority: number } }[], id: number) =>
      features.find((f) => f.id === id)!.properties.priority;

    /** `n` answers from `n` devices, spread over as few addresses as the bounds allow. */
    async function flood(id: number, type: 'still_there' | 'gone', n: number): Promise<void> {
      const addresses = Array.from({ length: Math.ceil(n / PER_REPORT) }, newAddress);
      for (let i = 0; i < n; i += 20) {
        const batch = Array.from({ length: Math.min(20, n - i) }, (_, k) =>
          confirm(id, { type, device: crypto.randomUUID() }, addresses[Math.floor((i + k) / PER_REPORT)]!),
        );
        const answers = await Promise.all(batch);
        expect(answers.map((r) => r.body.counted)).toEqual(answers.map(() => true));
      }
    }

    it('200 "gone" never push an urgent help request below a fresh minor barrier', async () => {
      const help = await createReport(t, { category: 'help_medical', severity: 3, people_count: 4, lat: 3, lon: 3 });
      const before = priorityOf(await queue('2.9,2.9,3.1,3.1'), help);
      await flood(help, 'gone', 200);
      const barrier = await createReport(t, { severity: 1, lat: 3, lon: 3 });
      const ranked = await queue('2.9,2.9,3.1,3.1');
      const ids = ranked.map((f) => f.id);
      expect(ids.indexOf(help)).toBeLessThan(ids.indexOf(barrier));
      expect(priorityOf(ranked, help)).toBeGreaterThanOrEqual(before);
      expect((await countsOf(help)).counters.gone).toBe(200);
    });

    it('moves a barrier by at most half a severity step either way', async () => {
      const at = { lat: 4, lon: 4 };
      const pushed = await createReport(t, { severity: 1, ...at });
      const sunk = await createReport(t, { severity: 2, ...at });
      const initial = await queue('3.9,3.9,4.1,4.1');
      const pushedBefore = priorityOf(initial, pushed);
      const sunkBefore = priorityOf(initial, sunk);
      await flood(pushed, 'still_there', 60);
      await flood(sunk, 'gone', 60);
      const fresh = {
        minor: await createReport(t, { severity: 1, ...at }),
        major: await createReport(t, { severity: 2, ...at }),
      };
      const ranked = await queue('3.9,3.9,4.1,4.1');
      const ids = ranked.map((f) => f.id);
      // Ranks: a fresh severity-2 barrier above the inflated severity-1 one, the sunk severity-2
      // one still above a fresh severity-1 one.
      expect(ids.indexOf(fresh.major)).toBeLessThan(ids.indexOf(pushed));
      expect(ids.indexOf(sunk)).toBeLessThan(ids.indexOf(fresh.minor));
      // Age adds at most 0.1 while the test runs; confirmations at most 5 either way.
      expect(priorityOf(ranked, pushed) - pushedBefore).toBeGreaterThan(4.5);
      expect(priorityOf(ranked, pushed) - pushedBefore).toBeLessThanOrEqual(5.1);
      expect(sunkBefore - priorityOf(ranked, sunk)).toBeGreaterThan(4.5);
      expect(sunkBefore - priorityOf(ranked, sunk)).toBeLessThanOrEqual(5);
    });
  });
});
