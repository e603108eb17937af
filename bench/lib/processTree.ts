import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and resident memory of a process tree on Linux, read from `/proc`: the benchmark's
 * child (`node local/start.mjs`: the cloud's process with its worker threads) and all its
 * descendants (DynamoDB Local's JVM, esbuild while it bundles).
 */

/** The fields of `/proc/<pid>/stat` the tree needs; times in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime + cutime + cstime: the process's own CPU time plus that of its reaped children. */
  readonly ticks: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name (field 2) is in parentheses and may hold
 * spaces or parentheses, so fields are counted from the last `)`.
 */
export function parseStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, line.indexOf('(')).trim());
  // After ')': state(3) ppid(4) pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime cutime cstime(17)
  const rest = line
    .slice(close + 2)
    .trim()
    .split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  return { pid, ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
}

/** Parses `VmRSS:   12345 kB` out of `/proc/<pid>/status`; 0 when absent (a zombie, a kernel thread). */
export function parseRssKb(status: string): number {
  const match = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match === null ? 0 : Number(match[1]);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process exited between the listing and the read
  }
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const line = readOrUndefined(`/proc/${entry}/stat`);
    if (line !== undefined) stats.push(parseStat(line));
  }
  return stats;
}

/** `rootPid` and every descendant (by ppid links), from one listing of `/proc`. */
export function treeOf(rootPid: number, stats: readonly ProcStat[] = allStats()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const tree = stats.filter((s) => s.pid === rootPid);
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]?.pid ?? -1) ?? []));
  return tree;
}

let clockTicks: number | undefined;
/** `getconf CLK_TCK` (100 on Linux in practice), read once. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU milliseconds the tree has used so far. Counting reaped children's time (cutime/cstime) keeps
 * a delta right when a process of the tree exits inside the window: its time moves to its parent.
 */
export function treeCpuMs(rootPid: number): number {
  const ticks = treeOf(rootPid).reduce((sum, s) => sum + s.ticks, 0);
  return (ticks * 1000) / ticksPerSecond();
}

/** Resident memory of the whole tree, in MiB (the sum of each process's VmRSS; shared pages count twice). */
export function treeRssMb(rootPid: number): number {
  const kb = treeOf(rootPid).reduce(
    (sum, s) => sum + parseRssKb(readOrUndefined(`/proc/${s.pid}/status`) ?? ''),
    0,
  );
  return kb / 1024;
}

/** Measures the tree's CPU over a window: `const cpu = cpuWindow(pid); ...; cpu.endMs()`. */
export function cpuWindow(rootPid: number): { endMs(): number } {
  const start = treeCpuMs(rootPid);
  return { endMs: () => treeCpuMs(rootPid) - start };
}

/** Samples the tree's RSS every `intervalMs` and keeps the peak (MiB) until `stop()`. */
export function sampleRssPeak(rootPid: number, intervalMs = 250): { stop(): number } {
  let peak = treeRssMb(rootPid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb(rootPid));
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, treeRssMb(rootPid));
      return peak;
    },
  };
}
