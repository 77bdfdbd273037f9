// Following a report (issue 16; docs/FOLLOW.md): by e-mail through a real SMTP server the test
// starts (double opt-in, updates, RFC 8058 one-click unsubscribe), by web push through a local
// push service that checks the VAPID signature and decrypts the payload itself
// (tests/support/push-service.ts); bad input answered field by field; nothing private leaks.
import type { ParsedMail } from 'mailparser';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import webpush from 'web-push';
import pino from 'pino';
import request from 'supertest';
import { sendPush } from '../../server/features/follow/follow.push';
import { FOLLOW_REQUESTS_PER_CLIENT_HOUR } from '../../server/features/follow/follow.routes';
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
      // Tests that need a client address of their own send X-Forwarded-For.
      trustProxy: true,
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
/** `from`: the client address (X-Forwarded-For); each test that subscribes much has its own. */
const subscribe = (id: number, body: object, from?: string) => {
  const req = request(t.app).post(`/api/v1/reports/${id}/subscriptions`);
  if (from) void req.set('X-Forwarded-For', from);
  return req.send(body);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Until check() holds, polling every 20 ms (at most timeoutMs). */
async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(20);
  }
}
const rowsOf = async (sql: string, params: unknown[]) => (await t.pool.query(sql, params)).rowCount ?? 0;
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

