import peggy from 'peggy';
import { AppError } from '../../server/http/errors';
import {
  CQL2_CONFORMANCE,
  CQL2_GRAMMAR,
  CQL2_MAX_LENGTH,
  cql2ToSql,
  parseCql2Text,
  type Cql2Queryable,
} from '../../server/features/ogc/cql2';
import { literals, parameters } from '../../server/features/reports/reports.filter';

// What the OGC route passes for the public read model.
const REPORTS: Record<string, Cql2Queryable> = {
  category: { sql: 'r.category', type: 'string', enum: ['kerb_missing', 'help_shelter', 'steps'] },
  kind: { sql: 'r.kind', type: 'string', enum: ['barrier', 'help'] },
  status: { sql: 'r.status', type: 'string', enum: ['open', 'in_progress', 'resolved'] },
  review: { sql: 'r.review', type: 'string', enum: ['pending', 'published'] },
  description: { sql: 'r.description', type: 'string' },
  address: { sql: 'r.address', type: 'string' },
  severity: { sql: 'r.severity', type: 'integer' },
  people_count: { sql: 'r.people_count', type: 'integer' },
  still_there: { sql: 'r.still_there_count', type: 'integer' },
  gone: { sql: 'r.gone_count', type: 'integer' },
  duplicate_of: { sql: 'r.duplicate_of', type: 'integer' },
  id: { sql: 'r.id', type: 'integer' },
  accuracy_m: { sql: 'r.accuracy_m', type: 'number' },
  created_at: { sql: 'r.created_at', type: 'timestamp' },
  updated_at: { sql: 'r.updated_at', type: 'timestamp' },
  geometry: { sql: 'r.public_geom', type: 'geometry' },
};

// The properties the specification's examples name, with the types the examples imply.
const s = (sql: string): Cql2Queryable => ({ sql, type: 'string' });
const SPEC: Record<string, Cql2Queryable> = {
  'landsat:scene_id': s('t.scene_id'),
  'eo:instrument': s('t.instrument'),
  'landsat:wrs_path': s('t.wrs_path'),
  'landsat:wrs_row': { sql: 't.wrs_row', type: 'integer' },
  'eq:cloud_cover': { sql: 't.cloud_cover', type: 'number' },
  'ro:cloud_cover': { sql: 't.cloud_cover', type: 'number' },
  'eo:cloud_cover': { sql: 't.cloud_cover', type: 'number' },
  eo_instruments: s('t.instruments'),
  footprint: { sql: 't.footprint', type: 'geometry' },
  beamMode: s('t.beam_mode'),
  swathDirection: s('t.swath_direction'),
  polarization: s('t.polarization'),
  geometry: { sql: 't.geom', type: 'geometry' },
  location: { sql: 't.location', type: 'geometry' },
  floors: { sql: 't.floors', type: 'integer' },
  taxes: { sql: 't.taxes', type: 'number' },
  owner: s('t.owner'),
  material: s('t.material'),
  swimming_pool: { sql: 't.swimming_pool', type: 'boolean' },
  built: { sql: 't.built', type: 'timestamp' },
  starts_at: { sql: 't.starts_at', type: 'timestamp' },
  ends_at: { sql: 't.ends_at', type: 'timestamp' },
  updated_at: { sql: 't.updated_at', type: 'timestamp' },
  coverage_date: { sql: 't.coverage_date', type: 'timestamp' },
  road_class: s('t.road_class'),
  'geophys:SURVEY_NAME': s('t.survey_name'),
  id: s('t.id'),
  value: { sql: 't.value', type: 'number' },
  name: s('t.name'),
};

/** The SQL and its parameters, as the OGC route would run them. */
function compile(text: string, queryables = REPORTS) {
  const params: unknown[] = [];
  const sql = cql2ToSql(parseCql2Text(text), queryables, parameters(params));
  return { sql, params };
}

/** The 400's field detail, or a failure when nothing (or something else) was thrown. */
function refusal(text: string, queryables = REPORTS): string {
  try {
    compile(text, queryables);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.status).toBe(400);
    expect(e.errors[0]?.field).toBe('filter');
    return e.errors[0]?.detail ?? '';
  }
  throw new Error(`accepted: ${text}`);
}

