// Messages from gateways (issue 15): a message that says where and what is filed at once; any
// other waits in the coordinators' inbox, where it is placed and filed (alone or with others),
// or set aside. Senders are contact data: staff only, never in a public answer.
import request from 'supertest';
import { createTaxonomy } from '../../server/features/categories/categories.service';
import { forgetOldMessages } from '../../server/features/inbound/inbound.retention';
import { receiveMessage, type InboundDeps, type InboundMessage } from '../../server/features/inbound/inbound.service';
import { twoColourJpeg } from '../fixtures/images';
import { loginAs, type StaffAgent } from './support/staff';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';
import { expectProblem } from './support/uploads';

jest.setTimeout(120_000);

let t: TestApp;
let deps: InboundDeps;
let coordinator: StaffAgent;
let responder: StaffAgent;
let n = 0;
beforeAll(async () => {
  t = await startTestApp();
  deps = {
    pool: t.pool,
    events: t.events,
    storage: t.storage,
    taxonomy: createTaxonomy(t.pool),
    helpGridM: HELP_GRID_M,
  };
  coordinator = await loginAs(t, 'coordinator');
  responder = await loginAs(t, 'responder');
});
afterAll(() => t.close());

const PHONE = '+4915123456789';
const sms = (body: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'sms',
  gateway: 'twilio',
  externalId: `SM${++n}`,
  sender: PHONE,
  body,
  photos: [],
  ...extra,
});
const post = (path: string, body: object, who: StaffAgent = coordinator) =>
  who.agent.post(path).set('X-CSRF-Token', who.csrf).send(body);
const patch = (path: string, body: object, who: StaffAgent = coordinator) =>
  who.agent.patch(path).set('X-CSRF-Token', who.csrf).send(body);

async function expectNoPhoneInPublic(reportId: number) {
  for (const path of [`/api/v1/reports/${reportId}`, '/api/v1/reports?limit=100', '/api/v1/exports/reports.csv']) {
    const res = await request(t.app).get(path);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('5123456789');
  }
}

describe('a message with a place and a category', () => {
  it('becomes a report at once, from the sms channel, the number staff only', async () => {
    const message = sms('Stufen am Eingang, kein Aufzug. 9F4MGC2M+7V');
    const outcome = await receiveMessage(deps, message);
    expect(outcome).toMatchObject({ kind: 'filed', language: 'de', replayed: false });
    if (outcome.kind !== 'filed') throw new Error('not filed');
    const pub = await request(t.app).get(`/api/v1/reports/${outcome.reportId}`);
    expect(pub.body.properties).toMatchObject({ category: 'steps', source: 'sms', kind: 'barrier' });
    // The plus code's centre (Berlin, by the specification's grid).
    expect(pub.body.geometry.coordinates[1]).toBeCloseTo(52.5007, 4);
    expect(pub.body.geometry.coordinates[0]).toBeCloseTo(13.4347, 4);
    const staff = await coordinator.agent.get(`/api/v1/staff/reports/${outcome.reportId}`);
    expect(staff.body.properties.contact).toBe(PHONE);
    await expectNoPhoneInPublic(outcome.reportId);

    // The gateway retries the webhook: the same report, one message.
    expect(await receiveMessage(deps, message)).toMatchObject({
      kind: 'filed',
      reportId: outcome.reportId,
      replayed: true,
    });
    const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM inbound_messages WHERE external_id = $1', [
      message.externalId,
    ]);
    expect(rows[0].n).toBe(1);
    const { rows: reports } = await t.pool.query("SELECT count(*)::int AS n FROM reports WHERE source = 'sms'");
    expect(reports[0].n).toBe(1);
  });

  it('files a help request coarsened, urgent, its words withheld until reviewed', async () => {
    const outcome = await receiveMessage(deps, sms('need insulin urgent geo:48.137154,11.576124'));
    if (outcome.kind !== 'filed') throw new Error(`not filed: ${JSON.stringify(outcome)}`);
    const pub = await request(t.app).get(`/api/v1/reports/${outcome.reportId}`);
    expect(pub.body.properties).toMatchObject({ category: 'help_medical', severity: 3, description: null });
    expect(pub.body.geometry.coordinates).not.toEqual([11.576124, 48.137154]);
  });
});

