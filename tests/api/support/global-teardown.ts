import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { embeddedDb?: ChildProcess; embeddedLock?: string; embeddedScratch?: string };
  try {
    await stop(state.embeddedDb);
  } finally {
    if (state.embeddedLock) fs.rmSync(state.embeddedLock, { force: true });
    if (state.embeddedScratch) fs.rmSync(state.embeddedScratch, { recursive: true, force: true });
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
