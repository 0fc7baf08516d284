// The one-off plan outside CI: `ecr-public-login rewrite [--check] FILE...` resolves the files'
// Docker official images against ECR Public anonymously (it hands out anonymous pull tokens) and
// rewrites them in place, or with --check only prints the diff. Exit codes are for CI gates:
// 0 nothing (left) to change, 1 --check found changes, 2 something could not be checked.
import { writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { ECR_PUBLIC_REGISTRY, libraryPrefix, libraryPrefixProblem } from '../registry/names.js';
import { IMAGE_FILE_KINDS } from './file-kinds.js';
import { changes, planRewrite, unifiedDiff, type RewritePlan } from './rewrite-plan.js';
import type { ManifestClient } from './resolve.js';
import { imageRows } from './rows.js';

export const USAGE = `usage: ecr-public-login rewrite [--check] [--verify-digest] [--library-prefix PREFIX] FILE...

Points each Docker official image named in the files at the ECR Public mirror when it serves that
exact tag or digest, and prints the unified diff. Files it reads:
${IMAGE_FILE_KINDS.map((kind) => `  ${kind.label}s: ${kind.names}`).join('\n')}
  --check            change nothing; exit 1 when a file would change
  --verify-digest    only where the mirror's digest equals Docker Hub's
  --library-prefix   another mirror: host and path (default ${libraryPrefix(ECR_PUBLIC_REGISTRY)})
  --help             this text

Exit codes: 0 nothing to change (or every change written), 1 --check: a file would change,
2 something could not be checked (a missing or unparsable file, an unreachable registry) or bad usage.`;

export interface CliDeps {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  clientFor: (host: string) => ManifestClient;
  /** The resolution's bound (default 60 s): what is not checked by then is exit 2. */
  boundMs?: number;
}

interface CliArgs {
  check: boolean;
  verifyDigest: boolean;
  /** Undefined when not given (ECR Public's). */
  prefix?: string;
  files: string[];
}

type Parsed = CliArgs | { help: true } | { usage: string };

/** The parsed arguments, `--help`, or what is wrong with them (exit 2). */
export function parseArgs(argv: string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || rest.includes('--help')) return { help: true };
  if (command !== 'rewrite') return { usage: USAGE };
  const args: CliArgs = { check: false, verifyDigest: false, files: [] };
  for (let i = 0; i < rest.length; i++) {
    const [arg, inline] = rest[i].startsWith('--') ? rest[i].split(/=(.*)/s) : [rest[i]];
    if (arg === '--check') args.check = true;
    else if (arg === '--verify-digest') args.verifyDigest = true;
    else if (arg === '--library-prefix') args.prefix = inline ?? rest[++i] ?? '';
    else if (arg.startsWith('-') && arg !== '-')
      return { usage: `unknown option ${arg}\n\n${USAGE}` };
    else args.files.push(rest[i]);
  }
  return checkArgs(args);
}

function checkArgs(args: CliArgs): Parsed {
  // A trailing `/` is dropped; a host alone (`public.ecr.aws`) is refused, never guessed at.
  const prefix = args.prefix?.replace(/\/+$/, '') ?? libraryPrefix(ECR_PUBLIC_REGISTRY);
  const problem = libraryPrefixProblem(prefix);
  if (problem) return { usage: `--library-prefix ${problem}\n\n${USAGE}` };
  return args.files.length > 0 ? { ...args, prefix } : { usage: `no file given\n\n${USAGE}` };
}

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const args = parseArgs(argv);
  if ('help' in args) {
    deps.out(`${USAGE}\n`);
    return 0;
  }
  if ('usage' in args) {
    deps.err(args.usage);
    return 2;
  }
  const files = args.files.map((file) => ({
    path: resolve(deps.cwd, file),
    relative: relative(deps.cwd, resolve(deps.cwd, file)).split(sep).join('/') || file,
  }));
  const plan = await planRewrite([], files, {
    libraryPrefix: args.prefix ?? '',
    verifyDigest: args.verifyDigest,
    clientFor: deps.clientFor,
    boundMs: deps.boundMs ?? 60_000,
    warn: (message) => deps.err(`warning: ${message}`),
  });
  const changed = plan.files.filter(changes);
  const unwritten = changed.filter((file) => {
    deps.out(unifiedDiff(file));
    return !args.check && !writeFile(file.path, file.after, file.relative, deps);
  });
  for (const row of imageRows([], plan).filter((r) => r.reason)) {
    deps.err(`kept ${row.reference} (${row.reason}) in ${row.sources.join(', ')}`);
  }
  const verb = args.check ? 'would change' : 'changed';
  deps.err(`${changed.length - unwritten.length} of ${files.length} file(s) ${verb}.`);
  if (unchecked(plan, deps) || unwritten.length > 0) return 2;
  return args.check && changed.length > 0 ? 1 : 0;
}

/** Says what could not be checked; true when anything could not. */
function unchecked(plan: RewritePlan, deps: CliDeps): boolean {
  const files = plan.unreadable.map((f) => `${f.relative} ${f.why}`);
  const references = [...plan.resolutions]
    .filter(([, r]) => r.unchecked)
    .map(([reference, r]) => `${reference}: ${r.reason}`);
  const problems = [...files, ...references];
  if (problems.length === 0) return false;
  deps.err(
    `error: not everything could be checked (exit 2):\n  ${problems.join('\n  ')}\n` +
      'Fix the file names or the files, or retry when the registry answers (proxy: HTTPS_PROXY).',
  );
  return true;
}

function writeFile(path: string, bytes: Buffer, name: string, deps: CliDeps): boolean {
  try {
    writeFileSync(path, bytes);
    return true;
  } catch (error) {
    deps.err(`error: ${name} could not be written (${String(error)}); it is left as it was.`);
    return false;
  }
}