async function followByMail(id: number, address: string, language = 'en', from?: string): Promise<void> {
  expect((await subscribe(id, { email: address, language }, from)).status).toBe(202);
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
    // Whose page it is and the way to the report, in the page's language.
    expect(shown.text).toContain('<a href="/">Wegfrei</a>');
    expect(shown.text).toContain(`<a href="/reports/${id}">Zur Meldung</a>`);
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

  it('counts plus addresses and Gmail dots as one mailbox for the daily bound, and mails the address as given', async () => {
    const from = '203.0.113.5';
    for (const address of ['bomb+1@example.org', 'bomb+2@example.org', 'Bomb+3@Example.org', 'bomb+4@example.org']) {
      expect((await subscribe(await createReport(t), { email: address }, from)).status).toBe(202);
    }
    for (const address of ['b.o.m.b@gmail.com', 'bomb+x@googlemail.com', 'BO.MB@gmail.com', 'bomb@gmail.com']) {
      expect((await subscribe(await createReport(t), { email: address }, from)).status).toBe(202);
    }
    await drained();
    const toExample = smtp.messages.filter((m) =>
      /bomb\+\d@example\.org/i.test(m.to && !Array.isArray(m.to) ? m.to.text : ''),
    );
    expect(toExample.map((m) => (m.to as { text: string }).text.toLowerCase())).toEqual([
      'bomb+1@example.org',
      'bomb+2@example.org',
      'bomb+3@example.org',
    ]);
    const toGmail = smtp.messages.filter((m) =>
      /(gmail|googlemail)\.com/i.test(m.to && !Array.isArray(m.to) ? m.to.text : ''),
    );
    expect(toGmail).toHaveLength(3);
  });

  it('honours "never mail this address again about this report", and forgets that with the report', async () => {
    const from = '203.0.113.6';
    const id = await createReport(t);
    expect((await subscribe(id, { email: 'never@example.org' }, from)).status).toBe(202);
    const confirmation = await smtp.next(to('never@example.org'));
    const never = linkIn(confirmation.text!, '/api/v1/subscriptions/unsubscribe')!;
    expect(confirmation.text).toContain(`Never mail this address again about this report: ${never}`);
    expect((await request(t.app).post(local(never)).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
    const kept = await t.pool.query('SELECT * FROM follow_suppressions WHERE report_id = $1', [id]);
    expect(kept.rowCount).toBe(1);
    expect(JSON.stringify(kept.rows)).not.toContain('never');

    // Asked again (also as a plus address): the same answer, and nothing is sent.
    const before = smtp.messages.length;
    for (const email of ['never@example.org', 'Never+again@example.org']) {
      const again = await subscribe(id, { email }, from);
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ status: 'confirmation_sent' });
    }
    await drained();
    expect(smtp.messages.length).toBe(before);
    expect(await rowsOf('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).toBe(0);

    await t.pool.query(
      `UPDATE reports SET status = 'resolved', resolved_at = now() - interval '31 days' WHERE id = $1`,
      [id],
    );
    await forget(t.pool, { expiryHours: 48, closedDays: 30 });
    expect(await rowsOf('SELECT 1 FROM follow_suppressions WHERE report_id = $1', [id])).toBe(0);
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

describe('slow and failing push services', () => {
  it('a push service that trickles its answer holds up neither mail nor other pushes', async () => {
    const from = '203.0.113.1';
    const slowReport = await createReport(t);
    const otherReport = await createReport(t);
    const slow = push.subscribe();
    push.trickle(slow.id);
    expect((await subscribe(slowReport, { push: slow.json }, from)).status).toBe(202);
    await followByMail(otherReport, 'neighbour@example.org', 'en', from);
    const fast = push.subscribe();
    expect((await subscribe(otherReport, { push: fast.json }, from)).status).toBe(202);

    expect((await patch(slowReport, { status: 'verified' })).status).toBe(200);
    await until(() => push.trickling() === 1);
    const started = Date.now();
    expect((await patch(otherReport, { status: 'verified' })).status).toBe(200);
    await smtp.next(to('neighbour@example.org'), 4000);
    await push.next((p) => p.subscriptionId === fast.id, 4000);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(push.trickling()).toBe(1);

    await t.pool.query('DELETE FROM follow_subscriptions WHERE report_id = $1', [slowReport]);
    push.stopTrickling();
  });

  it('cuts a push delivery at its total deadline however the service trickles', async () => {
    const sub = push.subscribe();
    push.trickle(sub.id);
    const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@wegfrei.example' };
    const started = Date.now();
    const sending = sendPush(sub.json, { title: 'x' }, vapid, true, 300);
    const outcome = await Promise.race([
      sending.then(
        () => 'sent',
        (err: { code?: string }) => err.code,
      ),
      sleep(3000).then(() => 'still waiting'),
    ]);
    expect(outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    await until(() => push.trickling() === 0);
    push.stopTrickling();
  });

  it('deletes a push subscription after three failed attempts in a row, logging only the error code', async () => {
    const from = '203.0.113.2';
    const id = await createReport(t);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refusing = { ...push.subscribe().json, endpoint: `http://127.0.0.1:${port}/push/nobody` };
    const failing = push.subscribe();
    push.answer(failing.id, 503);
    expect((await subscribe(id, { push: refusing }, from)).status).toBe(202);
    expect((await subscribe(id, { push: failing.json }, from)).status).toBe(202);
    const failures = async () =>
      (
        await t.pool.query<{ push_failures: number }>(
          'SELECT push_failures FROM follow_subscriptions WHERE report_id = $1 ORDER BY id',
          [id],
        )
      ).rows.map((r) => r.push_failures);

    expect((await patch(id, { status: 'verified' })).status).toBe(200);
    await until(async () => (await failures()).join() === '1,1');
    await t.pool.query('UPDATE follow_deliveries SET next_attempt_at = now() WHERE report_id = $1', [id]);
    expect((await patch(id, { severity: 1 })).status).toBe(200);
    await until(async () => (await failures()).join() === '2,2');
    await t.pool.query('UPDATE follow_deliveries SET next_attempt_at = now() WHERE report_id = $1', [id]);
    expect((await patch(id, { severity: 2 })).status).toBe(200);
    await until(async () => (await failures()).length === 0);
    expect(await rowsOf('SELECT 1 FROM follow_deliveries WHERE report_id = $1', [id])).toBe(0);

    const log = lines.join('');
    expect(log).toContain('"reason":"ECONNREFUSED"');
    expect(log).toContain('"reason":"http_503"');
    expect(log).not.toContain(`127.0.0.1:${port}`);
    expect(log).not.toContain(push.origin.replace('http://', ''));
  });

  it('takes at most three subscriptions to a report from one client address, and a neighbour still gets in', async () => {
    const id = await createReport(t);
    const mine = [push.subscribe(), push.subscribe(), push.subscribe()];
    for (const sub of mine) expect((await subscribe(id, { push: sub.json }, '203.0.113.3')).status).toBe(202);
    const fourth = await subscribe(id, { push: push.subscribe().json }, '203.0.113.3');
    expect(fourth.status).toBe(429);
    expect(fourth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await subscribe(id, { email: 'fourth@example.org' }, '203.0.113.3')).status).toBe(429);
    // The same browser again is no new subscription.
    expect((await subscribe(id, { push: mine[0]!.json }, '203.0.113.3')).status).toBe(202);
    expect((await subscribe(id, { push: push.subscribe().json }, '198.51.100.7')).status).toBe(202);
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

  it('refuses a report staff hid in its first hour exactly like one that does not exist', async () => {
    const id = await createReport(t);
    await t.pool.query('UPDATE reports SET hidden = true WHERE id = $1', [id]);
    const hidden = await subscribe(id, { email: 'curious@example.org' }, '203.0.113.8');
    const unknown = await subscribe(999_999_998, { email: 'curious@example.org' }, '203.0.113.8');
    expect(hidden.status).toBe(404);
    const shape = (body: object, n: number) =>
      JSON.stringify({ ...body, request_id: undefined }).replace(new RegExp(`\\b${n}\\b`, 'g'), 'N');
    expect(shape(hidden.body as object, id)).toBe(shape(unknown.body as object, 999_999_998));
    expect(await rowsOf('SELECT 1 FROM follow_subscriptions WHERE report_id = $1', [id])).toBe(0);
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
describe('one client spraying confirmation mails or push subscriptions', () => {
  it(`is refused after ${FOLLOW_REQUESTS_PER_CLIENT_HOUR} follow requests an hour`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= FOLLOW_REQUESTS_PER_CLIENT_HOUR && !statuses.includes(429); i++) {
      // A report each: the bound per client and report is not what is tested here.
      statuses.push((await subscribe(await createReport(t), { email: `spray-${i}@example.net` })).status);
    }
    const id = await createReport(t);
    expect(statuses.at(-1)).toBe(429);
    const refused = await subscribe(id, { email: 'one-more@example.net' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('3600');
    // Push subscriptions count too: junk endpoints would fill reports' follower caps.
    expect((await subscribe(id, { push: push.subscribe().json })).status).toBe(429);
  });
});
