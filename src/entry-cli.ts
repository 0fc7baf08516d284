#!/usr/bin/env node
// CLI entry (the package's bin): `rewrite …`, the one-off migration, with anonymous clients; and
// `hook job-started|job-completed`, the runner's job hooks (dist/hooks/*.sh), which always exit 0.
// Each command loads only its own code.
import { dirname, join } from 'node:path';
import { describeError } from './common/errors.js';

const argv = process.argv.slice(2);

async function rewrite(): Promise<number> {
  const { registryClients } = await import('./images/clients.js');
  const { runCli } = await import('./images/cli.js');
  return runCli(argv, {
    cwd: process.cwd(),
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    clientFor: registryClients({ credentials: () => undefined, timeoutMs: 10_000 }),
  });
}

async function hook(): Promise<number> {
  const { HOOK_EVENTS, runHook } = await import('./hook.js');
  const event = HOOK_EVENTS.find((e) => e === argv[1]);
  if (!event) {
    process.stdout.write(`::warning::usage: ecr-public-login hook ${HOOK_EVENTS.join('|')}\n`);
    return 0;
  }
  const { exec } = await import('./runner/exec.js');
  const mirror = {
    execPath: process.execPath,
    mirrorBundle: join(dirname(process.argv[1]), '../mirror/index.js'),
    isRoot: process.getuid?.() === 0,
    platform: process.platform,
  };
  await runHook(event, { env: process.env, exec, loadSdk: () => import('./aws/sdk.js'), mirror });
  return 0;
}

const isHook = argv[0] === 'hook';
const fail = (error: unknown) => {
  // A hook never fails the job; rewrite's exit codes are for CI gates (2: could not check).
  if (isHook) process.stdout.write(`::warning::ecr-public-login hook: ${describeError(error)}\n`);
  else process.stderr.write(`ecr-public-login: ${describeError(error)}\n`);
  process.exit(isHook ? 0 : 2);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// Exit at once: an abandoned request (after a deadline) must not hold the job.
(isHook ? hook() : rewrite()).then((code) => process.exit(code), fail);
