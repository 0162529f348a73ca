import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

interface ProcStat {
  comm: string;
  /** utime + stime of the process (all its threads), in seconds. */
  own: number;
  /** cutime + cstime: the children it has waited for (PostgreSQL's postmaster reaps every backend that ends). */
  reaped: number;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid …`: comm may hold spaces or parentheses, so the fields start after the last ')'.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 counting from state.
  const ticks = (n: number) => Number(fields[n - 3]);
  return { comm: text.slice(text.indexOf('(') + 1, close), own: (ticks(14) + ticks(15)) / CLOCK_TICKS, reaped: (ticks(16) + ticks(17)) / CLOCK_TICKS };
}

/** CPU seconds used so far by named groups of processes; a difference of two samples is a run's CPU. */
export type CpuSample = Record<string, number>;

export interface CpuGroups {
  /** Fixed processes by name (the Temporal server, our Node processes). */
  processes: Record<string, number[]>;
  /**
   * The PostgreSQL backends serving the Temporal server's own databases, if it has any. Its pool keeps its
   * connections, so their CPU is theirs; ours open and close (a backend that ends hands its CPU to the postmaster's
   * reaped children), so our share is only known as the rest of the total.
   */
  temporalBackends?: () => Promise<number[]>;
}

/** Every process named `postgres`, the postmaster's reaped backends included. */
export const POSTGRES = 'postgres';
/** The part of `postgres` spent on the Temporal server's databases: a share of it, not a group beside it. */
export const POSTGRES_FOR_TEMPORAL = 'of it for Temporal';

export async function sampleCpu(groups: CpuGroups): Promise<CpuSample> {
  const sample: CpuSample = {};
  for (const [name, pids] of Object.entries(groups.processes)) sample[name] = pids.reduce((sum, pid) => sum + (procStat(pid)?.own ?? 0), 0);
  sample[POSTGRES] = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.comm === 'postgres') sample[POSTGRES] += stat.own + stat.reaped;
  }
  if (groups.temporalBackends) sample[POSTGRES_FOR_TEMPORAL] = (await groups.temporalBackends()).reduce((sum, pid) => sum + (procStat(pid)?.own ?? 0), 0);
  return sample;
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? 0)]));
}
