#!/usr/bin/env node
// @ts-check
// The measured tables the docs quote, written from measured figures, never by hand: the fault
// table in docs/faults.md and the performance table in docs/performance.md (the README links them).
//
//   npm run figures            after `npm run test:e2e`: keeps the rows the fault table quotes
//                              from .sandbox/figures.json in figures/faults.json (committed, the
//                              record of the run the docs quote), then rewrites the table
//   npm run figures -- --check exits 1 when a table is not what figures/*.json gives (a unit test
//                              runs the same check)
//
//   npm run figures -- --bench [FILE]
//                              after `npm run bench`: keeps what the performance table quotes
//                              from FILE (default bench-results/bench.json) in figures/bench.json,
//                              then rewrites that table (scripts/figures/performance.mjs)
//
// Each table sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in its file,
// DOCS[NAME] (NAME: faults, performance).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRecordOf, performanceTable } from './figures/performance.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The file that holds each generated block. */
export const DOCS = {
  faults: path.join(REPO, 'docs', 'faults.md'),
  performance: path.join(REPO, 'docs', 'performance.md'),
};
export const RUN_FIGURES = path.join(REPO, '.sandbox', 'figures.json');
export const RECORD = path.join(REPO, 'figures', 'faults.json');
export const BENCH_RUN = path.join(REPO, 'bench-results', 'bench.json');
export const BENCH_RECORD = path.join(REPO, 'figures', 'bench.json');

/** @typedef {Record<string, any>} Figures one row's figures, as the e2e test recorded them */

/** @param {number} ms */
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** @param {number} count @param {string} one @param {string} [many] */
const n = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
/** @param {boolean} ok @param {string} yes @param {string} no */
const either = (ok, yes, no) => (ok ? yes : no);

/**
 * The table: which test row, what was injected, what should happen, and how the measured column
 * reads that row's figures. Each row is one named e2e test (recordFigures in __tests__/e2e/).
 * @type {{ key: string, fault: string, expected: string, measured: (f: Figures) => string }[]}
 */
