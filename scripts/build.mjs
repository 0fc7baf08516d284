// Builds the two bundles the runner loads: dist/index.js (main) and dist/post/index.js (post).
// Two entries, so the post bundle carries none of the AWS SDK.
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

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
    {
      stdio: 'inherit',
    },
  );
}
