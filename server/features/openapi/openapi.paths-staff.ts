// The staff API (docs/API.md, docs/TRIAGE.md), described briefly: it needs a session cookie
// from /auth/login, and every state-changing request also the header X-CSRF-Token.
import type { OpenAPIV3 } from 'openapi-types';
import { overviewAnswer, overviewParameters } from './openapi.overview';
import { param, response, schemaRef } from './openapi.parameters';
import { staffListAnswer, staffListParameters } from './openapi.staff-list';

type Op = OpenAPIV3.OperationObject;
const READ: OpenAPIV3.SecurityRequirementObject[] = [{ staffSession: [] }];
const WRITE: OpenAPIV3.SecurityRequirementObject[] = [{ staffSession: [], csrfToken: [] }];
const anyJson: OpenAPIV3.SchemaObject = { type: 'object', additionalProperties: true };
const denied = { '401': response('Unauthenticated'), '403': response('Forbidden') };

export function op(
  method: 'get' | 'post' | 'patch' | 'delete',
  operationId: string,
  summary: string,
  opts: {
    roles?: string;
    description?: string;
    parameters?: Op['parameters'];
    body?: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
    multipart?: boolean;
    answer?: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
    status?: string;
    mediaType?: string;
  } = {},
): Op {
  const roles = opts.roles ? `Roles: ${opts.roles}.` : 'All staff.';
  const status = opts.status ?? (method === 'post' ? '201' : '200');
  return {
    tags: ['staff'],
    operationId,
    summary,
    description: [roles, opts.description].filter(Boolean).join(' '),
    security: method === 'get' ? READ : WRITE,
    parameters: opts.parameters,
    requestBody: opts.body
      ? {
          required: true,
          content: { [opts.multipart ? 'multipart/form-data' : 'application/json']: { schema: opts.body } },
        }
      : undefined,
    responses: {
      [status]:
        status === '204'
          ? { description: 'Done.' }
          : {
              description: 'Done.',
              content: { [opts.mediaType ?? 'application/json']: { schema: opts.answer ?? anyJson } },
            },
      ...denied,
      '422': response('Invalid'),
    },
  };
}

const photoPosition: OpenAPIV3.ParameterObject = {
  name: 'position',
  in: 'path',
  required: true,
  description: "The photo: its index in the staff feature's `photos`.",
  schema: { type: 'integer', minimum: 0, maximum: 19 },
};

const staffFeature: OpenAPIV3.SchemaObject = {
  type: 'object',
  description:
    "A report as staff see it: the public properties plus `contact`, `priority`, `assigned_team_id`, `assigned_user_id`, `duplicate_of`, `deployment_id`, `resolved_at`, `hidden`, `allowed_transitions` and each photo's `state`, at the exact point.",
  required: ['type', 'id', 'geometry', 'properties'],
  properties: {
    type: { type: 'string', enum: ['Feature'] },
    id: { type: 'integer' },
    geometry: schemaRef('Point'),
    properties: anyJson,
  },
};
const staffCollection: OpenAPIV3.SchemaObject = {
  type: 'object',
  properties: { type: { type: 'string' }, features: { type: 'array', items: staffFeature } },
};
const changes: OpenAPIV3.SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string' },
    severity: { type: 'integer', minimum: 1, maximum: 3 },
    category: { type: 'string' },
    assigned_team_id: { type: 'integer', nullable: true },
    assigned_user_id: { type: 'integer', nullable: true },
    duplicate_of: { type: 'integer', nullable: true },
    note: { type: 'string', maxLength: 4000, description: 'Internal: staff only, never public.' },
    resolution_note: {
      type: 'string',
      maxLength: 1000,
      nullable: true,
      description:
        'For the public: the report page shows it while the report is resolved (one report at a time, not in bulk).',
    },
  },
};
const id = (name: string): OpenAPIV3.ParameterObject => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
});

/** A JSON body can also be unreadable (400), too large (413) or in a charset we do not read (415). */
const withBodyErrors = (operation: Op): Op => ({
  ...operation,
  responses: {
    ...operation.responses,
    '400': response('BadRequest'),
    '413': response('TooLarge'),
    '415': response('UnsupportedMediaType'),
  },
});

