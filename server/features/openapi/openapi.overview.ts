// GET /api/v1/overview: its one parameter and its answer (server/features/overview).
import type { OpenAPIV3 } from 'openapi-types';
import { DEFAULT_DAYS, MAX_DAYS } from '../overview/overview.schemas';
import { REPORT_SOURCES } from '../reports/reports.repo';

export const overviewParameters: OpenAPIV3.ParameterObject[] = [
  {
    name: 'days',
    in: 'query',
    description: `The period: the last N days, today included (1–${MAX_DAYS}, at most 3 digits). A value out of range, not a whole number, or given twice is a \`422\` naming \`days\`.`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_DAYS, default: DEFAULT_DAYS },
  },
];

const count: OpenAPIV3.SchemaObject = { type: 'integer', minimum: 0 };
const date: OpenAPIV3.SchemaObject = { type: 'string', format: 'date' };
const fixCheckRow = (who: Record<string, OpenAPIV3.SchemaObject>): OpenAPIV3.SchemaObject => ({
  type: 'object',
  required: [...Object.keys(who), 'fixed', 'not_fixed', 'share'],
  properties: {
    ...who,
    fixed: count,
    not_fixed: count,
    share: { type: 'number', minimum: 0, maximum: 1, nullable: true },
  },
});

export const overviewAnswer: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: [
    'period',
    'by_category',
    'by_source',
    'per_day',
    'created',
    'resolved',
    'median_hours_to_resolve',
    'fix_checks',
  ],
  properties: {
    period: {
      type: 'object',
      required: ['days', 'from', 'to'],
      properties: { days: { type: 'integer' }, from: date, to: date },
    },
    by_category: {
      description: 'Reports created in the period, by category and the status they have now.',
      type: 'array',
      items: {
        type: 'object',
        required: ['category', 'status', 'count'],
        properties: { category: { type: 'string' }, status: { type: 'string' }, count },
      },
    },
    by_source: {
      description:
        'Reports created in the period, by the channel they came through (as `source` on a report), most first; channels with none are left out.',
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'count'],
        properties: { source: { type: 'string', enum: [...REPORT_SOURCES] }, count },
      },
    },
    per_day: {
      description:
        'Every day of the period: reports created, and reports resolved (at `resolved_at`, or a resolved report’s last change where it has none).',
      type: 'array',
      items: {
        type: 'object',
        required: ['day', 'created', 'resolved'],
        properties: { day: date, created: count, resolved: count },
      },
    },
    created: { ...count, description: 'Reports created in the period (the sum of per_day).' },
    resolved: { ...count, description: 'Reports resolved in the period (the sum of per_day).' },
    median_hours_to_resolve: {
      type: 'number',
      nullable: true,
      description: 'Of the reports resolved in the period; null when none was.',
    },
    fix_checks: {
      description:
        'Citizens’ answers to “Is it really fixed?” given in the period: by the team the report was assigned to when resolved (`team_id` null: none), and by imported area of the report’s point (`by_area` empty while no areas are imported; `area_id` null: outside every area). `share` is fixed ÷ all answers, null without answers.',
      type: 'object',
      required: ['by_team', 'by_area'],
      properties: {
        by_team: {
          type: 'array',
          items: fixCheckRow({
            team_id: { type: 'integer', nullable: true },
            team: { type: 'string', nullable: true },
          }),
        },
        by_area: {
          type: 'array',
          items: fixCheckRow({
            area_id: { type: 'integer', nullable: true },
            name: { type: 'string', nullable: true },
          }),
        },
      },
    },
  },
};
