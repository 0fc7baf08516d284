// @ts-check
// Where the post step's milliseconds go, beside `node -e 0` in the same run. Each run: `node -e 0`,
// main logging in (not measured), post undoing that login ("a login to undo"), post with an empty
// state ("nothing to undo"); post and `node -e 0` both with profile.mjs's timeline preload. Then
// runs with --cpu-prof for the CPU split. Prints the medians as multiples of `node -e 0`, the
// node built-ins post loads beyond `node -e 0`, and the functions it spends its own time in.
//
//   node sandbox/profile.mjs --post [--runs N]
//
// The .cpuprofile files land in bench-results/profile-post/ (git-ignored).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeProcess } from './bench/measure.mjs';
import { freshOutDir, keepProfile, median, selfTime, stackReader } from './profile.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOP_FUNCTIONS = 12;

/**
 * @typedef {import('./profile.mjs').Timeline} Timeline
 * @typedef {import('./profile.mjs').CpuProfile} CpuProfile
 * @typedef {{ name: string, ms: number }} Phase
 * @typedef {{
 *   runs: number,
 *   nodeMs: number[], plainMs: number[], emptyMs: number[], profiledMs: number[],
 *   builtins: { plain: string[], empty: string[] },
 *   phases: Phase[], cpu: Phase[], top: Phase[], profiles: string[],
 * }} PostProfile
 */

/** @param {string} what */
const isPostBundle = (what) => /\/dist\/post\/index\.js$/.test(what);

/** @param {Timeline} timeline */
function bounds(timeline) {
  const start = timeline.ev.find((e) => e.e === 'import.start' && isPostBundle(e.what ?? ''));
  const exit = timeline.ev.find((e) => e.e === 'exit');
  return { start: start?.t ?? 0, exit: exit?.t ?? NaN };
}

/** The step in three phases (ms). @param {Timeline} timeline @param {number} durationMs */
function phasesOf(timeline, durationMs) {
  const { start, exit } = bounds(timeline);
  return {
    'node bootstrap (before dist/post/index.js)': start,
    'post bundle: first line until exit': exit - start,
    'outside node: fork/exec, teardown after exit': durationMs - exit,
  };
}

/** node -e 0 in two phases, to set beside post's (ms). @param {Timeline} timeline @param {number} durationMs */
function baselinePhases(timeline, durationMs) {
  const exit = timeline.ev.find((e) => e.e === 'exit')?.t ?? NaN;
  return {
    'node -e 0: process start until exit': exit,
    'node -e 0: outside node': durationMs - exit,
  };
}

/**
 * What the main thread did between the bundle's first line and exit, by the sampled stack.
 * @param {CpuProfile} profile @param {Timeline} timeline
 * @returns {Record<string, number>}
 */
export function postCpuSplit(profile, timeline) {
  const { start, exit } = bounds(timeline);
  const stackOf = stackReader(profile);
  /** @param {number} id */
  const category = (id) => {
    const frames = stackOf(id);
    const leaf = frames[0]?.functionName;
    const has = (/** @type {(f: { functionName: string, url: string }) => boolean} */ p) =>
      frames.some(p);
    if (leaf === '(idle)') return 'idle (waiting for I/O)';
    if (leaf === '(garbage collector)') return 'GC';
    if (has((f) => f.functionName === 'compileForInternalLoader')) return 'loading node built-ins';
    if (has((f) => isPostBundle(f.url))) return "the bundle's own code (incl. ncc runtime)";
    if (has((f) => /esm\/(loader|translators|utils|module_job)/.test(f.url)))
      return 'ESM loader: resolving, reading, compiling the bundle';
    return 'node internals and unattributed';
  };
  /** @type {Record<string, number>} */
  const split = {};
  const offsetUs = timeline.anchor.hrUs - timeline.anchor.t * 1000;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const from = (t - offsetUs) / 1000;
    t += profile.timeDeltas[i];
    const ms = Math.min((t - offsetUs) / 1000, exit) - Math.max(from, start);
    if (ms <= 0) continue;
    const k = category(profile.samples[i]);
    split[k] = (split[k] ?? 0) + ms;
  }
  return split;
}

