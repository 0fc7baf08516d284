// @ts-check
// The same-run comparison phases: this action's job against the two-action chain (chain.mjs),
// alternating, on the plain sandbox and in WAN mode; the compile cache off, cold and warm; and
// `docker login` alone with and without the WAN delay (the part of main no action can cut).
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { alternatingJobs } from './chain.mjs';
import { check } from './measure.mjs';

/**
 * @typedef {import('./phases.mjs').Bench} Bench
 * @typedef {{ pairs: number, rttMs: number, scratch: string }} CompareOptions
 */

/** Plain sandbox (fakes over HTTP, no delay): `pairs` alternating jobs of each side. @param {Bench} b @param {number} pairs */
export async function plainJobs(b, pairs) {
  b.sb.wan?.setRtt(0);
  return alternatingJobs({ sb: b.sb, ecrImage: b.ecrImage, role: b.role }, pairs);
}

/**
 * WAN mode: fakes over TLS, every connection delayed by `rttMs`; per pair, the alternating jobs,
 * then `docker login` alone with and without the delay and our main with TLS but no delay, for
 * the critical-path bound (main without delay + the round trips + docker login's own).
 * @param {Bench} b @param {number} pairs @param {number} rttMs
 */
export async function wanJobs(b, pairs, rttMs) {
  const wan = b.sb.wan;
  if (!wan) throw new Error('WAN mode needs startSandbox({ wan: true })');
  const c = { sb: b.sb, ecrImage: b.ecrImage, role: b.role, wan: true };
  const runs = [];
  try {
    for (let i = 0; i < pairs; i++) {
      wan.setRtt(rttMs);
      const [jobs] = await alternatingJobs(c, 1, i % 2 === 0);
      const loginWanMs = await dockerLoginMs(b);
      wan.setRtt(0);
      const loginNoDelayMs = await dockerLoginMs(b);
      const main = await b.sb.step('main', { with: b.role, debug: false, wan: true });
      check(!main.failed, 'WAN mode at 0 ms: main step', main);
      runs.push({ ...jobs, loginWanMs, loginNoDelayMs, mainNoDelayMs: main.durationMs });
    }
    return runs;
  } finally {
    wan.setRtt(0);
  }
}

/** `docker login public.ecr.aws` alone, with the ECR fake's password on stdin. @param {Bench} b */
async function dockerLoginMs(b) {
  const dockerConfig = b.sb.newDockerConfig();
  const started = process.hrtime.bigint();
  const r = await b.sb.docker(['login', 'public.ecr.aws', '-u', 'AWS', '--password-stdin'], {
    dockerConfig,
    input: b.sb.fakes.ecrPassword,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  check(r.ok, `docker login alone: ${r.stderr}`);
  return ms;
}

/**
 * Main and post with the compile cache off, cold (an empty tool cache) and warm (the tool cache
 * a previous job filled), in turn.
 * @param {Bench} b @param {string} warmCache a folder kept for the whole bench
 * @param {string} scratch
 */
export async function compileCache(b, warmCache, scratch) {
  /** @type {Record<string, { main: number, post: number }>} */
  const out = {};
  const selfHosted = { RUNNER_ENVIRONMENT: 'self-hosted' };
  const modes = /** @type {const} */ ([
    ['off', { toolCache: undefined, env: {} }], // the emulator is a GitHub-hosted runner
    ['cold', { toolCache: mkdtempSync(path.join(scratch, 'cold-cache-')), env: selfHosted }],
    ['warm', { toolCache: warmCache, env: selfHosted }],
  ]);
  for (const [name, mode] of modes) {
    const main = await b.sb.step('main', { with: b.role, debug: false, ...mode });
    check(!main.failed, `compile cache ${name}: main step`, main);
    const post = await b.sb.step('post', {
      state: main.state,
      dockerConfig: main.dockerConfig,
      debug: false,
      ...mode,
    });
    check(!post.failed, `compile cache ${name}: post step`, post);
    out[name] = { main: main.durationMs, post: post.durationMs };
  }
  return out;
}