export const ROWS = [
  {
    key: 'sts-throttled-3',
    fault: 'STS throttled 3 times',
    expected: 'success, 4 STS calls, a fresh OIDC token each time',
    measured: (f) =>
      `${f.result}; ${f.stsCalls} STS calls (${f.stsThrottled} throttled), ${f.oidcCalls} OIDC calls, ${f.distinctOidcTokens} distinct tokens; ${f.retryLogLines} retry lines (waits ${f.retryWaitsMs.join(', ')} ms); main ${s(f.mainMs)}`,
  },
  {
    key: 'ecr-500-twice',
    fault: 'ECR Public HTTP 500 twice',
    expected: 'success',
    measured: (f) => `${f.result}; ${f.ecrCalls} ECR calls; main ${s(f.mainMs)}`,
  },
  {
    key: 'ecr-hangs',
    fault: `ECR Public hangs, \`timeout-seconds: 3\``,
    expected: 'gives up at the deadline, falls back or fails clearly',
    measured: (f) =>
      `with a fallback: ${either(f.withFallback.fallbackUsed === 'true', 'Docker Hub', 'no fallback')} after **${f.withFallback.mainSeconds.toFixed(2)} s**; without: ${f.withoutFallback.result === 'failure' ? 'failed' : 'succeeded'} after **${f.withoutFallback.mainSeconds.toFixed(2)} s**, "${deadlineWords(f.withoutFallback.error)}"`,
  },
  {
    key: 'oidc-503-twice',
    fault: 'OIDC endpoint 503 twice',
    expected: 'success',
    measured: (f) =>
      `${f.result}; ${f.oidcCalls} OIDC calls, ${n(f.stsCalls, 'STS call')}; main ${s(f.mainMs)}`,
  },
  {
    key: 'daemon-stopped',
    fault: 'docker daemon stopped before the step',
    expected: 'clear error, fallback attempted, nothing left in config',
    measured: (f) =>
      `${f.result === 'failure' ? 'failed' : 'succeeded'} in ${s(f.mainMs)}${either(f.errorNamesDaemon, " naming the daemon's socket", '')}${either(f.fallbackError, ', for ECR Public and the fallback', '')}; ${f.dockerLoginCalls === 0 ? 'no `docker login` ran' : n(f.dockerLoginCalls, '`docker login`') + ' ran'}; config ${Object.keys(f.configAfterPost.auths ?? {}).length === 0 ? 'empty' : 'NOT empty'}`,
  },
  {
    key: 'daemon-stopped-mid-step',
    fault: 'docker daemon stopped mid-step (after the AWS calls began)',
    expected: 'the same',
    measured: (f) =>
      f.result === 'failure' && f.errorNamesDaemon && f.fallbackAttempted
        ? `the same: the daemon is asked again right before each \`docker login\` (down after ${s(f.daemonDownAfterMs)})`
        : `${f.result}; daemon named: ${f.errorNamesDaemon}; fallback attempted: ${f.fallbackAttempted}`,
  },
  {
    key: 'isolated-20',
    fault: '20 concurrent jobs, `isolated`',
    expected: "every pull works; no job sees another's login; nothing left",
    measured: (f) =>
      `${f.mainsSucceeded}/${f.jobs} logins, ${f.pullsSucceeded}/${f.jobs} pulls, ${f.postsSucceeded}/${f.jobs} logouts; ${f.distinctConfigDirs} distinct folders, ${f.configsWithAnythingButTheirOwnLogin === 0 ? 'each with only its own login' : `${f.configsWithAnythingButTheirOwnLogin} with another's login`}; ${f.configDirsLeftAfterPost} folders left; \`~/.docker\` ${either(f.sharedHomeConfigUntouched, 'unchanged', 'CHANGED')}; ${(f.wallMs / 1000).toFixed(1)} s for all ${f.jobs}`,
  },
  {
    key: 'shared-20',
    fault: '20 concurrent jobs, `shared`',
    expected: 'say what happens',
    measured: (f) =>
      `see "Self-hosted runners" in the README: post ${f.firstRemovalAtPost} removed the shared ECR Public login the others were using; ${f.postsThatRemovedAnotherLogin === 0 ? 'no post removed a login that was not its own' : `${f.postsThatRemovedAnotherLogin} posts removed another's login`}`,
  },
  {
    key: 'fuzz-1000',
    fault: '1,000 random and hostile input sets (in-process; 50 also through the bundle)',
    expected: 'no crash, no stack trace, no secret echoed, every error names the input',
    measured: (f) => {
      const p = f.inProcess;
      const echoed = p.fallbackTokensEchoed + p.proxyPasswordsEchoed;
      return `${n(p.inputErrors, 'input error')}, ${n(p.loginFailures, 'login failure')}, ${n(p.success, 'success', 'successes')}; ${p.crashes} crashes, ${p.stackTracesOrJsErrorNames} stack traces, ${echoed} secrets echoed, ${p.injectedCommandsTookEffect} injected workflow commands took effect, ${p.inputErrorItemsNotNamingAnInput === 0 ? 'every error names its input' : `${p.inputErrorItemsNotNamingAnInput} errors name no input`}; ${f.bundle.agreeWithInProcess === f.bundle.sets ? `the ${f.bundle.sets} bundle runs agree` : `${f.bundle.sets - f.bundle.agreeWithInProcess} bundle runs disagree`}`;
    },
  },
  ...['sts', 'ecr'].map((service) => ({
    key: `${service}-hangs-once`,
    fault: `${service === 'sts' ? 'STS' : 'ECR Public'} accepts the connection, never answers once`,
    expected: 'cut at the 10 s per-request time-out, retried, success',
    /** @param {Figures} f */
    measured: (f) =>
      `${f.result} after **${f.mainSeconds.toFixed(2)} s**; ${n(f.calls, `${service === 'sts' ? 'STS' : 'ECR'} call`)}${/no answer from .* within 10000 ms/.test(f.retryLine) ? ' (one retry after "no answer … within 10000 ms")' : ''}`,
  })),
  {
    key: 'wrapper-docker-login-hangs',
    fault: 'a `docker` wrapper whose login hangs in a grandchild, `timeout-seconds: 5`',
    expected: 'the step is bounded',
    measured: (f) =>
      `failed after **${f.mainSeconds.toFixed(2)} s**${/killed by SIGKILL/.test(f.error) ? ', "killed by SIGKILL" (the whole process group)' : `: ${f.error}`}`,
  },
  {
    key: 'proxy-https-proxy',
    fault: '`HTTPS_PROXY` = a real tinyproxy',
    expected: 'calls tunnelled',
    measured: (f) =>
      `${f.result}; the proxy logged ${f.proxiedConnects.oidc} CONNECT to OIDC, ${f.proxiedConnects.sts} to STS and ${f.proxiedConnects.ecr} to ECR Public`,
  },
  {
    key: 'proxy-down',
    fault: 'proxy down',
    expected: 'clear error; fallback works',
    measured: (f) =>
      `failed after ${f.withoutFallback.retryLogLines + 1} attempts (${s(f.withoutFallback.mainMs)}) naming the proxy; with a fallback: ${f.withFallback.fallbackUsed === 'true' ? 'Docker Hub' : 'no fallback'}`,
  },
];

/** The deadline sentence of the step's error, without the registry prefix. @param {string} error */
function deadlineWords(error) {
  const m = /Logging in to ECR Public did not succeed within the \d+ s deadline/.exec(error);
  return m ? m[0] : error;
}

/**
 * The markdown table for the recorded figures; a row without figures says so.
 * @param {Record<string, Figures>} record
 */
