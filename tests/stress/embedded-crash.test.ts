// The embedded database lives inside the server process, so a SIGKILL mid-write kills it
// too. It must start again from its files with every report it acknowledged (201) intact,
// none twice.
import crypto from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { postJsonReport } from './support/client';
import { freshDatabase, REAL_DATABASE, serverEnv, type TestDatabase } from './support/database';
import { storedReports } from './support/reports';

jest.setTimeout(200_000);

const SUBMITTERS = 8;
// Once per CI pass is enough: the run against a real PostgreSQL skips it.
const describeEmbedded = REAL_DATABASE ? describe.skip : describe;
describeEmbedded('the embedded database', () => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await freshDatabase({ embedded: true });
  });
  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  /** Submitters post until `killAfterAcks` reports are acknowledged, then the server is killed. */
  async function submitUntilKilled(baseUrl: string, pid: number, marker: string, killAfterAcks: number) {
    const acknowledged: string[] = [];
    const refused: number[] = [];
    let alive = true;
    const submitter = async () => {
      while (alive) {
        const description = `${marker}-${crypto.randomUUID()}`;
        const reply = await postJsonReport(
          baseUrl,
          { category: 'steps', lat: 52.5 + Math.random() / 10, lon: 13.4 + Math.random() / 10, description },
          crypto.randomUUID(),
        );
        if (reply.status === 201) acknowledged.push(description);
        else if (alive) refused.push(reply.status);
        if (alive && (acknowledged.length >= killAfterAcks || refused.length)) {
          alive = false;
          process.kill(pid, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SUBMITTERS }, submitter));
    return { acknowledged, refused };
  }

  it.each([1, 2, 3])(
    'killed mid-write (round %i): starts again with every acknowledged report, once',
    async (round) => {
      server = await startServerProcess(serverEnv(db));
      const marker = `embedded-crash-${round}`;
      const { acknowledged, refused } = await submitUntilKilled(server.baseUrl, server.pid, marker, 40 + round * 37);
      expect((await server.exited).signal).toBe('SIGKILL');
      expect(refused).toEqual([]);

      server = await startServerProcess(serverEnv(db));
      const stored = (await storedReports(db, server.baseUrl, marker)).map((r) => r.description);
      // Requests in flight at the kill may or may not have committed; every acknowledged one did.
      expect(stored).toEqual(expect.arrayContaining(acknowledged));
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored.length).toBeLessThanOrEqual(acknowledged.length + SUBMITTERS);
      // And it takes new reports.
      const after = await postJsonReport(
        server.baseUrl,
        { category: 'lift', lat: 52.5, lon: 13.4, description: `${marker}-after` },
        crypto.randomUUID(),
      );
      expect(after.status).toBe(201);
      await server.stop();
      server = undefined;
    },
  );
});
