// The Telegram bot (issue 15): its webhook against a local stand-in for the Bot API — a real
// HTTP server speaking /bot<token>/<method> and /file/bot<token>/<path>, recording what the bot
// sent. A place, a photo and a category button become one report with the photo and its link;
// a text with place and category is filed at once, a text alone goes to the inbox; only
// Telegram (the secret) may call; a redelivered update is taken once; a photo too large or
// never delivered is left out, quickly; hostile JSON is a 4xx. The chat id and the token
// never reach a public answer or a log line.
import http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createTaxonomy } from '../../server/features/categories/categories.service';
import { sweepExpired, type TelegramBotDeps } from '../../server/features/inbound/telegram.bot';
import { Replies } from '../../server/features/inbound/replies';
import { TelegramClient } from '../../server/features/inbound/telegram.client';
import { twoColourJpeg } from '../fixtures/images';
import { loginAs, type StaffAgent } from './support/staff';
import { HELP_GRID_M, startTestApp, type TestApp } from './support/test-app';
import { expectProblem } from './support/uploads';

jest.setTimeout(120_000);

const TOKEN = '123456789:AAtestTOKENabcdefghijklmnopqrstuvwxyz';
const SECRET = 'wegfrei-test-secret-0123456789';
const URL_PATH = '/api/v1/inbound/telegram';
const DOWNLOAD_TIMEOUT_MS = 1500;

interface Call {
  method: string;
  params: Record<string, unknown>;
}

/** The Bot API, locally: files by id, each served whole, announced huge, or stalled forever. */
class StandInBotApi {
  calls: Call[] = [];
  downloads: string[] = [];
  files = new Map<string, { path: string; size: number; mode: 'serve' | 'stall' }>();
  jpeg: Buffer = Buffer.alloc(0);
  private readonly stalled: http.ServerResponse[] = [];
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answer(req, res, Buffer.concat(chunks)));
  });

  private answer(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    const url = req.url ?? '';
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.startsWith(`/file/bot${TOKEN}/`)) {
      const path = url.slice(`/file/bot${TOKEN}/`.length);
      this.downloads.push(path);
      const file = [...this.files.values()].find((f) => f.path === path);
      if (!file) return json(404, { ok: false, error_code: 404 });
      res.writeHead(200, { 'Content-Type': 'image/jpeg' });
      if (file.mode === 'stall') {
        res.write(this.jpeg.subarray(0, 100)); // a start, and then nothing, ever
        this.stalled.push(res);
        return;
      }
      return res.end(this.jpeg);
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url);
    if (!m || m[1] !== TOKEN) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    this.calls.push({ method: m[2]!, params });
    if (m[2] === 'getFile') {
      const file = this.files.get(String(params.file_id));
      if (!file) return json(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      return json(200, { ok: true, result: { file_id: params.file_id, file_size: file.size, file_path: file.path } });
    }
    return json(200, { ok: true, result: m[2] === 'sendMessage' ? { message_id: this.calls.length } : true });
  }

  sent(chat: number): Call[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === String(chat));
  }

  async start(): Promise<string> {
    this.jpeg = await twoColourJpeg(640, 480);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const api = new StandInBotApi();
const logLines: string[] = [];
let t: TestApp;
let coordinator: StaffAgent;
let baseUrl = '';
let update = 1000;
let chatSeq = 0;

beforeAll(async () => {
  baseUrl = await api.start();
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  t = await startTestApp({
    logger,
    config: {
      telegram: {
        botToken: TOKEN,
        webhookSecret: SECRET,
        apiBaseUrl: baseUrl,
        downloadTimeoutMs: DOWNLOAD_TIMEOUT_MS,
      },
    },
  });
  coordinator = await loginAs(t, 'coordinator');
});
afterAll(async () => {
  await t.close();
  await api.stop();
});

/** A private chat with a person whose Telegram speaks `language`; ids far from any report id. */
function newChat(language = 'en') {
  const id = 7_100_000_000 + ++chatSeq * 7919;
  const from = { id, is_bot: false, first_name: 'Ada', username: `ada_${chatSeq}_x`, language_code: language };
  const chat = { id, type: 'private', first_name: 'Ada', username: from.username };
  const message = (fields: Record<string, unknown>) => ({
    update_id: ++update,
    message: { message_id: update, date: 1_780_000_000, from, chat, ...fields },
  });
  return {
    id,
    from,
    message,
    location: (lat: number, lon: number) => message({ location: { latitude: lat, longitude: lon } }),
    text: (text: string) => message({ text }),
    photo: (fileId: string, size = api.jpeg.length) => {
      api.files.set(fileId, { path: `photos/${fileId}.jpg`, size, mode: 'serve' });
      return message({
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: 's', width: 90, height: 67, file_size: 1200 },
          { file_id: fileId, file_unique_id: 'l', width: 640, height: 480, file_size: size },
        ],
      });
    },
    button: (data: string) => ({
      update_id: ++update,
      callback_query: {
        id: `cq${update}`,
        from,
        chat_instance: '-1',
        data,
        message: { message_id: 1, date: 1_780_000_000, chat },
      },
    }),
  };
}

