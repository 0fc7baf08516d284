// Post bundle entry: never fails the job, whatever happens.
import { describeError } from './errors.js';
import { exec } from './runner/exec.js';
import { runPost } from './post.js';
import { createRuntime } from './runner/runtime.js';

const runtime = createRuntime();
const unexpected = (error: unknown) => {
  runtime.warning(`Post step: ${describeError(error)}`);
  process.exit(0);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);
runPost({ runtime, env: process.env, exec }).then(() => process.exit(0), unexpected);
