// The post step: undo main's logins, newest first. It warns but never fails the job.
import { isIsolatedDir, keptRegistries, removeDir } from './docker/config-file.js';
import { describeError } from './common/errors.js';
import type { Exec } from './runner/exec.js';
import { undoClientLogin } from './clients/undo.js';
import type { Runtime } from './runner/runtime.js';
import { parseState, STATE_KEY, type PostState } from './runner/state.js';
import type { EngineDeps } from './engines/engine.js';
import { ENGINE_STATE_KEYS } from './engines/state-keys.js';
import type { MirrorHost } from './mirror/setup.js';

export interface PostDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  exec: Exec;
  /** How to reach root for the daemon config (docker-mirror) and containerd's hosts.toml. */
  mirror?: MirrorHost;
  /** The engines' files, PATH and job, replaced in tests. */
  engines?: Partial<EngineDeps>;
}

export async function runPost(deps: PostDeps): Promise<void> {
  const { runtime, env, exec } = deps;
  // First, and whatever `logout` says: no engine may keep a mirror whose login is going away.
  // The rows' code loads only when main set one up.
  if (Object.values(ENGINE_STATE_KEYS).some((key) => runtime.getState(key))) {
    const [{ undoMirrors }, { engineDeps }] = await Promise.all([
      import('./engines/table.js'),
      import('./engines/deps.js'),
    ]);
    await undoMirrors(engineDeps(deps));
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
