// The first admin comes from WEGFREI_BOOTSTRAP_ADMIN while there is no admin; its password is
// judged like any other, and a weak one stops the start (main.ts prints the message and exits).
import { bootstrapAdmin } from '../../server/features/auth/auth.service';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the first admin from WEGFREI_BOOTSTRAP_ADMIN', () => {
  // One story, since each step depends on whether an admin exists yet.
  it('stops at a weak password with a message naming the variable, takes a strong one, then is unused', async () => {
    await expect(bootstrapAdmin(t.pool, { email: 'first@example.org', password: 'Password123!' })).rejects.toThrow(
      /^WEGFREI_BOOTSTRAP_ADMIN: the first admin's password is too easy to guess: this is similar to a commonly used password\. \S/,
    );
    expect((await t.pool.query(`SELECT 1 FROM users`)).rows).toHaveLength(0);

    const created = await bootstrapAdmin(t.pool, { email: 'first@example.org', password: 'kestrel orchard paddle' });
    expect(created).toMatchObject({ email: 'first@example.org', role: 'admin' });

    // Once there is an admin the variable is not used, so not judged either.
    await expect(bootstrapAdmin(t.pool, { email: 'second@example.org', password: 'aaaaaaaaaaaa' })).resolves.toBe(
      undefined,
    );
    expect((await t.pool.query(`SELECT email FROM users`)).rows).toEqual([{ email: 'first@example.org' }]);
  });
});
