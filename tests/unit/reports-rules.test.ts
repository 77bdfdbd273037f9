import { AppError } from '../../server/http/errors';
import { toFeature } from '../../server/features/reports/reports.geojson';
import type { ReportRow } from '../../server/features/reports/reports.repo';
import { listQuerySchema, newReportSchema } from '../../server/features/reports/reports.schemas';
import { decodeCursor, encodeCursor } from '../../server/features/reports/reports.service';

describe('newReportSchema', () => {
  it('accepts numbers sent as form text', () => {
    const parsed = newReportSchema.parse({
      category: 'steps',
      lat: ' 52.5 ',
      lon: '-0.12',
      severity: '3',
      description: '',
    });
    expect(parsed).toMatchObject({ lat: 52.5, lon: -0.12, severity: 3 });
    expect(parsed.description).toBeUndefined();
  });

  it.each([['1e400'], ['0x10'], ['NaN'], ['Infinity'], ['52,5']])('refuses %s as a latitude', (lat) => {
    const result = newReportSchema.safeParse({ category: 'steps', lat, lon: 1 });
    expect(result.success).toBe(false);
  });
});

describe('listQuerySchema', () => {
  it('reads comma lists and repeated parameters alike', () => {
    const a = listQuerySchema.parse({ status: 'new,verified', category: ['steps', 'lift'] });
    expect(a.status).toEqual(['new', 'verified']);
    expect(a.category).toEqual(['steps', 'lift']);
    expect(a.limit).toBe(100);
  });
});

describe('keyset cursors', () => {
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor(12345))).toBe(12345);
  });
  it.each([['garbage'], [Buffer.from('{"before":-1}').toString('base64url')], ['']])('refuse %p', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(AppError);
  });
});

describe('toFeature', () => {
  const help: ReportRow = {
    id: 7,
    kind: 'help',
    category: 'help_medical',
    status: 'new',
    severity: 3,
    passability: null,
    peopleCount: 2,
    description: 'Need insulin',
    address: 'Hauptstraße 5',
    accuracyM: 5,
    contact: '+49 30 123456',
    lon: 13.123456789,
    lat: 52.1,
    stillThere: 0,
    gone: 0,
    photos: [{ hash: 'a'.repeat(64), width: 10, height: 20 }],
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-02T00:00:00Z'),
    assignedTeamId: 4,
    assignedUserId: null,
    duplicateOf: null,
    deploymentId: null,
    resolvedAt: null,
    review: 'published',
    hidden: false,
    publicDescription: null,
    priority: 42.5,
    endorsements: 0,
    resolutionNote: null,
    needsAttention: false,
    source: 'sms',
  };

  // Values are the public read model's (tests/api/security-privacy.test.ts); names are toFeature's.
  it('keeps staff-only fields out of public features', () => {
    const f = toFeature(
      { ...help, address: null, accuracyM: null, contact: null },
      { baseUrl: 'https://w.example', audience: 'public' },
    );
    for (const staffOnly of [
      'contact',
      'priority',
      'assigned_team_id',
      'assigned_user_id',
      'deployment_id',
      'hidden',
    ]) {
      expect(f.properties).not.toHaveProperty(staffOnly);
    }
    expect(f.properties).toMatchObject({ review: 'published', url: 'https://w.example/reports/7', source: 'sms' });
    expect(f.geometry.coordinates).toEqual([13.1234568, 52.1]);
    expect(f.properties.photos).toEqual([
      {
        url: `https://w.example/photos/${'a'.repeat(64)}.jpg`,
        thumbnail_url: `https://w.example/photos/${'a'.repeat(64)}.thumb.jpg`,
        width: 10,
        height: 20,
        stage: 'report',
      },
    ]);
  });

  it('shows staff everything', () => {
    const f = toFeature(help, { baseUrl: '', audience: 'staff' });
    expect(f.properties).toMatchObject({
      contact: '+49 30 123456',
      address: 'Hauptstraße 5',
      accuracy_m: 5,
      priority: 42.5,
      assigned_team_id: 4,
    });
  });
});
