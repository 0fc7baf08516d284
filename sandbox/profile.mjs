#!/usr/bin/env node
// @ts-check
// Where the main step's milliseconds go. Runs the built main bundle in the sandbox, through the
// runner emulator, with a tiny preload (passed in the step's NODE_OPTIONS) that records, from
// Node's own diagnostics channels, when each bundle chunk is imported, when each OIDC/STS/ECR
// request is created, goes out and is answered, and when docker login starts and ends. Then:
//   - the critical path, from runs with only that preload (about 1 ms of cost, within noise);
//   - the CPU split (SDK / our code / node internals / GC / waiting), from runs that also pass
//     --cpu-prof (which slows the step by ~30%: both step medians are printed);
//   - the resident memory each phase adds, from runs where the preload also reads RSS.
//
//   node sandbox/profile.mjs [--runs N]     (re-runs itself under sandbox/in-namespace.sh)
//   node sandbox/profile.mjs --post [--runs N]   the post step instead (sandbox/profile-post.mjs)
//   npm run bench -- --profile              (the same, after the benchmark, on its sandbox)
//
// The .cpuprofile files land in bench-results/profile/ (git-ignored): open them in Chrome
// DevTools (Performance → Load profile) or speedscope to look closer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distReport } from './bench/dist.mjs';
import { STAND_INS } from './registries.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

/**
 * CommonJS preload for a step's node: milestones from diagnostics channels, written at exit to
 * $BENCH_TIMELINE_OUT. It changes nothing the action does. `anchor` ties performance.now()
 * (ms since the process started) to the monotonic clock the CPU profile uses (µs).
 */
export const TIMELINE_PRELOAD = `'use strict';
const dc = require('node:diagnostics_channel');
const { performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const out = process.env.BENCH_TIMELINE_OUT;
const ev = [];
const withRss = process.env.BENCH_TIMELINE_RSS === '1';
const mark = (e, what) => {
  const m = { t: performance.now(), e, what };
  if (withRss) m.rssKb = Math.round(process.memoryUsage.rss() / 1024);
  ev.push(m);
  return m;
};
const anchor = { t: performance.now(), hrUs: Number(process.hrtime.bigint() / 1000n) };
const target = (r) => {
  if (r.socketPath) return 'unix:' + r.socketPath;
  const host = r.getHeader && r.getHeader('host');
  return String(host || r.host || '');
};
const reqName = (r) => r.method + ' ' + target(r) + ' ' + String(r.path || '').split('?')[0];
dc.subscribe('http.client.request.created', ({ request }) => mark('req.created', reqName(request)));
dc.subscribe('http.client.request.start', ({ request }) => mark('req.start', reqName(request)));
dc.subscribe('http.client.response.finish', ({ request }) => mark('res.finish', reqName(request)));
dc.subscribe('child_process', ({ process: cp }) => {
  const m = mark('spawn', '');
  cp.once('spawn', () => { m.what = String(cp.spawnfile); });
  cp.once('exit', () => mark('child.exit', String(cp.spawnfile)));
});
for (const phase of ['start', 'end', 'asyncEnd']) {
  dc.subscribe('tracing:module.import:' + phase, (m) => mark('import.' + phase, String(m.url || m.id || '')));
}
process.on('exit', (code) => {
  mark('exit', String(code)).maxRssKb = process.resourceUsage().maxRSS;
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  if (out) writeFileSync(out, JSON.stringify({ anchor, nodeTiming: performance.nodeTiming.toJSON(), ev, builtins }));
});
`;

/**
 * @typedef {{ t: number, e: string, what?: string, rssKb?: number, maxRssKb?: number }} TimelineEvent
 * @typedef {{ anchor: { t: number, hrUs: number }, nodeTiming: Record<string, number>, ev: TimelineEvent[], builtins?: string[] }} Timeline
 * @typedef {{ name: string, ms: number }} Phase
 * @typedef {{ id: number, callFrame: { functionName: string, url: string }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} CpuProfile
 * @typedef {{ oidc: string, sts: string, ecr: string, registry?: string, sdkChunks?: string[] }} Hosts
 *   host:port of each fake, the registry logged in to (its in-process check), and the chunk files
 *   that hold the AWS SDK (main loads other chunks too)
 */