describe('the inbox', () => {
  let unplaced: number;
  beforeAll(async () => {
    const outcome = await receiveMessage(
      deps,
      sms('The lift at the town hall has been broken for a week', { photos: [await twoColourJpeg(320, 240)] }),
    );
    expect(outcome).toMatchObject({ kind: 'inbox', missing: ['place'] });
    unplaced = (outcome as { messageId: number }).messageId;
  });

  it('is for coordinators: the sender, words, photos and what was understood', async () => {
    const res = await coordinator.agent.get('/api/v1/staff/inbox');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const message = res.body.messages.find((m: { id: number }) => m.id === unplaced);
    expect(message).toMatchObject({ sender: PHONE, category: 'lift', place: null, state: 'inbox', channel: 'sms' });
    expect(message.photos).toHaveLength(1);
    // A coordinator sees the photo; the public does not.
    const photo = new URL(message.photos[0].url).pathname;
    expect((await coordinator.agent.get(photo)).status).toBe(200);
    expect((await request(t.app).get(photo)).status).toBe(404);
    expect((await responder.agent.get('/api/v1/staff/inbox')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/staff/inbox')).status).toBe(401);
  });

  it('puts urgent messages first', async () => {
    const urgent = await receiveMessage(deps, sms('Hilfe! Wir brauchen Wasser, bitte'));
    const res = await coordinator.agent.get('/api/v1/staff/inbox');
    expect(res.body.messages[0].id).toBe((urgent as { messageId: number }).messageId);
    expect(res.body.messages[0]).toMatchObject({ urgent: true, category: 'help_food_water', language: 'de' });
    expect(res.body.urgent).toBeGreaterThanOrEqual(1);
  });

  it('files a placed message as a report with its photo, once', async () => {
    const res = await post('/api/v1/staff/inbox/file', {
      message_ids: [unplaced],
      lat: 52.52,
      lon: 13.405,
      category: 'lift',
      severity: 3,
    });
    expect(res.status).toBe(201);
    const reportId = res.body.report_id as number;
    const staff = await coordinator.agent.get(`/api/v1/staff/reports/${reportId}`);
    expect(staff.body.properties).toMatchObject({
      category: 'lift',
      severity: 3,
      source: 'sms',
      contact: PHONE,
      description: 'The lift at the town hall has been broken for a week',
    });
    expect(staff.body.properties.photos).toHaveLength(1);
    await expectNoPhoneInPublic(reportId);
    const again = await post('/api/v1/staff/inbox/file', { message_ids: [unplaced], report_id: reportId });
    expectProblem(again, 409, 'message_ids');
    const message = await coordinator.agent.get(`/api/v1/staff/inbox/${unplaced}`);
    expect(message.body).toMatchObject({ state: 'filed', report_id: reportId });
  });

  it('makes several messages one report, or adds them to one that exists', async () => {
    const a = (await receiveMessage(deps, sms('Baustelle blockiert den Gehweg'))) as { messageId: number };
    const b = (await receiveMessage(deps, sms('still blocked today', { sender: '+33612345678' }))) as {
      messageId: number;
    };
    const c = (await receiveMessage(deps, sms('and the detour has steps'))) as { messageId: number };
    const res = await post('/api/v1/staff/inbox/file', {
      message_ids: [a.messageId, b.messageId],
      lat: 52.5,
      lon: 13.4,
      category: 'works',
    });
    expect(res.status).toBe(201);
    const staff = await coordinator.agent.get(`/api/v1/staff/reports/${res.body.report_id}`);
    expect(staff.body.properties.contact).toBe(`${PHONE}, +33612345678`);
    expect(staff.body.properties.description).toBe('Baustelle blockiert den Gehweg\n\nstill blocked today');
    const add = await post('/api/v1/staff/inbox/file', { message_ids: [c.messageId], report_id: res.body.report_id });
    expect(add.status).toBe(201);
    expect((await coordinator.agent.get(`/api/v1/staff/inbox/${c.messageId}`)).body.report_id).toBe(res.body.report_id);
  });

  it('sets spam and "not a report" aside, and back', async () => {
    const spam = (await receiveMessage(deps, sms('WIN A PRIZE click here'))) as { messageId: number };
    const res = await patch(`/api/v1/staff/inbox/${spam.messageId}`, { state: 'spam' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('spam');
    const inbox = await coordinator.agent.get('/api/v1/staff/inbox');
    expect(inbox.body.messages.map((m: { id: number }) => m.id)).not.toContain(spam.messageId);
    const spamList = await coordinator.agent.get('/api/v1/staff/inbox?state=spam');
    expect(spamList.body.messages.map((m: { id: number }) => m.id)).toContain(spam.messageId);
    expect((await patch(`/api/v1/staff/inbox/${spam.messageId}`, { state: 'inbox' })).body.state).toBe('inbox');
  });

  it('answers bad requests with problems naming the field', async () => {
    const empty = await post('/api/v1/staff/inbox/file', { message_ids: [] });
    expectProblem(empty, 422, 'message_ids');
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(['message_ids', 'lat', 'lon', 'category']);
    expectProblem(
      await post('/api/v1/staff/inbox/file', { message_ids: [1], lat: 91, lon: 0, category: 'steps' }),
      422,
      'lat',
    );
    expectProblem(await post('/api/v1/staff/inbox/file', { message_ids: [1], report_id: 1, lat: 1 }), 422, 'lat');
    expectProblem(
      await post('/api/v1/staff/inbox/file', { message_ids: [999999], lat: 1, lon: 1, category: 'steps' }),
      404,
      'message_ids',
    );
    expectProblem(await patch('/api/v1/staff/inbox/1', { state: 'filed' }), 422, 'state');
    expectProblem(await coordinator.agent.get('/api/v1/staff/inbox?limit=0&cursor=x'), 422, 'limit');
    expectProblem(await coordinator.agent.get('/api/v1/staff/inbox?cursor=bm9wZQ'), 422, 'cursor');
    expectProblem(await coordinator.agent.get('/api/v1/staff/inbox/abc'), 422, 'id');
  });

  it('pages with a cursor', async () => {
    const first = await coordinator.agent.get('/api/v1/staff/inbox?limit=1');
    expect(first.body.messages).toHaveLength(1);
    const next = await coordinator.agent.get(`/api/v1/staff/inbox?limit=1&cursor=${first.body.next_cursor}`);
    expect(next.status).toBe(200);
    expect(next.body.messages[0].id).not.toBe(first.body.messages[0].id);
  });
});

describe('retention', () => {
  it('forgets messages set aside a month ago, and chats nobody wrote to for a month; keeps filed ones', async () => {
    const old = (await receiveMessage(deps, sms('cheap pills here'))) as { messageId: number };
    const fresh = (await receiveMessage(deps, sms('buy now'))) as { messageId: number };
    await patch(`/api/v1/staff/inbox/${old.messageId}`, { state: 'spam' });
    await patch(`/api/v1/staff/inbox/${fresh.messageId}`, { state: 'not_report' });
    await t.pool.query(`UPDATE inbound_messages SET handled_at = now() - interval '31 days' WHERE id = $1`, [
      old.messageId,
    ]);
    await t.pool.query(
      `INSERT INTO chat_sessions (channel, sender, state, updated_at) VALUES ('telegram', '42', '{}', now() - interval '31 days'),
                                                                          ('telegram', '43', '{}', now() - interval '25 hours')`,
    );
    const filedBefore = await t.pool.query("SELECT count(*)::int AS n FROM inbound_messages WHERE state = 'filed'");
    expect(await forgetOldMessages(t.pool)).toEqual({ messages: 1, sessions: 1 });
    // A day's silence is the bot's to hand to the inbox (telegram.bot.ts), not lost here.
    const kept = await t.pool.query("SELECT sender FROM chat_sessions WHERE sender IN ('42', '43')");
    expect(kept.rows).toEqual([{ sender: '43' }]);
    expect((await coordinator.agent.get(`/api/v1/staff/inbox/${old.messageId}`)).status).toBe(404);
    expect((await coordinator.agent.get(`/api/v1/staff/inbox/${fresh.messageId}`)).status).toBe(200);
    const filedAfter = await t.pool.query("SELECT count(*)::int AS n FROM inbound_messages WHERE state = 'filed'");
    expect(filedAfter.rows[0].n).toBe(filedBefore.rows[0].n);
  });
});

describe('STOP and START', () => {
  it('records the opt-out and takes it back', async () => {
    expect(await receiveMessage(deps, sms('STOP', { sender: '+4917000000' }))).toMatchObject({ kind: 'stop' });
    const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM reply_opt_outs WHERE sender = '+4917000000'");
    expect(rows[0].n).toBe(1);
    expect(await receiveMessage(deps, sms('start', { sender: '+4917000000' }))).toMatchObject({ kind: 'start' });
    const after = await t.pool.query("SELECT count(*)::int AS n FROM reply_opt_outs WHERE sender = '+4917000000'");
    expect(after.rows[0].n).toBe(0);
  });
});
