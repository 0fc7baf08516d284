// Main bundle entry: wires the real runtime, process runner and lazily loaded SDK into runMain.
import { describeError } from './errors.js';
import { exec } from './exec.js';
import { runMain } from './main.js';
import { createRuntime } from './runtime.js';

const runtime = createRuntime();
runMain({ runtime, env: process.env, exec, loadSdk: () => import('./aws-sdk.js') }).then(
  // Exit at once: an abandoned request (after a deadline) must not hold the job.
  (code) => process.exit(code),
  (error: unknown) => {
    runtime.error(`Unexpected failure: ${describeError(error)}`);
    process.exit(1);
  },
);