/** Which service a recorded request went to. @param {string | undefined} what @param {Hosts} hosts */
export function serviceOf(what, hosts) {
  const target = String(what ?? '').split(' ')[1] ?? '';
  if (target.startsWith('unix:')) return 'docker-daemon';
  for (const [name, host] of Object.entries(hosts)) if (target === host) return name;
  return 'other';
}

/** @param {string} what */
const isChunk = (what) => /(^|\/)\d+\.index\.js$/.test(what);
/** An SDK chunk (any chunk when the hosts do not say which). @param {string} what @param {Hosts} hosts */
const isSdkChunk = (what, hosts) =>
  isChunk(what) && (!hosts.sdkChunks || hosts.sdkChunks.includes(path.basename(what)));
/** @param {string} what */
const isMainBundle = (what) => /\/dist\/index\.js$/.test(what);

/**
 * The happy-path main step's milestones; each names the phase that ends with it. They are put
 * in the order they happened in each run, not in a fixed order: the SDK import is meant to start
 * after the OIDC request is out, and a fixed order used to place its compile before the request.
 * @param {TimelineEvent[]} ev
 * @param {Hosts} hosts
 * @returns {[string, (e: TimelineEvent) => boolean][]}
 */
function milestones(ev, hosts) {
  const req =
    (/** @type {string} */ e, /** @type {string} */ service) => (/** @type {TimelineEvent} */ x) =>
      x.e === e && serviceOf(x.what, hosts) === service;
  return [
    [
      'node bootstrap (runtime, before dist/index.js)',
      (e) => e.e === 'import.start' && isMainBundle(e.what ?? ''),
    ],
    ['until the OIDC request is created (main bundle, inputs)', req('req.created', 'oidc')],
    ['until the OIDC request is out (connect, write)', req('req.start', 'oidc')],
    [
      'until the SDK import starts',
      (e) => e.e === 'import.start' && isSdkChunk(e.what ?? '', hosts),
    ],
    [
      'SDK chunks: read + compile (synchronous part of import())',
      (e) =>
        e.e === 'import.end' &&
        isSdkChunk(e.what ?? '', hosts) &&
        !ev.some((x) => x.t > e.t && x.e === 'import.end' && isSdkChunk(x.what ?? '', hosts)),
    ],
    [
      'until the OIDC answer is read (other work; the SDK evaluated, on its path)',
      req('res.finish', 'oidc'),
    ],
    [
      'CPU: AssumeRoleWithWebIdentity request (on the SDK path, its STS client)',
      req('req.start', 'sts'),
    ],
    ['STS round trip', req('res.finish', 'sts')],
    [
      'CPU: STS answer read, ECR Public request signed (the SDK: its client)',
      req('req.start', 'ecr'),
    ],
    ['ECR Public round trip', req('res.finish', 'ecr')],
    [
      'daemon ping + in-process credential check (registry /v2/, token)',
      (e) => e === lastRegistryAnswer(ev, hosts),
    ],
    ['CPU: decode token, read config, spawn docker', (e) => e.e === 'spawn'],
    ['docker login process', (e) => e.e === 'child.exit'],
    ['after the login: config write, state, outputs, summary', (e) => e.e === 'exit'],
  ];
}

/** The registry's last answer to the login's own requests (the direct write's check). @param {TimelineEvent[]} ev @param {Hosts} hosts */
const lastRegistryAnswer = (ev, hosts) =>
  lastOf(ev, (e) => e.e === 'res.finish' && serviceOf(e.what, hosts) === 'registry');

/**
 * The last event that matches (Array.prototype.findLast is newer than the Node 20 lib types).
 * @param {TimelineEvent[]} ev @param {(e: TimelineEvent) => boolean} match
 */
function lastOf(ev, match) {
  for (let i = ev.length - 1; i >= 0; i--) if (match(ev[i])) return ev[i];
  return undefined;
}

/**
 * The milestone events found in a timeline, in the order they happened, each with the phase it
 * ends. A milestone that is missing (another code path) is left out: its time goes to the next.
 * @param {Timeline} timeline
 * @param {Hosts} hosts
 * @returns {{ name: string, event: TimelineEvent }[]}
 */
