// Node 22.1+ can keep the compiled code of the modules it loads (here the lazily loaded SDK
// chunk) on disk; on a self-hosted runner the tool cache outlives the job, so later jobs skip
// compiling. A GitHub-hosted runner starts fresh every job, so there it would only cost a write.
// Best effort: an older Node, a missing, unwritable or corrupt folder changes nothing.
import module from 'node:module';
import path from 'node:path';

type Env = Record<string, string | undefined>;
type Enable = (directory: string) => { status?: number } | undefined;

/** Where the cache lives: the tool cache (kept between jobs), else the job's temp folder. */
export function compileCacheDir(env: Env): string | undefined {
  const root = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP;
  return root ? path.join(root, 'ecr-public-login', 'compile-cache') : undefined;
}

/** Turns the compile cache on when this Node has it; never throws. */
export function enableCompileCache(env: Env, mod: object = module): void {
  const enable = (mod as { enableCompileCache?: Enable }).enableCompileCache;
  const directory = compileCacheDir(env);
  if (typeof enable !== 'function' || !directory || env.NODE_DISABLE_COMPILE_CACHE) return;
  if (env.RUNNER_ENVIRONMENT === 'github-hosted') return;
  try {
    // Node creates the folder, and reports (not throws) a folder it cannot use.
    enable.call(mod, directory);
  } catch {
    // A cache is an optimisation only.
  }
}
