// Exports and OGC API – Features: what researchers and GIS tools read.
import type { OpenAPIV3 } from 'openapi-types';
import { param, response, schemaRef } from './openapi.parameters';
import { CSV_COLUMNS } from './openapi.schemas-open-data';

const exportFilters: (OpenAPIV3.ParameterObject | OpenAPIV3.ReferenceObject)[] = [
  param('bbox'),
  param('datetime'),
  param('category'),
  param('kind'),
  param('status'),
  param('severity'),
  param('source'),
  {
    name: 'since',
    in: 'query',
    description:
      'RFC 3339 date-time: only reports changed (`updated_at`) at or after it, as in `GET /api/v1/reports` (same values, same messages).',
    schema: { type: 'string', format: 'date-time' },
  },
];
/** What GET and HEAD answer alike. */
const headHeaders = {
  'Accept-Ranges': { $ref: '#/components/headers/AcceptRangesNone' },
  'Content-Disposition': { $ref: '#/components/headers/ContentDisposition' },
  Link: { $ref: '#/components/headers/LicenseLink' },
  'X-License': { $ref: '#/components/headers/License' },
  'X-Attribution': { $ref: '#/components/headers/Attribution' },
};
const exportHeaders = { 'Content-Length': { $ref: '#/components/headers/ExportLength' }, ...headHeaders };
const exportErrors = {
  '422': response('Invalid'),
  '400': response('BadRequest'),
  '413': response('ExportTooLarge'),
  '429': response('TooManyRequests'),
  '503': response('ExportUnavailable'),
};
const HEAD =
  'Checks the filters as GET does and answers the headers a GET would (type, file name, caching, licence) without running the query: cheap for link checkers. Never a `Content-Length`: an export is a stream whose length is not known in advance, so GDAL `/vsicurl/` cannot read it in place; the releases (`/releases/latest/…`) are the files for that.';
const PRIVACY =
  'Public fields only: no contact, help requests at the centre of their coarse grid cell without address or accuracy, rejected and hidden reports left out.';

const exportOp = (
  format: string,
  summary: string,
  description: string,
  content: OpenAPIV3.ResponseObject['content'],
  extra: OpenAPIV3.ParameterObject[] = [],
): OpenAPIV3.PathItemObject => ({
  get: {
    tags: ['exports'],
    operationId: `export${format}`,
    summary,
    description: `${description} Read into a temporary file at the database's speed (on PostgreSQL one consistent snapshot; on the embedded database page by page) and sent from the file in constant memory whatever the size: with its \`Content-Length\` when ready within a second, else chunked as it is written, starting within about a second. Never a 200 with an error for a body: a database away or a query failing before the first byte is a 503 or 500 problem; a failure after the 200 went out cuts the connection before the chunked body's end, so the client sees an error rather than a shorter file. ${PRIVACY}`,
    parameters: [...exportFilters, ...extra],
    responses: { '200': { description: 'The whole export.', headers: exportHeaders, content }, ...exportErrors },
  },
  head: {
    tags: ['exports'],
    operationId: `export${format}Head`,
    summary: `${summary}: headers only`,
    description: HEAD,
    parameters: [...exportFilters, ...extra],
    responses: {
      '200': { description: 'The headers of the export, no body.', headers: headHeaders },
      '400': exportErrors['400'],
      '422': exportErrors['422'],
      '429': exportErrors['429'],
    },
  },
});

const itemsParameters = [
  param('collectionId'),
  param('ogcBbox'),
  param('datetime'),
  param('limit'),
  param('ogcOffset'),
  param('ogcCursor'),
  param('ogcFilter'),
  param('ogcFilterLang'),
  param('ogcFilterCrs'),
  param('category'),
  param('kind'),
  param('status'),
  param('severity'),
  param('source'),
  param('fItems'),
];
const ogcErrors = { '400': response('OgcBadRequest'), '404': response('NotFound') };
const ogcJson = (schema: string) => ({ 'application/json': { schema: schemaRef(schema) } });