function findMilestones(timeline, hosts) {
  const ev = timeline.ev;
  const found = [];
  for (const [name, match] of milestones(ev, hosts)) {
    const hit = ev.find(match);
    if (hit) found.push({ name, event: hit });
  }
  return found.sort((a, b) => a.event.t - b.event.t);
}

/**
 * From the main bundle's first line until the OIDC request is written to its socket (ms).
 * @param {Timeline} timeline
 * @param {Hosts} hosts
 */
export function bundleToOidcMs(timeline, hosts) {
  const ev = timeline.ev;
  const start = ev.find((e) => e.e === 'import.start' && isMainBundle(e.what ?? ''));
  const out = ev.find((e) => e.e === 'req.start' && serviceOf(e.what, hosts) === 'oidc');
  return start && out ? out.t - start.t : NaN;
}

/**
 * The main step's critical path as consecutive phases, from one run's timeline.
 * @param {Timeline} timeline
 * @param {number} durationMs the runner's wall time for the step
 * @param {Hosts} hosts
 * @returns {Phase[]}
 */
export function criticalPath(timeline, durationMs, hosts) {
  const ev = timeline.ev;
  /** @type {Phase[]} */
  const phases = [];
  let last = 0;
  for (const { name, event } of findMilestones(timeline, hosts)) {
    phases.push({ name, ms: event.t - last });
    last = event.t;
  }
  const exit = ev.find((e) => e.e === 'exit')?.t ?? last;
  phases.push({
    name: 'outside node: fork/exec, teardown after exit, runner reaping',
    ms: durationMs - exit,
  });
  return phases;
}

/**
 * Resident memory growth per phase (from a run with BENCH_TIMELINE_RSS=1): RSS at the end of
 * each phase minus at its start; the first phase starts from 0 (node's own footprint), and the
 * last row is the rise from the exit mark's RSS to the process's peak (getrusage maxRSS).
 * @param {Timeline} timeline
 * @param {Hosts} hosts
 * @returns {{ name: string, kb: number }[]}
 */
export function memoryPath(timeline, hosts) {
  const rows = [];
  let last = 0;
  for (const { name, event } of findMilestones(timeline, hosts)) {
    if (event.rssKb === undefined) continue;
    rows.push({ name, kb: event.rssKb - last });
    last = event.rssKb;
  }
  const exit = timeline.ev.find((e) => e.e === 'exit');
  if (exit?.maxRssKb !== undefined)
    rows.push({ name: 'peak above the RSS at exit', kb: exit.maxRssKb - last });
  return rows;
}

/**
 * Splits a CPU profile's samples into what the main thread was doing, using the timeline for the
 * windows the stacks alone cannot tell (the chunk compile, requests in flight, docker running).
 * Before dist/index.js starts loading everything counts as node bootstrap (the profiler starts
 * part-way into it), and after the exit mark as "outside node".
 * @param {CpuProfile} profile
 * @param {Timeline} timeline
 * @param {number} durationMs
 * @param {Hosts} hosts
 * @returns {Record<string, number>} ms per category, summing to durationMs
 */
export function cpuSplit(profile, timeline, durationMs, hosts) {
  const toMs = profileClockToMs(timeline);
  const windows = timeWindows(timeline.ev, toMs(profile.endTime), hosts);
  /** @type {Record<string, number>} */
  const split = {};
  addTo(split, 'node bootstrap (before dist/index.js)', windows.mainStart);
  addSamples(split, profile, toMs, windows, sampleCategorizer(profile, windows, hosts));
  // Samples stop a little before the exit mark; the gap is main-thread work not sampled.
  const sampled = Object.values(split).reduce((a, b) => a + b, 0);
  if (windows.exit - sampled > 0.05)
    addTo(split, 'unsampled (profiler start/stop)', windows.exit - sampled);
  addTo(
    split,
    'outside node: fork/exec, teardown after exit, runner reaping',
    durationMs - windows.exit,
  );
  return split;
}

/** Adds ms to a category's total. @param {Record<string, number>} split @param {string} category @param {number} ms */
function addTo(split, category, ms) {
  split[category] = (split[category] ?? 0) + ms;
}

