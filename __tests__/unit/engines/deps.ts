// EngineDeps for the engines' unit tests: real files under a fresh temp folder, a recording
// runtime, the hosts.toml edit in this process, and jobs alive unless a test says otherwise.
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from '@jest/globals';
import type { EngineDeps } from '../../../src/engines/engine.js';
import { editHostsFile } from '../../../src/engines/hosts-edit.js';
import type { JobRef } from '../../../src/mirror/job-watch.js';
import { recordingRuntime, type RecordingRuntime } from '../../fixtures/runtime.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const JOB: JobRef = { pid: 4242, start: '987654' };

export type TestDeps = EngineDeps & { runtime: RecordingRuntime; root: string; dead: Set<number> };

export function testDeps(
  over: Partial<EngineDeps> = {},
  states: Record<string, string> = {},
): TestDeps {
  const root = mkdtempSync(path.join(tmpdir(), 'engines-unit-'));
  made.push(root);
  const dead = new Set<number>();
  const isJobAlive = (job: JobRef) => !dead.has(job.pid);
  const runtime = (over.runtime as RecordingRuntime | undefined) ?? recordingRuntime({}, states);
  const deps: EngineDeps = {
    runtime,
    env: { HOME: path.join(root, 'home'), DOCKER_CONFIG: path.join(root, 'docker') },
    exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    fs,
    home: path.join(root, 'home'),
    hostsDir: path.join(root, 'etc/containerd/certs.d'),
    runnerTemp: root,
    onPath: () => false,
    job: JOB,
    isJobAlive,
    stepId: `${JOB.pid}-${JOB.start}-77`,
    hostsEdit: async (request) =>
      editHostsFile(request, { fs, isJobAlive, now: Date.now, sleep: () => undefined }),
    ...over,
  };
  return Object.assign(deps, { runtime, root, dead }) as TestDeps;
}

/** What main saved, handed to post as the runner would. */
export const postDeps = (
  main: TestDeps,
  over: Partial<Omit<EngineDeps, 'runtime'>> = {},
): TestDeps => ({
  ...main,
  runtime: recordingRuntime({}, { ...main.runtime.savedState }),
  stepId: `${JOB.pid}-${JOB.start}-78`,
  ...over,
});
