// Builds the two bundles the runner loads: dist/index.js (main) and dist/post/index.js (post).
// Two entries, so the post bundle carries none of the AWS SDK.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
const entries = [
  ['src/entry-main.ts', 'dist'],
  ['src/entry-post.ts', 'dist/post'],
];
rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', out, '--minify', '--target', 'es2022', '--quiet'],
    { stdio: 'inherit' },
  );
}
// ncc minifies only each entry file; the lazily loaded SDK chunk would ship as ~1 MB of source.
for (const file of readdirSync('dist').filter((f) => /^\d+\.index\.js$/.test(f))) {
  const path = join('dist', file);
  const { code } = await minify(readFileSync(path, 'utf8'), { module: true, ecma: 2020 });
  writeFileSync(path, code);
}
