// Runs the workflow validation (scripts/workflow-lint/cli.mjs) bundled with ncc: GitHub's parser
// imports its JSON schema without import attributes, which plain Node refuses; the bundle inlines it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
try {
  const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
  execFileSync(process.execPath, [
    ncc,
    'build',
    'scripts/workflow-lint/cli.mjs',
    '-o',
    out,
    '--quiet',
  ]);
  execFileSync(process.execPath, [join(out, 'index.mjs')], { stdio: 'inherit' });
} catch (error) {
  process.exitCode = error.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
