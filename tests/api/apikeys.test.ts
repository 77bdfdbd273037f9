import crypto from 'node:crypto';
import request from 'supertest';
import { loginAs, type StaffAgent } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let admin: StaffAgent;
beforeAll(async () => {
  t = await startTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const uniqueName = () => `client ${crypto.randomBytes(3).toString('hex')}`;

async function makeKey(name = uniqueName()): Promise<{ id: number; name: string; key: string }> {
  const res = await admin.agent.post('/api/v1/api-keys').set('X-CSRF-Token', admin.csrf).send({ name });
  expect(res.status).toBe(201);
  return res.body as { id: number; name: string; key: string };
}

const postOpen311 = (apiKey: string) =>
  request(t.app).post('/open311/v2/requests.json').type('form').send({
    api_key: apiKey,
    service_code: 'steps',
    lat: '52.52',
    long: '13.405',
    'attribute[severity]': '2',
  });

describe('POST /api/v1/api-keys', () => {
  it('makes a key, shows it once and stores only its sha256', async () => {
    const res = await admin.agent.post('/api/v1/api-keys').set('X-CSRF-Token', admin.csrf).send({ name: 'Stadt-App' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Stadt-App',
      key: expect.stringMatching(/^wf_[A-Za-z0-9_-]{43}$/),
      created_by: admin.user.id,
      created_at: expect.any(String),
      revoked_at: null,
      last_used_at: null,
    });
    const { rows } = await t.pool.query('SELECT * FROM api_keys WHERE id = $1', [res.body.id]);
    expect(rows[0].key_hash).toBe(crypto.createHash('sha256').update(res.body.key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(res.body.key);

    const list = await admin.agent.get('/api/v1/api-keys');
    expect(list.status).toBe(200);
    const listed = list.body.api_keys.find((k: { id: number }) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: 'Stadt-App', revoked_at: null });
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(JSON.stringify(list.body)).not.toContain(rows[0].key_hash);
  });

  it('lets an Open311 client post with the key, and records when it was used', async () => {
    const made = await makeKey();
    expect((await postOpen311(made.key)).status).toBe(201);
    const list = await admin.agent.get('/api/v1/api-keys');
    const listed = list.body.api_keys.find((k: { id: number }) => k.id === made.id);
    expect(Date.parse(listed.last_used_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a second live key of the same name with 409', async () => {
    const made = await makeKey();
    const again = await admin.agent
      .post('/api/v1/api-keys')
      .set('X-CSRF-Token', admin.csrf)
      .send({ name: made.name.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: ' ' }],
    ['a name of 101 characters', { name: 'x'.repeat(101) }],
    ['an unknown field', { name: 'ok', colour: 'red' }],
  ])('refuses %s with 422', async (_what, body) => {
    const res = await admin.agent.post('/api/v1/api-keys').set('X-CSRF-Token', admin.csrf).send(body);
    expect(res.status).toBe(422);
  });
});

describe('DELETE /api/v1/api-keys/{id}', () => {
  it('revokes a key: Open311 refuses it from then on, and its name is free again', async () => {
    const made = await makeKey();
    const res = await admin.agent.delete(`/api/v1/api-keys/${made.id}`).set('X-CSRF-Token', admin.csrf);
    expect(res.status).toBe(204);
    const refused = await postOpen311(made.key);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const list = await admin.agent.get('/api/v1/api-keys');
    expect(list.body.api_keys.find((k: { id: number }) => k.id === made.id).revoked_at).toEqual(expect.any(String));
    await makeKey(made.name);
  });

  it('keeps the first revocation date when revoked twice', async () => {
    const made = await makeKey();
    await admin.agent.delete(`/api/v1/api-keys/${made.id}`).set('X-CSRF-Token', admin.csrf);
    const first = await t.pool.query('SELECT revoked_at FROM api_keys WHERE id = $1', [made.id]);
    const again = await admin.agent.delete(`/api/v1/api-keys/${made.id}`).set('X-CSRF-Token', admin.csrf);
    expect(again.status).toBe(204);
    const second = await t.pool.query('SELECT revoked_at FROM api_keys WHERE id = $1', [made.id]);
    expect(second.rows[0].revoked_at).toEqual(first.rows[0].revoked_at);
  });

  it('answers 404 for an unknown key and 422 for a bad id', async () => {
    expect((await admin.agent.delete('/api/v1/api-keys/999999').set('X-CSRF-Token', admin.csrf)).status).toBe(404);
    expect((await admin.agent.delete('/api/v1/api-keys/abc').set('X-CSRF-Token', admin.csrf)).status).toBe(422);
  });
});

describe('who may manage keys', () => {
  it('is admins only, with the CSRF token for changes', async () => {
    expect((await request(t.app).get('/api/v1/api-keys')).status).toBe(401);
    expect((await request(t.app).post('/api/v1/api-keys').send({ name: 'x' })).status).toBe(401);
    const coordinator = await loginAs(t, 'coordinator');
    expect((await coordinator.agent.get('/api/v1/api-keys')).status).toBe(403);
    const asCoordinator = await coordinator.agent
      .post('/api/v1/api-keys')
      .set('X-CSRF-Token', coordinator.csrf)
      .send({ name: 'x' });
    expect(asCoordinator.status).toBe(403);
    const made = await makeKey();
    expect(
      (await coordinator.agent.delete(`/api/v1/api-keys/${made.id}`).set('X-CSRF-Token', coordinator.csrf)).status,
    ).toBe(403);
    const noCsrf = await admin.agent.post('/api/v1/api-keys').send({ name: uniqueName() });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.type).toBe('urn:wegfrei:problem:csrf');
    expect((await admin.agent.delete(`/api/v1/api-keys/${made.id}`)).status).toBe(403);
    expect((await postOpen311(made.key)).status).toBe(201);
  });
});
