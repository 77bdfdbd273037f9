// Passwords are judged by zxcvbn-ts (common passwords, words, names, keyboard rows, repeats,
// the account's own email and name) wherever one is set: an admin adding or changing an
// account (here), and the first admin of WEGFREI_BOOTSTRAP_ADMIN (auth-bootstrap.test.ts).
import crypto from 'node:crypto';
import request from 'supertest';
import { loginAs, makeStaff, PASSWORD, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let admin: StaffAgent;
beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const email = () => `person-${crypto.randomBytes(4).toString('hex')}@example.org`;
const addUser = (body: object, lang?: string) => {
  const req = admin.agent.post('/api/v1/users').set('X-CSRF-Token', admin.csrf);
  if (lang) req.set('Accept-Language', lang);
  return req.send({ role: 'responder', ...body });
};
const accounts = async (address: string) =>
  (await t.pool.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [address])).rows.length;

describe('adding an account', () => {
  it.each([
    ['aaaaaaaaaaaa', /^is too easy to guess: repeated characters like "aaa" are easy to guess\. \S/],
    ['Password123!', /^is too easy to guess: this is similar to a commonly used password\. \S/],
    ['123456789012', /^is too easy to guess: this is a commonly used password\. \S/],
    ['qwertyuiop[]', /^is too easy to guess: straight rows of keys on your keyboard are easy to guess\. \S/],
  ])('refuses %j, naming the field and saying why in a sentence', async (password, why) => {
    const address = email();
    const res = await addUser({ email: address, password });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].field).toBe('password');
    expect(res.body.errors[0].detail).toMatch(why);
    expect(await accounts(address)).toBe(0);
  });

  it('refuses a password made of the account’s own name or email, which is fine for someone else', async () => {
    const name = 'Bernadette Wolkenstein';
    const own = await addUser({ email: email(), name, password: 'BernadetteWolkenstein' });
    expect(own.status).toBe(422);
    expect(own.body.errors[0]).toMatchObject({ field: 'password' });
    expect(own.body.errors[0].detail).toMatch(/personal or page related data/);
    const address = email();
    const byEmail = await addUser({ email: address, name: 'Kim', password: address });
    expect(byEmail.status).toBe(422);
    expect((await addUser({ email: email(), name: 'Kim', password: 'BernadetteWolkenstein' })).status).toBe(201);
  });

  it('still wants 12 characters before it judges anything', async () => {
    const res = await addUser({ email: email(), password: 'Xq7!vPz2' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'password', detail: 'must be at least 12 characters' }]);
  });

  it('accepts a few uncommon words', async () => {
    const address = email();
    const res = await addUser({ email: address, password: 'violet lanterns under the old quay' });
    expect(res.status).toBe(201);
    const login = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: address, password: 'violet lanterns under the old quay' });
    expect(login.status).toBe(200);
  });

  it('says it in German, with zxcvbn’s advice kept in English', async () => {
    const res = await addUser({ email: email(), password: 'aaaaaaaaaaaa' }, 'de');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].detail).toMatch(
      /^ist zu leicht zu erraten \(Hinweis auf Englisch: repeated characters like "aaa" are easy to guess\. .+\)$/,
    );
    const short = await addUser({ email: email(), password: 'short' }, 'de');
    expect(short.body.errors[0].detail).toBe('muss mindestens 12 Zeichen lang sein');
  });
});

describe('changing a password', () => {
  it('refuses a weak one and keeps the old password and sessions', async () => {
    const user = await loginAs(t, 'coordinator');
    const res = await admin.agent
      .patch(`/api/v1/users/${user.user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ password: 'password1234' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('password');
    expect(res.body.errors[0].detail).toMatch(/^is too easy to guess: /);
    expect((await user.agent.get('/api/v1/auth/me')).status).toBe(200);
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: user.user.email, password: PASSWORD });
    expect(login.status).toBe(200);
  });

  it('judges the new password against the account’s own name', async () => {
    const user = await makeStaff(t, 'responder');
    await t.pool.query(`UPDATE users SET name = 'Bernadette Wolkenstein' WHERE id = $1`, [user.id]);
    const res = await admin.agent
      .patch(`/api/v1/users/${user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ password: 'wolkensteinbernadette' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].detail).toMatch(/personal or page related data/);
  });

  it('answers 404 for an account that does not exist, before judging anything', async () => {
    const res = await admin.agent
      .patch('/api/v1/users/987654321')
      .set('X-CSRF-Token', admin.csrf)
      .send({ password: 'aaaaaaaaaaaa' });
    expect(res.status).toBe(404);
  });
});
