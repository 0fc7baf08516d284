// @ts-check
// The benchmark's results: statistics per figure, the targets table, the machine, and the text
// report printed at the end.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { stats } from './measure.mjs';

const MIB = 1024; // peak RSS is in KiB
/** The targets besides the ratios of ratios.mjs (medians, zero added latency unless said). */
export const TARGET = {
  latencyMs: 50,
  rssMiB: 60,
  distBytes: 1_300_000,
};

/**
 * @typedef {{ n: number, min: number, median: number, max: number }} Stats
 * @typedef {{ name: string, goal: string, value: string, met: boolean }} Target
 * @typedef {{
 *   date: string, bundleNode: string, benchNode: string, cpu: string, nproc: number,
 *   memGiB: number, kernel: string, docker: string, loadAvgBefore: number[],
 *   loadAvgAfter: number[], actionDir: string, git: string,
 * }} Machine
 * @typedef {{
 *   machine: Machine,
 *   config: { runs: number, warmUp: number, quick: boolean, latencyMs: number, pairs?: number, rttMs?: number },
 *   targets: Target[],
 *   summary: Record<string, Stats>,
 *   dist: ReturnType<typeof import('./dist.mjs').distReport>,
 *   noise: string[],
 * }} Report
 */

/** @param {Report} r */
export function formatReport(r) {
  const { summary: s, machine: m, dist } = r;
  const ms = (/** @type {number} */ x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const mb = (/** @type {number} */ kb) => (Number.isFinite(kb) ? (kb / MIB).toFixed(1) : '–');
  const base = s.baselineWallMs.median;
  const baseRss = s.baselineRssKb.median;
  /** @type {[string, string, { min: number, median: number, max: number }, 'ms' | 'MiB', boolean?][]} */
  const rows = [
    ['node -e 0 (baseline, same node)', 'wall ms', s.baselineWallMs, 'ms', true],
    ['', 'peak RSS MiB', s.baselineRssKb, 'MiB', true],
    ['main step (role-to-assume)', 'wall ms', s.mainWallMs, 'ms'],
    ['', 'peak RSS MiB', s.mainRssKb, 'MiB'],
    ['floor: the same work done plainly', 'wall ms', s.floorWallMs, 'ms'],
    [`main step, +${r.config.latencyMs} ms on OIDC/STS/ECR`, 'wall ms', s.mainLatencyWallMs, 'ms'],
    ['post step (undo one login)', 'wall ms', s.postWallMs, 'ms'],
    ['', 'peak RSS MiB', s.postRssKb, 'MiB'],
    ['job: main + docker pull + post', 'wall ms', s.jobTotalMs, 'ms'],
    ['  of which main + post (login cost)', 'wall ms', s.jobLoginCostMs, 'ms'],
    ['  of which docker pull', 'wall ms', s.jobPullMs, 'ms'],
    ['start-up: main, invalid input (no SDK)', 'wall ms', s.startupMainBadInputMs, 'ms'],
    ['', 'peak RSS MiB', s.startupMainBadInputRssKb, 'MiB'],
    ['start-up: main + SDK, no network', 'wall ms', s.startupMainSdkNoNetworkMs, 'ms'],
    ['', 'peak RSS MiB', s.startupMainSdkNoNetworkRssKb, 'MiB'],
    ['start-up: SDK chunk alone (shim)', 'wall ms', s.startupSdkShimMs, 'ms'],
    ['', 'peak RSS MiB', s.startupSdkShimRssKb, 'MiB'],
    ['start-up: post, empty state', 'wall ms', s.startupPostEmptyMs, 'ms'],
    ['', 'peak RSS MiB', s.startupPostEmptyRssKb, 'MiB'],
  ];
  const w = Math.max(...rows.map((x) => x[0].length));
  const lines = [
    `ecr-public-login bench — ${m.date}`,
    `${m.cpu} × ${m.nproc}, ${m.memGiB} GiB, ${m.kernel}; bundles on node ${m.bundleNode} (bench on ${m.benchNode}); ${m.docker}; git ${m.git}`,
    `${r.config.runs} counted runs after 1 warm-up; load average ${m.loadAvgBefore.map((x) => x.toFixed(2)).join(' ')} before, ${m.loadAvgAfter.map((x) => x.toFixed(2)).join(' ')} after`,
    '',
    `${''.padEnd(w)}  ${'unit'.padEnd(12)}  ${'min'.padStart(7)}  ${'median'.padStart(7)}  ${'max'.padStart(7)}  ${'median − node -e 0'.padStart(18)}  ${'× node -e 0'.padStart(11)}`,
  ];
  for (const [label, unit, st, kind, isBaseline] of rows) {
    const f = kind === 'ms' ? ms : mb;
    const over = kind === 'ms' ? st.median - base : st.median - baseRss;
    const times = `${(st.median / (kind === 'ms' ? base : baseRss)).toFixed(2)}×`;
    lines.push(
      `${label.padEnd(w)}  ${unit.padEnd(12)}  ${f(st.min).padStart(7)}  ${f(st.median).padStart(7)}  ${f(st.max).padStart(7)}  ${(isBaseline ? '' : f(over)).padStart(18)}  ${(isBaseline ? '' : times).padStart(11)}`,
    );
  }
  lines.push(
    `SDK chunk alone, inside the shim (median): import (read + compile) ${ms(s.sdkShimImportMs.median)} ms, evaluate aws-sdk.ts exports ${ms(s.sdkShimEntryMs.median)} ms, evaluate the rest of the chunk ${ms(s.sdkShimRestMs.median)} ms`,
    '',
    'dist/                         bytes      gzip  AWS SDK markers',
    ...dist.files.map(
      (f) =>
        `  ${f.file.padEnd(26)} ${String(f.bytes).padStart(9)} ${String(f.gzipBytes).padStart(9)}  ${f.sdkMarkers.join(', ') || '–'}`,
    ),
    `  ${'total'.padEnd(26)} ${String(dist.total.bytes).padStart(9)} ${String(dist.total.gzipBytes).padStart(9)}`,
    '',
  );
  const tw = Math.max(...r.targets.map((t) => t.name.length));
  const gw = Math.max(...r.targets.map((t) => t.goal.length));
  lines.push(`${'target'.padEnd(tw)}  ${'goal'.padEnd(gw)}  met?     measured`);
  for (const t of r.targets) {
    lines.push(
      `${t.name.padEnd(tw)}  ${t.goal.padEnd(gw)}  ${(t.met ? 'met' : 'NOT MET').padEnd(7)}  ${t.value}`,
    );
  }
  for (const note of r.noise) lines.push(`note: ${note}`);
  lines.push('(timings are reported, never judged: the bench fails only on a broken run)');
  return lines.join('\n');
}

/** @param {string} dir */
function gitInfo(dir) {
  const rev = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['-C', dir, 'status', '--porcelain', '--', 'src', 'dist'], {
    encoding: 'utf8',
  });
  const head = rev.status === 0 ? rev.stdout.trim() : 'unknown';
  return dirty.stdout?.trim() ? `${head} (src/ or dist/ modified)` : head;
}

