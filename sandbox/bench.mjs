#!/usr/bin/env node
// @ts-check
// The performance benchmark: `npm run bench` (15 counted runs), `npm run bench --
// --quick` (3 runs, for CI), `--runs N`, `--profile` (also the CPU breakdown of sandbox/profile.mjs).
//
// Everything runs in one local sandbox (fakes for OIDC/STS/ECR Public, a real registry and
// dockerd) through the runner emulator and the built bundles, as the GitHub runner runs them,
// on the node the action declares (Node 24 from node_modules). Each counted iteration runs, in
// this order: a `node -e 0` baseline, main, post (undoing that main's login), main with 50 ms of
// latency on every OIDC/STS/ECR call, a job (main + `docker pull` + post), and the bare start-ups.
// It prints min / median / max, a targets table, and writes every sample to
// bench-results/bench.json (git-ignored).
//
// It fails (exit 1) only when a run is broken (a step failed, a pull failed, a check of what a
// run did could not be made), never on a timing or a missed target.
// The parts live in sandbox/bench/: phases.mjs (one function per measured phase), measure.mjs,
// dist.mjs, report.mjs (statistics, targets, machine, text report) and sdk-shim.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distReport, shimConfig } from './bench/dist.mjs';
import { BrokenRun } from './bench/measure.mjs';
import { ANCHORS_DIR, chainAvailable } from './bench/chain.mjs';
import * as compare from './bench/compare.mjs';
import * as phase from './bench/phases.mjs';
import {
  featureMains,
  featureSummary,
  featureTargets,
  formatFeatures,
  mirrorThroughput,
} from './bench/features.mjs';
import {
  cacheSummary,
  formatComparison,
  pairSummary,
  ratioTargets,
  wanSummary,
} from './bench/ratios.mjs';
import {
  formatReport,
  machineInfo,
  noiseNotes,
  summarize,
  TARGET,
  targetsOf,
} from './bench/report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

// ------------------------------------------------------------------------------------ CLI

/**
 * @typedef {{ runs: number, pairs: number, rttMs: number, layerMiB: number, quick: boolean, profile: boolean, out: string }} Args
 * @param {string[]} argv
 * @returns {Args}
 */
function parseArgs(argv) {
  /** @type {Args} */
  const args = {
    runs: 15,
    pairs: 10,
    rttMs: 30,
    layerMiB: 256,
    quick: false,
    profile: false,
    out: path.join(REPO, 'bench-results', 'bench.json'),
  };
  let runsGiven = false;
  let pairsGiven = false;
  let layerGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--profile') args.profile = true;
    else if (a === '--runs') {
      args.runs = Number(argv[++i]);
      runsGiven = true;
    } else if (a === '--pairs') {
      args.pairs = Number(argv[++i]);
      pairsGiven = true;
    } else if (a === '--rtt') args.rttMs = Number(argv[++i]);
    else if (a === '--layer-mib') {
      args.layerMiB = Number(argv[++i]);
      layerGiven = true;
    } else if (a === '--out') args.out = path.resolve(argv[++i] ?? '');
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npm run bench [-- --quick | --runs N] [--profile] [--out FILE]\n' +
          '  --quick    3 counted runs (CI); never fails on timing\n' +
          '  --runs N   counted runs (default 15), after 1 warm-up\n' +
          '  --pairs N  alternating job pairs vs the two-action chain, plain and WAN (default 10)\n' +
          '  --rtt MS   WAN mode round-trip time (default 30)\n' +
          '  --layer-mib N  the large layer pulled directly and through docker-mirror (default 256; 32 with --quick)\n' +
          '  --profile  also profile the main step (sandbox/profile.mjs)\n' +
          '  --out F    result file (default bench-results/bench.json)',
      );
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  if (args.quick && !runsGiven) args.runs = 3;
  if (args.quick && !pairsGiven) args.pairs = 2;
  if (args.quick && !layerGiven) args.layerMiB = 32;
  for (const [flag, n] of [
    ['--runs', args.runs],
    ['--pairs', args.pairs],
    ['--layer-mib', args.layerMiB],
  ]) {
    if (!(Number.isInteger(n) && Number(n) >= 1))
      throw new Error(`${flag} needs a positive whole number`);
  }
  if (!(args.rttMs >= 0)) throw new Error('--rtt needs a number of milliseconds');
  return args;
}

