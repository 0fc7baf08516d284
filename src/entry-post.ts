// Post bundle entry: never fails the job, whatever happens.
import { dirname, join } from 'node:path';
import { describeError } from './common/errors.js';
import { lazyExec as exec } from './runner/lazy-exec.js';
import { runPost } from './post.js';
import { createRuntime } from './runner/runtime.js';

const runtime = createRuntime();
const mirror = {
  execPath: process.execPath,
  mirrorBundle: join(dirname(process.argv[1]), '../mirror/index.js'),
  isRoot: process.getuid?.() === 0,
  platform: process.platform,
};
const unexpected = (error: unknown) => {
  runtime.warning(`Post step: ${describeError(error)}`);
  process.exit(0);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);
runPost({ runtime, env: process.env, exec, mirror }).then(() => process.exit(0), unexpected);