/**
 * Turns the CPU profile's clock (µs) into the timeline's (ms since the process started).
 * @param {Timeline} timeline @returns {(us: number) => number}
 */
function profileClockToMs(timeline) {
  const offsetUs = timeline.anchor.hrUs - timeline.anchor.t * 1000; // profile µs at t = 0
  return (us) => (us - offsetUs) / 1000;
}

/**
 * @typedef {[number, number]} Window  from and to, in ms since the process started
 * @typedef {{ mainStart: number, exit: number, compile: Window, network: Window[], docker: Window[] }} TimeWindows
 */

/**
 * The windows of one run that the stacks alone cannot tell apart.
 * @param {TimelineEvent[]} ev
 * @param {number} profileEndMs where the run ends when it has no exit mark
 * @param {Hosts} hosts
 * @returns {TimeWindows}
 */
function timeWindows(ev, profileEndMs, hosts) {
  const mainStart = ev.find((e) => e.e === 'import.start' && isMainBundle(e.what ?? ''))?.t ?? 0;
  const exit = ev.find((e) => e.e === 'exit')?.t ?? profileEndMs;
  return {
    mainStart,
    exit,
    compile: compileWindow(ev, hosts),
    network: requestWindows(ev, exit, hosts),
    docker: childWindows(ev, exit),
  };
}

/** From the first SDK chunk import's start to the last one's end. @param {TimelineEvent[]} ev @param {Hosts} hosts @returns {Window} */
function compileWindow(ev, hosts) {
  const starts = ev.filter((e) => e.e === 'import.start' && isSdkChunk(e.what ?? '', hosts));
  const ends = ev.filter((e) => e.e === 'import.end' && isSdkChunk(e.what ?? '', hosts));
  if (!starts.length) return [NaN, NaN];
  return [starts[0].t, ends.length ? ends[ends.length - 1].t : starts[0].t];
}

/**
 * Each OIDC/STS/ECR request, from written to answered (or exit).
 * @param {TimelineEvent[]} ev @param {number} exit @param {Hosts} hosts @returns {Window[]}
 */
function requestWindows(ev, exit, hosts) {
  /** @type {Window[]} */
  const windows = [];
  for (const start of ev.filter((e) => e.e === 'req.start')) {
    const service = serviceOf(start.what, hosts);
    if (!['oidc', 'sts', 'ecr'].includes(service)) continue;
    const end = ev.find((e) => e.t >= start.t && e.e === 'res.finish' && e.what === start.what);
    windows.push([start.t, end?.t ?? exit]);
  }
  return windows;
}

/** Each child process (docker login), from spawned to exited (or exit). @param {TimelineEvent[]} ev @param {number} exit @returns {Window[]} */
function childWindows(ev, exit) {
  /** @type {Window[]} */
  const windows = [];
  for (const spawn of ev.filter((e) => e.e === 'spawn')) {
    const end = ev.find((e) => e.t >= spawn.t && e.e === 'child.exit');
    windows.push([spawn.t, end?.t ?? exit]);
  }
  return windows;
}

/** @param {number} t @param {Window[]} windows */
const inside = (t, windows) => windows.some(([a, b]) => t >= a && t <= b);

/**
 * Adds each sample's interval, clipped to [mainStart, exit], to its category.
 * @param {Record<string, number>} split
 * @param {CpuProfile} profile
 * @param {(us: number) => number} toMs
 * @param {TimeWindows} windows
 * @param {(id: number, at: number) => string} categoryOf
 */
function addSamples(split, profile, toMs, windows, categoryOf) {
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const from = toMs(t);
    t += profile.timeDeltas[i];
    const at = toMs(t);
    // The interval (from, at] ends in sample i; clip it to [mainStart, exit].
    const ms = Math.min(at, windows.exit) - Math.max(from, windows.mainStart);
    if (ms <= 0) continue;
    addTo(split, categoryOf(profile.samples[i], at), ms);
  }
}

/**
 * The category of a sample ending at `at`: idle samples by what was in flight, samples in the
 * chunk compile window as the compile, the rest by their stack.
 * @param {CpuProfile} profile @param {TimeWindows} windows @param {Hosts} hosts
 * @returns {(id: number, at: number) => string}
 */
