// @ts-check
// The benchmark's measured phases, one function each, in the order one iteration runs them:
// a `node -e 0` baseline, main then post, main with latency on every call, a job (main + pull +
// post), and the bare start-ups. Each returns its sample and fails the bench on a broken run.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, delta, readIfThere, timeProcess } from './measure.mjs';
import { TARGET } from './report.mjs';

const SDK_SHIM = fileURLToPath(new URL('./sdk-shim.mjs', import.meta.url));
const FLOOR_ACTION = fileURLToPath(new URL('./floor-action', import.meta.url));
/** Static keys and unreachable endpoints: the SDK loads and runs, nothing answers. */
const NO_NETWORK_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCHNONETWORK00',
  AWS_SECRET_ACCESS_KEY: 'bench/no/network/secret/key/0000000000000',
  AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
  DOCKER_HOST: 'tcp://127.0.0.1:9', // no daemon ping either
};

/**
 * @typedef {Awaited<ReturnType<typeof import('../sandbox.mjs').startSandbox>>} Sandbox
 * @typedef {{
 *   sb: Sandbox, role: Record<string, string>, bareEnv: Record<string, string>,
 *   rssProbe: string, rssFile: string, shim: ReturnType<typeof import('./dist.mjs').shimConfig>,
 *   ecrImage: string,
 * }} Bench
 */

/** @param {{ exitCode: number, stdout: string, stderr: string }} r @param {string} what */
const checkExit0 = (r, what) => check(r.exitCode === 0, what, r);

/** Bare node on the same binary, same spawn, same RSS probe. @param {Bench} b */
export async function baseline(b) {
  const base = await timeProcess(b.sb.node, ['-e', '0'], {
    env: b.bareEnv,
    rssProbe: b.rssProbe,
    rssFile: b.rssFile,
  });
  checkExit0(base, 'node -e 0');
  return { wallMs: base.durationMs, rssKb: base.peakRssKb };
}

/** Main on the happy path with role-to-assume, then post undoing that login. @param {Bench} b */
export async function mainThenPost(b) {
  const { sb } = b;
  const c0 = sb.fakes.counters();
  const main = await sb.step('main', { with: b.role, debug: false, measureRss: true });
  check(!main.failed && main.outputs.registry === 'public.ecr.aws', 'main step', main);
  check(main.peakRssKb !== undefined, 'main step: no peak RSS recorded', main);
  const mainSample = { ...stepSample(main), requests: delta(c0, sb.fakes.counters()) };
  const post = await sb.step('post', {
    state: main.state,
    dockerConfig: main.dockerConfig,
    debug: false,
    measureRss: true,
  });
  check(!post.failed && post.annotations.warning.length === 0, 'post step', post);
  check(
    !sb.readDockerConfig(main.dockerConfig).auths?.['public.ecr.aws'],
    'post step left the public.ecr.aws login in config.json',
    post,
  );
  const postSample = { ...stepSample(post), warnings: post.annotations.warning.length };
  return { main: mainSample, post: postSample };
}

/**
 * The floor (floor-action/): the plainest step doing main's work, run and measured as main is,
 * so main's cost above what any step doing that work must pay is seen in the same run.
 * @param {Bench} b
 */
export async function floor(b) {
  const { sb } = b;
  const step = await sb.step('main', {
    actionDir: FLOOR_ACTION,
    with: b.role,
    debug: false,
    measureRss: true,
  });
  checkExit0(step, 'floor step');
  check(Boolean(sb.readDockerConfig(step.dockerConfig).auths?.['public.ecr.aws']), 'floor', step);
  return stepSample(step);
}

/** Main with TARGET.latencyMs on every OIDC/STS/ECR call. @param {Bench} b */
export async function mainWithLatency(b) {
  const { sb } = b;
  for (const ep of /** @type {const} */ (['oidc', 'sts', 'ecr'])) {
    sb.fakes.setFault(ep, { latencyMs: TARGET.latencyMs });
  }
  const c0 = sb.fakes.counters();
  let slow;
  try {
    slow = await sb.step('main', { with: b.role, debug: false, measureRss: true });
  } finally {
    sb.fakes.clearFaults();
  }
  check(!slow.failed, `main step with ${TARGET.latencyMs} ms latency`, slow);
  return { ...stepSample(slow), requests: delta(c0, sb.fakes.counters()) };
}

/** The job: main, then a real pull of the seeded image, then post. @param {Bench} b */
export async function job(b) {
  const { sb } = b;
  await sb.forget(b.ecrImage);
  const c0 = sb.fakes.counters();
  const main = await sb.step('main', { with: b.role, debug: false });
  check(!main.failed, 'job: main step', main);
  const pullStarted = process.hrtime.bigint();
  const pull = await sb.docker(['pull', b.ecrImage], { dockerConfig: main.dockerConfig });
  const pullMs = Number(process.hrtime.bigint() - pullStarted) / 1e6;
  check(pull.ok, `job: docker pull ${b.ecrImage}: ${pull.stderr}`);
  const post = await sb.step('post', {
    state: main.state,
    dockerConfig: main.dockerConfig,
    debug: false,
  });
  check(!post.failed, 'job: post step', post);
  return {
    mainMs: main.durationMs,
    pullMs,
    postMs: post.durationMs,
    loginCostMs: main.durationMs + post.durationMs,
    totalMs: main.durationMs + pullMs + post.durationMs,
    requests: delta(c0, sb.fakes.counters()),
  };
}