/**
 * min / median / max of every figure over the counted runs.
 * @param {Record<string, any>[]} counted
 * @returns {Record<string, Stats>}
 */
export function summarize(counted) {
  /** @param {(s: Record<string, any>) => number} pick */
  const st = (pick) => stats(counted.map(pick));
  return {
    baselineWallMs: st((s) => s.baseline.wallMs),
    baselineRssKb: st((s) => s.baseline.rssKb),
    mainWallMs: st((s) => s.main.wallMs),
    mainRssKb: st((s) => s.main.rssKb),
    floorWallMs: st((s) => s.floor.wallMs),
    mainLatencyWallMs: st((s) => s.mainLatency.wallMs),
    mainLatencyRssKb: st((s) => s.mainLatency.rssKb),
    postWallMs: st((s) => s.post.wallMs),
    postRssKb: st((s) => s.post.rssKb),
    jobMainMs: st((s) => s.job.mainMs),
    jobPullMs: st((s) => s.job.pullMs),
    jobPostMs: st((s) => s.job.postMs),
    jobLoginCostMs: st((s) => s.job.loginCostMs),
    jobTotalMs: st((s) => s.job.totalMs),
    startupMainBadInputMs: st((s) => s.startup.mainBadInput.wallMs),
    startupMainBadInputRssKb: st((s) => s.startup.mainBadInput.rssKb),
    startupMainSdkNoNetworkMs: st((s) => s.startup.mainSdkNoNetwork.wallMs),
    startupMainSdkNoNetworkRssKb: st((s) => s.startup.mainSdkNoNetwork.rssKb),
    startupSdkShimMs: st((s) => s.startup.sdkShim.wallMs),
    startupSdkShimRssKb: st((s) => s.startup.sdkShim.rssKb),
    sdkShimImportMs: st((s) => s.startup.sdkShim.importMs),
    sdkShimEntryMs: st((s) => s.startup.sdkShim.entryMs),
    sdkShimRestMs: st((s) => s.startup.sdkShim.restMs),
    startupPostEmptyMs: st((s) => s.startup.postEmpty.wallMs),
    startupPostEmptyRssKb: st((s) => s.startup.postEmpty.rssKb),
  };
}