function sampleCategorizer(profile, windows, hosts) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const busyCategory = busyCategorizer(profile, hosts);
  return (id, at) => {
    if (nodes.get(id)?.callFrame.functionName === '(idle)') {
      if (inside(at, windows.docker)) return 'waiting: docker login process';
      if (inside(at, windows.network)) return 'waiting: OIDC / STS / ECR request in flight';
      return 'idle: other';
    }
    if (at >= windows.compile[0] && at <= windows.compile[1])
      return 'SDK: reading + compiling the chunk (import)';
    return busyCategory(id);
  };
}

/**
 * @typedef {{ leaf: string, builtins: boolean, sdk: boolean, ours: boolean }} StackFacts
 *   the innermost function, and whether the stack loads a node built-in, runs SDK chunk code,
 *   runs the main bundle or another chunk
 */

/** The first rule that holds names a busy sample; the last always holds. @type {[string, (s: StackFacts) => boolean][]} */
const BUSY_RULES = [
  ['GC', (s) => s.leaf === '(garbage collector)'],
  ['SDK: loading node built-ins it needs', (s) => s.sdk && s.builtins],
  ['SDK: evaluating modules, clients, signing, parsing', (s) => s.sdk],
  [
    'our code: loading node built-ins (http, https/tls/crypto, child_process)',
    (s) => s.ours && s.builtins,
  ],
  ['our code (main bundle and its chunks, incl. ncc runtime)', (s) => s.ours],
  ['V8/native (unattributed)', (s) => s.leaf === '(program)'],
  ['node internals (I/O callbacks, streams, timers)', () => true],
];

/**
 * The category of a busy sample from its stack, cached per profile node.
 * @param {CpuProfile} profile @param {Hosts} hosts @returns {(id: number) => string}
 */
function busyCategorizer(profile, hosts) {
  const stackOf = stackReader(profile);
  /** @type {Map<number, string>} */
  const cache = new Map();
  return (id) => {
    const hit = cache.get(id);
    if (hit) return hit;
    const frames = stackOf(id);
    /** @type {StackFacts} */
    const facts = {
      leaf: frames[0]?.functionName ?? '',
      builtins: frames.some((f) => f.functionName === 'compileForInternalLoader'),
      sdk: frames.some((f) => isSdkChunk(f.url, hosts)),
      ours: frames.some((f) => isMainBundle(f.url) || isChunk(f.url)),
    };
    const category = BUSY_RULES.find(([, holds]) => holds(facts))?.[0] ?? '';
    cache.set(id, category);
    return category;
  };
}

/**
 * The call frames of a profile node, innermost first.
 * @param {CpuProfile} profile
 * @returns {(id: number) => { functionName: string, url: string }[]}
 */
export function stackReader(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return (id) => {
    const frames = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = nodes.get(cur);
      if (n) frames.push(n.callFrame);
    }
    return frames;
  };
}

/** Empties outDir and writes the timeline preload there; returns its path. @param {string} outDir */
export function freshOutDir(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const preload = path.join(outDir, 'timeline-preload.cjs');
  writeFileSync(preload, TIMELINE_PRELOAD);
  return preload;
}

/**
 * Moves the one profile --cpu-prof wrote in dir to target (the folder goes) and reads it.
 * @param {string} dir @param {string} target @returns {CpuProfile}
 */
export function keepProfile(dir, target) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`--cpu-prof wrote no profile in ${dir}`);
  writeFileSync(target, readFileSync(path.join(dir, file)));
  rmSync(dir, { recursive: true, force: true });
  return JSON.parse(readFileSync(target, 'utf8'));
}

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Self time per function (name and file) in the window [fromMs, toMs] of one run, in ms; the
 * window is in the timeline's clock (ms since the process started).
 * @param {CpuProfile} profile
 * @param {Timeline} timeline
 * @param {number} fromMs
 * @param {number} toMs
 * @returns {Record<string, number>}
 */