/**
 * Bare start-ups, none of which may reach the fakes: main failing on an invalid input (no
 * SDK), main with the SDK but no network, the SDK chunk alone, post with empty state.
 * @param {Bench} b
 * @param {boolean} warnOnShim
 */
export async function startups(b, warnOnShim) {
  const c0 = b.sb.fakes.counters();
  const mainBadInput = await startupBadInput(b);
  const mainSdkNoNetwork = await startupSdkNoNetwork(b);
  const sdkShim = await startupSdkShim(b, warnOnShim);
  const postEmpty = await b.sb.step('post', { state: {}, debug: false, measureRss: true });
  check(
    !postEmpty.failed && postEmpty.dockerCalls.length === 0,
    'start-up: post with empty state',
    postEmpty,
  );
  const requests = delta(c0, b.sb.fakes.counters());
  check(
    requests.oidc + requests.sts + requests.ecr === 0,
    `start-up runs reached the fakes: ${JSON.stringify(requests)}`,
  );
  return { mainBadInput, mainSdkNoNetwork, sdkShim, postEmpty: wallAndRss(postEmpty) };
}

/** @param {Bench} b */
async function startupBadInput(b) {
  const bad = await b.sb.step('main', {
    with: { ...b.role, 'role-duration-seconds': 'not-a-number' },
    idToken: false,
    debug: false,
    measureRss: true,
  });
  check(
    bad.exitCode === 1 && bad.annotations.error.some((a) => a.properties.title === 'Invalid input'),
    'start-up: main with an invalid input should fail at once with "Invalid input"',
    bad,
  );
  return wallAndRss(bad);
}

/** @param {Bench} b */
async function startupSdkNoNetwork(b) {
  const sdk = await b.sb.step('main', {
    with: { 'retry-max-attempts': '1' },
    env: NO_NETWORK_ENV,
    idToken: false,
    debug: false,
    measureRss: true,
  });
  check(
    sdk.exitCode === 1 && /ECONNREFUSED/.test(sdk.stdout),
    'start-up: main with static keys and an unreachable ECR endpoint should fail with ECONNREFUSED',
    sdk,
  );
  return wallAndRss(sdk);
}

/** The SDK chunk alone in a bare node (sdk-shim.mjs). @param {Bench} b @param {boolean} warn */
async function startupSdkShim(b, warn) {
  const run = await timeProcess(b.sb.node, [SDK_SHIM], {
    env: { ...b.bareEnv, BENCH_SHIM: JSON.stringify(b.shim) },
    rssProbe: b.rssProbe,
    rssFile: b.rssFile,
  });
  if (run.exitCode === 0) {
    return { wallMs: run.durationMs, rssKb: run.peakRssKb, ...JSON.parse(run.stdout) };
  }
  if (warn) {
    console.warn(
      `warning: the SDK shim could not load the chunk (bundle layout changed?); skipped.\n${run.stderr.slice(-800)}`,
    );
  }
  return { wallMs: NaN, rssKb: NaN, error: run.stderr.slice(-800) };
}

/** @param {{ durationMs: number, peakRssKb?: number }} r */
const wallAndRss = (r) => ({ wallMs: r.durationMs, rssKb: r.peakRssKb });

/** @param {{ durationMs: number, peakRssKb?: number, exitCode: number }} r */
const stepSample = (r) => ({ ...wallAndRss(r), exitCode: r.exitCode });

/**
 * Every child process main and post start, from node's "child_process" diagnostics channel
 * (one uncounted run each, with the timeline preload of profile.mjs).
 * @param {Sandbox} sb
 * @param {string} scratch
 * @param {string} preloadSource
 * @param {Record<string, string>} role
 */
export async function spawnAudit(sb, scratch, preloadSource, role) {
  const preload = path.join(scratch, 'timeline-preload.cjs');
  writeFileSync(preload, preloadSource);
  /** @param {'main' | 'post'} phase @param {Record<string, any>} extra */
  const run = async (phase, extra) => {
    const out = path.join(scratch, `audit-${phase}.json`);
    const r = await sb.step(phase, {
      debug: false,
      ...extra,
      env: { BENCH_TIMELINE_OUT: out, NODE_OPTIONS: `--require=${preload}` },
    });
    check(!r.failed, `spawn audit: ${phase} step`, r);
    const text = readIfThere(out);
    check(text !== '', `spawn audit: the ${phase} step's preload wrote no timeline`, r);
    /** @type {{ ev: { e: string, what?: string }[] }} */
    const timeline = JSON.parse(text);
    return { r, spawned: timeline.ev.filter((e) => e.e === 'spawn').map((e) => e.what ?? '?') };
  };
  const main = await run('main', { with: role });
  const post = await run('post', { state: main.r.state, dockerConfig: main.r.dockerConfig });
  return { main: main.spawned, post: post.spawned };
}
