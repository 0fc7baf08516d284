#!/usr/bin/env node
// CLI entry (`npx github:OWNER/ecr-public-login rewrite …`): anonymous clients, real stdout/stderr.
import { describeError } from './common/errors.js';
import { registryClients } from './images/clients.js';
import { runCli } from './images/cli.js';

const clientFor = registryClients({ credentials: () => undefined, timeoutMs: 10_000 });
runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  clientFor,
}).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`ecr-public-login: ${describeError(error)}\n`);
    process.exit(2);
  },
);
