// @ts-check
// The usual two-action way, run as a job in the same sandbox for same-run ratios:
// aws-actions/configure-aws-credentials (role-to-assume, OIDC) → aws-actions/amazon-ecr-login
// (registry-type: public) → `docker pull` → the post steps in reverse order (ecr-login's logout,
// then configure-aws-credentials' clean-up). Their built releases sit in ANCHORS_DIR, unchanged;
// they are run, never copied from.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from './measure.mjs';

// The project's shared/ folder sits beside the checkout (on developers' machines and in CI).
const BESIDE_REPO = fileURLToPath(new URL('../../../shared/anchors', import.meta.url));
export const ANCHORS_DIR = process.env.BENCH_ANCHORS_DIR || BESIDE_REPO;
const CONFIGURE = path.join(ANCHORS_DIR, 'configure-aws-credentials');
const ECR_LOGIN = path.join(ANCHORS_DIR, 'amazon-ecr-login');

/** True when both built releases are there (the chain is skipped, and said so, otherwise). */
export const chainAvailable = () =>
  [CONFIGURE, ECR_LOGIN].every((dir) => existsSync(path.join(dir, 'dist', 'index.js')));

/**
 * @typedef {Awaited<ReturnType<typeof import('../sandbox.mjs').startSandbox>>} Sandbox
 * @typedef {{ sb: Sandbox, ecrImage: string, role: Record<string, string>, wan?: boolean }} JobContext
 * @typedef {{ stepsMs: number, pullMs: number, totalMs: number, steps: Record<string, number> }} JobTiming
 */

/**
 * One job of the chain; the job's steps run one after the other as on a runner.
 * @param {JobContext} c
 * @returns {Promise<JobTiming>}
 */
export async function chainJob({ sb, ecrImage, wan }) {
  await sb.forget(ecrImage);
  const dockerConfig = sb.newDockerConfig();
  // The real docker CLI for both sides, as on a runner (no recording wrapper in between).
  const common = { debug: false, dockerConfig, wan, recordDocker: false };
  const configure = await sb.step('main', {
    ...common,
    actionDir: CONFIGURE,
    with: { 'role-to-assume': sb.roleArn, 'aws-region': 'us-east-1' },
  });
  check(!configure.failed, 'chain: configure-aws-credentials main', configure);
  const priorEnv = configure.exportedEnv;
  check(Boolean(priorEnv.AWS_SESSION_TOKEN), 'chain: no AWS credentials exported', configure);
  const after = { ...common, idToken: false, priorEnv };
  const login = await sb.step('main', {
    ...after,
    actionDir: ECR_LOGIN,
    with: { 'registry-type': 'public' },
  });
  check(!login.failed && login.outputs.registry === 'public.ecr.aws', 'chain: ecr-login', login);
  const pullMs = await timedPull(sb, ecrImage, dockerConfig);
  const loginPost = await sb.step('post', { ...after, actionDir: ECR_LOGIN, state: login.state });
  check(!loginPost.failed, 'chain: amazon-ecr-login post', loginPost);
  const configurePost = await sb.step('post', {
    ...after,
    actionDir: CONFIGURE,
    state: configure.state,
  });
  check(!configurePost.failed, 'chain: configure-aws-credentials post', configurePost);
  return timing(
    {
      configureMain: configure.durationMs,
      ecrLoginMain: login.durationMs,
      ecrLoginPost: loginPost.durationMs,
      configurePost: configurePost.durationMs,
    },
    pullMs,
  );
}

/**
 * This action's job in the same shape: main, `docker pull`, post.
 * @param {JobContext} c
 * @returns {Promise<JobTiming>}
 */
export async function ourJob({ sb, ecrImage, role, wan }) {
  await sb.forget(ecrImage);
  const dockerConfig = sb.newDockerConfig();
  const real = { debug: false, dockerConfig, wan, recordDocker: false };
  const main = await sb.step('main', { ...real, with: role });
  check(!main.failed && main.outputs.registry === 'public.ecr.aws', 'job: main step', main);
  const pullMs = await timedPull(sb, ecrImage, dockerConfig);
  const post = await sb.step('post', { ...real, state: main.state });
  check(!post.failed, 'job: post step', post);
  return timing({ main: main.durationMs, post: post.durationMs }, pullMs);
}

/** @param {Record<string, number>} steps @param {number} pullMs @returns {JobTiming} */
function timing(steps, pullMs) {
  const stepsMs = Object.values(steps).reduce((a, b) => a + b, 0);
  return { stepsMs, pullMs, totalMs: stepsMs + pullMs, steps };
}

/** @param {Sandbox} sb @param {string} image @param {string} dockerConfig */
async function timedPull(sb, image, dockerConfig) {
  const started = process.hrtime.bigint();
  const pull = await sb.docker(['pull', image], { dockerConfig });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  check(pull.ok, `docker pull ${image}: ${pull.stderr}`);
  return ms;
}

/**
 * `pairs` jobs of each side, alternating which goes first, so drift in the machine's load
 * falls on both alike.
 * @param {JobContext} c
 * @param {number} pairs
 * @param {boolean} [chainFirstAtEven] which side opens the first pair
 */
export async function alternatingJobs(c, pairs, chainFirstAtEven = true) {
  /** @type {{ chain: JobTiming, ours: JobTiming }[]} */
  const runs = [];
  for (let i = 0; i < pairs; i++) {
    const chainFirst = (i % 2 === 0) === chainFirstAtEven;
    const first = chainFirst ? await chainJob(c) : await ourJob(c);
    const second = chainFirst ? await ourJob(c) : await chainJob(c);
    runs.push(chainFirst ? { chain: first, ours: second } : { chain: second, ours: first });
  }
  return runs;
}
