// npm run user:create -- --email E --password P --role admin|coordinator|responder|volunteer [--name N] [--team T]
// Adds a staff account (and its team, if new). The password must have at least 12 characters
// and be hard to guess (server/features/auth/password-strength.ts).
import { parseArgs } from 'node:util';
import { findTeamByName, insertTeam, ROLES, type Role } from '../server/features/auth/auth.repo';
import { checkPassword, createUser } from '../server/features/auth/auth.service';
import { AppError } from '../server/http/errors';
import { exitWithUsage, runCommand } from './lib/command';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    team: { type: 'string' },
  },
});

const { email, password, role } = values;
if (!email || !password || !role || !ROLES.includes(role as Role)) {
  exitWithUsage(
    'usage: npm run user:create -- --email E --password P --role admin|coordinator|responder|volunteer [--name N] [--team T]',
  );
}

const create = () =>
  runCommand('user:create', async (pool) => {
    const team = values.team
      ? ((await findTeamByName(pool, values.team)) ?? (await insertTeam(pool, values.team)))
      : undefined;
    const user = await createUser(pool, {
      email,
      password,
      role: role as Role,
      name: values.name,
      teamId: team?.id ?? null,
    });
    process.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}${team ? `, team ${team.name}` : ''})\n`);
    return 0;
  });

// A weak password is refused before the database is opened: the answer comes at once, and the
// embedded database (one owner at a time) is not taken for nothing.
checkPassword(password, { email, name: values.name }).then(create, (err: unknown) => {
  const problem =
    err instanceof AppError ? err.errors.map((e) => `${e.field}: ${e.detail}`).join('\n') || err.detail : String(err);
  process.stderr.write(`${problem}\n`);
  process.exit(1);
});