const hook = (body: unknown, secret: string | null = SECRET) => {
  const req = request(t.app).post(URL_PATH);
  if (secret !== null) req.set('X-Telegram-Bot-Api-Secret-Token', secret);
  return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body as object);
};

const count = async (sql: string, params: unknown[] = []) =>
  (await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;

const lastText = (chat: number) => {
  const text = api.sent(chat).at(-1)?.params.text;
  return typeof text === 'string' ? text : '';
};

describe('a location, a photo and a category button', () => {
  it('become one report with the photo, from telegram, and the bot answers with its link', async () => {
    const chat = newChat('de');
    expect((await hook(chat.location(52.5163, 13.3777))).status).toBe(200);
    // The categories as buttons, in German, barriers and help requests, the code as data.
    const offer = api.sent(chat.id).at(-1)!.params;
    const buttons = (
      offer.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons).toContainEqual({ text: 'Stufen ohne Rampe', callback_data: 'steps' });
    expect(buttons.map((b) => b.callback_data)).toEqual(expect.arrayContaining(['kerb_missing', 'help_medical']));
    expect(await count('reports')).toBe(0);

    expect((await hook(chat.photo('photo-a'))).status).toBe(200);
    const press = chat.button('steps');
    expect((await hook(press)).status).toBe(200);
    expect(api.calls).toContainEqual({
      method: 'answerCallbackQuery',
      params: { callback_query_id: press.callback_query.id },
    });
    // The largest size was fetched, not the thumbnail.
    expect(api.calls.filter((c) => c.method === 'getFile').map((c) => c.params.file_id)).toEqual(['photo-a']);

    const { rows } = await t.pool.query<{ id: number }>("SELECT id FROM reports WHERE source = 'telegram'");
    expect(rows).toHaveLength(1);
    const id = rows[0]!.id;
    expect(lastText(chat.id)).toContain(`/reports/${id}`);
    expect(lastText(chat.id)).toContain(`Meldung ${id}`);

    const pub = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(pub.body.properties).toMatchObject({ category: 'steps', source: 'telegram', kind: 'barrier' });
    expect(pub.body.geometry.coordinates).toEqual([13.3777, 52.5163]);
    // A barrier is published at once (BARRIER_MODERATION=post), its photo with it.
    expect(pub.body.properties.photos).toHaveLength(1);
    expect(pub.text).not.toContain(String(chat.id));
    const staff = await coordinator.agent.get(`/api/v1/staff/reports/${id}`);
    expect(staff.body.properties.contact).toBe(String(chat.id));
    expect(staff.body.properties.photos).toHaveLength(1);
    expect(await count('chat_sessions')).toBe(0);
    // Later replies (status changes) speak the chat's language, though no word was written.
    expect(await count("inbound_messages WHERE sender = $1 AND language = 'de'", [String(chat.id)])).toBe(1);

    // Telegram delivers the button press again: still one report, one message, no second answer.
    const answers = api.sent(chat.id).length;
    expect((await hook(press)).status).toBe(200);
    expect(await count("reports WHERE source = 'telegram'")).toBe(1);
    expect(await count('inbound_messages')).toBe(1);
    expect(api.sent(chat.id)).toHaveLength(answers);
  });

  it('files a help request the same way, coarsened and its photo withheld until reviewed', async () => {
    const chat = newChat('fr');
    await hook(chat.photo('photo-help'));
    expect(lastText(chat.id)).toContain('Partagez maintenant le lieu');
    await hook(chat.location(48.8571234, 2.3451234));
    await hook(chat.button('help_medical'));
    const { rows } = await t.pool.query<{ id: number }>(
      "SELECT id FROM reports WHERE source = 'telegram' AND category = 'help_medical'",
    );
    const pub = await request(t.app).get(`/api/v1/reports/${rows[0]!.id}`);
    expect(pub.body.properties).toMatchObject({ severity: 3, photos: [] });
    expect(pub.body.geometry.coordinates).not.toEqual([2.3451234, 48.8571234]);
    expect(lastText(chat.id)).toContain(`Signalement ${rows[0]!.id}`);
  });
});

describe('texts', () => {
  it('files "Stufen 52.52, 13.405" at once', async () => {
    const chat = newChat('de');
    expect((await hook(chat.text('Stufen 52.52, 13.405'))).status).toBe(200);
    const { rows } = await t.pool.query<{ id: number; category: string }>(
      "SELECT id, category FROM reports WHERE contact = $1 AND source = 'telegram'",
      [String(chat.id)],
    );
    expect(rows).toEqual([{ id: expect.any(Number), category: 'steps' }]);
    expect(lastText(chat.id)).toContain(`/reports/${rows[0]!.id}`);
  });

  it('sends a text without a place to the inbox at once, with a hint', async () => {
    const chat = newChat('en');
    await hook(chat.text('The lift at the station has been broken for days'));
    expect(await count("inbound_messages WHERE sender = $1 AND state = 'inbox'", [String(chat.id)])).toBe(1);
    expect(await count('reports WHERE contact = $1', [String(chat.id)])).toBe(0);
    expect(lastText(chat.id)).toContain('A coordinator will place it');
    expect(await count('chat_sessions WHERE sender = $1', [String(chat.id)])).toBe(0);

    // The coordinator files it: the chat hears of it through the registered reply gateway.
    const { rows } = await t.pool.query<{ id: number }>('SELECT id FROM inbound_messages WHERE sender = $1', [
      String(chat.id),
    ]);
    const filed = await coordinator.agent
      .post('/api/v1/staff/inbox/file')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ message_ids: [rows[0]!.id], lat: 52.5, lon: 13.4, category: 'lift' });
    expect(filed.status).toBe(201);
    for (let i = 0; i < 100 && !lastText(chat.id).includes(`/reports/${filed.body.report_id}`); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(lastText(chat.id)).toContain(`/reports/${filed.body.report_id}`);
  });

  it('greets on /start in the chat language, and /cancel drops what was shared', async () => {
    const chat = newChat('de');
    await hook(chat.text('/start'));
    expect(lastText(chat.id)).toContain('Willkommen bei Wegfrei');
    await hook(chat.location(52.5, 13.4));
    expect(await count('chat_sessions WHERE sender = $1', [String(chat.id)])).toBe(1);
    await hook(chat.text('/cancel'));
    expect(await count('chat_sessions WHERE sender = $1', [String(chat.id)])).toBe(0);
    expect(lastText(chat.id)).toContain('Abgebrochen');
  });

  it('takes STOP as an opt-out, as for SMS', async () => {
    const chat = newChat('en');
    await hook(chat.text('STOP'));
    expect(await count("reply_opt_outs WHERE channel = 'telegram' AND sender = $1", [String(chat.id)])).toBe(1);
    expect(lastText(chat.id)).toContain('no more messages');
  });
});

