// Volunteers (issue 16, docs/VOLUNTEERS.md): what volunteers.routes.ts serves. Coordinators'
// routes are staff routes; a volunteer's need the session of a volunteer (never staff).
import type { OpenAPIV3 } from 'openapi-types';
import { op } from './openapi.paths-staff';

const reportId: OpenAPIV3.ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
  description: 'The report’s id.',
};

const volunteerOp = (...args: Parameters<typeof op>): ReturnType<typeof op> => ({
  ...op(...args),
  tags: ['volunteers'],
  description: `Volunteers only (a staff session is refused). ${args[3]?.description ?? ''}`.trim(),
});

const check: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['verdict'],
  additionalProperties: false,
  properties: {
    verdict: { type: 'string', enum: ['confirm', 'recategorize', 'flag'] },
    category: { type: 'string', description: 'The right barrier category (recategorize only).' },
    reason: { type: 'string', enum: ['not_barrier', 'inappropriate', 'gone'], description: 'flag only' },
    note: { type: 'string', maxLength: 500 },
  },
};

export const volunteerPaths: OpenAPIV3.PathsObject = {
  '/api/v1/volunteers': {
    get: op('get', 'listVolunteers', 'Volunteers, open invitations and reports volunteers flagged', {
      roles: 'admin, coordinator',
      description: '`mail` says whether invitations go out by e-mail (SMTP_URL).',
    }),
  },
  '/api/v1/volunteers/invitations': {
    post: op('post', 'inviteVolunteers', 'Invite volunteers by e-mail', {
      roles: 'admin, coordinator',
      description:
        'Each address gets a one-time link, valid 7 days. Without e-mail (or when sending failed) the answer carries `link` for the coordinator to pass on.',
      body: {
        type: 'object',
        required: ['emails'],
        additionalProperties: false,
        properties: {
          emails: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', format: 'email' } },
          language: { type: 'string', enum: ['en', 'de', 'fr'], default: 'en' },
        },
      },
    }),
  },
  '/api/v1/volunteers/{id}': {
    patch: op('patch', 'changeVolunteer', 'Disable or enable a volunteer', {
      roles: 'admin, coordinator',
      parameters: [{ ...reportId, description: 'The volunteer’s user id.' }],
      body: { type: 'object', required: ['disabled'], properties: { disabled: { type: 'boolean' } } },
    }),
  },
  '/api/v1/staff/reports/{id}/volunteer-checks': {
    get: op(
      'get',
      'reportVolunteerChecks',
      "A report's volunteer checks: counts and each check with the volunteer's name",
      {
        parameters: [reportId],
      },
    ),
  },
  '/api/v1/volunteers/join': {
    post: {
      tags: ['volunteers'],
      operationId: 'joinAsVolunteer',
      summary: 'Accept an invitation: choose a name and password, and be signed in',
      description:
        'The token is the one in the link’s fragment; it works once and expires. The password follows the staff rules (at least 12 characters, not guessable).',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['token', 'name', 'password'],
              additionalProperties: false,
              properties: {
                token: { type: 'string' },
                name: { type: 'string', maxLength: 100 },
                password: { type: 'string', minLength: 12 },
              },
            },
          },
        },
      },
      responses: {
        '201': { description: 'The account is made; the session cookie is set.' },
        '410': { description: 'The link was used, has expired or was replaced.' },
        '413': { description: 'The body is larger than a join needs.' },
        '415': { description: 'The body is not JSON.' },
        '422': { description: 'Invalid' },
      },
    },
  },
  '/api/v1/volunteer/me': {
    get: volunteerOp('get', 'volunteerMe', 'The signed-in volunteer and their CSRF token'),
  },
  '/api/v1/volunteer/reports': {
    get: volunteerOp('get', 'volunteerReports', 'Published barriers near a place the volunteer has not checked yet', {
      description:
        'From the public read model only: no contact, no help requests, no report that waits for a coordinator (`needs_attention`: a citizen said a fix did not hold, or a volunteer flagged it). Nearest first, with distance (m) and bearing (degrees from north); each photo has its `stage` (`report`: before, `resolution`: after a fix).',
      parameters: [
        { name: 'lat', in: 'query', required: true, schema: { type: 'number', minimum: -90, maximum: 90 } },
        { name: 'lon', in: 'query', required: true, schema: { type: 'number', minimum: -180, maximum: 180 } },
        { name: 'radius_m', in: 'query', schema: { type: 'integer', minimum: 50, maximum: 20000, default: 2000 } },
      ],
    }),
  },
  '/api/v1/volunteer/reports/{id}/checks': {
    post: volunteerOp('post', 'volunteerCheck', 'Confirm, recategorize or flag a report (once per volunteer)', {
      parameters: [reportId],
      body: check,
      description:
        'When VOLUNTEER_AGREEMENT volunteers confirm a new barrier and none flagged it, it is verified; as many agreeing on another category correct it. A flag puts the report before coordinators.',
    }),
  },
};
