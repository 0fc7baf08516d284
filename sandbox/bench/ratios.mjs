// @ts-check
// Same-run figures: this action against the two-action chain (per alternating pair), every
// figure as a multiple of `node -e 0` from the same run, WAN mode, and the compile cache. Ratios
// travel between machines; milliseconds do not.
import { stats } from './measure.mjs';

/** The targets, as ratios. */
export const RATIO_TARGET = { jobWall: 0.42, actionSteps: 0.3, postOverNode: 1.4 };
/** Round trips main cannot avoid: OIDC (TCP + TLS + request) + STS request + ECR request. */
export const FLOOR_ROUND_TRIPS = 3 + 1 + 1;

/**
 * @typedef {import('./chain.mjs').JobTiming} JobTiming
 * @typedef {{ chain: JobTiming, ours: JobTiming }} Pair
 * @typedef {Pair & { loginWanMs: number, loginNoDelayMs: number, mainNoDelayMs: number }} WanPair
 * @typedef {Record<'off' | 'cold' | 'warm', { main: number, post: number }>} CacheRun
 * @typedef {import('./report.mjs').Stats} Stats
 */

/** @param {number[]} xs */
const med = (xs) => stats(xs).median;

/** Medians of both sides' jobs and of the per-pair ratios. @param {Pair[]} pairs */
export function pairSummary(pairs) {
  const side = (/** @type {'chain' | 'ours'} */ k) => ({
    totalMs: med(pairs.map((p) => p[k].totalMs)),
    stepsMs: med(pairs.map((p) => p[k].stepsMs)),
    pullMs: med(pairs.map((p) => p[k].pullMs)),
    steps: Object.fromEntries(
      Object.keys(pairs[0]?.[k].steps ?? {}).map((s) => [s, med(pairs.map((p) => p[k].steps[s]))]),
    ),
  });
  return {
    n: pairs.length,
    chain: side('chain'),
    ours: side('ours'),
    jobRatio: stats(pairs.map((p) => p.ours.totalMs / p.chain.totalMs)),
    stepsRatio: stats(pairs.map((p) => p.ours.stepsMs / p.chain.stepsMs)),
  };
}

/** WAN pairs plus the bound on our main (floorMs): no-delay main + 5 RTT + docker login's own delay. */
/** @param {WanPair[]} pairs @param {number} rttMs */
export function wanSummary(pairs, rttMs) {
  const mainWanMs = med(pairs.map((p) => p.ours.steps.main));
  const mainNoDelayMs = med(pairs.map((p) => p.mainNoDelayMs));
  const loginDelayMs = med(pairs.map((p) => p.loginWanMs - p.loginNoDelayMs));
  const floorMs = mainNoDelayMs + FLOOR_ROUND_TRIPS * rttMs + loginDelayMs;
  return { ...pairSummary(pairs), rttMs, mainWanMs, mainNoDelayMs, loginDelayMs, floorMs };
}

/** @param {CacheRun[]} runs */
export function cacheSummary(runs) {
  const of = (/** @type {keyof CacheRun} */ mode, /** @type {'main' | 'post'} */ step) =>
    stats(runs.map((r) => r[mode][step]));
  return Object.fromEntries(
    /** @type {const} */ (['off', 'cold', 'warm']).map((m) => [
      m,
      { main: of(m, 'main'), post: of(m, 'post') },
    ]),
  );
}

/**
 * @param {{ plain: ReturnType<typeof pairSummary> | null, wan: ReturnType<typeof wanSummary> | null,
 *   nodeMs: number, postMs: number }} c
 * @returns {import('./report.mjs').Target[]}
 */
export function ratioTargets({ plain, wan, nodeMs, postMs }) {
  const post = {
    name: 'post step vs `node -e 0` (medians)',
    goal: `≤ ${RATIO_TARGET.postOverNode}×`,
    value: `${(postMs / nodeMs).toFixed(2)}× (${postMs.toFixed(1)} vs ${nodeMs.toFixed(1)} ms)`,
    met: postMs / nodeMs <= RATIO_TARGET.postOverNode,
  };
  return plain && wan ? [...chainTargets(plain, wan), post] : [post];
}

/**
 * @param {ReturnType<typeof pairSummary>} plain
 * @param {ReturnType<typeof wanSummary>} wan
 * @returns {import('./report.mjs').Target[]}
 */
