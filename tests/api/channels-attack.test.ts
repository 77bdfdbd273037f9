// Issue 15, attacked as an attacker would (docs/SECURITY.md, "Gateways and the inbox"): real
// signed webhooks against a real app and local stand-ins of the gateways' APIs. Each test is an
// attack and what must hold against it.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import type { Category } from '../../server/features/categories/categories.repo';
import { parseMapping } from '../../server/features/imports/imports.mapping';
import { categoryResolver } from '../../server/features/imports/imports.rows';
import { tableRecords } from '../../server/features/imports/imports.table';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://wegfrei.example.org';
const TOKEN = 'twilio-auth-token-for-attacks';
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const ANDROID_KEY = 'android-signing-key-for-attacks';
const WEBHOOK = '/api/v1/inbound/twilio';
const ANDROID = '/api/v1/inbound/android-sms';

let t: TestApp;
let coordinator: StaffAgent;
let other: StaffAgent;
let phone: http.Server;
const phoneSent: { phoneNumbers: string[] }[] = [];
let sid = 0;
/** Everything the app logs, at debug level (LOG_LEVEL=debug): no sender may appear in it. */
const lines: string[] = [];

beforeAll(async () => {
  phone = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      phoneSent.push(JSON.parse(body) as { phoneNumbers: string[] });
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => phone.listen(0, '127.0.0.1', resolve));
  t = await startTestApp({
    logger: pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    ),
    config: {
      publicUrl: PUBLIC_URL,
      twilio: { authToken: TOKEN, accountSid: ACCOUNT, fromNumber: '+15005550006', apiBaseUrl: 'http://127.0.0.1:9' },
      androidSms: {
        signingKey: ANDROID_KEY,
        apiUrl: `http://127.0.0.1:${(phone.address() as AddressInfo).port}/message`,
        username: 'sms',
        password: 'pw',
      },
    },
  });
  coordinator = await loginAs(t, 'coordinator');
  other = await loginAs(t, 'coordinator');
});
afterAll(async () => {
  await t.close();
  phone.close();
});

function sign(params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], `${PUBLIC_URL}${WEBHOOK}`);
  return crypto.createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64');
}
const sms = (from: string, body: string) => ({
  MessageSid: `SM${String(++sid).padStart(32, 'a')}`,
  AccountSid: ACCOUNT,
  From: from,
  Body: body,
  NumMedia: '0',
});
const twilio = (params: Record<string, string>) =>
  request(t.app)
    .post(WEBHOOK)
    .type('form')
    .set('X-Twilio-Signature', sign(params))
    .send(new URLSearchParams(params).toString());

let event = 0;
function android(sender: string, message: string) {
  const body = JSON.stringify({ event: 'sms:received', id: `atk${++event}`, payload: { message, sender } });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = crypto
    .createHmac('sha256', ANDROID_KEY)
    .update(body + ts)
    .digest('hex');
  return request(t.app)
    .post(ANDROID)
    .set({ 'Content-Type': 'application/json', 'X-Timestamp': ts, 'X-Signature': signature })
    .send(body);
}

const rowsOf = async (externalId: string) =>
  (
    await t.pool.query('SELECT id::int, state, report_id::int FROM inbound_messages WHERE external_id = $1', [
      externalId,
    ])
  ).rows as { id: number; state: string; report_id: number | null }[];
const staffPost = (who: StaffAgent, path: string, body: object) =>
  who.agent.post(path).set('X-CSRF-Token', who.csrf).send(body);
const staffPatch = (who: StaffAgent, path: string, body: object) =>
  who.agent.patch(path).set('X-CSRF-Token', who.csrf).send(body);

