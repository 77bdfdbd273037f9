// Following a report (issue 16; docs/FOLLOW.md): by e-mail through a real SMTP server the test
// starts (double opt-in, updates, RFC 8058 one-click unsubscribe), by web push through a local
// push service that checks the VAPID signature and decrypts the payload itself
// (tests/support/push-service.ts); bad input answered field by field; nothing private leaks.
import type { ParsedMail } from 'mailparser';
import pino from 'pino';
import request from 'supertest';
import { EMAIL_REQUESTS_PER_CLIENT_HOUR } from '../../server/features/follow/follow.routes';
import { subscribeSchema } from '../../server/features/follow/follow.schemas';
import { forget } from '../../server/features/follow/follow.repo';
import { LOG_REDACT } from '../../server/logger';
import { startPushService, type TestPushService } from '../support/push-service';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { createReport, loginAs, makeTeam, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://wegfrei.example';
let t: TestApp;
let smtp: TestSmtpServer;
let push: TestPushService;
let coordinator: StaffAgent;
const lines: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  push = await startPushService();
  const logger = pino({ level: 'debug', redact: LOG_REDACT }, { write: (s: string) => void lines.push(s) });
  t = await startTestApp({
    logger,
    config: {
      publicUrl: PUBLIC_URL,
      smtpUrl: smtp.url,
      mailFrom: 'Wegfrei <noreply@wegfrei.example>',
      pushAllowPrivate: true,
    },
  });
  coordinator = await loginAs(t, 'coordinator');
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await push?.close();
});

const patch = (id: number, body: object) =>
  coordinator.agent.patch(`/api/v1/reports/${id}`).set('X-CSRF-Token', coordinator.csrf).send(body);
const subscribe = (id: number, body: object) => request(t.app).post(`/api/v1/reports/${id}/subscriptions`).send(body);
// Case-insensitive: nodemailer writes the domain in lower case.
const to = (address: string) => (m: ParsedMail) =>
  m.to !== undefined && !Array.isArray(m.to) && m.to.text.toLowerCase() === address.toLowerCase();
/** The app's own path of an absolute link in a message (the test talks to the app directly). */
const local = (url: string) => url.slice(PUBLIC_URL.length);
const linkIn = (text: string, path: string) => new RegExp(`${PUBLIC_URL}${path}\\?token=[\\w-]{43}`).exec(text)?.[0];
const header = (m: ParsedMail, name: string) =>
  m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
/** Until the outbox is empty: every queued message was sent, refused or dropped. */
async function drained(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM follow_deliveries');
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('follow_deliveries did not drain');
}

async function followByMail(id: number, address: string, language = 'en'): Promise<void> {
  expect((await subscribe(id, { email: address, language })).status).toBe(202);
  const mail = await smtp.next(to(address));
  const confirm = linkIn(mail.text!, '/api/v1/subscriptions/confirm')!;
  const token = new URL(confirm).searchParams.get('token')!;
  expect((await request(t.app).post('/api/v1/subscriptions/confirm').type('form').send({ token })).status).toBe(200);
}