export const openDataPaths: OpenAPIV3.PathsObject = {
  '/api/v1/exports/reports.geojson': exportOp(
    'GeoJson',
    'All matching reports as one GeoJSON file',
    'An RFC 7946 FeatureCollection with `license`, `attribution` and `generated_at` at the top level.',
    { 'application/geo+json': { schema: schemaRef('ExportCollection') } },
  ),
  '/api/v1/exports/reports.geojsonseq': exportOp(
    'GeoJsonSeq',
    'All matching reports as GeoJSON text sequences (RFC 8142)',
    'Each Feature (as in `ReportFeature`) is one record: the RS character (0x1E), the JSON, a line feed. Tools read it record by record: `ogr2ogr out.gpkg GeoJSONSeq:reports.geojsonseq`.',
    {
      'application/geo+json-seq': {
        schema: { type: 'string', description: 'RS-prefixed, LF-terminated GeoJSON Features.' },
      },
    },
  ),
  '/api/v1/exports/reports.csv': exportOp(
    'Csv',
    'All matching reports as CSV',
    `RFC 4180 CSV, UTF-8, every record ended by CRLF (a quoted text keeps its own line breaks), one header row with the columns ${CSV_COLUMNS.map((c) => `\`${c}\``).join(', ')}. \`sector\` is the HXL sector of the category (help requests), \`photo_urls\` joins the photo URLs with spaces. With \`hxl=1\` row 2 carries HXL 1.1 hashtags (\`#geo+lat\`, \`#geo+lon\`, \`#event+type+code\`, \`#sector\`, \`#severity\`, \`#status+code\`, \`#date+reported\`, …; attributes starting \`x_\` are ours, docs/DATA.md lists them): skip it in readers that are not HXL-aware (pandas \`skiprows=[1]\`); without \`hxl\` there is no such row.`,
    {
      'text/csv': {
        schema: { type: 'string' },
        example: `${CSV_COLUMNS.join(',')}\r\n42,13.405,52.52,steps,,barrier,new,3,no,,Three steps,Alexanderplatz 1,8,2,0,,2026-11-26T10:21:42.295Z,2026-11-26T10:21:42.295Z,https://wegfrei.example/reports/42\r\n`,
      },
    },
    [
      {
        name: 'hxl',
        in: 'query',
        description: '`1` (or `true`) adds the HXL hashtag row after the header (row 2).',
        schema: { type: 'string', enum: ['0', '1', 'true', 'false'] },
      },
    ],
  ),
  '/ogc': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcLandingPage',
      summary: 'OGC API – Features landing page',
      description:
        'Links to this API description (`service-desc`), its readable page (`service-doc`), the conformance declaration and the collections. QGIS: Layer › Add Layer › Add WFS / OGC API – Features Layer with this URL. GDAL: `ogrinfo OAPIF:<this URL>`.',
      parameters: [param('f')],
      responses: { '200': { description: 'The landing page.', content: ogcJson('LandingPage') }, ...ogcErrors },
    },
  },
  '/ogc/conformance': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcConformance',
      summary: 'The conformance classes: Part 1 core, GeoJSON, OpenAPI 3.0',
      parameters: [param('f')],
      responses: { '200': { description: 'Conformance.', content: ogcJson('Conformance') }, ...ogcErrors },
    },
  },
  '/ogc/collections': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcCollections',
      summary: 'The collections: reports, barriers, help',
      parameters: [param('f')],
      responses: { '200': { description: 'Collections.', content: ogcJson('Collections') }, ...ogcErrors },
    },
  },
  '/ogc/collections/{collectionId}': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcCollection',
      summary: 'One collection',
      parameters: [param('collectionId'), param('f')],
      responses: { '200': { description: 'The collection.', content: ogcJson('Collection') }, ...ogcErrors },
    },
  },
  '/ogc/collections/{collectionId}/items': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcItems',
      summary: 'Features of a collection, page by page',
      description: `Page by the \`next\` link (keyset: each feature exactly once even while reports arrive) or by \`offset\`. \`numberMatched\` counts the matches (counted once a minute per filter). \`datetime\` is on \`created_at\`; \`filter\` reaches every date field. Properties are flat and typed (\`/schema\`). Unknown parameters are a 400. ${PRIVACY}`,
      parameters: itemsParameters,
      responses: {
        '200': {
          description: 'One page.',
          content: { 'application/geo+json': { schema: schemaRef('OgcFeatureCollection') } },
        },
        ...ogcErrors,
      },
    },
    head: {
      tags: ['ogc'],
      operationId: 'ogcItemsHead',
      summary: 'Features of a collection: headers only',
      description: 'The checks and headers of GET, no query and no body.',
      parameters: itemsParameters,
      responses: { '200': { description: 'The headers of the page, no body.' }, ...ogcErrors },
    },
  },
  '/ogc/collections/{collectionId}/items/{featureId}': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcItem',
      summary: 'One feature',
      parameters: [param('collectionId'), param('featureId'), param('f')],
      responses: {
        '200': {
          description: 'The feature.',
          content: { 'application/geo+json': { schema: schemaRef('OgcFeature') } },
        },
        ...ogcErrors,
      },
    },
  },
  ...Object.fromEntries(
    (
      [
        ['queryables', 'ogcQueryables', 'The properties that `filter` may name, with their types (Part 3)'],
        ['schema', 'ogcSchema', 'The properties of the features, with their types and roles (Part 5)'],
        [
          'feature-schema',
          'ogcFeatureSchema',
          'A feature as JSON Schema (the `describedby` link GDAL reads field types from)',
        ],
      ] as const
    ).map(([doc, operationId, summary]) => [
      `/ogc/collections/{collectionId}/${doc}`,
      {
        get: {
          tags: ['ogc'],
          operationId,
          summary,
          parameters: [param('collectionId'), param('f')],
          responses: {
            '200': {
              description: 'A JSON Schema.',
              content: { 'application/schema+json': { schema: schemaRef('Queryables') } },
            },
            ...ogcErrors,
          },
        },
      },
    ]),
  ),
  '/ogc/api': {
    get: {
      tags: ['ogc'],
      operationId: 'ogcApiDefinition',
      summary: 'The OGC API alone, its paths relative to the landing page',
      description: 'What GDAL and other OGC clients read to learn the parameters of `items` (this document, narrowed).',
      parameters: [param('f')],
      responses: {
        '200': {
          description: 'An OpenAPI 3.0 document.',
          content: {
            'application/vnd.oai.openapi+json': { schema: { type: 'object' } },
            'application/json': { schema: { type: 'object' } },
          },
        },
        ...ogcErrors,
      },
    },
  },
};