describe('a webhook delivered twice at the same moment', () => {
  it('files one report and answers both without a 500', async () => {
    const params = sms('+4915200000001', 'steps 9F4MGC2M+7V');
    const [a, b] = await Promise.all([twilio(params), twilio(params)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await rowsOf(params.MessageSid);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('filed');
    const { rows: reports } = await t.pool.query(
      "SELECT count(*)::int AS n FROM reports WHERE contact = '+4915200000001'",
    );
    expect(reports[0].n).toBe(1);
  });

  it('keeps one inbox message', async () => {
    const params = sms('+4915200000002', 'the lift is broken');
    const [a, b] = await Promise.all([twilio(params), twilio(params)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await rowsOf(params.MessageSid)).toHaveLength(1);
  });
});

describe('two coordinators at once', () => {
  it('filing the same message: one 201, one 409, one report', async () => {
    const params = sms('+4915200000003', 'lift broken again');
    await twilio(params);
    const { id } = (await rowsOf(params.MessageSid))[0]!;
    const body = { message_ids: [id], lat: 52.5, lon: 13.4, category: 'steps', severity: 2 };
    const answers = await Promise.all([
      staffPost(coordinator, '/api/v1/staff/inbox/file', body),
      staffPost(other, '/api/v1/staff/inbox/file', body),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM reports WHERE contact = '+4915200000003'");
    expect(rows[0].n).toBe(1);
  });

  it('filing while another sets it to spam: one wins, nothing half-stored', async () => {
    const params = sms('+4915200000004', 'is this spam');
    await twilio(params);
    const { id } = (await rowsOf(params.MessageSid))[0]!;
    const [filed, spam] = await Promise.all([
      staffPost(coordinator, '/api/v1/staff/inbox/file', {
        message_ids: [id],
        lat: 52.5,
        lon: 13.4,
        category: 'steps',
        severity: 2,
      }),
      staffPatch(other, `/api/v1/staff/inbox/${id}`, { state: 'spam' }),
    ]);
    // Whichever comes second finds the message handled: a 409, never a 500.
    expect([
      [201, 409],
      [409, 200],
    ]).toContainEqual([filed.status, spam.status]);
    const [row] = await rowsOf(params.MessageSid);
    const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM reports WHERE contact = '+4915200000004'");
    // Either filed (a report, the message points at it) or spam (no report at all).
    if (row!.state === 'filed') expect(rows[0].n).toBe(1);
    else expect([row!.state, rows[0].n]).toEqual(['spam', 0]);
  });
});

describe('a flood from one number (a bot answering our answers, or SOS in every message)', () => {
  const FLOOD = 12;
  it('answers a sender at most a few times an hour on Twilio, and only a few of its messages are urgent', async () => {
    const from = '+4915200000005';
    let answered = 0;
    for (let i = 0; i < FLOOD; i++) {
      const res = await twilio(sms(from, `SOS auto-reply ${i}: your message was received`));
      expect(res.status).toBe(200);
      if (res.text.includes('<Message>')) answered++;
    }
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(5);
    const { rows } = await t.pool.query(
      'SELECT count(*) FILTER (WHERE urgent)::int AS urgent, count(*)::int AS n FROM inbound_messages WHERE sender = $1',
      [from],
    );
    // Every message is kept (a person in need may write often), but spam cannot outrank help.
    expect(rows[0].n).toBe(FLOOD);
    expect(rows[0].urgent).toBeLessThanOrEqual(5);
  });

  it('answers a sender at most a few times an hour through the Android phone', async () => {
    const from = '+4915200000006';
    for (let i = 0; i < FLOOD; i++) expect((await android(from, `auto-reply ${i}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const to = phoneSent.filter((m) => m.phoneNumbers.includes(from)).length;
    expect(to).toBeGreaterThan(0);
    expect(to).toBeLessThanOrEqual(5);
  });
});

describe('the flood count after a long flood', () => {
  it('reads the hour’s messages of the sender only, through an index, not all it ever sent', async () => {
    // Whatever the table's size makes the planner prefer: the question is what an index can do.
    const client = await t.pool.connect();
    let rows: Record<string, string>[];
    try {
      await client.query('SET enable_seqscan = off');
      ({ rows } = await client.query(
        `EXPLAIN SELECT 1 FROM inbound_messages
          WHERE channel = 'sms' AND sender = '+4915200000005' AND received_at > now() - interval '1 hour'`,
      ));
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
    const plan = rows.map((r) => Object.values(r)[0]).join('\n');
    expect(plan).toMatch(/Index Cond: .*received_at/);
  });
});

describe('STOP and START again and again (a bot, or someone costing us an SMS each)', () => {
  it('confirms a STOP once and a START only after a STOP, through the Android phone', async () => {
    const from = '+4915200000012';
    const sent = () => phoneSent.filter((m) => m.phoneNumbers.includes(from)).length;
    for (let i = 0; i < 4; i++) expect((await android(from, 'STOP')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toBe(1);
    for (let i = 0; i < 4; i++) expect((await android(from, 'START')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toBe(2);
  });
});

describe('a help request by SMS whose words hold the sender’s number', () => {
  it('is filed coarsened, and neither its words nor the number are public before review', async () => {
    const from = '+4915200000007';
    const res = await twilio(sms(from, 'help_assist 9F4MGC2M+7V please call me 0152 00000007'));
    expect(res.status).toBe(200);
    const id = Number(/Report (\d+)/.exec(res.text)?.[1]);
    expect(id).toBeGreaterThan(0);
    // As on the web: public at once but coarsened to the help grid, its words withheld until review.
    const pub = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.properties).toMatchObject({ kind: 'help', description: null, review: 'pending', source: 'sms' });
    const { rows } = await t.pool.query<{ lat: number; lon: number }>(
      'SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon FROM inbound_messages WHERE sender = $1',
      [from],
    );
    expect(pub.body.geometry.coordinates).not.toEqual([rows[0]!.lon, rows[0]!.lat]);
    expect(pub.text).not.toContain('00000007');
    const list = await request(t.app).get('/api/v1/reports?limit=500');
    expect(list.text).not.toContain('00000007');
    for (const path of ['/api/v1/exports/reports.csv', '/api/v1/exports/reports.geojson']) {
      const file = await request(t.app).get(path);
      expect(file.status).toBe(200);
      expect(file.text).toContain('sms');
      expect(file.text).not.toContain('00000007');
    }
  });
});

describe('a help request filed from the inbox by a coordinator', () => {
  it('is public only on the help grid, its words (with the number the person wrote) withheld', async () => {
    const params = sms('+4915200000011', 'I cannot leave my flat, call 0152 00000011');
    await twilio(params);
    const { id } = (await rowsOf(params.MessageSid))[0]!;
    const filed = await staffPost(coordinator, '/api/v1/staff/inbox/file', {
      message_ids: [id],
      lat: 52.51234,
      lon: 13.41234,
      category: 'help_assist',
      severity: 3,
    });
    expect(filed.status).toBe(201);
    const pub = await request(t.app).get(`/api/v1/reports/${filed.body.report_id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.properties).toMatchObject({ kind: 'help', description: null, review: 'pending', source: 'sms' });
    expect(pub.body.geometry.coordinates).not.toEqual([13.41234, 52.51234]);
    expect(pub.text).not.toContain('00000011');
    const list = await request(t.app).get('/api/v1/reports?limit=500');
    expect(list.text).not.toContain('00000011');
  });
});

describe('the live stream', () => {
  /** GET /api/v1/events on a real socket, keeping what it sends. */
  async function listen(who: StaffAgent) {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    let raw = '';
    let status = 0;
    const req = http.get(
      {
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        path: '/api/v1/events',
        headers: { Cookie: who.cookie },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
      },
    );
    const close = () => {
      req.destroy();
      server.closeAllConnections();
      server.close();
    };
    return { raw: () => raw, status: () => status, close };
  }

  it('tells coordinators that the inbox changed by a message id only, and responders nothing', async () => {
    const responder = await loginAs(t, 'responder');
    const [staff, theirs] = [await listen(coordinator), await listen(responder)];
    try {
      const params = sms('+4915200000013', 'nobody helps me here');
      await twilio(params);
      const { id } = (await rowsOf(params.MessageSid))[0]!;
      for (let i = 0; i < 100 && !staff.raw().includes(`"message_id":${id}`); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(staff.raw()).toContain(`data: {"message_id":${id},"type":"inbox.changed"}`);
      await new Promise((r) => setTimeout(r, 300));
      expect(theirs.status()).toBe(200);
      expect(theirs.raw()).not.toContain('inbox.changed');
      expect(staff.raw() + theirs.raw()).not.toMatch(/152\s?000000\d\d|nobody helps/);
    } finally {
      staff.close();
      theirs.close();
    }
  });
});

describe('hostile words from a signed gateway', () => {
  // GSM's '@' is 0x00: a phone gateway that maps it naively posts NUL, which PostgreSQL refuses.
  it('refuses an SMS holding NUL by naming the field (422), storing nothing, never a 500', async () => {
    const res = await android('+4915200000008', 'steps\u0000 9F4MGC2M+7V');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('payload.message');
    const { rows } = await t.pool.query("SELECT 1 FROM inbound_messages WHERE sender = '+4915200000008'");
    expect(rows).toEqual([]);
  });

  it('refuses a sender holding NUL by name (422), not with a 500', async () => {
    const res = await android('+49152\u00000000010', 'lift broken');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toMatch(/sender/);
  });
});

describe('an import file with prototype keys', () => {
  const categories = [{ code: 'steps', kind: 'barrier', labels: { en: 'Steps' } }] as unknown as Category[];
  it('pollutes nothing, and a severity cell "constructor" or "__proto__" is taken as written, not as Object', () => {
    const mapping = parseMapping(
      '{"categories": {"__proto__": "steps", "constructor": "steps"}, "severity": {"__proto__": 3, "hoch": 3}}',
      categories,
    );
    const csv =
      'lat,lon,category,severity\n52.5,13.4,steps,constructor\n52.5,13.4,constructor,__proto__\n52.5,13.4,steps,hoch\n';
    const records = tableRecords(csv, categoryResolver(categories, mapping.categories), mapping);
    const severities = records.map((r) => ('fields' in r ? r.fields.severity : r.refused.reason));
    // The schema then refuses "constructor" by name, as any unknown severity.
    expect(severities).toEqual(['constructor', '__proto__', 3]);
    expect(({} as Record<string, unknown>).steps).toBeUndefined();
    expect(Object.getPrototypeOf(mapping.severity)).toBe(Object.prototype);
  });
});

describe('the log at debug level', () => {
  it('holds no sender of any message above, nor the number written in a help request', () => {
    expect(lines.length).toBeGreaterThan(20);
    // Every number here is +49152000000xx; its digits, with or without the country code.
    const leaks = lines.filter((l) => /152\s?000000\d\d/.test(l));
    expect(leaks).toEqual([]);
  });
});
