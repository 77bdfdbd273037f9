// The staff list's query parameters (server/features/triage/triage.list.schemas.ts) and answer.
import type { OpenAPIV3 } from 'openapi-types';
import { MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS } from '../triage/triage.list.schemas';
import { param } from './openapi.parameters';

type Parameter = OpenAPIV3.ParameterObject;
const query = (name: string, description: string, schema: OpenAPIV3.SchemaObject): Parameter => ({
  name,
  in: 'query',
  description,
  schema,
});
const idOrNone = (what: string): OpenAPIV3.SchemaObject => ({
  type: 'string',
  pattern: '^(none|[1-9][0-9]{0,14})$',
  maxLength: 15,
  description: `A ${what} number, or \`none\`.`,
});
const instant: OpenAPIV3.SchemaObject = {
  type: 'string',
  maxLength: 40,
  description: 'A date (`2026-03-01`, the start of that day in UTC) or an RFC 3339 date-time, 1970 to 9999.',
};

export const staffListParameters: (Parameter | OpenAPIV3.ReferenceObject)[] = [
  param('bbox'),
  param('category'),
  param('kind'),
  param('status'),
  param('source'),
  query(
    'q',
    `Search: every word (at most ${MAX_SEARCH_WORDS}) found, case-insensitively and as part of a word, in the description, the public text, the address or a staff note; \`%\` and \`_\` match themselves. A number (\`3001\`) also finds the report with that number; \`#3001\` finds only that report.`,
    { type: 'string', maxLength: MAX_SEARCH_LENGTH },
  ),
  query('team_id', 'Assigned to this team; `none`: to no team.', idOrNone('team')),
  query('assigned_user_id', 'Assigned to this person; `none`: to nobody in particular.', idOrNone('person')),
  query('deployment_id', 'In this deployment.', { type: 'integer', minimum: 1 }),
  query('created_from', 'Created at or after this.', instant),
  query('created_before', 'Created before this (later than `created_from`).', instant),
  query('sort', '`priority` (most urgent first) or `newest`.', {
    type: 'string',
    enum: ['priority', 'newest'],
    default: 'priority',
  }),
  query('limit', 'Reports per page.', { type: 'integer', minimum: 1, maximum: 500, default: 100 }),
  query('offset', 'Reports to skip (the next page: `offset` + `limit`).', {
    type: 'integer',
    minimum: 0,
    maximum: 100_000,
    default: 0,
  }),
];

export const staffListAnswer = (feature: OpenAPIV3.SchemaObject): OpenAPIV3.SchemaObject => ({
  type: 'object',
  required: ['type', 'features', 'numberReturned', 'numberMatched'],
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    features: { type: 'array', items: feature },
    numberReturned: { type: 'integer', description: 'Reports on this page.' },
    numberMatched: {
      type: 'integer',
      description: 'Every report the filters and the search match (counted exactly), in the reader’s scope.',
    },
  },
});
