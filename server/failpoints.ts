// Named points where the fault tests (tests/stress) make the process die at an exact moment:
// after a report's photo files are written, after its rows are committed. They do nothing
// unless the operator sets WEGFREI_FAILPOINTS, which no deployment should.
const armed = new Set<string>();

export const FAILPOINTS = ['reports.after-photos-written', 'reports.after-commit'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

export function armFailpoints(names: readonly Failpoint[]): void {
  armed.clear();
  for (const name of names) armed.add(name);
}

/** Dies here, as a power cut or the OOM killer would: no cleanup, no response. */
export function failpoint(name: Failpoint): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
