import { z } from 'zod';
import { fieldErrorsFromZod } from '../../server/http/errors';

const token = z.object({
  token: z.string().max(10, 'must be the token from the link').regex(/^a+$/, 'must be the token from the link'),
  name: z.string().min(2, 'is too short').regex(/^b+$/, 'must be b'),
});

function errorsOf(value: unknown) {
  const result = token.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return fieldErrorsFromZod(result.error);
}

it('says one failure of a field once when two of its checks give the same message', () => {
  expect(errorsOf({ token: 'x'.repeat(20), name: 'bb' })).toEqual([
    { field: 'token', detail: 'must be the token from the link' },
  ]);
});

it('keeps different messages of one field, and each field', () => {
  expect(errorsOf({ token: 'x'.repeat(20), name: 'x' })).toEqual([
    { field: 'token', detail: 'must be the token from the link' },
    { field: 'name', detail: 'is too short' },
    { field: 'name', detail: 'must be b' },
  ]);
});