/** Median per name over runs, largest first unless asked to keep the order. @param {Record<string, number>[]} runs */
function medians(runs, sorted = true) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  const rows = names.map((name) => ({ name, ms: median(runs.map((r) => r[name] ?? 0)) }));
  return sorted ? rows.sort((a, b) => b.ms - a.ms) : rows;
}

/** @param {Timeline} t @param {Timeline} base */
const extraBuiltins = (t, base) => (t.builtins ?? []).filter((m) => !base.builtins?.includes(m));

/**
 * @param {Awaited<ReturnType<typeof import('./sandbox.mjs').startSandbox>>} sb
 * @param {{ runs?: number, outDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<PostProfile>}
 */
export async function profilePost(sb, options = {}) {
  const runs = options.runs ?? 5;
  const outDir = options.outDir ?? path.join(REPO, 'bench-results', 'profile-post');
  const log = options.log ?? (() => {});
  const r = postRuns(sb, outDir);
  await r.plainPost('warm-up');
  const timed = await timedRuns(r, runs);
  log(`profile: ${runs} post runs beside node -e 0 done`);
  const profiled = await profiledRuns(r, runs, outDir);
  log(`profile: ${runs} post --cpu-prof runs done`);
  const base = r.timelineOf('node-0');
  return {
    runs,
    nodeMs: timed.nodeMs,
    plainMs: timed.plainMs,
    emptyMs: timed.emptyMs,
    profiledMs: profiled.ms,
    builtins: {
      plain: extraBuiltins(r.timelineOf('plain-0'), base),
      empty: extraBuiltins(r.timelineOf('empty-0'), base),
    },
    phases: medians(timed.phases, false),
    cpu: medians(profiled.splits),
    top: medians(profiled.tops).slice(0, TOP_FUNCTIONS),
    profiles: profiled.profiles,
  };
}

/**
 * The three kinds of run, each writing its timeline under a tag: `node -e 0`, post after a plain
 * main, and post with empty state.
 * @param {Awaited<ReturnType<typeof import('./sandbox.mjs').startSandbox>>} sb
 * @param {string} outDir
 */