/**
 * The targets table: timing goals, dist/ size, the SDK kept out of post, and processes and
 * round trips that must be the same in every counted run.
 * @param {Record<string, Stats>} summary
 * @param {Record<string, any>[]} counted
 * @param {ReturnType<typeof import('./dist.mjs').distReport>} dist
 * @param {{ main: string[], post: string[] }} audit
 * @returns {Target[]}
 */
export function targetsOf(summary, counted, dist, audit) {
  // Processes and round trips: the same in every counted run, or not met.
  const same = (/** @type {unknown[]} */ xs) =>
    new Set(xs.map((x) => JSON.stringify(x))).size === 1;
  const requests = [
    ...counted.map((s) => s.main.requests),
    ...counted.map((s) => s.mainLatency.requests),
  ];
  // The real docker CLI is on PATH: main stores the login itself, so nothing is spawned.
  const processesOk = audit.main.length === 0 && audit.post.length === 0;
  const roundTripsOk = requests.every((r) => r.oidc === 1 && r.sts === 1 && r.ecr === 1);

  const mib = (/** @type {number} */ kb) => kb / MIB;
  const latencyAdded = summary.mainLatencyWallMs.median - summary.mainWallMs.median;
  return [
    {
      name: `main, ${TARGET.latencyMs} ms per OIDC/STS/ECR call (median)`,
      goal: `≤ main + ${3 * TARGET.latencyMs} ms`,
      value: `+${latencyAdded.toFixed(0)} ms (${summary.mainLatencyWallMs.median.toFixed(1)} vs ${summary.mainWallMs.median.toFixed(1)} ms)`,
      met: latencyAdded <= 3 * TARGET.latencyMs,
    },
    {
      name: 'peak RSS, main (median)',
      goal: `≤ ${TARGET.rssMiB} MiB`,
      value: `${mib(summary.mainRssKb.median).toFixed(1)} MiB`,
      met: mib(summary.mainRssKb.median) <= TARGET.rssMiB,
    },
    {
      name: 'dist/ total',
      goal: `≤ ${(TARGET.distBytes / 1e6).toFixed(1)} MB`,
      value: `${(dist.total.bytes / 1e6).toFixed(3)} MB (gzip ${(dist.total.gzipBytes / 1e6).toFixed(3)})`,
      met: dist.total.bytes <= TARGET.distBytes,
    },
    {
      name: 'post bundle carries no AWS SDK',
      goal: 'no SDK markers',
      value: dist.postCarriesSdk
        ? `found ${dist.postSdkMarkers.join(', ')}`
        : dist.markersFoundInSdkChunk
          ? 'none found'
          : 'none found (but markers missed the SDK chunk too!)',
      met: !dist.postCarriesSdk && dist.markersFoundInSdkChunk,
    },
    {
      name: 'processes spawned (every run)',
      goal: 'main: none (the login is stored directly); post: none',
      value: `node saw main [${audit.main.join(', ')}], post [${audit.post.join(', ')}]`,
      met: processesOk,
    },
    {
      name: 'round trips per main (every run)',
      goal: 'OIDC 1, STS 1, ECR 1',
      value: same(requests)
        ? `OIDC ${requests[0].oidc}, STS ${requests[0].sts}, ECR ${requests[0].ecr}`
        : `varies: ${[...new Set(requests.map((r) => JSON.stringify(r)))].join(' ')}`,
      met: roundTripsOk,
    },
  ];
}

/**
 * @param {string} node the bundles' node
 * @param {string} actionDir
 * @param {number[]} loadBefore
 * @returns {Machine}
 */
export function machineInfo(node, actionDir, loadBefore) {
  const bundleNode = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    date: new Date().toISOString(),
    bundleNode,
    benchNode: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    nproc:
      Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || os.availableParallelism(),
    memGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
    docker: spawnSync('docker', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '',
    loadAvgBefore: loadBefore,
    loadAvgAfter: os.loadavg(),
    actionDir,
    git: gitInfo(actionDir),
  };
}

/**
 * Other work on this small machine shows up as spread; say so next to the figures.
 * @param {number[]} loadBefore
 * @param {Record<string, Stats>} summary
 */
export function noiseNotes(loadBefore, summary) {
  const noise = [];
  if (loadBefore[0] > 0.8) {
    noise.push(`the machine was busy before the bench (1-min load ${loadBefore[0].toFixed(2)})`);
  }
  const b = summary.baselineWallMs;
  if (b.max > 1.5 * b.min) {
    noise.push(
      `node -e 0 ranged ${b.min.toFixed(1)}–${b.max.toFixed(1)} ms: other work competed for the CPUs; trust medians of a quiet run`,
    );
  }
  return noise;
}
