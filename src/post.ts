// The post step: undo main's logins, newest first. It warns but never fails the job.
import { isIsolatedDir, removeDir } from './docker/config-file.js';
import { describeError } from './common/errors.js';
import type { Exec } from './runner/exec.js';
import { undoLogin } from './docker/logout.js';
import type { Runtime } from './runner/runtime.js';
import { MIRROR_STATE_KEY, parseMirrorState, parseState, STATE_KEY } from './runner/state.js';
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
  for (const login of [...state.logins].reverse()) {
    // An inline login goes with the isolated folder below; one a credential helper holds does not.
    if (state.isolatedDir && login.configDir === state.isolatedDir && login.fingerprint) continue;
    try {
      runtime.info(await undoLogin(login, exec, env));
    } catch (error) {
      runtime.warning(`Could not log out of ${login.registry}: ${describeError(error)}`);
    }
  }
  if (state.isolatedDir && !isIsolatedDir(state.isolatedDir, env.RUNNER_TEMP)) {
    runtime.warning(
      `Not removing ${state.isolatedDir}: it is not a docker config folder this action created.`,
    );
  } else if (state.isolatedDir) {
    try {
      removeDir(state.isolatedDir);
      runtime.info(
        `Removed the job's docker config ${state.isolatedDir} (logins: ${state.logins.map((l) => l.registry).join(', ') || 'none'}).`,
      );
    } catch (error) {
      runtime.warning(`Could not remove ${state.isolatedDir}: ${describeError(error)}`);
    }
  }
}