export function selfTime(profile, timeline, fromMs, toMs) {
  const offsetUs = timeline.anchor.hrUs - timeline.anchor.t * 1000;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Record<string, number>} */
  const out = {};
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const from = (t - offsetUs) / 1000;
    t += profile.timeDeltas[i];
    const ms = Math.min((t - offsetUs) / 1000, toMs) - Math.max(from, fromMs);
    if (ms <= 0) continue;
    const f = nodes.get(profile.samples[i])?.callFrame;
    const file = f?.url ? path.basename(f.url) : '';
    const name = `${f?.functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
    out[name] = (out[name] ?? 0) + ms;
  }
  return out;
}

/**
 * Median per name over runs, in the order names first appear.
 * @param {Record<string, number>[]} runs
 */
function medianByName(runs) {
  /** @type {string[]} */
  const names = [];
  for (const r of runs) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  return names.map((name) => ({ name, ms: median(runs.map((r) => r[name] ?? 0)) }));
}

/**
 * @typedef {{
 *   runs: number,
 *   timelineDurationsMs: number[],
 *   profiledDurationsMs: number[],
 *   criticalPath: Phase[],
 *   bundleToOidcMs: number[],
 *   cpu: Phase[],
 *   memory: { name: string, kb: number }[],
 *   childProcesses: string[][],
 *   profiles: string[],
 *   tail: Phase[],
 * }} ProfileResult
 */

/**
 * @typedef {Awaited<ReturnType<typeof import('./sandbox.mjs').startSandbox>>} Sandbox
 * @typedef {Awaited<ReturnType<Sandbox['step']>>} StepResult
 * @typedef {(tag: string, extraFlags: string[], env?: Record<string, string>) => Promise<{ r: StepResult, timeline: Timeline }>} RunStep
 *   runs the main step once with the timeline preload (and the extra node flags), and reads the
 *   timeline it wrote to `${tag}.timeline.json`
 */

/**
 * Profiles the happy-path main step (role-to-assume) on a running sandbox.
 * @param {Sandbox} sb
 * @param {{ runs?: number, outDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<ProfileResult>}
 */
export async function profileMain(sb, options = {}) {
  const runs = options.runs ?? 5;
  const outDir = options.outDir ?? path.join(REPO, 'bench-results', 'profile');
  const log = options.log ?? (() => {});
  const runStep = stepRunner(sb, outDir, freshOutDir(outDir));
  const hosts = sandboxHosts(sb);
  await runStep('warm-up', []);
  const timelines = await timelineRuns(runStep, runs, hosts);
  log(`profile: ${runs} timeline runs done`);
  const memories = await memoryRuns(runStep, runs, hosts);
  log(`profile: ${runs} memory runs done`);
  const cpuRuns = await cpuProfileRuns(runStep, runs, outDir, hosts);
  log(`profile: ${runs} --cpu-prof runs done`);
  return profileResult(runs, timelines, memories, cpuRuns);
}

/** The fakes' host:port, the registry logged in to, the SDK's chunk files. @param {Sandbox} sb @returns {Hosts} */
function sandboxHosts(sb) {
  return {
    oidc: new URL(sb.fakes.urls.oidc).host,
    sts: new URL(sb.fakes.urls.sts).host,
    ecr: new URL(sb.fakes.urls.ecrPublic).host,
    registry: STAND_INS.ecrPublic.hosts[0],
    sdkChunks: distReport(sb.actionDir)
      .files.filter((f) => f.sdkMarkers.length > 0)
      .map((f) => path.basename(f.file)),
  };
}

/**
 * @param {Sandbox} sb @param {string} outDir @param {string} preload the timeline preload's path
 * @returns {RunStep}
 */
function stepRunner(sb, outDir, preload) {
  return async (tag, extraFlags, env = {}) => {
    const timelineFile = path.join(outDir, `${tag}.timeline.json`);
    const r = await sb.step('main', {
      with: { 'role-to-assume': sb.roleArn },
      debug: false,
      env: {
        ...env,
        BENCH_TIMELINE_OUT: timelineFile,
        NODE_OPTIONS: [`--require=${preload}`, ...extraFlags].join(' '),
      },
    });
    if (r.failed) {
      throw new Error(`profiled main step failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
    }
    /** @type {Timeline} */
    const timeline = JSON.parse(readFileSync(timelineFile, 'utf8'));
    return { r, timeline };
  };
}

