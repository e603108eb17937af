import { describe, expect, it } from 'vitest';
import { parseRssKb, parseStat, treeOf, treeRssMb } from './processTree';

describe('processTree', () => {
  it('parses /proc/<pid>/stat, whatever the command name holds', () => {
    const line =
      '4242 (node (worker) x) S 4200 4242 4200 0 -1 4194560 100 0 0 0 250 40 7 3 20 0 11 0 123 456 789';

    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 4200, ticks: 250 + 40 + 7 + 3 });
  });

  it('reads VmRSS out of /proc/<pid>/status', () => {
    expect(parseRssKb('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51200 kB\n')).toBe(51200);
    expect(parseRssKb('Name:\tkthreadd\n')).toBe(0);
  });

  it('walks ppid links to every descendant, and nothing else', () => {
    const stats = [
      { pid: 1, ppid: 0, ticks: 0 },
      { pid: 10, ppid: 1, ticks: 1 },
      { pid: 11, ppid: 10, ticks: 2 },
      { pid: 12, ppid: 11, ticks: 3 },
      { pid: 13, ppid: 10, ticks: 4 },
      { pid: 20, ppid: 1, ticks: 5 },
    ];

    expect(
      treeOf(10, stats)
        .map((s) => s.pid)
        .sort(),
    ).toEqual([10, 11, 12, 13]);
    expect(treeOf(99, stats)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('measures this process from /proc', () => {
    expect(treeRssMb(process.pid)).toBeGreaterThan(10);
  });
});
