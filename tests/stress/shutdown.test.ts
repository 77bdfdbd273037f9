// SIGTERM (a deploy, `docker stop`, a scale-down): the server stops taking connections,
// lets the upload in flight finish and answer, ends live streams, and exits 0.
import crypto from 'node:crypto';
import net from 'node:net';
import { twoColourJpeg } from '../fixtures/images';
import { openStaffEvents, startServerProcess, type ServerProcess } from '../support/server-process';
import { multipartBody, sendReport } from './support/client';
import { freshDatabase, serverEnv, type TestDatabase } from './support/database';
import { storedReports } from './support/reports';

jest.setTimeout(180_000);

const ADMIN = { email: 'shutdown-admin@example.org', password: 'a long enough password' };
let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await server?.stop();
  await db.drop();
});

it('finishes the upload in flight, ends live streams, refuses new connections and exits 0', async () => {
  server = await startServerProcess(
    serverEnv(db, { WEGFREI_BOOTSTRAP_ADMIN: `${ADMIN.email}:${ADMIN.password}`, LOG_LEVEL: 'info' }),
  );
  const live = await openStaffEvents(server.baseUrl, ADMIN);
  const marker = `shutdown-${crypto.randomUUID()}`;
  const payload = multipartBody(
    { category: 'steps', lat: 52.52, lon: 13.405, description: marker },
    await twoColourJpeg(1200, 900),
  );
  let signalled = false;
  let onSignalled = () => {};
  const sigtermSent = new Promise<void>((resolve) => (onSignalled = resolve));
  // A slow phone: the body trickles in over about a second; SIGTERM lands a third of the way.
  const upload = sendReport(server.baseUrl, payload, {
    key: crypto.randomUUID(),
    sliceBytes: Math.ceil(payload.body.length / 20),
    sliceDelayMs: 50,
    onProgress: (sent) => {
      if (!signalled && sent > payload.body.length / 3) {
        signalled = true;
        process.kill(server.pid, 'SIGTERM');
        onSignalled();
      }
    },
  });

  await sigtermSent;
  await new Promise((r) => setTimeout(r, 100));
  const refused = await new Promise<string>((resolve) =>
    net
      .connect(server.port, '127.0.0.1', () => resolve('connected'))
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error')),
  );
  expect(refused).toBe('ECONNREFUSED');

  const reply = await upload;
  expect(reply?.status).toBe(201);
  await live.ended;
  expect(await server.exited).toEqual({ code: 0, signal: null });
  expect(server.output()).toContain('Stopped cleanly');

  // What it answered is stored: a new process on the same database has it.
  server = await startServerProcess(serverEnv(db));
  expect(await storedReports(db, server.baseUrl, marker)).toEqual([
    { id: reply?.body.id, description: marker, photos: 1 },
  ]);
});
