// Main bundle entry: wires the real runtime, process runner and lazily loaded SDK into runMain.
import { describeError } from './errors.js';
import { exec } from './runner/exec.js';
import { runMain } from './main.js';
import { createRuntime } from './runner/runtime.js';
import { enableCompileCache } from './startup/compile-cache.js';

enableCompileCache(process.env); // before the SDK chunk loads
const runtime = createRuntime();
const unexpected = (error: unknown) => {
  // A message (redacted like every line), never a stack trace.
  runtime.error(`Unexpected failure: ${describeError(error)}`);
  process.exit(1);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);
runMain({ runtime, env: process.env, exec, loadSdk: () => import('./aws/sdk.js') }).then(
  // Exit at once: an abandoned request (after a deadline) must not hold the job.
  (code) => process.exit(code),
  unexpected,
);