function chainTargets(plain, wan) {
  // Three decimals: two would print 0.42× for a median of 0.423 that misses a 0.42 goal.
  const x = (/** @type {number} */ r) => `${r.toFixed(3)}×`;
  return [
    {
      name: 'job wall vs the two-action chain (median of pairs)',
      goal: `≤ ${RATIO_TARGET.jobWall}×`,
      value: `${x(plain.jobRatio.median)} (${plain.ours.totalMs.toFixed(0)} vs ${plain.chain.totalMs.toFixed(0)} ms, ${plain.n} pairs)`,
      met: plain.jobRatio.median <= RATIO_TARGET.jobWall,
    },
    {
      name: 'action steps vs the chain (median of pairs)',
      goal: `≤ ${RATIO_TARGET.actionSteps}×`,
      value: `${x(plain.stepsRatio.median)} (${plain.ours.stepsMs.toFixed(0)} vs ${plain.chain.stepsMs.toFixed(0)} ms)`,
      met: plain.stepsRatio.median <= RATIO_TARGET.actionSteps,
    },
    {
      name: `main in WAN mode (${wan.rttMs} ms RTT, median)`,
      goal: `≤ no-delay main + ${FLOOR_ROUND_TRIPS} RTT + docker login's own`,
      value: `${wan.mainWanMs.toFixed(0)} ms vs ${wan.floorMs.toFixed(0)} ms (${wan.mainNoDelayMs.toFixed(0)} + ${FLOOR_ROUND_TRIPS}×${wan.rttMs} + ${wan.loginDelayMs.toFixed(0)})`,
      met: wan.mainWanMs <= wan.floorMs,
    },
  ];
}

/**
 * The text section of the report.
 * @param {{ plain: ReturnType<typeof pairSummary> | null, wan: ReturnType<typeof wanSummary> | null,
 *   cache: ReturnType<typeof cacheSummary>, nodeMs: number, skipped: string }} c
 */
export function formatComparison({ plain, wan, cache, nodeMs, skipped }) {
  const x = (/** @type {number} */ ms) => `${(ms / nodeMs).toFixed(1)}×`;
  const row = (/** @type {string} */ label, /** @type {number} */ ms) =>
    `  ${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${x(ms).padStart(7)}`;
  const sides = (/** @type {ReturnType<typeof pairSummary>} */ s, /** @type {string} */ mode) => [
    `${mode}: ${s.n} alternating pairs; job ${s.jobRatio.median.toFixed(2)}× the chain (pairs ${s.jobRatio.min.toFixed(2)}–${s.jobRatio.max.toFixed(2)}), action steps ${s.stepsRatio.median.toFixed(2)}× (${s.stepsRatio.min.toFixed(2)}–${s.stepsRatio.max.toFixed(2)})`,
    row('this action: job (main + pull + post)', s.ours.totalMs),
    ...Object.entries(s.ours.steps).map(([k, v]) => row(`  ${k}`, v)),
    row('  docker pull', s.ours.pullMs),
    row('the chain: job (2 mains + pull + 2 posts)', s.chain.totalMs),
    ...Object.entries(s.chain.steps).map(([k, v]) => row(`  ${k}`, v)),
    row('  docker pull', s.chain.pullMs),
  ];
  const chain =
    plain && wan
      ? [
          ...sides(plain, 'plain sandbox (fakes over HTTP, no delay)'),
          ...sides(wan, `WAN mode (fakes over TLS, ${wan.rttMs} ms RTT on every connection)`),
          `  our main in WAN mode ${wan.mainWanMs.toFixed(0)} ms; with TLS and no delay ${wan.mainNoDelayMs.toFixed(0)} ms; bound ${wan.floorMs.toFixed(0)} ms = that + ${FLOOR_ROUND_TRIPS} RTT + docker login's own ${wan.loginDelayMs.toFixed(0)} ms`,
        ]
      : [`  ${skipped}`];
  return [
    `Same run, against the two-action chain (medians; × = multiple of node -e 0, ${nodeMs.toFixed(1)} ms)`,
    ...chain,
    'Compile cache (main / post, medians)',
    .../** @type {const} */ (['off', 'cold', 'warm']).map(
      (m) =>
        `  ${m.padEnd(5)} main ${cache[m].main.median.toFixed(1)} ms (${x(cache[m].main.median)}), post ${cache[m].post.median.toFixed(1)} ms (${x(cache[m].post.median)})`,
    ),
  ].join('\n');
}
