// npm run user:create -- --email E --password P --role admin|coordinator|responder [--name N] [--team T]
// Opens the configured database (DATABASE_URL, or the embedded one in DATA_DIR — stop the app
// first, the embedded database has one owner at a time) and adds a staff account.
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { AppError } from '../server/http/errors';
import { createLogger } from '../server/logger';
import { findTeamByName, insertTeam, ROLES, type Role } from '../server/features/auth/auth.repo';
import { createUser } from '../server/features/auth/auth.service';

const USAGE =
  'usage: npm run user:create -- --email E --password P --role admin|coordinator|responder [--name N] [--team T]';

async function run(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      team: { type: 'string' },
    },
  });
  if (!values.email || !values.password || !values.role || !ROLES.includes(values.role as Role)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  const db = await openDatabase(config, logger);
  try {
    await migrate(db.pool, logger);
    const team = values.team
      ? ((await findTeamByName(db.pool, values.team)) ?? (await insertTeam(db.pool, values.team)))
      : undefined;
    const user = await createUser(db.pool, {
      email: values.email,
      password: values.password,
      role: values.role as Role,
      name: values.name,
      teamId: team?.id ?? null,
    });
    process.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}${team ? `, team ${team.name}` : ''})\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.errors.map((e) => `${e.field}: ${e.detail}`).join('\n') || err.detail}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`user:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
