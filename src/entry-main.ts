// Main bundle entry: wires the real runtime, process runner and lazily loaded SDK into runMain;
// with `hook <event>` (dist/hooks/*.sh) it runs a runner job hook instead (entry-hook.ts).
import { describeError } from './common/errors.js';
import { lazyExec as exec } from './runner/lazy-exec.js';
import { runMain } from './main.js';
import { createRuntime } from './runner/runtime.js';
import { enableCompileCache } from './startup/compile-cache.js';
import { processHost } from './startup/process-host.js';

function startMain(): void {
  const cacheOff = enableCompileCache(process.env); // before the SDK chunk loads
  const runtime = createRuntime();
  if (cacheOff) runtime.debug(cacheOff);
  const mirror = processHost('mirror/index.js');
  const unexpected = (error: unknown) => {
    // A message (redacted like every line), never a stack trace.
    runtime.error(`Unexpected failure: ${describeError(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', unexpected);
  process.on('unhandledRejection', unexpected);
  const clients = {}; // every client on the runner, the docker CLI found on PATH
  runMain({
    runtime,
    env: process.env,
    exec,
    loadSdk: () => import('./aws/sdk.js'),
    mirror,
    clients,
  }).then(
    // Exit at once: an abandoned request (after a deadline) must not hold the job.
    (code) => process.exit(code),
    unexpected,
  );
}

const [command, ...args] = process.argv.slice(2);
if (command !== 'hook') startMain();
else {
  import('./entry-hook.js').then(
    (m) => m.runHookCommand(args),
    (error: unknown) => {
      process.stdout.write(`::warning::ecr-public-login hook: ${describeError(error)}\n`);
      process.exit(0); // a failing hook fails the job
    },
  );
}
