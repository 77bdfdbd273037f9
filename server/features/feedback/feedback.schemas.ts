// What citizens send about a report after it was made (docs/API.md, "Fix checks and endorsements").
import { z } from 'zod';
import { deviceTokenField } from '../reports/reports.schemas';

export const fixCheckSchema = z
  .object({
    answer: z.enum(['fixed', 'not_fixed'], {
      errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : 'must be fixed or not_fixed' }),
    }),
    device: deviceTokenField.optional(),
  })
  .strict('is not a field of a fix check');

export const endorsementSchema = z
  .object({ device: deviceTokenField.optional() })
  .strict('is not a field of an endorsement');