describe('CQL2 text: the specification’s examples (OGC 21-065r2, schema/examples/text)', () => {
  // Verbatim, each with its file name; compiled against the properties they name.
  const examples: [string, string][] = [
    ['example01', "landsat:scene_id = 'LC82030282019133LGN00'"],
    ['example02', "eo:instrument LIKE 'OLI%'"],
    ['example03', "landsat:wrs_path IN ('153','154','15X')"],
    ['example04', 'eq:cloud_cover < 0.1 AND landsat:wrs_row=28 AND landsat:wrs_path=203'.replace('=203', "='203'")],
    ['example05a', 'ro:cloud_cover=0.1 OR ro:cloud_cover=0.2'],
    ['example05b', 'eo:cloud_cover IN (0.1,0.2)'],
    ['example06a', "    eo:cloud_cover BETWEEN 0.1 AND 0.2\nAND landsat:wrs_row=28\nAND landsat:wrs_path='203'\n"],
    [
      'example06b',
      "    eo:cloud_cover >= 0.1\nAND eo:cloud_cover <= 0.2\nAND landsat:wrs_row=28\nAND landsat:wrs_path='203'\n",
    ],
    [
      'example07',
      `eo_instruments LIKE 'OLI%'
                AND S_INTERSECTS(footprint,POLYGON((43.5845 -79.5442,
                                                    43.6079 -79.4893,
                                                    43.5677 -79.4632,
                                                    43.6129 -79.3925,
                                                    43.6223 -79.3238,
                                                    43.6576 -79.3163,
                                                    43.7945 -79.1178,
                                                    43.8144 -79.1542,
                                                    43.8555 -79.1714,
                                                    43.7509 -79.6390,
                                                    43.5845 -79.5442)))`,
    ],
    [
      'example08',
      `    beamMode='ScanSAR Narrow'
AND swathDirection='ascending'
AND polarization='HH+VV+HV+VH'
AND s_intersects(geometry,POLYGON((-77.117938 38.936860,
                                   -77.040604 39.995648,
                                   -76.910536 38.892912,
                                   -77.039359 38.791753,
                                   -77.047906 38.841462,
                                   -77.034183 38.840655,
                                   -77.033142 38.857490,
                                   -77.117938 38.936860)))`,
    ],
    ['example09', 'floors>5'],
    ['example10', 'taxes <= 500'],
    ['example11', "owner LIKE '%Jones%'"],
    ['example12', "owner LIKE 'Mike%'"],
    ['example13', "owner NOT LIKE '%Mike%'"],
    ['example14', 'swimming_pool = true'],
    ['example15', 'floors>5 AND swimming_pool=true'],
    [
      'example16',
      "swimming_pool=true AND (floors>5 \n                    OR  material LIKE 'brick%'\n                    OR  material LIKE '%brick')",
    ],
    ['example17', "(floors>5 AND material='brick') OR swimming_pool=true"],
    ['example18', 'NOT (floors<5) OR swimming_pool=true'],
    ['example19', "(owner LIKE 'mike%' OR owner LIKE 'Mike%') AND floors<4"],
    ['example20', "T_BEFORE(built, DATE('2015-01-01'))"],
    ['example21', "T_AFTER(built,DATE('2012-06-05'))"],
    ['example22', "T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2017-06-10T07:30:00Z', '2017-06-11T10:30:00Z'))"],
    ['example23', 'S_WITHIN(location,BBOX(-118,33.8,-117.9,34))'],
    ['example24', 'S_INTERSECTS(geometry,POLYGON((-10.0 -10.0,10.0 -10.0,10.0 10.0,-10.0 -10.0)))'],
    ['example25', 'floors>5 AND S_WITHIN(geometry,BBOX(-118,33.8,-117.9,34))'],
    ['example26', "CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))"],
    ['example28', "CASEI(geophys:SURVEY_NAME) LIKE CASEI('%calcutta%')"],
    ['example29', `"id" = 'fa7e1920-9107-422d-a3db-c468cbc5d6df'`],
    ['example30', `"id" <> 'fa7e1920-9107-422d-a3db-c468cbc5d6df'`],
    ['example31', '"value" < 10'],
    ['example32', '"value" > 10'],
    ['example33', '"value" <= 10'],
    ['example34', '"value" >= 10'],
    ['example35', `"name" LIKE 'foo%'`],
    ['example36', `NOT "name" LIKE 'foo%'`],
    ['example37', '"value" BETWEEN 10 AND 20'],
    ['example38', 'NOT "value" BETWEEN 10 AND 20'],
    ['example39', '"value" IN (1.0, 2.0, 3.0)'],
    ['example40', `NOT "name" IN ('a', 'b', 'c')`],
    ['example41', '"value" IS NULL'],
    ['example42', 'NOT "value" IS NULL'],
    ['example43', `(NOT "name" LIKE 'foo%' AND "value" > 10)`],
    ['example44', '("value" IS NULL OR "value" BETWEEN 10 AND 20)'],
    ['example45', 'S_INTERSECTS("geometry", BBOX(-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0))'],
    [
      'example46',
      'S_EQUALS(POLYGON ((-0.333333 89.0, -102.723546 -0.5, -179.0 -89.0, -1.9 89.0, -0.0 89.0, 2.00001 -1.9, -0.333333 89.0)), "geometry")',
    ],
    [
      'example47',
      'S_DISJOINT("geometry", MULTIPOLYGON (((144.022387 45.176126, -1.1 0.0, 180.0 47.808086, 144.022387 45.176126))))',
    ],
    [
      'example48',
      'S_TOUCHES("geometry", MULTILINESTRING ((-1.9 -0.99999, 75.292574 1.5, -0.5 -4.016458, -31.708594 -74.743801, 179.0 -90.0),(-1.9 -1.1, 1.5 8.547371)))',
    ],
    [
      'example49',
      'S_WITHIN(POLYGON Z ((-49.88024 0.5 -75993.341684, -1.5 -0.99999 -100000.0, 0.0 0.5 -0.333333, -49.88024 0.5 -75993.341684), (-65.887123 2.00001 -100000.0, 0.333333 -53.017711 -79471.332949, 180.0 0.0 1852.616704, -65.887123 2.00001 -100000.0)), "geometry")',
    ],
    ['example50', 'S_OVERLAPS("geometry", BBOX(-179.912109, 1.9, 180.0, 16.897016))'],
    [
      'example51',
      'S_CROSSES("geometry", LINESTRING (172.03086 1.5, 1.1 -90.0, -159.757695 0.99999, -180.0 0.5, -12.111235 81.336403, -0.5 64.43958, 0.0 81.991815, -155.93831 90.0))',
    ],
    ['example52', 'S_CONTAINS("geometry", POINT (-3.508362 -1.754181))'],
    ['example53', `T_AFTER("updated_at", DATE('2010-02-10'))`],
    ['example54', `T_BEFORE("updated_at", TIMESTAMP('2012-08-10T05:30:00.000000Z'))`],
    [
      'example55',
      "T_CONTAINS(INTERVAL('2000-01-01T00:00:00.000000Z', '2005-01-10T01:01:01.393216Z'), INTERVAL(starts_at, ends_at))",
    ],
    ['example56', `T_DISJOINT(INTERVAL('..', '2005-01-10T01:01:01.393216Z'), "coverage_date")`],
    ['example57', "T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2005-01-10', '2010-02-10'))"],
    ['example58', `T_EQUALS("updated_at", DATE('1851-04-29'))`],
    [
      'example59',
      "T_FINISHEDBY(INTERVAL(starts_at, ends_at), INTERVAL('1991-10-07T08:21:06.393262Z', '2010-02-10T05:29:20.073225Z'))",
    ],
    ['example60', "T_FINISHES(INTERVAL(starts_at, ends_at), INTERVAL('1991-10-07', '2010-02-10T05:29:20.073225Z'))"],
    [
      'example61',
      "T_INTERSECTS(INTERVAL(starts_at, ends_at), INTERVAL('1991-10-07T08:21:06.393262Z', '2010-02-10T05:29:20.073225Z'))",
    ],
    ['example62', "T_MEETS(INTERVAL('2005-01-10', '2010-02-10'), INTERVAL(starts_at, ends_at))"],
  ];

  it.each(examples)('%s compiles', (_name, text) => {
    const { sql, params } = compile(text, SPEC);
    // Every literal is a parameter: no quote in the SQL but the compiler's own constants.
    const constants = [`ESCAPE E'\\\\'`, `'-infinity'`, `'infinity'`];
    const rest = constants.reduce((sql, c) => sql.replaceAll(c, ''), sql);
    expect(rest).not.toContain("'");
    if (text.includes("'")) expect(params.length).toBeGreaterThan(0);
  });

  it('keeps the examples’ meaning', () => {
    expect(compile("landsat:scene_id = 'LC82030282019133LGN00'", SPEC)).toEqual({
      sql: '(t.scene_id = $1::text)',
      params: ['LC82030282019133LGN00'],
    });
    expect(compile('NOT (floors<5) OR swimming_pool=true', SPEC).sql).toBe(
      '((NOT (t.floors < $1::bigint)) OR (t.swimming_pool = $2::boolean))',
    );
    expect(compile("owner NOT LIKE '%Mike%'", SPEC).sql).toBe("(t.owner NOT LIKE $1::text ESCAPE E'\\\\')");
    expect(compile("CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))", SPEC)).toEqual({
      sql: '(lower(t.road_class) IN (lower($1::text), lower($2::text)))',
      params: ['Οδος', 'Straße'],
    });
    expect(compile('"value" BETWEEN 10 AND 20', SPEC).sql).toBe('(t.value BETWEEN $1::float8 AND $2::float8)');
    expect(compile('NOT "value" IS NULL', SPEC).sql).toBe('(NOT (t.value IS NULL))');
    expect(compile('S_WITHIN(location,BBOX(-118,33.8,-117.9,34))', SPEC)).toEqual({
      sql: 'ST_Within(t.location, ST_MakeEnvelope($3::float8, $1::float8, $4::float8, $2::float8, 4326))',
      params: [33.8, 34, -118, -117.9],
    });
    const polygon = compile('S_INTERSECTS(geometry,POLYGON((-10.0 -10.0,10.0 -10.0,10.0 10.0,-10.0 -10.0)))', SPEC);
    expect(polygon.sql).toBe('ST_Intersects(t.geom, ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326))');
    expect(JSON.parse(polygon.params[0] as string)).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [-10, -10],
          [10, -10],
          [10, 10],
          [-10, -10],
        ],
      ],
    });
  });

  it('reads the temporal relations as Allen’s, with open ends unbounded', () => {
    expect(compile("T_BEFORE(built, DATE('2015-01-01'))", SPEC)).toEqual({
      sql: '(t.built < $1::timestamptz)',
      params: [new Date('2015-01-01T00:00:00Z')],
    });
    expect(compile("T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2005-01-10', '2010-02-10'))", SPEC).sql).toBe(
      '(t.starts_at > $1::timestamptz AND t.ends_at < $2::timestamptz)',
    );
    expect(compile(`T_DISJOINT(INTERVAL('..', '2005-01-10T01:01:01.393216Z'), "coverage_date")`, SPEC).sql).toBe(
      "(('-infinity'::timestamptz > t.coverage_date OR $1::timestamptz < t.coverage_date))",
    );
    // Only what a relation uses is bound: an unused parameter would have no type in PostgreSQL.
    expect(compile("T_MEETS(INTERVAL('2005-01-10', '2010-02-10'), INTERVAL(starts_at, ends_at))", SPEC)).toEqual({
      sql: '($1::timestamptz = t.starts_at)',
      params: [new Date('2010-02-10T00:00:00Z')],
    });
    expect(compile(`T_EQUALS("updated_at", DATE('1851-04-29'))`, SPEC).sql).toBe('(t.updated_at = $1::timestamptz)');
  });
});

