// The post step: undo main's logins, newest first. It warns but never fails the job.
import { isIsolatedDir, keptRegistries, removeDir } from './docker/config-file.js';
import { describeError } from './common/errors.js';
import type { Exec } from './runner/exec.js';
import { undoClientLogin } from './clients/undo.js';
import type { Runtime } from './runner/runtime.js';
import { parseState, STATE_KEY, type PostState } from './runner/state.js';
import { MIRROR_STATE_KEY, parseMirrorState } from './mirror/record.js';
import type { MirrorHost } from './mirror/setup.js';
import { undoDockerMirror } from './mirror/undo.js';

export interface PostDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  exec: Exec;
  /** How to reach root for the daemon config (docker-mirror). */
  mirror?: MirrorHost;
}

export async function runPost({ runtime, env, exec, mirror }: PostDeps): Promise<void> {
  const record = parseMirrorState(runtime.getState(MIRROR_STATE_KEY));
  // First, and whatever `logout` says: the daemon must not keep a mirror that is going away.
  if (record && mirror) {
    await undoDockerMirror(record, { ...mirror, exec }, (line) => runtime.info(line)).catch(
      (error: unknown) => runtime.warning(`docker-mirror: ${describeError(error)}`),
    );
  }
  const state = parseState(runtime.getState(STATE_KEY));
  if (!state.logout) {
    runtime.info('logout is false: leaving the registry logins in place.');
    return;
  }
  // The isolated folder goes, with every login in it, unless a step asked to keep its logins.
  const kept = state.isolatedDir ? keptRegistries(state.isolatedDir) : undefined;
  for (const login of [...state.logins].reverse()) {
    const inFolder = state.isolatedDir !== undefined && login.configDir === state.isolatedDir;
    if (inFolder && kept?.includes(login.registry)) {
      runtime.info(`${login.registry}: left in place, a later step logged in again and kept it.`);
      continue;
    }
    // An inline login goes with the folder; one a credential helper holds does not.
    const skipDocker = inFolder && !kept && Boolean(login.fingerprint);
    const report = await undoClientLogin(login, { exec, env, skipDocker });
    report.lines.forEach((line) => runtime.info(line));
    report.warnings.forEach((line) => runtime.warning(line));
  }
  if (state.isolatedDir) removeIsolatedDir(state.isolatedDir, state, runtime, env);
}

/** Removes the job's isolated folder: only one this action made, only when no step keeps logins in it. */
function removeIsolatedDir(dir: string, state: PostState, runtime: Runtime, env: PostDeps['env']) {
  if (!isIsolatedDir(dir, env.RUNNER_TEMP)) {
    runtime.warning(`Not removing ${dir}: it is not a docker config folder this action created.`);
  } else if (keptRegistries(dir)) {
    runtime.info(
      `Kept the job's docker config ${dir}: a later step of this job asked to keep its logins (logout: false).`,
    );
  } else {
    try {
      removeDir(dir);
      runtime.info(
        `Removed the job's docker config ${dir} (logins: ${state.logins.map((l) => l.registry).join(', ') || 'none'}).`,
      );
    } catch (error) {
      runtime.warning(`Could not remove ${dir}: ${describeError(error)}`);
    }
  }
}
