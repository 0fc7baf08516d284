import { describe, expect, test } from '@jest/globals';
import { jobProcess, procStat } from '../../../src/hooks/job-process.js';

const tree: Record<number, { comm: string; ppid: number }> = {
  40: { comm: 'sh', ppid: 30 }, // the hook script
  30: { comm: 'bash', ppid: 20 }, // a platform team's wrapper
  20: { comm: 'Runner.Worker', ppid: 10 },
  10: { comm: 'Runner.Listener', ppid: 1 },
};

describe("the hook's job process", () => {
  test('the nearest Runner.Worker above the hook, through wrappers', () =>
    expect(jobProcess(40, (pid) => tree[pid])).toBe(20));
  test('no Runner.Worker (not a runner): the parent that ran the hook script', () =>
    expect(jobProcess(30, (pid) => ({ ...tree, 20: { comm: 'node', ppid: 10 } })[pid])).toBe(20));
  test('a parent that is gone: itself', () => expect(jobProcess(99, () => undefined)).toBe(99));
  test('reads /proc', () =>
    expect(procStat(process.pid)).toEqual({ comm: expect.any(String), ppid: process.ppid }));
});
