// The post step: undo main's logins, newest first. It warns but never fails the job.
import { isIsolatedDir, removeDir } from './docker/config-file.js';
import { describeError } from './errors.js';
import type { Exec } from './runner/exec.js';
import { undoLogin } from './docker/logout.js';
import type { Runtime } from './runner/runtime.js';
import { parseState, STATE_KEY } from './runner/state.js';

export interface PostDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  exec: Exec;
}

export async function runPost({ runtime, env, exec }: PostDeps): Promise<void> {
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