describe('following by e-mail', () => {
  it('confirms by a button, tells each step in the chosen language, and stops with one click', async () => {
    const team = await makeTeam(t, 'Tiefbau Nord');
    const id = await createReport(t);
    const address = 'Follower.One@Example.org';

    const asked = await subscribe(id, { email: address, language: 'de' });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ status: 'confirmation_sent' });
    const confirmation = await smtp.next(to(address));
    expect(confirmation.subject).toBe(`Bestätigen: Meldung ${id} bei Wegfrei verfolgen`);
    expect(confirmation.from?.text).toContain('noreply@wegfrei.example');
    const confirmUrl = linkIn(confirmation.text!, '/api/v1/subscriptions/confirm')!;
    expect(confirmUrl).toBeDefined();

    // Before confirmation nothing is sent; asking again sends no second mail.
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    expect((await subscribe(id, { email: address.toLowerCase(), language: 'de' })).status).toBe(202);
    await drained();
    expect(smtp.messages.filter(to(address))).toHaveLength(1);

    // A GET (a mail scanner opening the link) only shows the button.
    const shown = await request(t.app).get(local(confirmUrl));
    expect(shown.status).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.text).toContain('<html lang="de">');
    expect(shown.text).toContain(`Meldung ${id} per E-Mail verfolgen?`);
    expect((await t.pool.query('SELECT 1 FROM follow_subscriptions WHERE confirmed_at IS NOT NULL')).rowCount).toBe(0);
    const token = new URL(confirmUrl).searchParams.get('token')!;
    const confirmed = await request(t.app).post('/api/v1/subscriptions/confirm').type('form').send({ token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain(`wenn sich Meldung ${id} ändert`);
    // The link works once.
    expect((await request(t.app).post('/api/v1/subscriptions/confirm').type('form').send({ token })).status).toBe(410);

    expect((await patch(id, { status: 'assigned', assigned_team_id: team })).status).toBe(200);
    const assigned = await smtp.next(to(address));
    expect(assigned.subject).toBe(`Wegfrei: Meldung ${id}: übergeben`);
    expect(assigned.text).toContain('„Tiefbau Nord“');
    expect(assigned.text).not.toContain('Test coordinator');
    expect(assigned.text).toContain(`${PUBLIC_URL}/reports/${id}`);
    const unsubscribe = header(assigned, 'list-unsubscribe')!;
    expect(unsubscribe).toMatch(new RegExp(`^<${PUBLIC_URL}/api/v1/subscriptions/unsubscribe\\?token=[\\w-]{43}>$`));
    expect(header(assigned, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(assigned.text).toContain(unsubscribe.slice(1, -1));

    expect((await patch(id, { status: 'resolved' })).status).toBe(200);
    const resolved = await smtp.next(to(address));
    expect(resolved.subject).toContain('wirklich behoben?');
    expect(resolved.text).toContain(`${PUBLIC_URL}/reports/${id}#fix-check`);

    // A GET of the unsubscribe link changes nothing; the RFC 8058 POST ends it.
    const stopUrl = local(header(resolved, 'list-unsubscribe')!.slice(1, -1));
    const page = await request(t.app).get(stopUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<button type="submit">Nicht mehr verfolgen</button>');
    expect((await t.pool.query('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).rowCount).toBe(1);
    const oneClick = await request(t.app).post(stopUrl).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect((await t.pool.query('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).rowCount).toBe(0);
    // Again: still "stopped", not an error.
    expect((await request(t.app).post(stopUrl).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);

    // Reopening is news, but not to someone who stopped.
    const before = smtp.messages.length;
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    await drained();
    expect(smtp.messages.slice(before).filter(to(address))).toHaveLength(0);
  });

  it('tells a reopening, links the original of a duplicate, and forgets the followers after the merge', async () => {
    const original = await createReport(t);
    const id = await createReport(t);
    await followByMail(id, 'two@example.org');
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    await smtp.next(to('two@example.org'));
    expect((await patch(id, { status: 'resolved' })).status).toBe(200);
    await smtp.next(to('two@example.org'));
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    const reopened = await smtp.next(to('two@example.org'));
    expect(reopened.subject).toBe(`Wegfrei: Report ${id}: reopened`);

    expect((await patch(id, { status: 'duplicate', duplicate_of: original })).status).toBe(200);
    const merged = await smtp.next(to('two@example.org'));
    expect(merged.text).toContain(`now followed as report ${original}`);
    expect(merged.text).toContain(`${PUBLIC_URL}/reports/${original}`);
    await drained();
    expect((await t.pool.query('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).rowCount).toBe(0);
  });

  it('tells the reporter of a help request when it is published, never with its words', async () => {
    const words = 'Rollstuhl kaputt bei Familie Beispiel';
    const created = await request(t.app)
      .post('/api/v1/reports')
      .send({ category: 'help_medical', lat: 52.5, lon: 13.4, severity: 3, description: words });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await followByMail(id, 'helper@example.org', 'fr');
    const published = await coordinator.agent
      .patch(`/api/v1/staff/reports/${id}/publication`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ review: 'published' });
    expect(published.status).toBe(204);
    const mail = await smtp.next(to('helper@example.org'));
    expect(mail.subject).toBe(`Wegfrei: Signalement ${id}: publié`);
    expect(mail.text).not.toContain('Rollstuhl');
    expect(mail.text).not.toContain('Beispiel');
  });

  it('sends an address at most three confirmation mails a day, whatever it is asked to follow', async () => {
    const address = 'victim@example.org';
    for (let i = 0; i < 5; i++) expect((await subscribe(await createReport(t), { email: address })).status).toBe(202);
    await drained();
    expect(smtp.messages.filter(to(address))).toHaveLength(3);
  });

  it('forgets requests never confirmed after 48 hours and followers of a report resolved for 30 days', async () => {
    const stale = await createReport(t);
    expect((await subscribe(stale, { email: 'late@example.org' })).status).toBe(202);
    await smtp.next(to('late@example.org'));
    const done = await createReport(t);
    await followByMail(done, 'done@example.org');
    await t.pool.query(
      `UPDATE follow_subscriptions SET created_at = now() - interval '49 hours' WHERE report_id = $1`,
      [stale],
    );
    await t.pool.query(
      `UPDATE reports SET status = 'resolved', resolved_at = now() - interval '31 days' WHERE id = $1`,
      [done],
    );
    await forget(t.pool, { expiryHours: 48, closedDays: 30 });
    const left = await t.pool.query('SELECT report_id FROM follow_subscriptions WHERE report_id = ANY($1)', [
      [stale, done],
    ]);
    expect(left.rowCount).toBe(0);
  });
});

describe('following by web push', () => {
  it('delivers an encrypted, VAPID-signed notification with the report and unsubscribe links', async () => {
    const options = await request(t.app).get('/api/v1/follow/options');
    expect(options.status).toBe(200);
    expect(options.body.email).toBe(true);
    const publicKey = options.body.push.public_key as string;
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);

    const id = await createReport(t);
    const sub = push.subscribe();
    const asked = await subscribe(id, { push: sub.json, language: 'fr' });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ status: 'following' });
    // The same browser again: still one subscription.
    expect((await subscribe(id, { push: sub.json, language: 'fr' })).status).toBe(202);

    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    const got = await push.next((p) => p.subscriptionId === sub.id);
    expect(push.refused).toEqual([]);
    expect(got.vapid.publicKey).toBe(publicKey);
    expect(got.vapid.aud).toBe(push.origin);
    const payload = got.payload as Record<string, string>;
    expect(payload.title).toBe(`Wegfrei: Signalement ${id}: vérifié`);
    expect(payload.body).toContain('vérifié et confirmé');
    expect(payload.url).toBe(`${PUBLIC_URL}/reports/${id}`);
    expect(payload.unsubscribe_url).toMatch(new RegExp(`^${PUBLIC_URL}/api/v1/subscriptions/unsubscribe\\?token=`));
    expect(push.received.filter((p) => p.subscriptionId === sub.id)).toHaveLength(1);

    // The service worker's "stop" action: the same one-click POST.
    const stop = await request(t.app)
      .post(local(payload.unsubscribe_url!))
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(stop.status).toBe(200);
    expect((await t.pool.query('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).rowCount).toBe(0);
  });

  it('deletes a subscription its push service calls gone (410) and retries one that failed', async () => {
    const id = await createReport(t);
    const gone = push.subscribe();
    const flaky = push.subscribe();
    expect((await subscribe(id, { push: gone.json })).status).toBe(202);
    expect((await subscribe(id, { push: flaky.json })).status).toBe(202);
    push.answer(gone.id, 410);
    push.answer(flaky.id, 503);
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    // The failed one waits for its next attempt; make it due now and let the service recover.
    for (let i = 0; i < 100; i++) {
      const { rows } = await t.pool.query<{ attempts: number }>('SELECT attempts FROM follow_deliveries');
      if (rows.length === 1 && rows[0]!.attempts === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const left = await t.pool.query<{ push_endpoint: string }>(
      'SELECT push_endpoint FROM follow_subscriptions WHERE report_id = $1',
      [id],
    );
    expect(left.rows.map((r) => r.push_endpoint)).toEqual([flaky.json.endpoint]);
    push.answer(flaky.id, 201);
    await t.pool.query('UPDATE follow_deliveries SET next_attempt_at = now()');
    // Any successful change wakes the sender.
    expect((await patch(id, { severity: 3 })).status).toBe(200);
    const got = await push.next((p) => p.subscriptionId === flaky.id);
    expect((got.payload as { url: string }).url).toBe(`${PUBLIC_URL}/reports/${id}`);
  });
});

describe('bad input', () => {
  const keys = () => push.subscribe().json.keys;
  const cases: [string, () => object, string][] = [
    ['nothing', () => ({}), 'email'],
    ['both', () => ({ email: 'a@example.org', push: push.subscribe().json }), 'email'],
    ['not an address', () => ({ email: 'not-an-address' }), 'email'],
    ['an address too long', () => ({ email: `${'a'.repeat(250)}@example.org` }), 'email'],
    ['a number for an address', () => ({ email: 12 }), 'email'],
    ['an unknown language', () => ({ email: 'a@example.org', language: 'xx' }), 'language'],
    ['an unknown field', () => ({ email: 'a@example.org', phone: '123' }), 'phone'],
    ['no endpoint', () => ({ push: { keys: keys() } }), 'push.endpoint'],
    [
      'an endpoint too long',
      () => ({ push: { endpoint: `https://p.example/${'x'.repeat(3000)}`, keys: keys() } }),
      'push.endpoint',
    ],
    ['an endpoint not a URL', () => ({ push: { endpoint: 'push me', keys: keys() } }), 'push.endpoint'],
    [
      'a key too short',
      () => ({ push: { ...push.subscribe().json, keys: { ...keys(), p256dh: 'AAAA' } } }),
      'push.keys.p256dh',
    ],
    [
      'a compressed key',
      () => ({
        push: { ...push.subscribe().json, keys: { ...keys(), p256dh: Buffer.alloc(65, 3).toString('base64url') } },
      }),
      'push.keys.p256dh',
    ],
    [
      'an auth secret of 8 bytes',
      () => ({ push: { ...push.subscribe().json, keys: { ...keys(), auth: 'AAAAAAAAAAA' } } }),
      'push.keys.auth',
    ],
    [
      'an auth secret not base64url',
      () => ({ push: { ...push.subscribe().json, keys: { ...keys(), auth: '!!!!' } } }),
      'push.keys.auth',
    ],
    ['NUL in an address', () => ({ email: 'a\u0000@example.org' }), 'email'],
  ];
  it.each(cases)('%s: a problem naming the field', async (_name, body, field) => {
    const id = await createReport(t);
    const res = await subscribe(id, body());
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('refuses a report that does not exist or is not a number, a body that is not JSON, and a forged token', async () => {
    expect((await subscribe(999_999_999, { email: 'a@example.org' })).status).toBe(404);
    const bad = await request(t.app).post('/api/v1/reports/abc/subscriptions').send({ email: 'a@example.org' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('id');
    const id = await createReport(t);
    const notJson = await request(t.app)
      .post(`/api/v1/reports/${id}/subscriptions`)
      .set('Content-Type', 'application/json')
      .send('{"email":');
    expect(notJson.status).toBe(400);
    for (const path of ['/api/v1/subscriptions/confirm', '/api/v1/subscriptions/unsubscribe']) {
      const res = await request(t.app).get(`${path}?token=${'x'.repeat(500)}`);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('token');
    }
  });

  it('in production refuses endpoints that are not https or point into a private network', () => {
    const schema = subscribeSchema(false);
    const keys = push.subscribe().json.keys;
    for (const endpoint of [
      'http://push.example/x',
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://10.0.0.8/x',
      'https://169.254.169.254/latest',
      'https://localhost/x',
      'https://user:pw@push.example/x',
      'ftp://push.example/x',
    ]) {
      const result = schema.safeParse({ push: { endpoint, keys } });
      expect([endpoint, result.success]).toEqual([endpoint, false]);
    }
    expect(schema.safeParse({ push: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys } }).success).toBe(
      true,
    );
  });
});

describe('privacy', () => {
  it('keeps addresses and endpoints out of public answers, exports and the log', async () => {
    const id = await createReport(t);
    const sub = push.subscribe();
    await followByMail(id, 'private.person@example.org');
    expect((await subscribe(id, { push: sub.json })).status).toBe(202);
    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    await push.next((p) => p.subscriptionId === sub.id);
    await smtp.next(to('private.person@example.org'));
    const secrets = ['private.person', sub.id, sub.json.keys.auth, sub.json.keys.p256dh];
    const answers = await Promise.all(
      [
        `/api/v1/reports/${id}`,
        `/api/v1/reports?bbox=13,52,14,53`,
        '/api/v1/exports/reports.geojson',
        '/api/v1/exports/reports.csv',
      ].map((path) => request(t.app).get(path)),
    );
    for (const res of answers) {
      expect(res.status).toBe(200);
      for (const s of secrets) expect(res.text).not.toContain(s);
    }
    const log = lines.join('');
    expect(log).toContain('mail sent');
    for (const s of [...secrets, 'example.org', 'token=']) {
      // token= may appear only as the redacted query ("token=[redacted]" style) never with a value.
      if (s === 'token=') expect(log).not.toMatch(/token=[\w-]{43}/);
      else expect(log).not.toContain(s);
    }
  });
});

// Last: it uses up this client's hour.
describe('one client spraying confirmation mails over many addresses', () => {
  it(`is refused after ${EMAIL_REQUESTS_PER_CLIENT_HOUR} e-mail requests an hour`, async () => {
    const id = await createReport(t);
    const statuses: number[] = [];
    for (let i = 0; i <= EMAIL_REQUESTS_PER_CLIENT_HOUR && !statuses.includes(429); i++) {
      statuses.push((await subscribe(id, { email: `spray-${i}@example.net` })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    const refused = await subscribe(id, { email: 'one-more@example.net' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('3600');
    // Push needs no mail, so it is not bounded here.
    expect((await subscribe(id, { push: push.subscribe().json })).status).toBe(202);
  });
});
