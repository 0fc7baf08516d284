// npm audit of the shipped (non-dev) dependencies: fails on high or critical findings, and only
// says so, without failing, when the registry's audit endpoint cannot be reached.
import { spawnSync } from 'node:child_process';
import { auditVerdict } from './audit/verdict.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(
  npm,
  ['audit', '--omit=dev', '--json', '--fetch-timeout=30000', '--fetch-retries=1'],
  { encoding: 'utf8' },
);
const { ok, lines } = auditVerdict(run.stdout ?? '');
for (const line of lines) (ok ? console.log : console.error)(line);
process.exitCode = ok ? 0 : 1;