export const staffPaths: OpenAPIV3.PathsObject = {
  '/api/v1/auth/login': {
    post: withBodyErrors({
      ...op('post', 'login', 'Log in as staff', {
        description: 'Sets the session cookie; `429` with `Retry-After` when throttled.',
        status: '200',
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: { email: { type: 'string' }, password: { type: 'string', format: 'password' } },
        },
        answer: {
          type: 'object',
          properties: { user: anyJson, csrf_token: { type: 'string' } },
        },
      }),
      security: [],
    }),
  },
  '/api/v1/auth/logout': { post: op('post', 'logout', 'End the session', { status: '204' }) },
  '/api/v1/auth/me': { get: op('get', 'me', 'Who am I, and my CSRF token') },
  '/api/v1/users': {
    get: op('get', 'listUsers', 'Staff accounts', { roles: 'admin' }),
    post: op('post', 'createUser', 'Add a staff account', { roles: 'admin', body: anyJson }),
  },
  '/api/v1/users/{id}': {
    patch: op('patch', 'updateUser', 'Change, disable or reset the password of an account', {
      roles: 'admin',
      parameters: [id('id')],
      body: anyJson,
    }),
  },
  '/api/v1/staff/users': {
    get: op('get', 'assignableUsers', 'People to assign work to (no emails)', { roles: 'coordinator, admin' }),
  },
  '/api/v1/teams': {
    get: op('get', 'listTeams', 'Teams'),
    post: op('post', 'createTeam', 'Add a team', { roles: 'coordinator, admin', body: anyJson }),
  },
  '/api/v1/staff/reports': {
    get: op('get', 'triageQueue', 'The triage queue', {
      description:
        'A responder sees only reports assigned to them or their team. Filters, a search (`q`) and paging; `numberMatched` counts every report they match. A single-valued parameter given twice is a `422` naming it.',
      parameters: staffListParameters,
      answer: staffListAnswer(staffFeature),
      mediaType: 'application/geo+json',
    }),
  },
  '/api/v1/staff/reports/{id}': {
    get: op('get', 'staffReport', 'One report with notes and history', {
      description: 'A report outside a responder’s own and their team’s assignments is a `404`.',
      parameters: [param('reportId')],
      answer: staffFeature,
      mediaType: 'application/geo+json',
    }),
  },
  '/api/v1/reports/{id}': {
    patch: op('patch', 'updateReport', 'Triage a report: status, severity, category, assignment, duplicate', {
      description: 'Responders: their own assignments, status and note only. `409` for a forbidden transition.',
      parameters: [param('reportId')],
      body: changes,
      answer: staffFeature,
    }),
  },
  '/api/v1/reports/bulk': {
    post: op('post', 'bulkUpdate', 'Change many reports, each on its own', {
      roles: 'coordinator, admin',
      status: '200',
      body: { type: 'object', properties: { ids: { type: 'array', items: { type: 'integer' } }, changes } },
    }),
  },
  '/api/v1/reports/{id}/history': {
    get: op('get', 'reportHistory', 'Who changed what, when', { parameters: [param('reportId')] }),
  },
  '/api/v1/reports/{id}/notes': {
    post: op('post', 'addNote', 'An internal note', {
      parameters: [param('reportId')],
      body: { type: 'object', required: ['body'], properties: { body: { type: 'string', maxLength: 4000 } } },
    }),
  },
  '/api/v1/reports/{id}/photos': {
    post: op('post', 'addStaffPhotos', 'Add photos (e.g. the fixed barrier)', {
      parameters: [param('reportId')],
      multipart: true,
      body: { type: 'object', properties: { photos: { type: 'array', items: { type: 'string', format: 'binary' } } } },
      answer: staffFeature,
    }),
  },
  '/api/v1/staff/moderation': {
    get: op('get', 'moderationQueue', 'Reports whose words or photos wait for a person', {
      roles: 'coordinator, admin',
      description:
        'Help requests, barriers under pre-moderation, and reports with a photo added later, most urgent first; `total` counts them all.',
      parameters: [
        { name: 'kind', in: 'query', schema: { type: 'string', enum: ['barrier', 'help'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 10000, default: 0 } },
      ],
      mediaType: 'application/geo+json',
    }),
  },
  '/api/v1/staff/reports/{id}/publication': {
    patch: op('patch', 'updatePublication', 'Publish, withdraw, hide or redact a report', {
      roles: 'coordinator, admin',
      description:
        'Publishing also publishes the photos waiting with the report. `description` replaces the text (redaction); the history records who and how many characters, never the removed text.',
      parameters: [param('reportId')],
      status: '204',
      body: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: {
          review: { type: 'string', enum: ['pending', 'published'] },
          hidden: { type: 'boolean' },
          description: { type: 'string', maxLength: 4000, nullable: true },
        },
      },
    }),
  },
  '/api/v1/staff/reports/{id}/photos/{position}': {
    patch: op('patch', 'updatePhotoState', 'Hide or show one photo', {
      roles: 'coordinator, admin',
      parameters: [param('reportId'), photoPosition],
      status: '204',
      body: {
        type: 'object',
        required: ['state'],
        additionalProperties: false,
        properties: { state: { type: 'string', enum: ['published', 'hidden'] } },
      },
    }),
  },
  '/api/v1/staff/reports/{id}/photos/{position}/redactions': {
    post: op('post', 'redactPhoto', 'Blur regions of a photo', {
      roles: 'coordinator, admin',
      description:
        'The blurred photo replaces the original under a new URL; the original files are deleted once no report refers to them.',
      parameters: [param('reportId'), photoPosition],
      status: '204',
      body: {
        type: 'object',
        required: ['regions'],
        additionalProperties: false,
        properties: {
          regions: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: {
              type: 'object',
              required: ['x', 'y', 'width', 'height'],
              additionalProperties: false,
              description: 'Fractions of the photo from its top-left corner.',
              properties: Object.fromEntries(
                ['x', 'y', 'width', 'height'].map((k) => [k, { type: 'number', minimum: 0, maximum: 1 }]),
              ),
            },
          },
        },
      },
    }),
  },
  '/api/v1/my/assignments': {
    get: op('get', 'myAssignments', 'Open reports assigned to me or my team', {
      answer: staffCollection,
      mediaType: 'application/geo+json',
    }),
  },
  '/api/v1/events': {
    get: op('get', 'events', 'Live changes (Server-Sent Events)', {
      description:
        'Events `report.created`, `report.updated` (a responder’s: only reports of their scope); resumes after `Last-Event-ID`, at most the last 1,000 events of the last 24 hours (`replay.truncated` when some were left out).',
      answer: { type: 'string' },
      mediaType: 'text/event-stream',
    }),
  },
  '/tiles/staff/{z}/{x}/{y}.mvt': {
    get: op('get', 'staffTile', 'A vector tile with every report at its exact place', {
      parameters: [param('tileZ'), param('tileX'), param('tileY')],
      answer: { type: 'string', format: 'binary' },
      mediaType: 'application/vnd.mapbox-vector-tile',
    }),
  },
  '/api/v1/staff/clusters': {
    get: op('get', 'staffClusters', 'Clusters with every report at its exact place', {
      answer: schemaRef('ClusterCollection'),
      mediaType: 'application/geo+json',
    }),
  },
  '/api/v1/hotspots': {
    get: op('get', 'hotspots', 'DBSCAN groups of open reports as polygons', {
      roles: 'coordinator, admin',
      description: 'Parameters `bbox` (required), `distance_m` (10–5000, default 200), `min_reports` (2–1000, 5).',
    }),
  },
  '/api/v1/deployments': {
    get: op('get', 'listDeployments', 'Deployments'),
    post: op('post', 'createDeployment', 'Send a team to an area: assigns the open reports inside', {
      roles: 'coordinator, admin',
      body: {
        type: 'object',
        required: ['name', 'area'],
        properties: {
          name: { type: 'string' },
          team_id: { type: 'integer', nullable: true },
          area: { type: 'object', description: 'A GeoJSON Polygon.' },
        },
      },
    }),
  },
  '/api/v1/api-keys': {
    get: op('get', 'listApiKeys', 'The API keys Open311 clients post with (never the keys themselves)', {
      roles: 'admin',
    }),
    post: op('post', 'createApiKey', 'Make an API key; the answer shows the key, once', {
      roles: 'admin',
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 100 } } },
    }),
  },
  '/api/v1/api-keys/{id}': {
    delete: op('delete', 'revokeApiKey', 'Revoke an API key', {
      roles: 'admin',
      parameters: [id('id')],
      status: '204',
    }),
  },
  '/api/v1/overview': {
    get: op(
      'get',
      'overview',
      'For the last `days` days: counts by category × status, created vs resolved per day, median hours to resolve',
      {
        roles: 'coordinator, admin',
        parameters: overviewParameters,
        answer: overviewAnswer,
      },
    ),
  },
};
