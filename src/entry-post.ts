// Post bundle entry: never fails the job, whatever happens.
import { describeError } from './common/errors.js';
import { lazyExec as exec } from './runner/lazy-exec.js';
import { runPost } from './post.js';
import { createRuntime } from './runner/runtime.js';
import { processHost } from './startup/process-host.js';

const runtime = createRuntime();
const mirror = processHost('../mirror/index.js');
const unexpected = (error: unknown) => {
  runtime.warning(`Post step: ${describeError(error)}`);
  process.exit(0);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);
runPost({ runtime, env: process.env, exec, mirror }).then(() => process.exit(0), unexpected);
