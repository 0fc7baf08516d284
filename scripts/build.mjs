// Builds the two bundles the runner loads: dist/index.js (main) and dist/post/index.js (post).
// Two entries, so the post bundle carries none of the AWS SDK.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { MODULE_PATH, renderActionInputs } from './action-inputs.mjs';

// Input names and defaults come from action.yml.
writeFileSync(MODULE_PATH, renderActionInputs(readFileSync('action.yml', 'utf8')));

const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
// Built beside dist/ and swapped in at the end, so a job running meanwhile never sees half a dist/.
const out = 'dist.tmp';
const entries = [
  ['src/entry-main.ts', out],
  ['src/entry-post.ts', `${out}/post`],
  ['src/entry-cli.ts', `${out}/cli`],
];
rmSync(out, { recursive: true, force: true });
for (const [entry, dir] of entries) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', dir, '--minify', '--target', 'es2022', '--quiet'],
    { stdio: 'inherit' },
  );
}
// ncc minifies only each entry file; the lazily loaded SDK chunk would ship as ~1 MB of source.
for (const file of readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f))) {
  const path = join(out, file);
  const { code } = await minify(readFileSync(path, 'utf8'), { module: true, ecma: 2020 });
  writeFileSync(path, code);
}
rmSync('dist.old', { recursive: true, force: true });
try {
  renameSync('dist', 'dist.old');
} catch {
  // first build
}
renameSync(out, 'dist');
rmSync('dist.old', { recursive: true, force: true });