/**
 * The runs with only the timeline preload: critical path, bundle-to-OIDC time, child processes.
 * @param {RunStep} runStep @param {number} runs @param {Hosts} hosts
 */
async function timelineRuns(runStep, runs, hosts) {
  /** @type {Phase[][]} */
  const paths = [];
  const durationsMs = [];
  const bundleToOidc = [];
  /** @type {string[][]} */
  const childProcesses = [];
  for (let i = 0; i < runs; i++) {
    const { r, timeline } = await runStep(`timeline-${i}`, []);
    durationsMs.push(r.durationMs);
    paths.push(criticalPath(timeline, r.durationMs, hosts));
    bundleToOidc.push(bundleToOidcMs(timeline, hosts));
    childProcesses.push(timeline.ev.filter((e) => e.e === 'spawn').map((e) => e.what ?? ''));
  }
  return { paths, durationsMs, bundleToOidc, childProcesses };
}

/**
 * RSS at each milestone: separate runs, as reading RSS costs some µs per event.
 * @param {RunStep} runStep @param {number} runs @param {Hosts} hosts
 */
async function memoryRuns(runStep, runs, hosts) {
  /** @type {Record<string, number>[]} */
  const memories = [];
  for (let i = 0; i < runs; i++) {
    const { timeline } = await runStep(`memory-${i}`, [], { BENCH_TIMELINE_RSS: '1' });
    memories.push(Object.fromEntries(memoryPath(timeline, hosts).map((m) => [m.name, m.kb])));
  }
  return memories;
}

/**
 * The --cpu-prof runs: the CPU split and the tail's self time of each, its profile kept.
 * @param {RunStep} runStep @param {number} runs @param {string} outDir @param {Hosts} hosts
 */
async function cpuProfileRuns(runStep, runs, outDir, hosts) {
  /** @type {Record<string, number>[]} */
  const splits = [];
  /** @type {Record<string, number>[]} */
  const tails = [];
  const durationsMs = [];
  const profiles = [];
  for (let i = 0; i < runs; i++) {
    const dir = path.join(outDir, `cpu-${i}`);
    const { r, timeline } = await runStep(`cpu-${i}`, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-interval=100',
    ]);
    const target = path.join(outDir, `main-${i}.cpuprofile`);
    const profile = keepProfile(dir, target);
    profiles.push(path.relative(REPO, target));
    durationsMs.push(r.durationMs);
    splits.push(cpuSplit(profile, timeline, r.durationMs, hosts));
    tails.push(tailSelfTime(profile, timeline));
  }
  return { splits, tails, durationsMs, profiles };
}

/** Self time from the last answer the step read until its exit. @param {CpuProfile} profile @param {Timeline} timeline */
function tailSelfTime(profile, timeline) {
  const exit = timeline.ev.find((e) => e.e === 'exit')?.t ?? NaN;
  const lastAnswer = lastOf(timeline.ev, (e) => e.e === 'res.finish')?.t ?? exit;
  return selfTime(profile, timeline, lastAnswer, exit);
}

/**
 * The medians over the runs, as profileMain returns them.
 * @param {number} runs
 * @param {Awaited<ReturnType<typeof timelineRuns>>} timelines
 * @param {Record<string, number>[]} memories
 * @param {Awaited<ReturnType<typeof cpuProfileRuns>>} cpuRuns
 * @returns {ProfileResult}
 */
function profileResult(runs, timelines, memories, cpuRuns) {
  const criticalPathMedian = medianByName(
    timelines.paths.map((p) => Object.fromEntries(p.map((ph) => [ph.name, ph.ms]))),
  );
  const cpu = medianByName(cpuRuns.splits).sort((a, b) => b.ms - a.ms);
  const memory = medianByName(memories).map((m) => ({ name: m.name, kb: m.ms }));
  const tail = medianByName(cpuRuns.tails)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, TAIL_ROWS);
  return {
    runs,
    timelineDurationsMs: timelines.durationsMs,
    profiledDurationsMs: cpuRuns.durationsMs,
    criticalPath: criticalPathMedian,
    bundleToOidcMs: timelines.bundleToOidc,
    cpu,
    memory,
    childProcesses: timelines.childProcesses,
    profiles: cpuRuns.profiles,
    tail,
  };
}

