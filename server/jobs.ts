// Background work that repeats (cluster cells every 2 s, the photo sweep every hour): one run
// at a time, a failure reported and retried at the next tick, and stop() waits for a run in
// flight so shutdown does not cut it off.
export interface PeriodicJob {
  stop(): Promise<void>;
}

export function startPeriodic(
  intervalMs: number,
  run: () => Promise<unknown>,
  onError: (err: unknown) => void,
): PeriodicJob {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= run()
      .then(() => undefined, onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
