import {
  datetimeOf,
  EMPTY_FILTER,
  exportLinks,
  filterQuery,
  gdalCommands,
  ogcItemsUrl,
  ogcWhere,
  shellQuote,
} from '../../client/open-data/urls';

const ORIGIN = 'https://wegfrei.example';

it('sends no parameter for an empty filter', () => {
  expect(filterQuery(EMPTY_FILTER).toString()).toBe('');
  expect(exportLinks(ORIGIN, EMPTY_FILTER).map((l) => l.href)).toEqual([
    `${ORIGIN}/api/v1/exports/reports.geojson`,
    `${ORIGIN}/api/v1/exports/reports.geojsonseq`,
    `${ORIGIN}/api/v1/exports/reports.csv`,
    `${ORIGIN}/api/v1/exports/reports.csv?hxl=1`,
  ]);
});

it('turns calendar days into an RFC 3339 interval on whole UTC days, with open ends', () => {
  expect(datetimeOf({ from: '2026-01-01', to: '2026-01-31' })).toBe('2026-01-01T00:00:00Z/2026-01-31T23:59:59.999Z');
  expect(datetimeOf({ from: '2026-01-01' })).toBe('2026-01-01T00:00:00Z/..');
  expect(datetimeOf({ to: '2026-01-31' })).toBe('../2026-01-31T23:59:59.999Z');
  expect(datetimeOf({})).toBeUndefined();
  expect(datetimeOf({ from: 'yesterday' })).toBeUndefined();
});

it('puts every filter in readable export URLs', () => {
  const filter = {
    bbox: [13.08, 52.33, 13.76, 52.68] as [number, number, number, number],
    from: '2026-01-01',
    categories: ['steps', 'kerb_missing'],
    kinds: ['barrier'],
    statuses: ['new', 'verified'],
    severities: ['3'],
  };
  expect(exportLinks(ORIGIN, filter)[3]!.href).toBe(
    `${ORIGIN}/api/v1/exports/reports.csv?bbox=13.08,52.33,13.76,52.68&datetime=2026-01-01T00:00:00Z/..` +
      '&category=steps,kerb_missing&kind=barrier&status=new,verified&severity=3&hxl=1',
  );
});

it('picks the OGC collection of a single kind', () => {
  expect(ogcItemsUrl(ORIGIN, { ...EMPTY_FILTER, kinds: ['help'], severities: ['3'] })).toBe(
    `${ORIGIN}/ogc/collections/help/items?severity=3`,
  );
  expect(ogcItemsUrl(ORIGIN, { ...EMPTY_FILTER, kinds: ['barrier', 'help'] })).toBe(
    `${ORIGIN}/ogc/collections/reports/items?kind=barrier,help`,
  );
});

it('quotes URLs for the shell in GDAL commands', () => {
  expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  const commands = gdalCommands(ORIGIN, { ...EMPTY_FILTER, bbox: [1, 2, 3, 4], kinds: ['help'] });
  expect(commands.ogrinfo).toBe(`ogrinfo OAPIF:${ORIGIN}/ogc help -so`);
  expect(commands.qgisGdal).toBe(`iface.addVectorLayer("OAPIF:${ORIGIN}/ogc|layername=help", "help", "ogr")`);
  expect(commands.ogr2ogrOgc).toBe(`ogr2ogr -f GPKG -preserve_fid wegfrei.gpkg OAPIF:${ORIGIN}/ogc help -spat 1 2 3 4`);
  expect(commands.ogr2ogrExport).toBe(
    `ogr2ogr -f GPKG -preserve_fid wegfrei.gpkg '${ORIGIN}/api/v1/exports/reports.geojson?bbox=1,2,3,4&kind=help' -nln reports`,
  );
});

it('sends the other filters as a -where GDAL passes to the server (no IN lists, which it keeps)', () => {
  const filter = {
    ...EMPTY_FILTER,
    categories: ['steps', "o'clock"],
    statuses: ['new'],
    severities: ['2', '3'],
    from: '2026-01-01',
    to: '2026-01-31',
  };
  expect(ogcWhere(filter)).toBe(
    "(category = 'steps' OR category = 'o''clock') AND status = 'new' AND (severity = 2 OR severity = 3)" +
      " AND created_at >= '2026-01-01T00:00:00Z' AND created_at < '2026-02-01T00:00:00Z'",
  );
  // The year's last day ends at the next year's first midnight.
  expect(ogcWhere({ ...EMPTY_FILTER, to: '2025-12-31' })).toBe("created_at < '2026-01-01T00:00:00Z'");
  expect(ogcWhere({ ...EMPTY_FILTER, to: '9999-12-31' })).toBeUndefined();
  expect(ogcWhere({ ...EMPTY_FILTER, to: '2026-02-30' })).toBeUndefined();
  expect(ogcWhere(EMPTY_FILTER)).toBeUndefined();
  expect(gdalCommands(ORIGIN, { ...EMPTY_FILTER, severities: ['3'] }).ogr2ogrOgc).toBe(
    `ogr2ogr -f GPKG -preserve_fid wegfrei.gpkg OAPIF:${ORIGIN}/ogc reports -where 'severity = 3'`,
  );
});
