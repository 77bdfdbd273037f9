// A local web push service for tests: it hands out subscriptions as a browser would (a P-256
// key pair and a 16-byte auth secret of its own), and on each push POST checks the VAPID
// Authorization (RFC 8292: an ES256 JWT for this origin, signed by the key named in k=) and
// decrypts the aes128gcm body (RFC 8188 record, RFC 8291 keys) with node:crypto alone — our
// own reading of the standards, not the sending library's.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload, parsed as JSON. */
  payload: unknown;
  ttl: string | undefined;
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
}

export interface TestSubscription {
  id: string;
  /** What PushSubscription.toJSON() gives a page. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface TestPushService {
  origin: string;
  subscribe(): TestSubscription;
  /** The status the service answers for a subscription from now on (201 by default; 410 = gone). */
  answer(subscriptionId: string, status: number): void;
  received: ReceivedPush[];
  /**
   * From now on this subscription's pushes are answered 201 and then one byte a second, never
   * ending (a slow or hostile push service), until stopTrickling().
   */
  trickle(subscriptionId: string): void;
  /** Answers being trickled right now. */
  trickling(): number;
  /** Ends every trickled answer; later pushes to those subscriptions are answered 201 at once. */
  stopTrickling(): void;
  /** Pushes refused (bad signature, undecryptable body), with the reason: a test asserts there are none. */
  refused: string[];
  next(match?: (p: ReceivedPush) => boolean, timeoutMs?: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

const b64url = (b: Buffer) => b.toString('base64url');

function verifyVapid(header: string | undefined, origin: string): ReceivedPush['vapid'] {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [jwt, k] = [m[1]!, m[2]!];
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) },
    format: 'jwk',
  });
  const jose = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; typ?: string };
  if (jose.alg !== 'ES256') throw new Error(`JWT alg ${jose.alg}`);
  const ok = crypto.verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) throw new Error(`exp ${claims.exp} out of range`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub} is neither mailto: nor https:`);
  return { ...claims, publicKey: k };
}

function decrypt(body: Buffer, ua: crypto.ECDH, authSecret: Buffer): Buffer {
  // RFC 8188 header: salt(16) rs(4) idlen(1) keyid(idlen) — keyid is the sender's public key.
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not a P-256 point`);
  if (record.length > rs) throw new Error('more than one record');
  const uaPublic = ua.getPublicKey();
  const ecdhSecret = ua.computeSecret(asPublic);
  // RFC 8291 §3.4: IKM from the ECDH secret and the auth secret, then RFC 8188's CEK and nonce.
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with 0x02 and any number of zero bytes.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

export async function startPushService(): Promise<TestPushService> {
  const subscriptions = new Map<string, { ua: crypto.ECDH; auth: Buffer; status: number | 'trickle' }>();
  const trickled = new Map<http.ServerResponse, NodeJS.Timeout>();
  const endTrickle = (res: http.ServerResponse) => {
    clearInterval(trickled.get(res));
    trickled.delete(res);
  };
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const taken = new Set<ReceivedPush>();
  const waiters: { match: (p: ReceivedPush) => boolean; resolve: (p: ReceivedPush) => void }[] = [];
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
      const sub = id && subscriptions.get(id);
      if (req.method !== 'POST' || !id || !sub) return res.writeHead(404).end();
      if (sub.status === 'trickle') {
        res.writeHead(201, { 'Content-Type': 'text/plain' });
        res.write('.');
        trickled.set(
          res,
          setInterval(() => res.write('.'), 1000),
        );
        res.on('close', () => endTrickle(res));
        return;
      }
      if (sub.status !== 201) return res.writeHead(sub.status).end();
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
        const vapid = verifyVapid(req.headers.authorization, origin);
        const payload = JSON.parse(decrypt(Buffer.concat(chunks), sub.ua, sub.auth).toString('utf8')) as unknown;
        const push: ReceivedPush = { subscriptionId: id, payload, ttl: req.headers.ttl as string | undefined, vapid };
        received.push(push);
        const i = waiters.findIndex((w) => w.match(push));
        if (i >= 0) {
          taken.add(push);
          waiters.splice(i, 1)[0]!.resolve(push);
        }
        res.writeHead(201).end();
      } catch (err) {
        refused.push((err as Error).message);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    refused,
    subscribe() {
      const ua = crypto.createECDH('prime256v1');
      ua.generateKeys();
      const auth = crypto.randomBytes(16);
      const id = crypto.randomBytes(12).toString('base64url');
      subscriptions.set(id, { ua, auth, status: 201 });
      return {
        id,
        json: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: b64url(ua.getPublicKey()), auth: b64url(auth) },
        },
      };
    },
    answer(id, status) {
      subscriptions.get(id)!.status = status;
    },
    trickle(id) {
      subscriptions.get(id)!.status = 'trickle';
    },
    trickling: () => trickled.size,
    stopTrickling() {
      for (const sub of subscriptions.values()) if (sub.status === 'trickle') sub.status = 201;
      for (const res of [...trickled.keys()]) {
        endTrickle(res);
        res.end();
      }
    },
    next(match = () => true, timeoutMs = 10_000) {
      const ready = received.find((p) => !taken.has(p) && match(p));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise<ReceivedPush>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (p: ReceivedPush) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `no matching push within ${timeoutMs} ms (${received.length} received; refused: ${refused.join('; ')})`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of [...trickled.keys()]) {
          endTrickle(res);
          res.end();
        }
        server.close(() => resolve());
      }),
  };
}
