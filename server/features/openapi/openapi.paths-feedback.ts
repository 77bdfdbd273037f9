// A report's public story and what citizens tell about it (issue 16): feedback.routes.ts.
import type { OpenAPIV3 } from 'openapi-types';
import { FEEDBACK_LIMITS, REOPEN_LIMITS } from '../feedback/feedback.service';
import { param, response } from './openapi.parameters';

const device: OpenAPIV3.SchemaObject = {
  type: 'string',
  format: 'uuid',
  description: 'A UUID the app makes once and keeps; the server keeps only a hash of it, per report.',
};
const limits =
  `From one network address at most ${FEEDBACK_LIMITS.perAddressAndReport} answers about one report (one resolution, for fix checks) are stored ` +
  `(more are accepted with \`counted: false\`), and at most ${FEEDBACK_LIMITS.perAddressPerWindow} per ${FEEDBACK_LIMITS.windowS / 60} minutes over all reports ` +
  '(then `429` with `Retry-After`). See docs/SECURITY.md, "Fix checks and endorsements".';
const json = (schema: OpenAPIV3.SchemaObject) => ({ schema });
const fixResult: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['report_id', 'fix_checks', 'counted', 'reopened'],
  properties: {
    report_id: { type: 'integer' },
    fix_checks: {
      type: 'object',
      description: 'The answers about the current resolution.',
      properties: { fixed: { type: 'integer' }, not_fixed: { type: 'integer' } },
    },
    counted: { type: 'boolean' },
    reopened: { type: 'boolean', description: 'This answer opened the report again.' },
    not_reopened: {
      type: 'string',
      enum: ['resolution_too_old', 'too_many_from_address'],
      description:
        `Only on a stored \`not_fixed\` that did not reopen the report: the resolution is more than ${REOPEN_LIMITS.maxResolutionAgeDays} days old ` +
        `(make a new report), or this address already said \`not_fixed\` ${REOPEN_LIMITS.notFixedPerHour} times in the last hour or ${REOPEN_LIMITS.notFixedPerDay} in the last day.`,
    },
  },
};
const endorsementResult: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['report_id', 'endorsements', 'counted'],
  properties: { report_id: { type: 'integer' }, endorsements: { type: 'integer' }, counted: { type: 'boolean' } },
};
const STEPS = [
  'reported',
  'published',
  'verified',
  'assigned',
  'in_progress',
  'resolved',
  'reopened',
  'duplicate',
  'merged',
];

export const feedbackPaths: OpenAPIV3.PathsObject = {
  '/api/v1/reports/{id}/timeline': {
    get: {
      tags: ['reports'],
      operationId: 'reportTimeline',
      summary: "A report's public story",
      description:
        'What happened and when, oldest first, from the public read model (migrations/0017_feedback.sql, `public_report_timeline`): a team’s name where it was assigned, never a person; no notes and no words of a request still waiting for review. A hidden or rejected report is a 404, as the report itself. `note` (on the last `resolved` step while the report is resolved) is what the resolver wrote for the public.',
      parameters: [param('reportId')],
      responses: {
        '200': {
          description: 'The story.',
          content: {
            'application/json': json({
              type: 'object',
              required: ['report_id', 'kind', 'status', 'duplicate_of', 'endorsements', 'steps'],
              properties: {
                report_id: { type: 'integer' },
                kind: { type: 'string', enum: ['barrier', 'help'] },
                status: { type: 'string' },
                duplicate_of: { type: 'integer', nullable: true },
                endorsements: { type: 'integer', minimum: 0 },
                steps: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['step', 'at'],
                    properties: {
                      step: { type: 'string', enum: STEPS },
                      at: { type: 'string', format: 'date-time' },
                      team: { type: 'string', nullable: true, description: 'On `assigned`: the team’s name.' },
                      by_public: { type: 'boolean', description: 'On `reopened`: a citizen’s “not fixed” did it.' },
                      by_volunteers: {
                        type: 'boolean',
                        enum: [true],
                        description: 'Present (true) when the volunteers’ agreement made the step (e.g. `verified`).',
                      },
                      note: {
                        type: 'string',
                        nullable: true,
                        description: 'On the last `resolved`: the note for the public.',
                      },
                    },
                  },
                },
              },
            }),
          },
        },
        '404': response('NotFound'),
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/reports/{id}/fix-checks': {
    post: {
      tags: ['reports'],
      operationId: 'checkFix',
      summary: 'Say whether a resolved report is really fixed',
      description:
        'Anonymous; only while the report is resolved (else 409 naming `answer`). The device token is required (422 naming `device` without it). One answer per device and resolution: a second is accepted with `counted: false`. `not_fixed` opens the report again for a coordinator (status `verified`, marked for attention in the triage queue); its optional photo (multipart, field `photos`, one) waits for staff review before it is public. ' +
        limits,
      parameters: [param('reportId')],
      requestBody: {
        required: true,
        content: {
          'application/json': json({
            type: 'object',
            required: ['answer', 'device'],
            additionalProperties: false,
            properties: { answer: { type: 'string', enum: ['fixed', 'not_fixed'] }, device },
          }),
          'multipart/form-data': json({
            type: 'object',
            required: ['answer', 'device'],
            properties: {
              answer: { type: 'string', enum: ['not_fixed'] },
              device,
              photos: { type: 'string', format: 'binary', description: 'At most one photo.' },
            },
          }),
        },
      },
      responses: {
        '200': { description: 'Not stored (`counted: false`).', content: { 'application/json': json(fixResult) } },
        '201': { description: 'Stored.', content: { 'application/json': json(fixResult) } },
        '400': response('BadRequest'),
        '404': response('NotFound'),
        '409': response('Conflict'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
      },
    },
  },
  '/api/v1/reports/{id}/endorsements': {
    post: {
      tags: ['reports'],
      operationId: 'endorseReport',
      summary: '“Affects me too”',
      description:
        'Anonymous; only while the report is open (else 409). One per device and report. The count is the report’s `endorsements`; it raises the triage priority within the cap anonymous signals share and never lowers it (docs/TRIAGE.md). ' +
        limits,
      parameters: [param('reportId')],
      requestBody: {
        required: false,
        content: {
          'application/json': json({ type: 'object', additionalProperties: false, properties: { device } }),
        },
      },
      responses: {
        '200': {
          description: 'Not stored (`counted: false`).',
          content: { 'application/json': json(endorsementResult) },
        },
        '201': { description: 'Stored.', content: { 'application/json': json(endorsementResult) } },
        '400': response('BadRequest'),
        '404': response('NotFound'),
        '409': response('Conflict'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
      },
    },
  },
};