export function renderTable(record) {
  const dates = Object.values(record)
    .map((f) => String(f.recordedAt ?? '').slice(0, 10))
    .filter(Boolean)
    .sort();
  const when = dates.length ? dates.at(-1) : 'no run recorded';
  const intro = [
    `One run of the end-to-end suite (\`npm run test:e2e\`, ${when}, in the [sandbox](sandbox.md));`,
    'each row is a named test, and `npm run figures` wrote the measured column from that run',
    '(`figures/faults.json`), not by hand.',
  ].join('\n');
  const rows = ROWS.map((r) => [
    r.fault,
    r.expected,
    record[r.key] ? r.measured(record[r.key]) : 'not measured in this run',
  ]);
  return `${intro}\n\n${markdownTable(['fault injected', 'expected', 'measured'], rows)}`;
}

/**
 * A table padded the way prettier pads it, so `npm run lint` accepts the generated file.
 * @param {string[]} header
 * @param {string[][]} rows
 */
function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i]))));
  /** @param {string[]} cells */
  const line = (cells) =>
    `| ${cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/** Display width as prettier counts it (one per code point here). @param {string} text */
const width = (text) => [...text].length;

/**
 * The performance table from a bench record (figures/bench.json).
 * @param {ReturnType<typeof benchRecordOf>} record
 */
export function renderPerformance(record) {
  const { intro, header, rows } = performanceTable(record);
  return `${intro}\n\n${markdownTable(header, rows)}`;
}

/**
 * The text with the block between the markers replaced by `table` (idempotent).
 * @param {string} text
 * @param {string} table
 * @param {string} [name] which block: faults (default) or performance
 */
export function replaceBlock(text, table, name = 'faults') {
  const [BEGIN, END] = [`<!-- figures:${name} -->`, `<!-- /figures:${name} -->`];
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`no ${BEGIN} … ${END} block`);
  return `${text.slice(0, start + BEGIN.length)}\n\n${table}\n\n${text.slice(end)}`;
}

/** The rows the table quotes, from a run's figures file. @param {Record<string, Figures>} run */
export function recordOf(run) {
  /** @type {Record<string, Figures>} */
  const kept = {};
  for (const { key } of ROWS) if (run[key]) kept[key] = run[key];
  return kept;
}

/** @param {string} file */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Each block as the records give it. @type {Record<keyof typeof DOCS, () => string>} */
const RENDER = {
  faults: () => renderTable(readJson(RECORD)),
  performance: () => renderPerformance(readJson(BENCH_RECORD)),
};

/**
 * Each file that holds a block: its path, its text now, and its text as the records give it.
 * @param {(file: string) => string} [read]
 */
export const fromRecords = (read = (/** @type {string} */ file) => readFileSync(file, 'utf8')) =>
  /** @type {(keyof typeof DOCS)[]} */ (Object.keys(DOCS)).map((name) => {
    const text = read(DOCS[name]);
    return { name, file: DOCS[name], text, expected: replaceBlock(text, RENDER[name](), name) };
  });

/** `--bench [FILE]`: keeps the bench run's quoted figures, rewrites the performance table. */
function fromBench() {
  const at = process.argv.indexOf('--bench');
  const file =
    process.argv[at + 1] && !process.argv[at + 1].startsWith('--')
      ? path.resolve(process.argv[at + 1])
      : BENCH_RUN;
  const record = benchRecordOf(readJson(file));
  writeFileSync(BENCH_RECORD, JSON.stringify(record, null, 2) + '\n');
  const doc = readFileSync(DOCS.performance, 'utf8');
  writeFileSync(DOCS.performance, replaceBlock(doc, renderPerformance(record), 'performance'));
  console.log(
    `${path.relative(REPO, DOCS.performance)}: table rewritten from ${path.relative(REPO, file)}.`,
  );
}

function main() {
  if (process.argv.includes('--check')) {
    const stale = fromRecords().filter((f) => f.expected !== f.text);
    if (!stale.length) return console.log("The docs' figures match figures/*.json.");
    for (const f of stale) {
      console.error(
        `${path.relative(REPO, f.file)} differs from figures/*.json: run \`npm run figures\`.`,
      );
    }
    process.exit(1);
  }
  if (process.argv.includes('--bench')) return fromBench();
  const record = recordOf(readJson(RUN_FIGURES));
  const missing = ROWS.filter((r) => !record[r.key]).map((r) => r.key);
  if (missing.length)
    console.warn(`not in ${RUN_FIGURES}: ${missing.join(', ')} (run npm run test:e2e)`);
  writeFileSync(RECORD, JSON.stringify(record, null, 2) + '\n');
  const doc = readFileSync(DOCS.faults, 'utf8');
  writeFileSync(DOCS.faults, replaceBlock(doc, renderTable(record)));
  console.log(
    `${path.relative(REPO, DOCS.faults)}: table rewritten from ${path.relative(REPO, RECORD)}.`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
