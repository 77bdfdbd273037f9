// The export spool (server/features/exports/exports.spool.ts) on real temporary files: a reader
// follows the file as the database writes it, at its own pace, and ends — or fails — with the
// writing; the file is gone from the directory from the start.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openSpool, SPOOL_DEFAULTS, SpoolBudget } from '../../server/features/exports/exports.spool';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-spool-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const budget = () => new SpoolBudget({ ...SPOOL_DEFAULTS, dir, minFreeBytes: 0 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

async function collect(stream: Readable): Promise<string> {
  const seen: string[] = [];
  for await (const chunk of stream) seen.push(String(chunk));
  return seen.join('');
}

it('lets a reader follow the file while it is written, and end with it', async () => {
  const spool = await openSpool(budget(), '127.0.0.1');
  expect(await fs.readdir(dir)).toEqual([]);
  const received: string[] = [];
  const reading = (async () => {
    for await (const chunk of spool.follow()) received.push(String(chunk));
  })();
  const parts = ['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'];
  let receivedBeforeLast = '';
  const source = Readable.from(
    (async function* () {
      for (const [i, part] of parts.entries()) {
        if (i === parts.length - 1) {
          for (let n = 0; n < 50 && received.length === 0; n++) await tick();
          receivedBeforeLast = received.join('');
        }
        yield Buffer.from(part);
        await tick();
      }
    })(),
  );
  await pipeline(source, spool.meter, spool.writer());
  await reading;
  expect(receivedBeforeLast).toBe(parts.slice(0, 2).join(''));
  expect(received.join('')).toBe(parts.join(''));
  expect(spool.complete()).toBe(true);
  expect(spool.size()).toBe(Buffer.byteLength(parts.join('')));
  await spool.close();
});

it('makes a follower fail when the writing fails, instead of ending as if complete', async () => {
  const spool = await openSpool(budget(), '127.0.0.1');
  const reading = collect(spool.follow());
  const failing = Readable.from(
    (async function* () {
      yield Buffer.from('{"a":1}\n');
      await tick();
      throw new Error('database went away');
    })(),
  );
  await expect(pipeline(failing, spool.meter, spool.writer())).rejects.toThrow('database went away');
  spool.fail(new Error('database went away'));
  await expect(reading).rejects.toThrow('database went away');
  expect(spool.complete()).toBe(false);
  await spool.close();
});

it('answers beyond() once more than the head is written, or at once when writing ended empty', async () => {
  const spool = await openSpool(budget(), '127.0.0.1');
  let answered = false;
  const waiting = spool.beyond(5).then(() => (answered = true));
  const writer = spool.writer();
  writer.write(Buffer.from('head!'));
  await tick();
  expect(answered).toBe(false);
  writer.end(Buffer.from('row\n'));
  await waiting;
  expect(answered).toBe(true);
  await spool.close();
});
