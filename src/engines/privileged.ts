// containerd's hosts directory is root's: the edit runs in this process when it is root, else in
// the mirror bundle under `sudo -n` (never a password prompt), as docker-mirror's daemon edit
// does. The request holds no secret (the file has none), so argv is fine.
import fs from 'node:fs';
import { ActionError } from '../common/errors.js';
import { sudoBundle } from '../mirror/privileged.js';
import type { MirrorHost } from '../mirror/setup.js';
import type { Exec } from '../runner/exec.js';
import {
  editHostsFile,
  type HostsEditDeps,
  type HostsEditRequest,
  type HostsEditResult,
} from './hosts-edit.js';

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

export const realHostsEditDeps = (isJobAlive: HostsEditDeps['isJobAlive']): HostsEditDeps => ({
  fs,
  isJobAlive,
  now: Date.now,
  sleep: sleepSync,
});

export async function runHostsEdit(
  request: HostsEditRequest,
  deps: { exec: Exec; mirror?: MirrorHost; editDeps: HostsEditDeps },
): Promise<HostsEditResult> {
  const { mirror } = deps;
  if (mirror?.isRoot) return editHostsFile(request, deps.editDeps);
  if (!mirror)
    throw new ActionError(
      `editing ${request.file} needs root, and this runtime has no mirror bundle to run under sudo.`,
      'Run the job as root.',
    );
  const bundle = { exec: deps.exec, execPath: mirror.execPath, mirrorBundle: mirror.mirrorBundle };
  return (await sudoBundle(
    bundle,
    'hosts-file',
    request,
    'See the message above; the file and its ledger (*.ecr-public-login.json) are beside each other.',
  )) as HostsEditResult;
}
