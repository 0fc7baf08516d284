// Node 22.1+ can keep the compiled code of the modules it loads (here the lazily loaded SDK
// chunk) on disk; on a self-hosted runner the tool cache outlives the job, so later jobs skip
// compiling. A GitHub-hosted runner starts fresh every job, so there it would only cost a write.
// Node loads that code without checking who wrote it, and the tool cache is shared by every job
// (and user) of the runner: the cache is a folder per user, 0700, used only while it is a real
// folder of ours that nobody else can write. Best effort: anything else changes nothing.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';

type Env = Record<string, string | undefined>;
type Enable = (directory: string) => { status?: number } | undefined;

export interface CacheHost {
  /** The current user; undefined where there are none (Windows): then no cache. */
  uid: number | undefined;
  mkdir: (dir: string, mode?: number) => void;
  lstat: (dir: string) => Pick<fs.Stats, 'uid' | 'mode' | 'isDirectory'>;
}

const realHost: CacheHost = {
  uid: process.getuid?.(),
  mkdir: (dir, mode) => void fs.mkdirSync(dir, { recursive: true, mode }),
  lstat: (dir) => fs.lstatSync(dir),
};

/** Where the cache lives: the tool cache (kept between jobs), else the job's temp folder. */
export function compileCacheDir(env: Env, uid: number): string | undefined {
  const root = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP;
  return root ? path.join(root, 'ecr-public-login', 'compile-cache', String(uid)) : undefined;
}

/** Why the folder must not be used, or undefined when it is ours alone (made 0700 if missing). */
export function unsafeReason(dir: string, host: CacheHost): string | undefined {
  try {
    host.mkdir(path.dirname(dir)); // shared parents keep the default mode
    host.mkdir(dir, 0o700);
    const st = host.lstat(dir); // lstat: a symlink is not a folder of ours
    if (!st.isDirectory()) return `${dir} is not a folder`;
    if (st.uid !== host.uid) return `${dir} belongs to uid ${st.uid}, not to uid ${host.uid}`;
    if (st.mode & 0o022)
      return `${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
    return undefined;
  } catch (error) {
    return `${dir} cannot be used (${(error as Error).message})`;
  }
}

/**
 * Turns the compile cache on when this Node has it and the folder is safe; never throws.
 * Returns why it stayed off when that is worth a debug line (an unsafe or unusable folder).
 */
export function enableCompileCache(
  env: Env,
  mod: object = module,
  host: CacheHost = realHost,
): string | undefined {
  const enable = (mod as { enableCompileCache?: Enable }).enableCompileCache;
  if (typeof enable !== 'function' || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (env.RUNNER_ENVIRONMENT === 'github-hosted' || host.uid === undefined) return undefined;
  const directory = compileCacheDir(env, host.uid);
  if (!directory) return undefined;
  const unsafe = unsafeReason(directory, host);
  if (unsafe) return `compile cache off: ${unsafe}`;
  try {
    // Node reports (not throws) a folder it cannot use.
    enable.call(mod, directory);
  } catch {
    // A cache is an optimisation only.
  }
  return undefined;
}