/** Outside the sandbox namespace: run this same script inside it, passing args and exit code. */
function reexecInNamespace() {
  const r = spawnSync(
    path.join(HERE, 'in-namespace.sh'),
    [process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (r.error) throw r.error;
  process.exit(r.status ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0));
}

// --------------------------------------------------------------------------------- main

/**
 * @typedef {import('./bench/phases.mjs').Bench} Bench
 * @typedef {import('./bench/phases.mjs').Sandbox} Sandbox
 * @typedef {typeof import('./profile.mjs')} Profiler
 * @typedef {Awaited<ReturnType<typeof measure>>} Measured
 * @typedef {{ sb: Sandbox, dist: ReturnType<typeof distReport>, loadBefore: number[], started: number }} RunFacts
 *   the sandbox measured in, the bundles' sizes, the load average before, when the bench started
 */

/** @param {Args} args */
async function main(args) {
  const { startSandbox, ECR_IMAGE } = await import('./sandbox.mjs');
  const profiler = await import('./profile.mjs');
  const started = Date.now();
  const loadBefore = os.loadavg();
  // SANDBOX_ACTION_DIR benchmarks another checkout (e.g. a trial build), as in startSandbox.
  const actionDir = path.resolve(process.env.SANDBOX_ACTION_DIR ?? REPO);
  const dist = distReport(actionDir);
  const sb = await startSandbox({ actionDir, wan: true, recordDocker: false });
  const scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'bench-'));
  const bench = benchSetup(sb, scratch, shimConfig(actionDir), ECR_IMAGE);
  let measured;
  try {
    measured = await measure(bench, args, scratch, profiler);
  } finally {
    await sb.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const { result, comparison, featureFigures } = benchResult(args, measured, {
    sb,
    dist,
    loadBefore,
    started,
  });
  writeResult(args.out, result);
  printReport(result, comparison, featureFigures, profiler.formatProfile, args.out);
}

/**
 * Every measurement, in order: the iterations, the chain comparison, the features, the mirror's
 * throughput, the spawn audit, and (with --profile) the main step's profile.
 * @param {Bench} bench @param {Args} args @param {string} scratch @param {Profiler} profiler
 */
async function measure(bench, args, scratch, profiler) {
  const samples = await iterations(bench, args.runs, scratch);
  const compared = await comparisons(bench, args);
  process.stderr.write(
    `features: ${args.pairs} rotations; pulls of a ${args.layerMiB} MiB layer\n`,
  );
  const features = await featureMains(bench, args.pairs, scratch);
  const pulls = await mirrorThroughput(
    bench,
    Math.max(1, Math.ceil(args.pairs / 2)), // plus a warm-up pair
    args.layerMiB * 2 ** 20,
  );
  // Every child process the bundles start, seen from inside node (not only docker).
  const audit = await phase.spawnAudit(bench.sb, scratch, profiler.TIMELINE_PRELOAD, bench.role);
  const profile = args.profile
    ? await profiler.profileMain(bench.sb, { log: (l) => process.stderr.write(`${l}\n`) })
    : null;
  return { samples, compared, features, pulls, audit, profile };
}

/**
 * The figures from the measurements, and the result written to bench.json.
 * @param {Args} args @param {Measured} m @param {RunFacts} run
 */
function benchResult(args, m, run) {
  const counted = m.samples.filter((s) => !s.warmUp);
  const summary = summarize(counted);
  const comparison = compareSummary(counted, m.compared, summary, args.rttMs);
  const featureFigures = featureSummary(m.features, m.pulls, comparison.nodeMs);
  const benchSeconds = (Date.now() - run.started) / 1000;
  /** @type {import('./bench/report.mjs').Report & Record<string, unknown> & { benchSeconds: number, profile: Measured['profile'] }} */
  const result = {
    machine: machineInfo(run.sb.node, run.sb.actionDir, run.loadBefore),
    config: benchConfig(args),
    targets: [
      ...ratioTargets(comparison),
      ...featureTargets(featureFigures, summary),
      ...targetsOf(summary, counted, run.dist, m.audit),
    ],
    summary,
    comparison,
    compared: m.compared,
    features: { summary: featureFigures, runs: m.features, pulls: m.pulls },
    dist: run.dist,
    noise: noiseNotes(run.loadBefore, summary),
    audit: m.audit,
    samples: m.samples,
    profile: m.profile,
    benchSeconds,
  };
  return { result, comparison, featureFigures };
}

/** The run's settings as bench.json records them. @param {Args} args */
function benchConfig(args) {
  return {
    runs: args.runs,
    warmUp: 1,
    quick: args.quick,
    latencyMs: TARGET.latencyMs,
    pairs: args.pairs,
    rttMs: args.rttMs,
  };
}

/**
 * Prints the report, the chain comparison, the features, the profile (with --profile), and
 * where the result went.
 * @param {ReturnType<typeof benchResult>['result']} result
 * @param {ReturnType<typeof benchResult>['comparison']} comparison
 * @param {ReturnType<typeof benchResult>['featureFigures']} featureFigures
 * @param {Profiler['formatProfile']} formatProfile
 * @param {string} out
 */
