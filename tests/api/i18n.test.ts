import request from 'supertest';
import { translateMessage } from '../../server/http/messages';
import { createReport, loginAs } from './support/staff';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const badReport = { category: 'steps', lat: 91, lon: 13.405, severity: 7 };

function details(res: request.Response): Record<string, string> {
  return Object.fromEntries((res.body.errors as { field: string; detail: string }[]).map((e) => [e.field, e.detail]));
}

describe('problem details follow Accept-Language', () => {
  it('answers in English without Accept-Language', async () => {
    const res = await request(t.app).post('/api/v1/reports').send(badReport);
    expect(res.status).toBe(422);
    expect(res.headers['content-language']).toBe('en');
    expect(res.body.title).toBe('The report has invalid fields');
    expect(details(res)).toEqual({
      lat: 'must be between -90 and 90 (degrees of latitude)',
      severity: 'must be between 1 and 3',
    });
  });

  it('answers in German, title, detail and every field', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Accept-Language', 'de-DE,de;q=0.9,en;q=0.5')
      .send(badReport);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['content-language']).toBe('de');
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    expect(res.body.title).toBe('Die Meldung enthält ungültige Angaben');
    expect(details(res)).toEqual({
      lat: 'muss zwischen -90 und 90 liegen (Grad Breite)',
      severity: 'muss zwischen 1 und 3 liegen',
    });
    expect(res.body.detail).toBe(
      'lat: muss zwischen -90 und 90 liegen (Grad Breite); severity: muss zwischen 1 und 3 liegen',
    );
    // The machine-readable parts never change with the language.
    expect(res.body.type).toBe('urn:wegfrei:problem:validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['lat', 'severity']);
  });

  it('answers in French, with French typography', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Accept-Language', 'fr-CH, fr;q=0.9')
      .send({ category: 'no_such_thing', lat: 52.5, lon: 13.4 });
    expect(res.status).toBe(422);
    expect(res.headers['content-language']).toBe('fr');
    expect(details(res)).toEqual({ category: '«\u00a0no_such_thing\u00a0» n’est pas un code de catégorie connu' });
  });

  it('translates the details of other errors too: not found, bad key, rules of a kind', async () => {
    const missing = await request(t.app).get('/api/v1/reports/999999').set('Accept-Language', 'de');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ title: 'Nicht gefunden', detail: 'Die Meldung 999999 gibt es nicht.' });

    const badKey = await request(t.app)
      .post('/api/v1/reports')
      .set('Accept-Language', 'fr')
      .set('Idempotency-Key', 'not-a-uuid')
      .send({ category: 'steps', lat: 52.5, lon: 13.4 });
    expect(badKey.status).toBe(400);
    expect(details(badKey)).toEqual({ 'Idempotency-Key': 'doit être un UUID créé une fois par signalement' });

    const wrongKind = await request(t.app)
      .post('/api/v1/reports')
      .set('Accept-Language', 'de')
      .send({ category: 'help_medical', lat: 52.5, lon: 13.4, passability: 'no' });
    expect(wrongKind.status).toBe(422);
    expect(details(wrongKind)).toEqual({ passability: 'gilt nur für Barrieren' });
  });

  it('falls back to English for a language it does not speak, and for a message it does not know', async () => {
    const res = await request(t.app).get('/api/v1/reports/999999').set('Accept-Language', 'es, it;q=0.8');
    expect(res.headers['content-language']).toBe('en');
    expect(res.body.detail).toBe('Report 999999 does not exist.');
    expect(translateMessage('a message nobody has translated', 'de')).toBe('a message nobody has translated');
  });

  it('says what a coordinator or admin did wrong in their language', async () => {
    const admin = await loginAs(t, 'admin');
    const self = await admin.agent
      .patch(`/api/v1/users/${admin.user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .set('Accept-Language', 'fr-FR')
      .send({ role: 'coordinator' });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({
      title: 'Pas sur votre propre compte',
      detail: 'Un administrateur ne peut ni désactiver ni rétrograder son propre compte.',
    });

    const id = await createReport(t);
    const nobody = await admin.agent
      .patch(`/api/v1/reports/${id}`)
      .set('X-CSRF-Token', admin.csrf)
      .set('Accept-Language', 'de')
      .send({ status: 'assigned' });
    expect(nobody.status).toBe(422);
    expect(details(nobody)).toEqual({
      assigned_team_id: 'muss gewählt werden: eine zugewiesene Meldung braucht ein Team oder eine Person',
    });

    const missing = await admin.agent
      .patch(`/api/v1/reports/${id}`)
      .set('X-CSRF-Token', admin.csrf)
      .set('Accept-Language', 'fr')
      .send({ status: 'duplicate', duplicate_of: 999999 });
    expect(missing.status).toBe(422);
    expect(details(missing)).toEqual({ duplicate_of: 'doit être un autre signalement existant' });
  });

  it('keeps successful answers as they are', async () => {
    const res = await request(t.app).get('/api/v1/categories').set('Accept-Language', 'de');
    expect(res.status).toBe(200);
    expect(res.body.categories[0].labels).toMatchObject({ en: expect.any(String), de: expect.any(String) });
  });
});
