// Several app processes behind a load balancer hear each other's changes through PostgreSQL
// LISTEN/NOTIFY. Only a real server carries NOTIFY; the embedded database uses the in-process
// bus, which the SSE tests in triage.test.ts exercise.
import pino from 'pino';
import { createPool } from '../../server/db/database';
import { postgresBus, type EventBus } from '../../server/live/bus';

const url = process.env.TEST_DATABASE_URL;
const onRealServer = url ? describe : describe.skip;

onRealServer('the PostgreSQL event bus', () => {
  it('carries a change signalled by one process to the listeners of another', async () => {
    const logger = pino({ level: 'silent' });
    const poolA = createPool(url!, { max: 1 });
    const poolB = createPool(url!, { max: 1 });
    const a: EventBus = postgresBus(url!, poolA, logger);
    const b: EventBus = postgresBus(url!, poolB, logger);
    try {
      // Each bus signals once when its LISTEN is in place.
      const ready = (bus: EventBus) => new Promise<void>((resolve) => bus.subscribe(resolve));
      await Promise.all([ready(a), ready(b)]);
      const heard = new Promise<string>((resolve) => b.subscribe(() => resolve('heard')));
      a.notify();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), 5000)));
      const result = await Promise.race([heard, timeout]);
      clearTimeout(timer);
      expect(result).toBe('heard');
    } finally {
      await a.close();
      await b.close();
      await poolA.end();
      await poolB.end();
    }
  });
});
