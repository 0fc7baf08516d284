// The one-off migration outside CI: `ecr-public-login rewrite [--check] FILE...` resolves the files'
// Docker official images against ECR Public anonymously (it hands out anonymous pull tokens) and
// rewrites them in place, or with --check only prints the diff and exits 1 when a file would change.
import { writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { ECR_PUBLIC_REGISTRY, libraryPrefix } from '../docker/registries.js';
import { changes, planMigration, unifiedDiff } from './migrate.js';
import type { ManifestClient } from './resolve.js';
import { imageRows } from './rows.js';

export const USAGE = `usage: ecr-public-login rewrite [--check] [--verify-digest] [--library-prefix PREFIX] FILE...

Points each Docker official image named in the Dockerfiles and Compose files (*.yml, *.yaml) at
the ECR Public mirror when it serves that exact tag or digest, and prints the unified diff.
  --check            change nothing; exit 1 when a file would change
  --verify-digest    only where the mirror's digest equals Docker Hub's
  --library-prefix   another mirror (default ${libraryPrefix(ECR_PUBLIC_REGISTRY)})`;

export interface CliDeps {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  clientFor: (host: string) => ManifestClient;
}

interface CliArgs {
  check: boolean;
  verifyDigest: boolean;
  prefix: string;
  files: string[];
}

/** The parsed arguments, or the message to print (exit 2). */
export function parseArgs(argv: string[]): CliArgs | string {
  const [command, ...rest] = argv;
  if (command !== 'rewrite') return USAGE;
  const args: CliArgs = { check: false, verifyDigest: false, prefix: '', files: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--verify-digest') args.verifyDigest = true;
    else if (arg === '--library-prefix' && rest[i + 1]) args.prefix = rest[++i];
    else if (arg.startsWith('-')) return `unknown option ${arg}\n\n${USAGE}`;
    else args.files.push(arg);
  }
  args.prefix ||= libraryPrefix(ECR_PUBLIC_REGISTRY);
  return args.files.length > 0 ? args : `no file given\n\n${USAGE}`;
}

/** Exit code: 0 done (or nothing to change), 1 `--check` found changes, 2 bad usage. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    deps.err(args);
    return 2;
  }
  const files = args.files.map((file) => ({
    path: resolve(deps.cwd, file),
    relative: relative(deps.cwd, resolve(deps.cwd, file)).split(sep).join('/'),
  }));
  const migration = await planMigration([], files, {
    libraryPrefix: args.prefix,
    verifyDigest: args.verifyDigest,
    clientFor: deps.clientFor,
    warn: (message) => deps.err(`warning: ${message}`),
  });
  const changed = migration.files.filter((f) => changes(f));
  for (const file of changed) {
    deps.out(unifiedDiff(file));
    if (!args.check) writeFileSync(file.path, file.after);
  }
  for (const row of imageRows([], migration).filter((r) => r.reason)) {
    deps.err(`kept ${row.reference} (${row.reason}) in ${row.sources.join(', ')}`);
  }
  const verb = args.check ? 'would change' : 'changed';
  deps.err(`${changed.length} of ${files.length} file(s) ${verb}.`);
  return args.check && changed.length > 0 ? 1 : 0;
}
