// SMS gateways (issue 15): Twilio's webhook signed as Twilio signs it (computed here from the
// published recipe, and the implementation checked against Twilio's published example), and
// SMS Gateway for Android's webhook signed as the app signs it. Replies go to real local HTTP
// servers standing in for Twilio's REST API and the phone's send API, which check basic auth
// and the shape each gateway takes.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { isTwilioSigned, twilioSignature } from '../../server/features/inbound/twilio.signature';
import { twoColourJpeg } from '../fixtures/images';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://wegfrei.example.org';
const TOKEN = 'twilio-auth-token-for-tests';
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const FROM_NUMBER = '+15005550006';
const ANDROID_KEY = 'android-signing-key-for-tests';
const ANDROID_USER = 'sms';
const ANDROID_PASSWORD = 'phone-password-1';
const WEBHOOK = '/api/v1/inbound/twilio';
const ANDROID = '/api/v1/inbound/android-sms';

interface Received {
  path: string;
  authorization?: string;
  body: string;
}

/** A real HTTP server standing in for a gateway's API; `handle` answers what it does not record. */
async function standIn(handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    if (handle?.(req, res)) return;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"sid":"SMxx"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let jpeg: Buffer;
let twilioApi: Awaited<ReturnType<typeof standIn>>;
let phoneApi: Awaited<ReturnType<typeof standIn>>;
let t: TestApp;
let coordinator: StaffAgent;
let sid = 0;
const lines: string[] = [];

beforeAll(async () => {
  jpeg = await twoColourJpeg(640, 480);
  twilioApi = await standIn((req, res) => {
    if (!req.url?.includes('/Media/')) return false;
    // Media of an account that protects them: basic auth with the Account SID and Auth Token.
    if (req.headers.authorization !== basic(ACCOUNT, TOKEN)) res.writeHead(401).end();
    else if (req.url.endsWith('/huge'))
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(200 * 1024 * 1024) }).end();
    else res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(jpeg.length) }).end(jpeg);
    return true;
  });
  phoneApi = await standIn();
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  t = await startTestApp({
    logger,
    config: {
      publicUrl: PUBLIC_URL,
      open311MediaAllowPrivate: true,
      twilio: { authToken: TOKEN, accountSid: ACCOUNT, fromNumber: FROM_NUMBER, apiBaseUrl: twilioApi.base },
      androidSms: {
        signingKey: ANDROID_KEY,
        apiUrl: `${phoneApi.base}/message`,
        username: ANDROID_USER,
        password: ANDROID_PASSWORD,
      },
    },
  });
  coordinator = await loginAs(t, 'coordinator');
});
afterAll(async () => {
  await t.close();
  twilioApi.server.close();
  phoneApi.server.close();
});

/** Twilio's recipe, written here on its own: URL, then each parameter's name and value sorted by name. */
function signAsTwilio(url: string, params: Record<string, string>, token = TOKEN): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return crypto.createHmac('sha1', token).update(data, 'utf8').digest('base64');
}

function sms(from: string, body: string, extra: Record<string, string> = {}) {
  return {
    MessageSid: `SM${String(++sid).padStart(32, '0')}`,
    AccountSid: ACCOUNT,
    From: from,
    To: FROM_NUMBER,
    Body: body,
    NumMedia: '0',
    ToCountry: 'US',
    ...extra,
  };
}

const postTwilio = (app: TestApp['app'], params: Record<string, string>, signature?: string) => {
  const req = request(app).post(WEBHOOK).type('form').send(new URLSearchParams(params).toString());
  return signature === undefined ? req : req.set('X-Twilio-Signature', signature);
};
const signedTwilio = (params: Record<string, string>) =>
  postTwilio(t.app, params, signAsTwilio(`${PUBLIC_URL}${WEBHOOK}`, params));

const messagesOf = async (externalId: string) =>
  (await t.pool.query('SELECT state, report_id::int FROM inbound_messages WHERE external_id = $1', [externalId])).rows;
