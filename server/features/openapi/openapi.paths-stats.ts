// The public statistics (server/features/stats, docs/STATS.md): the numbers the /stats page
// shows, as JSON and as CSV.
import type { OpenAPIV3 } from 'openapi-types';
import { STATS_CSV_COLUMNS } from '../stats/stats.csv';
import { response } from './openapi.parameters';

const day = (name: 'since' | 'until', what: string): OpenAPIV3.ParameterObject => ({
  name,
  in: 'query',
  description: `${what} (UTC, included): reports made on or ${name === 'since' ? 'after' : 'before'} this day.`,
  schema: { type: 'string', format: 'date', maxLength: 10 },
});

const parameters: OpenAPIV3.ParameterObject[] = [
  day('since', 'The first day'),
  day('until', 'The last day'),
  {
    name: 'kind',
    in: 'query',
    description: 'Barriers or help requests only.',
    schema: { type: 'string', enum: ['barrier', 'help'] },
  },
];

const count = (what: string): OpenAPIV3.SchemaObject => ({
  type: 'integer',
  minimum: 0,
  nullable: true,
  description: what,
});
const counts: Record<string, OpenAPIV3.SchemaObject> = {
  open: count('New, verified, assigned or in progress now. Null only where withheld (an area’s 1 or 2 help requests).'),
  resolved: count('Resolved. Null only where withheld.'),
  median_days: {
    type: 'number',
    nullable: true,
    description:
      'Median days from report to resolution of the resolved ones (one decimal); null when none is, or withheld.',
  },
};
const countsObject = (
  extra: Record<string, OpenAPIV3.SchemaObject> = {},
  required: string[] = [],
): OpenAPIV3.SchemaObject => ({
  type: 'object',
  required: ['open', 'resolved', 'median_days', ...required],
  properties: { ...extra, ...counts },
});
const kind: OpenAPIV3.SchemaObject = { type: 'string', enum: ['barrier', 'help'] };

const stats: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['generated_at', 'filters', 'totals', 'by_category', 'areas', 'by_area', 'over_time'],
  properties: {
    generated_at: {
      type: 'string',
      format: 'date-time',
      description: 'When these numbers were counted (kept up to 60 s).',
    },
    filters: {
      type: 'object',
      properties: {
        since: { type: 'string', format: 'date', nullable: true },
        until: { type: 'string', format: 'date', nullable: true },
        kind: { ...kind, nullable: true },
      },
    },
    totals: countsObject(),
    by_category: { type: 'array', items: countsObject({ category: { type: 'string' }, kind }, ['category', 'kind']) },
    areas: {
      type: 'object',
      required: ['source', 'cell_deg', 'left_out', 'help_min_count'],
      properties: {
        source: {
          type: 'string',
          enum: ['imported', 'grid'],
          description: '`imported`: districts from `npm run areas:import`; `grid`: cells of `cell_deg` degrees.',
        },
        cell_deg: { type: 'number', nullable: true },
        left_out: { type: 'integer', minimum: 0, description: 'Grid cells beyond the busiest 500, not listed.' },
        help_min_count: {
          type: 'integer',
          description: 'Help counts below this (and above 0) in an area are withheld.',
        },
      },
    },
    by_area: {
      type: 'array',
      items: countsObject(
        {
          area: {
            type: 'string',
            nullable: true,
            description:
              'An imported area’s feature id (or its number), a grid cell’s centre `lat,lon`; null: outside every area.',
          },
          name: { type: 'string', nullable: true },
          kind,
          suppressed: { type: 'boolean', description: 'A help count here was 1 or 2 and is null.' },
        },
        ['area', 'name', 'kind', 'suppressed'],
      ),
    },
    over_time: {
      type: 'object',
      required: ['unit', 'periods'],
      properties: {
        unit: {
          type: 'string',
          enum: ['week', 'month'],
          description: 'Weeks (from Monday) for up to 120 days, else months.',
        },
        periods: {
          type: 'array',
          items: {
            type: 'object',
            required: ['period', 'reported', 'resolved', 'median_days'],
            properties: {
              period: { type: 'string', format: 'date', description: 'Its first day.' },
              reported: { type: 'integer', minimum: 0 },
              resolved: { type: 'integer', minimum: 0, description: 'Resolved in this period.' },
              median_days: counts.median_days!,
            },
          },
        },
      },
    },
  },
};

const errors: OpenAPIV3.ResponsesObject = { '422': response('Invalid') };
const cached: Record<string, OpenAPIV3.HeaderObject> = {
  'Cache-Control': { description: '`public, max-age=60`', schema: { type: 'string' } },
  ETag: { schema: { type: 'string' } },
};

export const statsPaths: OpenAPIV3.PathsObject = {
  '/api/v1/stats': {
    get: {
      tags: ['exports'],
      operationId: 'stats',
      summary: 'Public statistics: open, resolved and median days to resolve',
      description:
        'By category, by area (imported districts, or a grid without them) and over time, from the public reports only (hidden, rejected and duplicates left out; help requests by their public grid point). Counted at most once a minute per filter. docs/STATS.md.',
      parameters,
      responses: {
        '200': { description: 'The statistics.', headers: cached, content: { 'application/json': { schema: stats } } },
        '304': { description: 'Unchanged (`If-None-Match`).' },
        ...errors,
      },
    },
  },
  '/api/v1/stats.csv': {
    get: {
      tags: ['exports'],
      operationId: 'statsCsv',
      summary: 'The same statistics as CSV',
      description: `RFC 4180, one header row: ${STATS_CSV_COLUMNS.map((c) => `\`${c}\``).join(', ')}. \`section\` is \`total\`, \`category\`, \`area\`, \`week\` or \`month\`; a withheld help count reads \`<3\`.`,
      parameters,
      responses: {
        '200': {
          description: 'The statistics.',
          headers: cached,
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        '304': { description: 'Unchanged (`If-None-Match`).' },
        ...errors,
      },
    },
  },
};
