// Where this step's logins go and how the post step finds them again: the docker config folder
// (shared or isolated), the post-step state saved right after each login, and the daemon check.
import { existsSync } from 'node:fs';
import {
  configDir,
  createIsolatedDir,
  isIsolatedDir,
  markKept,
  readConfig,
} from './config-file.js';
import { daemonTarget, pingDaemonAt } from './daemon.js';
import { ActionError, describeError } from '../common/errors.js';
import type { Exec } from '../runner/exec.js';
import { loginToRegistry, type RegistryLoginRequest } from './login.js';
import type { Runtime } from '../runner/runtime.js';
import { serializeState, STATE_KEY, type LoginRecord, type PostState } from '../runner/state.js';

const DAEMON_PING_TIMEOUT_MS = 3000;

/** Where and how the step's logins are kept (the `logout` and `docker-config` inputs). */
export interface LoginSettings {
  logout: boolean;
  dockerConfig: 'shared' | 'isolated';
}

/** One login: the host, its credential, and what to check if the registry refuses it. */
export interface LoginRequest {
  registry: string;
  username: string;
  password: string;
  refusedFix?: string;
}

export interface StepLogins {
  /** Registries logged in to so far, in order. */
  loggedIn(): string[];
  login(request: LoginRequest, timeoutMs: number): Promise<void>;
  /** The credentials this step logged in to a registry with, for reading it (image resolution). */
  credentials(registry: string): { username: string; password: string } | undefined;
  /** The clients on the runner the logins serve (the `clients` output). */
  clients(): string[];
}

/** Logs every client in (clients/): injected, since that folder sits above this one. */
export interface ClientLogins {
  login(r: RegistryLoginRequest & { logout: boolean }): Promise<LoginRecord>;
  /** No docker CLI: no daemon to ping either. */
  dockerPresent: boolean;
}

function isolatedDir(runnerTemp: string | undefined): string {
  try {
    return createIsolatedDir(runnerTemp);
  } catch (error) {
    throw new ActionError(
      `Could not create the job's docker config folder for 'docker-config: isolated' in ${runnerTemp || 'the temp folder'} (${describeError(error)}).`,
      'RUNNER_TEMP must be a writable folder; or use `docker-config: shared`.',
    );
  }
}

/** DOCKER_CONFIG is a folder this action made for this job (RUNNER_TEMP is per job). */
type Env = Record<string, string | undefined>;

const isOwnIsolatedDir = (env: Env): boolean =>
  Boolean(
    env.DOCKER_CONFIG && env.RUNNER_TEMP && isIsolatedDir(env.DOCKER_CONFIG, env.RUNNER_TEMP),
  ) && existsSync(env.DOCKER_CONFIG!);

/** The docker config folder this step writes to, and whether this step made it (post removes it). */
function chooseConfigDir(settings: LoginSettings, runtime: Runtime, env: Env) {
  const isolated = settings.dockerConfig === 'isolated';
  // An earlier isolated step of this job made the folder: reuse it, or its logins would vanish.
  const inherited = isolated && isOwnIsolatedDir(env);
  const ownFolder = isolated && !inherited;
  const dir = ownFolder ? isolatedDir(env.RUNNER_TEMP) : configDir(env);
  if (ownFolder) runtime.exportVariable('DOCKER_CONFIG', dir);
  if (inherited) runtime.info(`Reusing this job's isolated docker config ${dir}.`);
  // Tells the folder's maker (its post runs after ours) to leave the folder and our logins.
  const keep = isolated && !settings.logout;
  if (keep) markKept(dir);
  return { dir, ownFolder, keep };
}

export function openStepLogins(
  settings: LoginSettings,
  deps: { runtime: Runtime; env: Env; exec: Exec; clients?: ClientLogins },
): StepLogins {
  const { runtime, env } = deps;
  const folder = chooseConfigDir(settings, runtime, env);
  // Only the step that made the folder removes it; its post runs last.
  const state: PostState = {
    logout: settings.logout,
    isolatedDir: folder.ownFolder ? folder.dir : undefined,
    logins: [],
  };
  const saveState = () => runtime.saveState(STATE_KEY, serializeState(state));
  saveState(); // before any login, so post can remove an isolated folder whatever happens next
  const credentials = new Map<string, { username: string; password: string }>();
  const logIn = loginOnce(settings, folder, deps);
  return {
    loggedIn: () => state.logins.map((l) => l.registry),
    credentials: (registry) => credentials.get(registry),
    clients: () => [...new Set(state.logins.flatMap((l) => l.clients ?? ['docker']))],
    login: async (request, timeoutMs) => {
      state.logins.push(await logIn(request, timeoutMs));
      if (folder.keep) markKept(folder.dir, request.registry);
      credentials.set(request.registry, { username: request.username, password: request.password });
      saveState(); // at once, so a later failure still logs this one out
    },
  };
}

/** One login into the step's folder: the daemon check, then the clients (or docker login). */
function loginOnce(
  settings: LoginSettings,
  folder: { dir: string; ownFolder: boolean },
  deps: { env: Env; exec: Exec; clients?: ClientLogins },
) {
  const { env, exec, clients } = deps;
  const context = readConfig(folder.dir).currentContext;
  const daemon = daemonTarget(env, typeof context === 'string' ? context : undefined);
  return async (request: LoginRequest, timeoutMs: number) => {
    // Right before each login (about 1 ms): docker login itself succeeds without a daemon,
    // and the daemon may have stopped while AWS was being called.
    if (!clients || clients.dockerPresent) await pingDaemonAt(daemon, DAEMON_PING_TIMEOUT_MS);
    const full = {
      ...request,
      configDir: folder.dir,
      // A folder of our own starts empty; a shared or inherited one may hold logins to put back.
      restoreLater: !folder.ownFolder && settings.logout,
      runnerTemp: env.RUNNER_TEMP,
      env,
      timeoutMs,
    };
    return clients
      ? clients.login({ ...full, logout: settings.logout })
      : loginToRegistry(exec, full);
  };
}