const photosOf = async (reportId: number) =>
  (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM photos WHERE report_id = $1', [reportId])).rows[0]!
    .n;

async function until<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const reportIdIn = (twiml: string) => Number(/reports\/(\d+)/.exec(twiml)?.[1]);

describe("Twilio's signature", () => {
  // twilio.com/docs/usage/webhooks/webhooks-security; the same example is the first test of
  // Twilio's own helper libraries (twilio-php, twilio-csharp).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };

  it('gives the signature of Twilio’s published example', () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(isTwilioSigned('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(true);
    // The same request with the default port written out, as Twilio's libraries accept it.
    expect(isTwilioSigned('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url.replace('.com/', '.com:443/'), params)).toBe(
      true,
    );
  });

  it('gives the published signature of a repeated parameter and a mixed-case host', () => {
    const repeated = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
    expect(twilioSignature('12345', url, repeated)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
    expect(twilioSignature('12345', url.replace('mycompany', 'MyCompany'), params)).toBe(
      'g9IN/x4Cft2g517EjYvEvM/W7LU=',
    );
  });

  it('refuses a changed value, URL or token, and no signature', () => {
    const sig = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(isTwilioSigned('12345', sig, url, { ...params, Digits: '9999' })).toBe(false);
    expect(isTwilioSigned('12345', sig, `${url}&x=1`, params)).toBe(false);
    expect(isTwilioSigned('12346', sig, url, params)).toBe(false);
    expect(isTwilioSigned('12345', undefined, url, params)).toBe(false);
  });
});

describe('POST /api/v1/inbound/twilio', () => {
  it('refuses a missing or wrong signature with 403 and stores nothing', async () => {
    const params = sms('+4915100000001', 'steps 9F4MGC2M+7V');
    const missing = await postTwilio(t.app, params);
    expect(missing.status).toBe(403);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The admin's log says which URL the signature was checked against (a proxy without
    // PUBLIC_URL is the usual cause), without the sender.
    const warning = lines.find((l) => l.includes('A Twilio webhook was refused'));
    expect(warning).toContain(`"checkedUrl":"${PUBLIC_URL}${WEBHOOK}"`);
    expect(warning).not.toContain('4915100000001');
    const wrongToken = await postTwilio(t.app, params, signAsTwilio(`${PUBLIC_URL}${WEBHOOK}`, params, 'other'));
    expect(wrongToken.status).toBe(403);
    // Signed for another URL (the request's own Host, not the public URL Twilio called).
    const otherUrl = await postTwilio(t.app, params, signAsTwilio(`http://127.0.0.1${WEBHOOK}`, params));
    expect(otherUrl.status).toBe(403);
    const tampered = await postTwilio(
      t.app,
      { ...params, Body: 'ramp 9F4MGC2M+7V' },
      signAsTwilio(`${PUBLIC_URL}${WEBHOOK}`, params),
    );
    expect(tampered.status).toBe(403);
    expect(await messagesOf(params.MessageSid)).toEqual([]);
  });

  it('files "steps" with a plus code as a report on the map and answers with its link in TwiML', async () => {
    const params = sms('+4915100000002', 'steps 9F4MGC2M+7V');
    const res = await signedTwilio(params);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toMatch(/^<\?xml[^>]*\?>\s*<Response><Message>Wegfrei: thank you\. Report \d+: /);
    const id = reportIdIn(res.text);
    expect(res.text).toContain(`${PUBLIC_URL}/reports/${id}`);
    const pub = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.properties).toMatchObject({ category: 'steps', source: 'sms' });
    const list = await request(t.app).get('/api/v1/reports?limit=100');
    expect((list.body.features as { id: number }[]).map((f) => f.id)).toContain(id);
    expect(list.text + pub.text).not.toContain('5100000002');
    expect(await messagesOf(params.MessageSid)).toEqual([{ state: 'filed', report_id: id }]);

    // Twilio retries a webhook that timed out: one report, the same answer.
    const again = await signedTwilio(params);
    expect(reportIdIn(again.text)).toBe(id);
    expect(await messagesOf(params.MessageSid)).toHaveLength(1);
  });

  it('keeps a message without a place in the inbox and answers with the hint', async () => {
    const params = sms('+4915100000003', 'Der Aufzug am Bahnhof ist kaputt & niemand hilft <bitte>');
    const res = await signedTwilio(params);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Message>Wegfrei: Danke, Ihre Nachricht ist angekommen.');
    expect(res.text).toContain('9F4MGC2M+7V');
    // The reply is XML-escaped: the hint quotes its example.
    expect(res.text).toContain('&quot;Stufen&quot;');
    expect(await messagesOf(params.MessageSid)).toEqual([{ state: 'inbox', report_id: null }]);
  });

  it('stores the photo of an MMS, fetched with the account’s basic auth', async () => {
    const params = sms('+4915100000004', 'steps 9F4MGC2M+7V', {
      NumMedia: '1',
      MediaUrl0: `${twilioApi.base}/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME1`,
      MediaContentType0: 'image/jpeg',
    });
    const res = await signedTwilio(params);
    expect(res.status).toBe(200);
    expect(await photosOf(reportIdIn(res.text))).toBe(1);
  });

  it('takes the message without a photo that is refused (too large, not http, not an image)', async () => {
    const params = sms('+4915100000005', 'steps 9F4MGC2M+7V', {
      NumMedia: '3',
      MediaUrl0: `${twilioApi.base}/2010-04-01/Accounts/${ACCOUNT}/Messages/MM2/Media/huge`,
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'file:///etc/passwd',
      MediaContentType1: 'image/jpeg',
      MediaUrl2: `${twilioApi.base}/2010-04-01/Accounts/${ACCOUNT}/Messages/MM2/Media/ME3`,
      MediaContentType2: 'video/mp4',
    });
    const res = await signedTwilio(params);
    expect(res.status).toBe(200);
    const id = reportIdIn(res.text);
    expect(id).toBeGreaterThan(0);
    expect(await photosOf(id)).toBe(0);
    expect(lines.join('')).toContain('A photo of a message was left out');
  });

  it('refuses an overlong field and a body over 64 KB before reading them', async () => {
    const long = sms('+4915100000006', 'x'.repeat(1601));
    const res = await signedTwilio(long);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Body' })]);
    const huge = await postTwilio(t.app, { ...sms('+4915100000006', 'y'), Pad: 'z'.repeat(70 * 1024) }, 'x');
    expect(huge.status).toBe(413);
  });

  it('sends status changes by Twilio’s REST API, and nothing after STOP', async () => {
    const told = await signedTwilio(sms('+4915100000007', 'steps 9F4MGC2M+7V'));
    const stopped = await signedTwilio(sms('+4915100000008', 'steps 9F4MGC2M+7V'));
    const stop = await signedTwilio(sms('+4915100000008', 'STOP'));
    // Twilio confirms STOP itself: our answer is empty.
    expect(stop.text).toMatch(/<Response><\/Response>$/);
    for (const res of [told, stopped]) {
      const patch = await coordinator.agent
        .patch(`/api/v1/reports/${reportIdIn(res.text)}`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send({ status: 'verified' });
      expect(patch.status).toBe(200);
    }
    const sent = await until(() =>
      twilioApi.received.find((r) => r.body.includes(encodeURIComponent('+4915100000007'))),
    );
    expect(sent.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(sent.authorization).toBe(basic(ACCOUNT, TOKEN));
    const form = new URLSearchParams(sent.body);
    expect(form.get('To')).toBe('+4915100000007');
    expect(form.get('From')).toBe(FROM_NUMBER);
    const id = reportIdIn(told.text);
    expect(form.get('Body')).toBe(`Wegfrei: report ${id} is now "verified". ${PUBLIC_URL}/reports/${id}`);
    // Give a reply to the stopped number the time the first one took, and more.
    await new Promise((r) => setTimeout(r, 500));
    expect(twilioApi.received.filter((r) => r.body.includes('5100000008'))).toEqual([]);
  });

  it('logs no phone number', () => {
    const log = lines.join('');
    expect(log).toContain(WEBHOOK);
    for (let n = 1; n <= 9; n++) expect(log).not.toContain(`510000000${n}`);
  });
});

describe('POST /api/v1/inbound/android-sms', () => {
  let event = 0;
  /** The app's event, signed as PayloadSingingPlugin signs it: hex HMAC-SHA256 of body + timestamp. */
  function received(phone: string, message: string) {
    return JSON.stringify({
      deviceId: 'ffffffffceb0b1db0000018e937c815b',
      event: 'sms:received',
      id: `Ey6ECgOkVVFjz3CL48B8C${++event}`,
      payload: {
        messageId: 'abc123',
        message,
        sender: phone,
        recipient: null,
        phoneNumber: phone,
        simNumber: 1,
        receivedAt: '2026-12-06T17:46:11.000+01:00',
      },
      webhookId: 'LreFUt-Z3sSq0JufY9uWB',
    });
  }
  const send = (body: string, timestamp = Math.floor(Date.now() / 1000), key = ANDROID_KEY) =>
    request(t.app)
      .post(ANDROID)
      .set({
        'Content-Type': 'application/json',
        'X-Timestamp': String(timestamp),
        'X-Signature': crypto
          .createHmac('sha256', key)
          .update(body + String(timestamp))
          .digest('hex'),
      })
      .send(body);

  it('files a signed sms:received and replies through the phone’s API with basic auth', async () => {
    const res = await send(received('+4915200000001', 'Stufen 9F4MGC2M+7V'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'filed' });
    const id = res.body.report_id as number;
    const pub = await request(t.app).get(`/api/v1/reports/${id}`);
    expect(pub.body.properties).toMatchObject({ category: 'steps', source: 'sms' });
    const reply = await until(() => phoneApi.received.find((r) => r.body.includes('+4915200000001')));
    expect(reply.path).toBe('/message');
    expect(reply.authorization).toBe(basic(ANDROID_USER, ANDROID_PASSWORD));
    const json = JSON.parse(reply.body) as { textMessage: { text: string }; phoneNumbers: string[] };
    expect(json.phoneNumbers).toEqual(['+4915200000001']);
    expect(json.textMessage.text).toContain(`${id}: ${PUBLIC_URL}/reports/${id}`);
  });

  it('refuses a stale timestamp and a wrong signature, storing nothing', async () => {
    const stale = received('+4915200000002', 'Stufen 9F4MGC2M+7V');
    const old = await send(stale, Math.floor(Date.now() / 1000) - 301);
    expect(old.status).toBe(403);
    expect(old.body.errors).toEqual([expect.objectContaining({ field: 'X-Timestamp' })]);
    const wrong = await send(received('+4915200000002', 'Stufen 9F4MGC2M+7V'), undefined, 'not-the-key');
    expect(wrong.status).toBe(403);
    const unsigned = await request(t.app).post(ANDROID).set('Content-Type', 'application/json').send(stale);
    expect(unsigned.status).toBe(403);
    const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM inbound_messages WHERE gateway = 'android'");
    expect(rows[0].n).toBe(1);
  });

  it('confirms STOP once and sends no status after it', async () => {
    const filed = await send(received('+4915200000003', 'Stufen 9F4MGC2M+7V'));
    await until(() => phoneApi.received.find((r) => r.body.includes('+4915200000003')));
    const stop = await send(received('+4915200000003', 'STOP'));
    expect(stop.body).toEqual({ outcome: 'stop' });
    const confirmation = await until(() =>
      phoneApi.received.find((r) => r.body.includes('+4915200000003') && r.body.includes('START')),
    );
    expect(JSON.parse(confirmation.body).textMessage.text).toContain('no more messages');
    const count = phoneApi.received.length;
    const patch = await coordinator.agent
      .patch(`/api/v1/reports/${filed.body.report_id}`)
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ status: 'rejected' });
    expect(patch.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(phoneApi.received.length).toBe(count);
  });

  it('tells the sender of a report when it is resolved', async () => {
    const filed = await send(received('+4915200000004', 'steps 9F4MGC2M+7V'));
    for (const status of ['verified', 'rejected']) {
      await coordinator.agent
        .patch(`/api/v1/reports/${filed.body.report_id}`)
        .set('X-CSRF-Token', coordinator.csrf)
        .send({ status });
    }
    const told = await until(() =>
      phoneApi.received.find((r) => r.body.includes('+4915200000004') && r.body.includes('not taken up')),
    );
    expect(JSON.parse(told.body).textMessage.text).toBe(
      `Wegfrei: report ${filed.body.report_id} is now "not taken up". ${PUBLIC_URL}/reports/${filed.body.report_id}`,
    );
  });
});

// Last: on the embedded database (one session) another app's schema would change under the first.
describe('SSRF: a media URL into the private network', () => {
  it('is not fetched, and the message is taken', async () => {
    const guarded = await startTestApp({
      config: { publicUrl: PUBLIC_URL, twilio: { authToken: TOKEN, apiBaseUrl: twilioApi.base } },
    });
    try {
      const params = sms('+4915100000010', 'steps 9F4MGC2M+7V', {
        NumMedia: '2',
        MediaUrl0: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: `${twilioApi.base}/2010-04-01/Accounts/${ACCOUNT}/Messages/MM3/Media/ME1`,
        MediaContentType1: 'image/jpeg',
      });
      const before = twilioApi.received.length;
      const res = await postTwilio(guarded.app, params, signAsTwilio(`${PUBLIC_URL}${WEBHOOK}`, params));
      expect(res.status).toBe(200);
      const id = reportIdIn(res.text);
      const { rows } = await guarded.pool.query('SELECT count(*)::int AS n FROM photos WHERE report_id = $1', [id]);
      expect(rows[0].n).toBe(0);
      expect(twilioApi.received.length).toBe(before);
      // The Android webhook is not configured here: it does not exist.
      expect((await request(guarded.app).post(ANDROID).send({})).status).toBe(404);
    } finally {
      await guarded.close();
    }
  });

  it('without TWILIO_AUTH_TOKEN the webhook does not exist', async () => {
    const bare = await startTestApp();
    try {
      const params = sms('+4915100000011', 'steps 9F4MGC2M+7V');
      const res = await postTwilio(bare.app, params, signAsTwilio(`${PUBLIC_URL}${WEBHOOK}`, params));
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
