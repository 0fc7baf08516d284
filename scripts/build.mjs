// Builds the four bundles: dist/index.js (main, which also runs the runner hooks of
// dist/hooks/*.sh, so they share its SDK chunk) and dist/post/index.js (post), which the runner
// loads, dist/mirror/index.js (docker-mirror's background mirror) and dist/cli/index.js (the
// one-off `rewrite` command), plus main's lazily loaded chunks (dist/<n>.index.js). Separate
// entries, so the post bundle carries none of the AWS SDK and the mirror none of it either. Each
// bundle's third-party licenses go to licenses.txt beside it (the post and mirror bundles bundle
// no package today).
//   node scripts/build.mjs [--out DIR] [--source-maps]   (maps only to measure them; dist/ ships none)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { MODULE_PATH, renderActionInputs } from './action-inputs.mjs';
import { MODULE_PATH as REGIONS_PATH, renderAwsRegions } from './aws-regions.mjs';

// Input names and defaults come from action.yml.
writeFileSync(MODULE_PATH, renderActionInputs(readFileSync('action.yml', 'utf8')));
// Region names come from the pinned SDK's partition data.
writeFileSync(REGIONS_PATH, await renderAwsRegions());

const args = process.argv.slice(2);
const target = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'dist';
const sourceMaps = args.includes('--source-maps');
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
// Built beside dist/ and swapped in at the end, so a job running meanwhile never sees half a dist/.
const out = `${target}.tmp`;
const entries = [
  ['src/entry-main.ts', out],
  ['src/entry-post.ts', `${out}/post`],
  ['src/entry-mirror.ts', `${out}/mirror`],
  ['src/entry-cli.ts', `${out}/cli`],
];
rmSync(out, { recursive: true, force: true });
for (const [entry, dir] of entries) {
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      entry,
      '-o',
      dir,
      '--minify',
      '--target',
      'es2022',
      '--license',
      'licenses.txt',
      '--quiet',
      ...(sourceMaps ? ['--source-map', '--no-source-map-register'] : []),
    ],
    { stdio: 'inherit' },
  );
}
// ncc minifies only each entry file; a lazily loaded chunk (the SDK's, in main and in the CLI
// for the runner hooks) would ship as source, ~1 MB for the SDK alone.
const chunks = entries.flatMap(([, dir]) =>
  readdirSync(dir)
    .filter((f) => /^\d+\.index\.js$/.test(f))
    .map((file) => ({ file, path: join(dir, file) })),
);
for (const { file, path } of chunks) {
  // With maps, terser's map continues ncc's (chunk -> TypeScript sources).
  const sourceMap = sourceMaps && {
    url: `${file}.map`,
    content: readFileSync(`${path}.map`, 'utf8'),
  };
  const { code, map } = await minify(readFileSync(path, 'utf8'), {
    module: true,
    ecma: 2020,
    sourceMap,
  });
  writeFileSync(path, code);
  if (map) writeFileSync(`${path}.map`, map);
}
writeHooks(`${out}/hooks`);
rmSync(`${target}.old`, { recursive: true, force: true });
try {
  renameSync(target, `${target}.old`);
} catch {
  // first build
}
renameSync(out, target);
rmSync(`${target}.old`, { recursive: true, force: true });

/**
 * The two scripts a platform team names in ACTIONS_RUNNER_HOOK_JOB_STARTED / _COMPLETED. node:
 * ECR_PUBLIC_LOGIN_NODE, else node on PATH, else the runner's own (its parent is Runner.Worker,
 * in <runner>/bin/). Not exec'd: the script exits 0 whatever node does (a failing hook fails the job).
 */
function writeHooks(dir) {
  mkdirSync(dir, { recursive: true });
  for (const event of ['job-started', 'job-completed']) {
    const script = `#!/bin/sh
# ecr-public-login's ${event} runner hook: ACTIONS_RUNNER_HOOK_JOB_${event === 'job-started' ? 'STARTED' : 'COMPLETED'}=<this file>.
# Settings: the runner's ECR_PUBLIC_LOGIN_* variables (README: ARC and fleet set-up). Always exits 0.
here=$(dirname "$0")
node=\${ECR_PUBLIC_LOGIN_NODE:-$(command -v node)}
if [ -z "$node" ]; then
  bin=$(dirname "$(readlink "/proc/$PPID/exe" 2>/dev/null)")
  for v in node24 node20; do [ -x "$bin/../externals/$v/bin/node" ] && node="$bin/../externals/$v/bin/node" && break; done
fi
if [ -z "$node" ]; then
  echo "::warning::ecr-public-login ${event} hook: no node found (set ECR_PUBLIC_LOGIN_NODE); nothing done."
  exit 0
fi
"$node" "$here/../index.js" hook ${event}
exit 0
`;
    writeFileSync(`${dir}/${event}.sh`, script, { mode: 0o755 });
  }
}
