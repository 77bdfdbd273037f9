// What citizens send about a report after it was made (docs/API.md, "Fix checks and endorsements").
import { z } from 'zod';
import { deviceTokenField } from '../reports/reports.schemas';

export const fixCheckSchema = z
  .object({
    answer: z.enum(['fixed', 'not_fixed'], {
      errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : 'must be fixed or not_fixed' }),
    }),
    // Required (unlike confirmations): a "No" reopens a resolved report, so every answer must
    // stand for one device; the citizen app always sends its token.
    device: z
      .unknown()
      .pipe(z.custom<unknown>((v) => v !== undefined, 'is required (the device token the citizen app keeps)'))
      .pipe(deviceTokenField),
  })
  .strict('is not a field of a fix check');

export const endorsementSchema = z
  .object({ device: deviceTokenField.optional() })
  .strict('is not a field of an endorsement');
