#!/usr/bin/env node
// CLI entry (the package's bin): `rewrite …`, the one-off migration, with anonymous clients.
// The runner's job hooks (dist/hooks/*.sh) run the main bundle instead: `dist/index.js hook …`.
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

const fail = (error: unknown) => {
  // Exit codes are for CI gates: 2 means "could not check".
  process.stderr.write(`ecr-public-login: ${describeError(error)}\n`);
  process.exit(2);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// Exit at once: an abandoned request (after a deadline) must not hold the job.
rewrite().then((code) => process.exit(code), fail);
