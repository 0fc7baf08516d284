// Runner job hook entry (`node dist/index.js hook job-started|job-completed`, from
// dist/hooks/*.sh): loaded by the main bundle, so a hook shares its lazily loaded SDK chunk rather
// than a bundle carrying a second copy. A hook always exits 0: a failing hook fails the job.
import { describeError } from './common/errors.js';
import { HOOK_EVENTS, runHook } from './hook.js';
import { lazyExec as exec } from './runner/lazy-exec.js';
import { processHost } from './startup/process-host.js';

/** Runs the hook named by args[0]; never throws, never exits non-zero. */
export async function runHookCommand(args: string[]): Promise<void> {
  const fail = (error: unknown) => {
    process.stdout.write(`::warning::ecr-public-login hook: ${describeError(error)}\n`);
    process.exit(0);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const event = HOOK_EVENTS.find((e) => e === args[0]);
  if (!event) {
    process.stdout.write(`::warning::usage: ecr-public-login hook ${HOOK_EVENTS.join('|')}\n`);
    process.exit(0);
  }
  const mirror = processHost('mirror/index.js');
  const loadSdk = () => import('./aws/sdk.js');
  // Exit at once: an abandoned request (after a deadline) must not hold the job.
  await runHook(event, { env: process.env, exec, loadSdk, mirror }).then(
    () => process.exit(0),
    fail,
  );
}