function printReport(result, comparison, featureFigures, formatProfile, out) {
  console.log(formatReport(result));
  console.log(`\n${formatComparison(comparison)}`);
  console.log(`\n${formatFeatures(featureFigures, comparison.nodeMs)}`);
  if (result.profile) console.log(`\n${formatProfile(result.profile)}`);
  console.log(
    `\nbench took ${result.benchSeconds.toFixed(1)} s; results in ${path.relative(process.cwd(), out)}`,
  );
}

/**
 * The shared parts of every phase: the sandbox, the peak-RSS probe, a bare env, the role.
 * @param {Sandbox} sb
 * @param {string} scratch
 * @param {Bench['shim']} shim
 * @param {string} ecrImage
 * @returns {Bench}
 */
function benchSetup(sb, scratch, shim, ecrImage) {
  const rssProbe = path.join(scratch, 'rss-probe.cjs');
  writeFileSync(
    rssProbe,
    "process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
  return {
    sb,
    role: { 'role-to-assume': sb.roleArn },
    bareEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    rssProbe,
    rssFile: path.join(scratch, 'peak-rss'),
    shim,
    ecrImage,
  };
}

/**
 * The same-run comparison with the two-action chain: alternating job pairs on the plain
 * sandbox, then in WAN mode.
 * @param {Bench} b
 * @param {Args} args
 */
async function comparisons(b, args) {
  if (!chainAvailable()) {
    const skipped = `the two-action chain was not run: its built releases are not in ${ANCHORS_DIR} (set BENCH_ANCHORS_DIR)`;
    process.stderr.write(`${skipped}\n`);
    return { plain: [], wan: [], skipped };
  }
  process.stderr.write(
    `the chain vs this action: ${args.pairs} alternating pairs, plain, then WAN (${args.rttMs} ms RTT)\n`,
  );
  const plain = await compare.plainJobs(b, args.pairs);
  const wan = await compare.wanJobs(b, args.pairs, args.rttMs);
  return { plain, wan, skipped: '' };
}

/**
 * @param {Record<string, any>[]} counted
 * @param {{ plain: import('./bench/ratios.mjs').Pair[], wan: import('./bench/ratios.mjs').WanPair[], skipped: string }} compared
 * @param {Record<string, import('./bench/report.mjs').Stats>} summary
 * @param {number} rttMs
 */
function compareSummary(counted, compared, summary, rttMs) {
  return {
    nodeMs: summary.baselineWallMs.median,
    postMs: summary.postWallMs.median,
    plain: compared.skipped ? null : pairSummary(compared.plain),
    wan: compared.skipped ? null : wanSummary(compared.wan, rttMs),
    skipped: compared.skipped,
    cache: cacheSummary(counted.map((s) => s.compileCache)),
  };
}

/**
 * One warm-up and `runs` counted iterations of every phase, in order.
 * @param {Bench} b
 * @param {number} runs
 * @param {string} scratch
 */
async function iterations(b, runs, scratch) {
  /** @type {Record<string, any>[]} */
  const samples = [];
  // The tool cache a self-hosted runner keeps between jobs (the warm-up fills it).
  const warmCache = mkdtempSync(path.join(scratch, 'tool-cache-'));
  for (let i = 0; i <= runs; i++) {
    const warmUp = i === 0;
    const base = await phase.baseline(b);
    const { main, post } = await phase.mainThenPost(b);
    const floor = await phase.floor(b);
    const mainLatency = await phase.mainWithLatency(b);
    const job = await phase.job(b);
    const startup = await phase.startups(b, warmUp);
    const compileCache = await compare.compileCache(b, warmCache, scratch);
    samples.push({
      iteration: i,
      warmUp,
      baseline: base,
      main,
      post,
      floor,
      mainLatency,
      job,
      startup,
      compileCache,
    });
    process.stderr.write(
      `${warmUp ? 'warm-up' : `run ${i}/${runs}`}: main ${main.wallMs.toFixed(0)} ms, post ${post.wallMs.toFixed(0)} ms, main+${TARGET.latencyMs}ms ${mainLatency.wallMs.toFixed(0)} ms, node -e 0 ${base.wallMs.toFixed(0)} ms\n`,
    );
  }
  return samples;
}

/** @param {string} out @param {unknown} result */
function writeResult(out, result) {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
}

/** @type {Args} */
let cliArgs;
try {
  cliArgs = parseArgs(process.argv.slice(2)); // --help and bad arguments before the namespace
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
if (process.env.SANDBOX_NS !== '1') reexecInNamespace();
else {
  main(cliArgs).catch((error) => {
    console.error(
      error instanceof BrokenRun ? error.message : error instanceof Error ? error.stack : error,
    );
    process.exit(1);
  });
}