function postRuns(sb, outDir) {
  const preload = freshOutDir(outDir);
  /** @param {string} tag @returns {Timeline} */
  const timelineOf = (tag) => JSON.parse(readFileSync(path.join(outDir, `${tag}.json`), 'utf8'));
  /** @param {string} tag @param {string[]} [flags] */
  const envFor = (tag, flags = []) => ({
    BENCH_TIMELINE_OUT: path.join(outDir, `${tag}.json`),
    NODE_OPTIONS: [`--require=${preload}`, ...flags].join(' '),
  });
  const nodeE0 = async (/** @type {string} */ tag) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...envFor(tag) };
    const rssFile = path.join(outDir, 'unused');
    const r = await timeProcess(sb.node, ['-e', '0'], { env, rssProbe: preload, rssFile });
    if (r.exitCode !== 0) throw new Error(`node -e 0 failed: ${r.stderr}`);
    return r.durationMs;
  };
  /** @param {string} tag @param {string[]} [flags] */
  const plainPost = async (tag, flags) => {
    const main = await sb.step('main', { with: { 'role-to-assume': sb.roleArn }, debug: false });
    if (main.failed) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`);
    const post = await sb.step('post', {
      state: main.state,
      dockerConfig: main.dockerConfig,
      debug: false,
      env: envFor(tag, flags),
    });
    if (post.failed || post.annotations.warning.length > 0) {
      throw new Error(`post failed or warned:\n${post.stdout}\n${post.stderr}`);
    }
    return post.durationMs;
  };
  const emptyPost = async (/** @type {string} */ tag) => {
    const post = await sb.step('post', { state: {}, debug: false, env: envFor(tag) });
    if (post.failed) throw new Error(`post (empty state) failed:\n${post.stdout}`);
    return post.durationMs;
  };
  return { timelineOf, nodeE0, plainPost, emptyPost };
}

/** Timed runs, alternating: node -e 0, plain post, empty post. @param {ReturnType<typeof postRuns>} r @param {number} runs */
async function timedRuns(r, runs) {
  /** @type {PostProfile['nodeMs']} */ const nodeMs = [];
  /** @type {number[]} */ const plainMs = [];
  /** @type {number[]} */ const emptyMs = [];
  /** @type {Record<string, number>[]} */ const phases = [];
  for (let i = 0; i < runs; i++) {
    nodeMs.push(await r.nodeE0(`node-${i}`));
    plainMs.push(await r.plainPost(`plain-${i}`));
    emptyMs.push(await r.emptyPost(`empty-${i}`));
    phases.push({
      ...phasesOf(r.timelineOf(`plain-${i}`), plainMs[i]),
      ...baselinePhases(r.timelineOf(`node-${i}`), nodeMs[i]),
    });
  }
  return { nodeMs, plainMs, emptyMs, phases };
}

/**
 * Plain posts under --cpu-prof: the CPU split and the top functions of each.
 * @param {ReturnType<typeof postRuns>} r @param {number} runs @param {string} outDir
 */
async function profiledRuns(r, runs, outDir) {
  /** @type {Record<string, number>[]} */ const splits = [];
  /** @type {Record<string, number>[]} */ const tops = [];
  /** @type {number[]} */ const ms = [];
  /** @type {string[]} */ const profiles = [];
  for (let i = 0; i < runs; i++) {
    const dir = path.join(outDir, `cpu-${i}`);
    const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=50'];
    ms.push(await r.plainPost(`cpu-${i}`, flags));
    const target = path.join(outDir, `post-${i}.cpuprofile`);
    const profile = keepProfile(dir, target);
    profiles.push(path.relative(REPO, target));
    const timeline = r.timelineOf(`cpu-${i}`);
    splits.push(postCpuSplit(profile, timeline));
    const { start, exit } = bounds(timeline);
    tops.push(selfTime(profile, timeline, start, exit));
  }
  return { ms, splits, tops, profiles };
}

/** @param {PostProfile} p */
export function formatPostProfile(p) {
  const node = median(p.nodeMs);
  /** @param {number[]} xs */
  const ratio = (xs) => `${median(xs).toFixed(1)} ms = ${(median(xs) / node).toFixed(2)}×`;
  const w = Math.max(...[...p.phases, ...p.cpu, ...p.top].map((x) => x.name.length));
  /** @param {Phase} x */
  const row = (x) => `  ${x.name.padEnd(w)}  ${x.ms.toFixed(2).padStart(6)} ms`;
  return [
    `Post step (median of ${p.runs} runs, each beside a node -e 0 of ${node.toFixed(1)} ms; both with the timeline preload):`,
    `  a login to undo: ${ratio(p.plainMs)}; nothing to undo: ${ratio(p.emptyMs)}`,
    `  node built-ins loaded beyond node -e 0: a login to undo: ${p.builtins.plain.join(', ') || 'none'}; nothing to undo: ${p.builtins.empty.join(', ') || 'none'}`,
    '',
    'Post step with a login to undo, and node -e 0, in phases (median):',
    ...p.phases.map(row),
    '',
    `What the main thread did from the bundle's first line until exit (median of ${p.runs} --cpu-prof runs at 50 µs; step median ${median(p.profiledMs).toFixed(1)} ms, profiling included):`,
    ...p.cpu.map(row),
    '',
    `Self time per function in that window (median, top ${TOP_FUNCTIONS}):`,
    ...p.top.map(row),
    '',
    `CPU profiles: ${p.profiles.join(', ')}`,
  ].join('\n');
}