describe('CQL2 text on the reports’ queryables', () => {
  it('compiles comparisons with typed parameters', () => {
    expect(compile("severity >= 2 AND status IN ('open', 'in_progress') AND accuracy_m < 12.5")).toEqual({
      sql: '((r.severity >= $1::bigint) AND (r.status IN ($2::text, $3::text)) AND (r.accuracy_m < $4::float8))',
      params: [2, 'open', 'in_progress', 12.5],
    });
    expect(compile("created_at >= TIMESTAMP('2024-05-01T10:00:00+02:00') AND updated_at < DATE('2025-01-01')")).toEqual(
      {
        sql: '((r.created_at >= $1::timestamptz) AND (r.updated_at < $2::timestamptz))',
        params: [new Date('2024-05-01T08:00:00Z'), new Date('2025-01-01T00:00:00Z')],
      },
    );
    // A date written as a string is read as one when compared with a timestamp.
    expect(compile("created_at > '2024-05-01'").params).toEqual([new Date('2024-05-01T00:00:00Z')]);
    expect(compile('id BETWEEN 1 AND 2.5').sql).toBe('(r.id BETWEEN $1::bigint AND $2::float8)');
    expect(compile('created_at < updated_at').sql).toBe('(r.created_at < r.updated_at)');
    expect(compile('duplicate_of IS NOT NULL OR description IS NULL').sql).toBe(
      '((r.duplicate_of IS NOT NULL) OR (r.description IS NULL))',
    );
    expect(compile('TRUE').sql).toBe('TRUE');
  });

  it('is case-insensitive in keywords and takes numbers with sign and exponent', () => {
    expect(compile("severity > -1 and not (kind = 'help') Or people_count = +2E0").sql).toBe(
      '(((r.severity > $1::bigint) AND (NOT (r.kind = $2::text))) OR (r.people_count = $3::bigint))',
    );
    expect(compile('accuracy_m > .5e-1').params).toEqual([0.05]);
  });

  it('reads what GDAL writes for -where (OGR SQL in CQL text)', () => {
    // Instants as plain strings, a date as 'YYYY-MM-DDT', times cut after the hour or minute.
    expect(
      compile(
        "(updated_at >= '2026-11-01T') AND ((created_at < '2026-11-01T10Z') OR (created_at > '2026-11-01T10:30Z'))",
      ).params,
    ).toEqual([new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T10:00:00Z'), new Date('2026-11-01T10:30:00Z')]);
    expect(compile("NOT ((description IS NULL)) AND description ILIKE '%Rampe%'").sql).toBe(
      "((NOT (r.description IS NULL)) AND (lower(r.description) LIKE lower($1::text) ESCAPE E'\\\\'))",
    );
    expect(compile('accuracy_m > 1.000000000000000e+20').params).toEqual([1e20]);
    expect(refusal("created_at > '2026-11-01T10'")).toMatch(/is not a date/);
  });

  it('binds LIKE patterns with backslash as the escape, and checks them', () => {
    expect(compile("description LIKE '50\\% off%'")).toEqual({
      sql: "(r.description LIKE $1::text ESCAPE E'\\\\')",
      params: ['50\\% off%'],
    });
    expect(compile("ACCENTI(CASEI(address)) LIKE ACCENTI(CASEI('%köln%'))").sql).toBe(
      "(regexp_replace(normalize(lower(r.address), NFD), E'[\\u0300-\\u036f]', '', 'g') LIKE regexp_replace(normalize(lower($1::text), NFD), E'[\\u0300-\\u036f]', '', 'g') ESCAPE E'\\\\')",
    );
    expect(refusal("description LIKE 'ends in \\'")).toMatch(/lone backslash/);
    expect(refusal('description LIKE 5')).toMatch(/pattern after LIKE must be a string/);
  });

  it('builds geometries from bound GeoJSON and bound envelopes', () => {
    const { sql, params } = compile('S_INTERSECTS(geometry, MULTIPOINT((8.6 50.1), (8.7 50.2)))');
    expect(sql).toBe('ST_Intersects(r.public_geom, ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326))');
    expect(JSON.parse(params[0] as string)).toEqual({
      type: 'MultiPoint',
      coordinates: [
        [8.6, 50.1],
        [8.7, 50.2],
      ],
    });
    // Across the antimeridian: two envelopes.
    expect(compile('S_INTERSECTS(geometry, ENVELOPE(170, -10, -170, 10))').sql).toBe(
      'ST_Intersects(r.public_geom, ST_Collect(ST_MakeEnvelope($3::float8, $1::float8, 180, $2::float8, 4326), ST_MakeEnvelope(-180, $1::float8, $4::float8, $2::float8, 4326)))',
    );
    const collection = compile(
      'S_DISJOINT(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1), POLYGON((0 0, 1 0, 1 1, 0 0))))',
    );
    expect(JSON.parse(collection.params[0] as string).geometries).toHaveLength(3);
  });

  it('writes literals for COPY the same way, quoted', () => {
    const sql = cql2ToSql(parseCql2Text("description = 'O''Brien \\ x' AND severity = 2"), REPORTS, literals);
    expect(sql).toBe("((r.description =  E'O''Brien \\\\ x'::text) AND (r.severity = 2::bigint))");
  });

  it('lists the conformance classes it implements', () => {
    expect(CQL2_CONFORMANCE).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
        'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
        'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
        'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
        'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
        'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
      ]),
    );
  });
});