describe('photos that cannot be had', () => {
  it('leaves out a photo getFile says is 50 MB, without downloading it', async () => {
    const chat = newChat();
    await hook(chat.location(52.51, 13.39));
    // The message's sizes look small; getFile tells the truth.
    await hook(chat.photo('photo-huge'));
    api.files.set('photo-huge', { path: 'photos/huge.jpg', size: 50 * 1024 * 1024, mode: 'serve' });
    const started = Date.now();
    expect((await hook(chat.button('obstacle'))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(api.downloads).not.toContain('photos/huge.jpg');
    const { rows } = await t.pool.query<{ id: number }>('SELECT id FROM reports WHERE contact = $1', [String(chat.id)]);
    expect(rows).toHaveLength(1);
    expect(await count('photos WHERE report_id = $1', [rows[0]!.id])).toBe(0);
  });

  it('leaves out a photo whose download is larger than getFile said (no more is held than budgeted)', async () => {
    const chat = newChat();
    await hook(chat.location(52.51, 13.39));
    await hook(chat.photo('photo-understated'));
    api.files.set('photo-understated', { path: 'photos/understated.jpg', size: 1000, mode: 'serve' });
    expect((await hook(chat.button('narrow'))).status).toBe(200);
    expect(api.downloads).toContain('photos/understated.jpg');
    const { rows } = await t.pool.query<{ id: number }>('SELECT id FROM reports WHERE contact = $1', [String(chat.id)]);
    expect(rows).toHaveLength(1);
    expect(await count('photos WHERE report_id = $1', [rows[0]!.id])).toBe(0);
  });

  it('leaves out a photo whose download never ends, within the download deadline', async () => {
    const chat = newChat();
    await hook(chat.photo('photo-stall'));
    api.files.set('photo-stall', { path: 'photos/stall.jpg', size: 40_000, mode: 'stall' });
    await hook(chat.location(52.51, 13.39));
    const started = Date.now();
    expect((await hook(chat.button('surface'))).status).toBe(200);
    const took = Date.now() - started;
    expect(api.downloads).toContain('photos/stall.jpg');
    expect(took).toBeGreaterThanOrEqual(DOWNLOAD_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(DOWNLOAD_TIMEOUT_MS + 5000);
    const { rows } = await t.pool.query<{ id: number }>('SELECT id FROM reports WHERE contact = $1', [String(chat.id)]);
    expect(rows).toHaveLength(1);
    expect(await count('photos WHERE report_id = $1', [rows[0]!.id])).toBe(0);
    expect(lastText(chat.id)).toContain(`/reports/${rows[0]!.id}`);
  });
});

describe('a conversation silent for a day', () => {
  it('goes to the inbox with its photo, and the person is told', async () => {
    const chat = newChat('en');
    await hook(chat.photo('photo-expiring'));
    await hook(chat.text('blocked by a fence'));
    await t.pool.query("UPDATE chat_sessions SET updated_at = now() - interval '25 hours' WHERE sender = $1", [
      String(chat.id),
    ]);
    const client = new TelegramClient({ token: TOKEN, baseUrl });
    const replies = new Replies(t.pool, pino({ level: 'silent' }));
    replies.register({ gateway: 'telegram', send: (to, text) => client.sendMessage(to, text) });
    const deps: TelegramBotDeps = {
      pool: t.pool,
      events: t.events,
      storage: t.storage,
      taxonomy: createTaxonomy(t.pool),
      helpGridM: HELP_GRID_M,
      client,
      logger: pino({ level: 'silent' }),
      replies,
    };
    await sweepExpired(deps, { baseUrl: 'http://127.0.0.1' }, true);
    const { rows } = await t.pool.query<{ id: number; body: string; state: string }>(
      'SELECT id, body, state FROM inbound_messages WHERE sender = $1',
      [String(chat.id)],
    );
    expect(rows).toEqual([{ id: expect.any(Number), body: 'blocked by a fence', state: 'inbox' }]);
    expect(await count('inbound_photos WHERE message_id = $1', [rows[0]!.id])).toBe(1);
    expect(await count('chat_sessions WHERE sender = $1', [String(chat.id)])).toBe(0);
    expect(lastText(chat.id)).toContain('A coordinator will place it');
  });
});

describe('who may call', () => {
  it('refuses a wrong or missing secret with 403, storing and sending nothing', async () => {
    const chat = newChat();
    const calls = api.calls.length;
    const [messages, sessions] = [await count('inbound_messages'), await count('chat_sessions')];
    for (const secret of [null, '', 'wrong', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const res = await hook(chat.text('Stufen 52.52, 13.405'), secret);
      expectProblem(res, 403, 'X-Telegram-Bot-Api-Secret-Token');
    }
    expect(await count('inbound_messages')).toBe(messages);
    expect(await count('chat_sessions')).toBe(sessions);
    expect(api.calls.length).toBe(calls);
  });

  it('does not exist without a bot token (404, as any unknown path)', async () => {
    // The same database and photos, only the bot left out of the configuration.
    const bare = createApp({
      config: {
        publicUrl: undefined,
        tileUrl: 'x',
        tileAttribution: 'x',
        helpGridM: HELP_GRID_M,
        trustProxy: false,
        sessionTtlHours: 12,
      },
      pool: t.pool,
      events: t.events,
      databaseKind: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
      storage: t.storage,
      logger: pino({ level: 'silent' }),
    });
    const res = await request(bare)
      .post(URL_PATH)
      .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
      .send(newChat().text('Stufen 52.52, 13.405'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // …where the configured app takes the same request.
    expect((await hook(newChat().text('/start'))).status).toBe(200);
  });
});

describe('hostile JSON', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const cases: [string, unknown, number][] = [
    ['not JSON', '{"update_id": 1,', 400],
    ['an array', '[1,2,3]', 422],
    ['a string', '"update"', 400],
    ['null', 'null', 400],
    ['deep nesting in a read field', `{"update_id": 1, "message": ${deep(5_000)}}`, 422],
    ['a body over 64 KB', { update_id: 1, message: { text: 'x'.repeat(70_000) } }, 413],
    [
      'a text longer than Telegram allows',
      { update_id: 2, message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'x'.repeat(5000) } },
      422,
    ],
    ['update_id as text', { update_id: 'one' }, 422],
    [
      'a chat id beyond 2^53',
      { update_id: 3, message: { message_id: 1, chat: { id: 2 ** 60, type: 'private' } } },
      422,
    ],
    [
      'a location off the globe',
      {
        update_id: 4,
        message: { message_id: 1, chat: { id: 1, type: 'private' }, location: { latitude: 91, longitude: 0 } },
      },
      422,
    ],
    [
      'photo sizes of the wrong type',
      { update_id: 5, message: { message_id: 1, chat: { id: 1, type: 'private' }, photo: 'big' } },
      422,
    ],
    [
      'callback data over 64 characters',
      { update_id: 6, callback_query: { id: 'x', from: { id: 1 }, data: 'x'.repeat(65) } },
      422,
    ],
    [
      'a NUL in the text',
      { update_id: 7, message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'a\u0000b' } },
      422,
    ],
  ];
  it.each(cases)('answers %s with a 4xx problem, storing nothing', async (_what, body, status) => {
    const before = await count('inbound_messages');
    const res = await hook(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await count('inbound_messages')).toBe(before);
  });

  it('takes deep nesting in a field it does not read with 200 and nothing done (Telegram adds fields)', async () => {
    const before = [await count('inbound_messages'), api.calls.length];
    expect((await hook(`{"update_id": ${++update}, "x": ${deep(20_000)}}`)).status).toBe(200);
    expect([await count('inbound_messages'), api.calls.length]).toEqual(before);
  });

  it('takes an update of a kind it does not handle (an edited message, a group) with 200 and nothing done', async () => {
    const before = [await count('inbound_messages'), api.calls.length];
    const chat = newChat();
    const group = chat.text('Stufen 52.52, 13.405');
    (group.message.chat as { type: string }).type = 'group';
    for (const body of [
      { update_id: ++update, edited_message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'hi' } },
      group,
    ]) {
      expect((await hook(body)).status).toBe(200);
    }
    expect([await count('inbound_messages'), api.calls.length]).toEqual(before);
  });
});

describe('privacy', () => {
  it('never logs a chat id, a username or the token (and the log is live)', () => {
    const log = logLines.join('');
    // The stalled download above was logged: the check reads real lines.
    expect(log).toContain('A Telegram photo was left out');
    expect(log).not.toContain(TOKEN.split(':')[1]);
    for (let i = 1; i <= chatSeq; i++) {
      expect(log).not.toContain(String(7_100_000_000 + i * 7919));
      expect(log).not.toContain(`ada_${i}_x`);
    }
  });
});