const TAIL_ROWS = 10;

/** @param {ProfileResult} p */
export function formatProfile(p) {
  const w = Math.max(...[...p.criticalPath, ...p.cpu, ...p.memory].map((x) => x.name.length));
  /** @param {Phase} x @param {number} total */
  const row = (x, total) =>
    `  ${x.name.padEnd(w)}  ${x.ms.toFixed(1).padStart(6)} ms  ${((100 * x.ms) / total).toFixed(0).padStart(3)}%`;
  const tl = median(p.timelineDurationsMs);
  const pr = median(p.profiledDurationsMs);
  const sumPath = p.criticalPath.reduce((a, b) => a + b.ms, 0);
  const sumCpu = p.cpu.reduce((a, b) => a + b.ms, 0);
  return [
    `Main step, critical path (median of ${p.runs} runs with the timeline preload; step median ${tl.toFixed(1)} ms):`,
    ...p.criticalPath.map((x) => row(x, sumPath)),
    `  from the main bundle's first line until the OIDC request is out: median ${median(p.bundleToOidcMs).toFixed(1)} ms (runs ${p.bundleToOidcMs.map((x) => x.toFixed(1)).join(', ')})`,
    '',
    `Main step, what the main thread did (median of ${p.runs} --cpu-prof runs at 100 µs; step median ${pr.toFixed(1)} ms, profiling included):`,
    ...p.cpu.map((x) => row(x, sumCpu)),
    '',
    `Main step, resident memory added per phase (median of ${p.runs} runs; RSS read at each milestone; the first row is node itself plus this preload, ~2.5 MiB above node -e 0):`,
    ...p.memory.map((x) => `  ${x.name.padEnd(w)}  ${(x.kb / 1024).toFixed(1).padStart(6)} MiB`),
    `  ${'peak RSS (sum)'.padEnd(w)}  ${(p.memory.reduce((a, b) => a + b.kb, 0) / 1024).toFixed(1).padStart(6)} MiB`,
    '',
    `Main step's tail, from the last answer it read until exit: self time per function (median of the --cpu-prof runs, top ${TAIL_ROWS}):`,
    ...p.tail.map((x) => `  ${x.name.padEnd(w)}  ${x.ms.toFixed(2).padStart(6)} ms`),
    '',
    `Child processes the main step started (diagnostics channel "child_process"): ${[...new Set(p.childProcesses.map((c) => c.join(', ') || 'none'))].join(' | ')}`,
    `CPU profiles: ${p.profiles.join(', ')}`,
  ].join('\n');
}

/** @param {string[]} argv */
function parseArgs(argv) {
  let runs = 5;
  let post = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--post') post = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: node sandbox/profile.mjs [--post] [--runs N]');
      process.exit(0);
    } else throw new Error(`unknown argument '${argv[i]}'`);
  }
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs needs a positive integer');
  return { runs, post };
}

async function cli() {
  if (process.env.SANDBOX_NS !== '1') {
    const r = spawnSync(
      path.join(HERE, 'in-namespace.sh'),
      [process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      { stdio: 'inherit' },
    );
    process.exit(r.status ?? 1);
  }
  const { runs, post } = parseArgs(process.argv.slice(2));
  const { startSandbox } = await import('./sandbox.mjs');
  const sb = await startSandbox({ recordDocker: false });
  try {
    if (post) {
      const { profilePost, formatPostProfile } = await import('./profile-post.mjs');
      const result = await profilePost(sb, { runs });
      console.log(formatPostProfile(result));
      const out = path.join(REPO, 'bench-results', 'profile-post', 'profile.json');
      writeFileSync(out, JSON.stringify(result, null, 2));
      return;
    }
    const result = await profileMain(sb, { runs });
    console.log(formatProfile(result));
    writeFileSync(
      path.join(REPO, 'bench-results', 'profile', 'profile.json'),
      JSON.stringify(result, null, 2),
    );
  } finally {
    await sb.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
