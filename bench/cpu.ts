// Who kept the CPUs busy: the server, PostgreSQL, the bench itself, or something else on the
// machine (which skews the numbers). Read from /proc; Linux only.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and its children (WEB_CONCURRENCY's workers), so far. */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The parent's pid is the second field after the command name.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) total += cpuSeconds(Number(name));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Each PostgreSQL process's CPU seconds when last seen, and what processes seen before and gone since used. */
const lastSeen = new Map<number, number>();
let gone = 0;

/**
 * CPU seconds used so far by every PostgreSQL process on this machine (a local server only).
 * A backend that ends takes its seconds with it, so the sum of those alive fell between two
 * calls (a photo row once read "PostgreSQL -187 %"): what a process had used when last seen
 * is kept once it is gone, which makes this never decrease (it misses what a backend used
 * between its last sighting and its end).
 */
export function postgresCpuSeconds(): number {
  const now = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'postgres')
        now.set(Number(name), cpuSeconds(Number(name)));
    } catch {
      // The process ended meanwhile.
    }
  }
  // Gone, or its pid taken by a newer process.
  for (const [pid, seconds] of lastSeen) if ((now.get(pid) ?? -1) < seconds) gone += seconds;
  lastSeen.clear();
  let alive = 0;
  for (const [pid, seconds] of now) {
    lastSeen.set(pid, seconds);
    alive += seconds;
  }
  return gone + alive;
}

/** CPU seconds the whole machine has been busy so far (all cores, from /proc/stat). */
export function machineBusySeconds(): number {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export interface CpuUse {
  server: number;
  database: number;
  bench: number;
}
export const noCpu = (): CpuUse => ({ server: 0, database: 0, bench: 0 });
export const cpuUse = (pid: number): CpuUse => ({
  server: treeCpuSeconds(pid),
  database: postgresCpuSeconds(),
  bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
});
/** `sum` plus what was used between `before` and `after`. */
export const addCpu = (sum: CpuUse, after: CpuUse, before: CpuUse): CpuUse => ({
  server: sum.server + after.server - before.server,
  database: sum.database + after.database - before.database,
  bench: sum.bench + after.bench - before.bench,
});

/** Where the time went: which process was busy, in % of one core over the phase. */
export function cpuNote(used: CpuUse, seconds: number, kind: string): string {
  const pct = (s: number) => `${Math.round((s / seconds) * 100)} %`;
  const server = `server ${pct(used.server)}`;
  const bench = `bench ${pct(used.bench)}`;
  return kind === 'postgres'
    ? `${server}, PostgreSQL ${pct(used.database)}, ${bench}`
    : `${server} (database included), ${bench}`;
}
