// The one filter compiler (server/features/reports/reports.filter.ts): the same filter as bind
// parameters and as literals for COPY, and no value that could break out of a literal.
import { literals, parameters, reportFilterTerms } from '../../server/features/reports/reports.filter';

const filter = {
  bbox: { minLon: 170, minLat: -10, maxLon: -170, maxLat: 10 },
  categories: ["steps'); DROP TABLE reports; --"],
  severities: [3],
  createdFrom: new Date('2026-01-01T00:00:00Z'),
  afterId: 10,
  upToId: 20,
};

test('binds every value as a parameter, and splits a bbox across the antimeridian', () => {
  const params: unknown[] = [];
  const terms = reportFilterTerms(filter, parameters(params), { alias: 't', point: 't.public_geom' });
  expect(terms[0]).toMatch(/^\(t\.public_geom && .* OR t\.public_geom && .*\)$/);
  expect(terms.join(' ')).not.toContain('DROP');
  expect(params).toContainEqual(["steps'); DROP TABLE reports; --"]);
  expect(terms).toContain('t.id > $8::bigint');
});

test('quotes literals for COPY and refuses what is not a finite number', () => {
  const terms = reportFilterTerms(filter, literals);
  expect(terms).toContain(`r.category = ANY(ARRAY['steps''); DROP TABLE reports; --']::text[])`);
  expect(terms).toContain('r.created_at >= to_timestamp(1767225600)');
  expect(terms).toContain('r.id <= 20::bigint');
  expect(() => reportFilterTerms({ severities: [Number.NaN] }, literals)).toThrow('not a finite number');
  expect(() => reportFilterTerms({ afterId: Infinity }, literals)).toThrow('not a finite number');
});