describe('CQL2 text that cannot be used', () => {
  it('says where a syntax error is and what was expected', () => {
    expect(refusal('severity =')).toBe("at character 11: expected a value after '='");
    expect(refusal('severity == 1')).toBe("at character 11: expected a value after '=', found '= 1'");
    expect(refusal('(severity = 1')).toBe("at character 14: expected 'AND', 'OR' or ')' after '1'");
    expect(refusal('severity = 1)')).toMatch(
      /^at character 13: expected .*the end of the filter after '1', found '\)'$/,
    );
    expect(refusal('severity = 1 AND')).toMatch(/^at character 17: expected .*a value after 'AND'$/);
    expect(refusal("status IN ('open'")).toMatch(/^at character 18: expected ',' or '\)'/);
    expect(refusal('S_INTERSECTS(geometry, POINT(1))')).toMatch(/^at character 30: expected a coordinate \(x y\)/);
    expect(refusal('')).toMatch(/^at character 1: expected/);
    expect(refusal('severity = 1 ORDER BY id')).toMatch(/^at character 14:/);
    expect(refusal('upper(description) = 1')).toBe('at character 1: function upper() is not supported');
  });

  it('names an unknown property and the queryables', () => {
    expect(refusal('foo = 1')).toBe(`unknown property 'foo'; queryables are ${Object.keys(REPORTS).join(', ')}`);
    // Names are looked up as own keys only: nothing from Object.prototype.
    expect(refusal('constructor = 1')).toMatch(/^unknown property 'constructor'/);
    expect(refusal('"__proto__" IS NULL')).toMatch(/^unknown property '__proto__'/);
    expect(refusal('"r.severity; DROP TABLE reports" = 1')).toMatch(/^unknown property 'r.severity; DROP TABLE/);
    expect(refusal('S_INTERSECTS(location, POINT(1 2))')).toMatch(/^unknown property 'location'/);
    // A long name is echoed clipped, not whole.
    expect(refusal(`${'n'.repeat(3000)} = 1`)).toMatch(/^unknown property 'n{40}…'; queryables are category,/);
  });

  it('refuses comparisons of different types and names both sides', () => {
    expect(refusal("severity = 'abc'")).toBe("severity is an integer and 'abc' is a string: = cannot compare them");
    expect(refusal('created_at > 3')).toBe('created_at is a timestamp and 3 is a number: > cannot compare them');
    expect(refusal("created_at > 'yesterday'")).toMatch(/^'yesterday' is not a date \(YYYY-MM-DD\) or a timestamp/);
    expect(refusal("created_at > '2024-02-30'")).toMatch(/'2024-02-30' is not a date/);
    expect(refusal("T_AFTER(created_at, TIMESTAMP('2024-13-01T00:00:00Z'))")).toMatch(/is not a date/);
    expect(refusal('severity LIKE 2')).toMatch(/LIKE matches strings, and severity is an integer/);
    expect(refusal("kind BETWEEN 'a' AND 'b'")).toMatch(/BETWEEN compares numbers or timestamps/);
    expect(refusal("T_AFTER(severity, DATE('2020-01-01'))")).toBe('severity is an integer, not a timestamp');
    expect(refusal('S_INTERSECTS(description, POINT(1 2))')).toBe('description is a string, not a geometry');
    expect(refusal('geometry = 1')).toMatch(/geometry is a geometry and 1 is a number/);
    expect(refusal("CASEI(severity) = 'x'")).toMatch(/CASEI\(\) takes a string/);
    expect(refusal('severity = 1e400')).toBe('a number is too large');
  });

  it('says which values an enumerated property has', () => {
    expect(refusal("status = 'opn'")).toBe("status is one of open, in_progress, resolved; 'opn' is not");
    expect(refusal("kind IN ('barrier', 'Help')")).toMatch(/kind is one of barrier, help; 'Help' is not/);
  });

  it('checks geometry literals', () => {
    expect(refusal('S_INTERSECTS(geometry, POINT(200 0))')).toBe('longitude 200 is outside -180..180');
    expect(refusal('S_INTERSECTS(geometry, POINT(0 -91))')).toBe('latitude -91 is outside -90..90');
    expect(refusal('S_WITHIN(geometry, POLYGON((0 0, 1 0, 1 1, 0 0.5)))')).toBe(
      'a polygon ring must end where it starts',
    );
    expect(refusal('S_WITHIN(geometry, POLYGON((0 0, 1 0, 0 0)))')).toBe('a polygon ring needs at least 4 points');
    expect(refusal('S_CROSSES(geometry, LINESTRING(0 0))')).toBe('a LINESTRING needs at least 2 points');
    expect(refusal('S_INTERSECTS(geometry, BBOX(0, 10, 1, 5))')).toMatch(/south edge 10 is north of the north edge 5/);
    expect(refusal('S_INTERSECTS(geometry, BBOX(0, 1, 2))')).toBe('BBOX takes 4 or 6 numbers');
    expect(refusal("S_INTERSECTS(geometry, 'POINT(1 2)')")).toMatch(/^at character 24:/);
  });

  it('refuses text that is too long before parsing it', () => {
    expect(refusal(`description = '${'x'.repeat(CQL2_MAX_LENGTH)}'`)).toBe('is longer than 4000 characters');
  });
});

describe('CQL2 text from someone hostile', () => {
  const worst = (text: string) => {
    const started = performance.now();
    let detail = '';
    try {
      compile(text);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      detail = (err as AppError).errors[0]?.detail ?? '';
    }
    return { ms: performance.now() - started, detail };
  };

  it('refuses deep nesting in milliseconds, never with a stack overflow', () => {
    for (const text of ['('.repeat(100_000), 'NOT '.repeat(100_000), `${'CASEI('.repeat(50_000)}x`]) {
      // Refused by the length cap before any parsing: the bound only catches a parse attempt.
      const { ms, detail } = worst(text);
      expect(detail).toBe('is longer than 4000 characters');
      expect(ms).toBeLessThan(1000);
    }
    expect(worst(`${'('.repeat(41)}severity = 1${')'.repeat(41)}`).detail).toBe(
      'at character 41: parentheses are nested more than 40 deep',
    );
    expect(worst(`${'NOT '.repeat(21)}severity = 1`).detail).toBe(
      'conditions are nested more than 20 levels deep (AND, OR, NOT)',
    );
    // Within the limits it is a filter like any other.
    expect(worst(`${'NOT '.repeat(19)}severity = 1`).detail).toBe('');
    expect(worst(`${'('.repeat(19)}severity = 1${')'.repeat(19)}`).detail).toBe('');
  });

  it('parses every 4,000-character input in linear time', () => {
    const fill = (unit: string, tail = '', head = '') =>
      head + unit.repeat(Math.floor((CQL2_MAX_LENGTH - head.length - tail.length) / unit.length)) + tail;
    const inputs = {
      parentheses: '('.repeat(CQL2_MAX_LENGTH),
      nots: fill('NOT '),
      'NOT chain ending in a condition': fill('NOT ', 'severity = 1'),
      'long AND chain': fill('severity = 1 AND ', 'severity = 1'),
      'long OR chain, unfinished': fill('severity = 1 OR '),
      'nested, unclosed': fill('(severity = 1 AND (kind = '),
      'nested to the limit, unclosed': `${'(severity = 1 OR '.repeat(40)}severity = 1 OR ${fill('id = 1 OR ')}`.slice(
        0,
        CQL2_MAX_LENGTH,
      ),
      'CASEI within CASEI': fill('CASEI('),
      'CASEI within CASEI to the limit, unclosed': fill(' ', '', `${'CASEI('.repeat(40)}description`),
      quotes: fill("''"),
      'unclosed string': fill('x', '', "description = '"),
      'long IN list': fill('1, ', '1)', 'id IN ('),
      'long polygon': fill('1 1, ', '1 1)))', 'S_INTERSECTS(geometry, POLYGON(('),
      'numbers without operators': fill('1 '),
      'unicode names': fill('é'),
      'emoji strings': fill('😀', "'", "description = '"),
      'near-keywords': fill('ANDOR NOTLIKE '),
      'mismatched parentheses': fill('()'),
    };
    const times: Record<string, number> = {};
    worst('severity = 1'); // warm the parser up
    for (const [name, text] of Object.entries(inputs)) {
      expect(text.length).toBeLessThanOrEqual(CQL2_MAX_LENGTH);
      // The best of five: the machine is shared, and a pause for another process is not parsing.
      const runs = Array.from({ length: 5 }, () => worst(text).ms);
      times[name] = Math.round(Math.min(...runs) * 10) / 10;
    }
    // Linearity is proven by the counted rule calls below, not by a clock; this bound only
    // catches a blow-up (each took 0.1–10 ms when measured; a loaded CI machine is slower).
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(1000);
  });

  it('does work in proportion to the length of the text (rule calls counted)', () => {
    // A traced copy of the same grammar counts every rule the parser enters: twice the text
    // must cost about twice the calls, for inputs built to make a PEG parser backtrack.
    const traced = peggy.generate(CQL2_GRAMMAR, { trace: true });
    const calls = (text: string) => {
      let n = 0;
      const tracer = { trace: (e: { type: string }) => void (e.type === 'rule.enter' && n++) };
      try {
        traced.parse(text, { tracer });
      } catch {
        // Refused or not, the work done is what is measured.
      }
      return n;
    };
    const families: Record<string, (k: number) => string> = {
      'AND chain': (k) => `${'severity = 1 AND '.repeat(k)}severity = 1`,
      'OR chain, unfinished': (k) => 'severity = 1 OR '.repeat(k),
      NOTs: (k) => `${'NOT '.repeat(k)}severity = 1`,
      'CASEI in CASEI, unclosed': (k) => `${'CASEI('.repeat(k)}x`,
      'parentheses, unclosed': (k) => `${'('.repeat(k)}severity = 1`,
      'IN list': (k) => `id IN (${'1, '.repeat(k)}1`,
      'polygon, unclosed': (k) => `S_INTERSECTS(geometry, POLYGON((${'1 1, '.repeat(k)}`,
      'nested collections': (k) => `S_INTERSECTS(geometry, ${'GEOMETRYCOLLECTION('.repeat(k)}POINT(1 2`,
      'temporal, unfinished': (k) =>
        `${"T_AFTER(created_at, TIMESTAMP('2020-01-01T00:00:00Z')) OR ".repeat(k)}T_AFTER(`,
    };
    for (const [name, make] of Object.entries(families)) {
      const [small, large] = [calls(make(50)), calls(make(100))];
      expect({ name, ratio: Math.round((large / small) * 100) / 100 }).toEqual({ name, ratio: expect.any(Number) });
      expect(large / small).toBeLessThan(2.2);
    }
  });

  it('keeps SQL in strings as a bound value', () => {
    const attack = "x'); DROP TABLE reports; --";
    const { sql, params } = compile(`description = '${attack.replaceAll("'", "''")}' OR address LIKE '%''--%'`);
    expect(sql).toBe("((r.description = $1::text) OR (r.address LIKE $2::text ESCAPE E'\\\\'))");
    expect(params).toEqual([attack, "%'--%"]);
    expect(refusal("description = 'a\u0000b'")).toBe('at character 17: a NUL character is not allowed');
    // Unicode names that are not queryables, and right-to-left text, are only words.
    expect(refusal('ﷺ = 1')).toMatch(/^unknown property 'ﷺ'/);
    expect(compile("description = '\u202Eevil'").params).toEqual(['\u202Eevil']);
  });
});
