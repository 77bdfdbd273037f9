// npm run user:create -- --email E --password P --role admin|coordinator|responder [--name N] [--team T]
// Adds a staff account (and its team, if new).
import { parseArgs } from 'node:util';
import { findTeamByName, insertTeam, ROLES, type Role } from '../server/features/auth/auth.repo';
import { createUser } from '../server/features/auth/auth.service';
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
    'usage: npm run user:create -- --email E --password P --role admin|coordinator|responder [--name N] [--team T]',
  );
}

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
