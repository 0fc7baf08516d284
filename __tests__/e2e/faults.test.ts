// The fault matrix, end to end: the built bundles (dist/) on Node 24 through the runner
// emulator, against the OIDC/STS/ECR Public fakes, the real dockerd and the real registry.
// One named test per row of the figures table; each records what it measured (not what the code
// says) under its row in .sandbox/figures.json, then asserts. No test may leak a secret.
// Run: npm run test:e2e -- __tests__/e2e/faults.test.ts   (FUZZ_SEED=<n> replays a fuzz run)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec as realExec, type Exec } from '../../src/runner/exec.js';
import { runMain } from '../../src/main.js';
import { runPost } from '../../src/post.js';
import { createRuntime } from '../../src/runner/runtime.js';
import { randomAlnum } from '../../sandbox/fakes/index.mjs';
import {
  findLeaks,
  loadAction,
  parseWorkflowCommand,
  REGISTERED_COMMANDS,
  type StepResult,
} from '../../sandbox/runner.mjs';
import { ECR_IMAGE, HUB_KEY, HUB_USER, leakPlaces, startSandbox } from '../../sandbox/sandbox.mjs';
import { jobPhases } from './job-phases.js';
import { recordFigures } from './figures.js';
import { OUTPUT_NAMES as ACTION_OUTPUTS } from '../../src/runner/action-inputs.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Inputs = Record<string, string>;
type Place = { where: string; detail: string; text: string };

const ECR = 'public.ecr.aws';
const SCRATCH = process.env.SANDBOX_TMP || os.tmpdir();

let sb: Sandbox;
let role: Inputs;

beforeAll(async () => {
  // Longer than bcrypt's 72 bytes, like a real ECR password (~2,500 characters): the sandbox
  // registry then also accepts a second, different token with the same first 72 bytes, which
  // stands in for the distinct token another job's GetAuthorizationToken would get.
  sb = await startSandbox({ fakes: { ecrPassword: randomAlnum(120) } });
  role = { 'role-to-assume': sb.roleArn };
});

afterAll(async () => {
  await sb?.infra.startDaemon().catch(() => undefined);
  await sb?.stop();
});

afterEach(() => sb.fakes.clearFaults());

// ------------------------------------------------------------------------------------ helpers

const ms = (n: number) => Math.round(n);
const seconds = (n: number) => Math.round(n / 10) / 100;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Counter deltas since `before`. */
function callsSince(before: ReturnType<Sandbox['fakes']['counters']>) {
  const now = sb.fakes.counters();
  return {
    oidc: now.oidc - before.oidc,
    sts: now.sts - before.sts,
    ecr: now.ecr - before.ecr,
    faulted: {
      oidc: now.faulted.oidc - before.faulted.oidc,
      sts: now.faulted.sts - before.faulted.sts,
      ecr: now.faulted.ecr - before.faulted.ecr,
    },
    stsTokens: now.stsWebIdentityTokens.slice(before.stsWebIdentityTokens.length),
  };
}

/** The step log lines that report a retry ("attempt N of M, retrying in X ms"). */
const retryLines = (step: StepResult) =>
  step.lines.filter((l) => /; attempt \d+ of \d+, retrying in \d+ ms$/.test(l));

/** The runner's own leak list plus every secret the fakes issued (and any extra ones). */
const leaksOf = (step: StepResult, extra: string[] = []) => [
  ...step.leaks,
  ...findLeaks(leakPlaces(step), [...sb.secrets(), ...extra]),
];

const { jobEnv, phase } = jobPhases(() => sb);

/** The login main recorded for post (its fingerprint of what docker stored). */
const ownFingerprint = (main: StepResult): string | undefined =>
  JSON.parse(main.state.post ?? '{}').logins?.find((l: { registry: string }) => l.registry === ECR)
    ?.fingerprint;

const authsIn = (dir: string): Record<string, { auth?: string }> =>
  sb.readDockerConfig(dir).auths ?? {};

/** Runs fn over items with at most `limit` at a time, keeping order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Mulberry32: a small seeded PRNG, so a failing fuzz run can be replayed with FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ------------------------------------------------------------------------------- the table

describe('figures: retries with a deadline', () => {
  type Endpoint = 'oidc' | 'sts' | 'ecr';
  // One row per retried fault: the fault, how many calls each endpoint then gets, and the
  // figures the README quotes (the logic of each retry is proven in orchestration/main.test.ts).
  const RETRIED: {
    name: string;
    row: string;
    endpoint: Endpoint;
    fault: { failNext: number; failWith: 'throttle' | 500 | 503 };
    calls: Record<Endpoint, number>;
    retryPattern: RegExp;
  }[] = [
    {
      name: 'STS throttled 3 times → success, 4 STS calls, a fresh OIDC token for each',
      row: 'sts-throttled-3',
      endpoint: 'sts',
      fault: { failNext: 3, failWith: 'throttle' },
      calls: { oidc: 4, sts: 4, ecr: 1 },
      retryPattern: /\bThrottling\b/,
    },
    {
      name: 'ECR Public HTTP 500 twice → success after 3 ECR calls',
      row: 'ecr-500-twice',
      endpoint: 'ecr',
      fault: { failNext: 2, failWith: 500 },
      calls: { oidc: 1, sts: 1, ecr: 3 },
      retryPattern: /^ECR Public GetAuthorizationToken failed/,
    },
    {
      name: 'OIDC endpoint 503 twice → success after 3 OIDC calls',
      row: 'oidc-503-twice',
      endpoint: 'oidc',
      fault: { failNext: 2, failWith: 503 },
      calls: { oidc: 3, sts: 1, ecr: 1 },
      retryPattern: /\b503\b/,
    },
  ];

  test.each(RETRIED)('$name', async ({ row, endpoint, fault, calls: expected, retryPattern }) => {
    sb.fakes.setFault(endpoint, fault);
    const before = sb.fakes.counters();
    const job = await sb.job({ with: role });
    const calls = callsSince(before);
    const retries = retryLines(job.main);
    recordFigures(row, {
      result: job.main.exitCode === 0 ? 'success' : 'failure',
      oidcCalls: calls.oidc,
      stsCalls: calls.sts,
      ecrCalls: calls.ecr,
      [`${endpoint}Faulted`]: calls.faulted[endpoint],
      ...(endpoint === 'sts' && {
        stsThrottled: calls.faulted.sts,
        distinctOidcTokens: new Set(calls.stsTokens).size,
        retryWaitsMs: retries.map((l) => Number(/retrying in (\d+) ms/.exec(l)![1])),
      }),
      retryLogLines: retries.length,
      mainMs: ms(job.main.durationMs),
    });

    expect(job.main.exitCode).toBe(0);
    expect(job.main.outputs).toMatchObject({ registry: ECR, 'fallback-used': 'false' });
    expect({ oidc: calls.oidc, sts: calls.sts, ecr: calls.ecr }).toEqual(expected);
    expect(calls.faulted[endpoint]).toBe(fault.failNext);
    if (endpoint === 'sts') expect(new Set(calls.stsTokens).size).toBe(expected.sts);
    expect(retries).toHaveLength(fault.failNext);
    retries.forEach((line, i) => {
      expect(line).toMatch(retryPattern);
      expect(line).toContain(`attempt ${i + 1} of 5`);
    });
    expect(job.post?.exitCode).toBe(0);
    expect(authsIn(job.dockerConfig)).toEqual({});
    expect(job.leaks).toEqual([]);
  });

  test('ECR Public hangs → the step gives up at the 3 s deadline, falls back, or fails clearly', async () => {
    sb.fakes.setFault('ecr', { failWith: 'hang' });
    const before = sb.fakes.counters();
    // Both variants at once (the hang holds every ECR call): one with the fallback, one without.
    const [withFallback, without] = await Promise.all([
      sb.job({ with: { ...role, 'timeout-seconds': '3', ...sb.fallbackInputs() } }),
      sb.job({ with: { ...role, 'timeout-seconds': '3' } }),
    ]);
    const calls = callsSince(before);
    const warning = withFallback.main.annotations.warning.map((a) => a.message).join('\n');
    const error = without.main.annotations.error.map((a) => a.message).join('\n');
    recordFigures('ecr-hangs', {
      timeoutSeconds: 3,
      withFallback: {
        result: withFallback.main.exitCode === 0 ? 'success' : 'failure',
        fallbackUsed: withFallback.main.outputs['fallback-used'],
        registry: withFallback.main.outputs.registry,
        mainSeconds: seconds(withFallback.main.durationMs),
        warning: warning.split('\n')[0],
      },
      withoutFallback: {
        result: without.main.exitCode === 0 ? 'success' : 'failure',
        mainSeconds: seconds(without.main.durationMs),
        error: error.split('\n')[0],
      },
      ecrCallsBothJobs: calls.ecr,
    });

    for (const job of [withFallback, without]) {
      expect(job.main.durationMs).toBeGreaterThan(2500);
      expect(job.main.durationMs).toBeLessThan(6000);
      expect(job.main.timedOut).toBe(false);
      expect(job.post?.exitCode).toBe(0);
      expect(authsIn(job.dockerConfig)).toEqual({});
      expect(job.leaks).toEqual([]);
    }
    expect(withFallback.main.exitCode).toBe(0);
    expect(withFallback.main.outputs).toMatchObject({
      'fallback-used': 'true',
      registry: 'docker.io',
      'library-prefix': 'docker.io/library',
    });
    expect(warning).toMatch(/did not succeed within the 3 s deadline/);
    expect(without.main.exitCode).toBe(1);
    expect(without.main.annotations.error).toHaveLength(1);
    expect(error).toMatch(/^ECR Public: .*did not succeed within the 3 s deadline/);
    expect(error).toMatch(/timeout-seconds/);
  });
});

describe('figures: docker daemon', () => {
  test('docker daemon stopped mid-job → clear error naming the daemon, fallback attempted, nothing left in config', async () => {
    const dockerConfig = sb.newDockerConfig();
    await sb.infra.stopDaemon();
    let job;
    try {
      job = await sb.job({ with: { ...role, ...sb.fallbackInputs() }, dockerConfig });
    } finally {
      await sb.infra.startDaemon();
    }
    const error = job.main.annotations.error.map((a) => a.message).join('\n');
    const warning = job.main.annotations.warning.map((a) => a.message).join('\n');
    const left = sb.readDockerConfig(dockerConfig);
    recordFigures('daemon-stopped', {
      result: job.main.exitCode === 0 ? 'success' : 'failure',
      errorNamesDaemon: /Docker daemon is not running or not reachable/.test(error),
      fallbackAttempted: /logs in to docker\.io instead/.test(warning),
      fallbackError: /ECR Public and fallback docker\.io: The Docker daemon is not running/.test(
        error,
      ),
      dockerLoginCalls: job.main.dockerCalls.filter((c) => c.argv[0] === 'login').length,
      configAfterPost: left,
      mainMs: ms(job.main.durationMs),
    });

    expect(job.main.exitCode).toBe(1);
    expect(job.main.annotations.error).toHaveLength(1);
    // one cause for both registries: named once, for both
    expect(error).toMatch(
      /^ECR Public and fallback docker\.io: The Docker daemon is not running or not reachable at unix:/,
    );
    expect(error.match(/The Docker daemon is not running/g)).toHaveLength(1);
    expect(error).toContain(sb.infra.dockerHost);
    expect(error).toContain('Start the Docker daemon');
    // docker login would succeed without a daemon (CLI 28): the action must not run it.
    expect(job.main.dockerCalls).toEqual([]);
    expect(warning).toMatch(/logs in to docker\.io instead/);
    expect(job.main.outputs).toMatchObject({ registries: '', 'fallback-used': 'false' });
    expect(left.auths ?? {}).toEqual({});
    expect(job.post?.exitCode).toBe(0);
    expect(job.post?.annotations.warning).toEqual([]);
    expect(job.leaks).toEqual([]);
    // and the daemon is back for the rows that follow
    expect((await sb.docker(['version', '--format', '{{.Server.Version}}'])).ok).toBe(true);
  });

  // The daemon dies after the action's /_ping, while STS is still answering: the docker CLI (28)
  // then logs in by itself, so unless the action checks the daemon again right before
  // `docker login`, the step reports success although no pull can work.
  test('docker daemon stopped mid-step (after the /_ping, before docker login) → clear error, fallback attempted, nothing left in config', async () => {
    const latencyMs = 2500;
    const dockerConfig = sb.newDockerConfig();
    sb.fakes.setFault('sts', { latencyMs });
    const before = sb.fakes.counters();
    const started = Date.now();
    const running = sb.job({ with: { ...role, ...sb.fallbackInputs() }, dockerConfig });
    let job;
    let downAfterMs = NaN;
    let downAfterStsMs = NaN;
    try {
      // The STS request arrives after the OIDC token, so the action's /_ping is long answered.
      let settled = false;
      running.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (sb.fakes.counters().sts === before.sts && !settled && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 5));
      const stsSeen = Date.now();
      await sb.infra.stopDaemon();
      downAfterMs = Date.now() - started;
      downAfterStsMs = Date.now() - stsSeen;
      job = await running;
    } finally {
      await sb.infra.startDaemon();
    }
    const error = job.main.annotations.error.map((a) => a.message).join('\n');
    const warning = job.main.annotations.warning.map((a) => a.message).join('\n');
    recordFigures('daemon-stopped-mid-step', {
      result: job.main.exitCode === 0 ? 'success' : 'failure',
      daemonDownAfterMs: downAfterMs,
      stsAnsweredAfterMs: `>= ${latencyMs}`,
      outputs: job.main.outputs,
      dockerLoginCalls: job.main.dockerCalls
        .filter((c) => c.argv[0] === 'login')
        .map((c) => `${c.argv.at(-1)} exit ${c.exitCode}`),
      errorNamesDaemon: /Docker daemon is not running or not reachable/.test(error),
      fallbackAttempted: /logs in to docker\.io instead/.test(warning),
      configAfterPost: sb.readDockerConfig(dockerConfig),
    });

    // the daemon was down before docker login ran: STS answers latencyMs after its request came
    // in, and only then can the action log in (timed from the request, not from the job's start,
    // which a busy machine can delay by seconds)
    expect(downAfterStsMs).toBeLessThan(latencyMs);
    expect(job.leaks).toEqual([]);
    expect(job.post?.exitCode).toBe(0);
    expect(authsIn(dockerConfig)).toEqual({});
    expect(job.main.exitCode).toBe(1);
    expect(error).toMatch(/Docker daemon is not running or not reachable/);
    expect(warning).toMatch(/logs in to docker\.io instead/);
    expect(job.main.outputs).toMatchObject({ registries: '' });
  });
});

describe('figures: self-hosted runners, 20 concurrent jobs on one daemon', () => {
  const JOBS = 20;

  test('docker-config: isolated → every pull succeeds, no job sees another job’s login, nothing left behind', async () => {
    await sb.forget(ECR_IMAGE);
    // The runner user's own config, shared by all jobs, with a Docker Hub login in it.
    const home = sb.newDockerConfig();
    const hubLogin = await sb.docker(['login', 'docker.io', '-u', HUB_USER, '--password-stdin'], {
      dockerConfig: home,
      input: sb.hubToken,
    });
    expect(hubLogin.ok).toBe(true);
    const homeBefore = readFileSync(path.join(home, 'config.json'), 'utf8');
    const workDirs = Array.from({ length: JOBS }, () => mkdtempSync(path.join(SCRATCH, 'job-')));
    const env = jobEnv({ DOCKER_CONFIG: home });
    const wall = Date.now();
    const jobs = await Promise.all(
      workDirs.map(async (workDir) => {
        const t0 = Date.now();
        const main = await phase('main', {
          workDir,
          env,
          with: { ...role, 'docker-config': 'isolated' },
        });
        const dir = main.exportedEnv.DOCKER_CONFIG;
        const auths = dir ? authsIn(dir) : {};
        const pull = await sb.docker(['pull', ECR_IMAGE], { dockerConfig: dir });
        const post = await phase('post', {
          workDir,
          env,
          state: main.state,
          priorEnv: main.exportedEnv,
        });
        const runnerTemp = path.join(workDir, '_temp');
        return {
          workDir,
          main,
          post,
          dir,
          auths,
          pull,
          left: existsSync(runnerTemp) ? readdirSync(runnerTemp) : [],
          dirGone: dir !== undefined && !existsSync(dir),
          totalMs: Date.now() - t0,
        };
      }),
    );
    const wallMs = Date.now() - wall;
    const homeAfter = readFileSync(path.join(home, 'config.json'), 'utf8');
    const expectedAuth = basic('AWS', sb.fakes.ecrPassword);
    const foreign = jobs.filter(
      (j) =>
        Object.keys(j.auths).join() !== ECR ||
        j.auths[ECR]?.auth !== expectedAuth ||
        sha256(j.auths[ECR]?.auth ?? '') !== ownFingerprint(j.main),
    );
    const mainMs = jobs.map((j) => j.main.durationMs);
    const totalMs = jobs.map((j) => j.totalMs);
    recordFigures('isolated-20', {
      jobs: JOBS,
      mainsSucceeded: jobs.filter((j) => j.main.exitCode === 0).length,
      pullsSucceeded: jobs.filter((j) => j.pull.ok).length,
      postsSucceeded: jobs.filter((j) => j.post.exitCode === 0).length,
      distinctConfigDirs: new Set(jobs.map((j) => j.dir)).size,
      configsWithAnythingButTheirOwnLogin: foreign.length,
      configDirsLeftAfterPost: jobs.filter((j) => !j.dirGone).length,
      filesLeftInRunnerTemp: jobs.reduce((n, j) => n + j.left.length, 0),
      sharedHomeConfigUntouched: homeAfter === homeBefore,
      wallMs,
      mainP50Ms: ms(percentile(mainMs, 50)),
      mainMaxMs: ms(Math.max(...mainMs)),
      jobP50Ms: ms(percentile(totalMs, 50)),
      jobMaxMs: ms(Math.max(...totalMs)),
      leaks: jobs.reduce((n, j) => n + leaksOf(j.main).length + leaksOf(j.post).length, 0),
    });

    try {
      for (const j of jobs) {
        expect(j.main.exitCode).toBe(0);
        expect(j.main.outputs.registry).toBe(ECR);
        // its own folder, under its own RUNNER_TEMP
        expect(path.dirname(j.dir)).toBe(path.join(j.workDir, '_temp'));
        expect(j.pull).toMatchObject({ ok: true });
        expect(j.post.exitCode).toBe(0);
        expect(j.post.annotations.warning).toEqual([]);
        expect(j.dirGone).toBe(true);
        expect(j.left).toEqual([]);
        expect(leaksOf(j.main)).toEqual([]);
        expect(leaksOf(j.post)).toEqual([]);
      }
      expect(new Set(jobs.map((j) => j.dir)).size).toBe(JOBS);
      expect(foreign).toEqual([]);
      expect(homeAfter).toBe(homeBefore);
      expect(authsIn(home)[HUB_KEY]?.auth).toBe(basic(HUB_USER, sb.hubToken));
    } finally {
      workDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    }
  });

  test('docker-config: shared → what happens (facts recorded); no post removes a login that is not its own', async () => {
    const random = prng(20);
    await sb.forget(ECR_IMAGE);
    // One config for all 20 jobs (one runner user), with a Docker Hub login made before them.
    const shared = sb.newDockerConfig();
    expect(
      (
        await sb.docker(['login', 'docker.io', '-u', HUB_USER, '--password-stdin'], {
          dockerConfig: shared,
          input: sb.hubToken,
        })
      ).ok,
    ).toBe(true);
    const hubBefore = authsIn(shared)[HUB_KEY];
    const workDirs = Array.from({ length: JOBS }, () => mkdtempSync(path.join(SCRATCH, 'job-')));
    const env = jobEnv({ DOCKER_CONFIG: shared });
    const pull = () => sb.docker(['pull', ECR_IMAGE], { dockerConfig: shared });
    const wall = Date.now();

    // 1. all 20 mains at once
    const mains = await Promise.all(
      workDirs.map((workDir) => phase('main', { workDir, env, with: role })),
    );
    const afterMains = authsIn(shared);
    // 2. all 20 pulls at once
    const pullsBeforePosts = await Promise.all(mains.map(() => pull()));
    // 3. posts one by one in random order; after each, a job still running pulls again. Halfway,
    //    another job logs in with a token of its own (real ECR Public hands out a distinct token
    //    per call): the posts after that must leave it alone.
    const otherToken = sb.fakes.ecrPassword.slice(0, 72) + randomAlnum(48);
    sb.fakes.registryLogins.add('ecrPublic', { username: 'AWS', password: otherToken });
    const order = shuffled(
      mains.map((_, i) => i),
      random,
    );
    const steps: {
      job: number;
      removed: 'none' | 'own' | 'foreign';
      message: string;
      pullAfter?: boolean;
      otherJobLoggedIn?: boolean;
    }[] = [];
    const posts: StepResult[] = [];
    for (const [k, i] of order.entries()) {
      let otherJobLoggedIn: boolean | undefined;
      if (k === JOBS / 2) {
        const login = await sb.docker(['login', ECR, '-u', 'AWS', '--password-stdin'], {
          dockerConfig: shared,
          input: otherToken,
        });
        otherJobLoggedIn = login.ok;
      }
      const entryBefore = authsIn(shared)[ECR]?.auth;
      const post = await phase('post', {
        workDir: workDirs[i],
        env,
        state: mains[i].state,
        priorEnv: mains[i].exportedEnv,
      });
      posts.push(post);
      const entryAfter = authsIn(shared)[ECR]?.auth;
      const removed =
        entryBefore !== undefined && entryAfter === undefined
          ? sha256(entryBefore) === ownFingerprint(mains[i])
            ? 'own'
            : 'foreign'
          : 'none';
      const stillRunning = k < JOBS - 1;
      steps.push({
        job: i,
        removed,
        message: post.lines.join(' '),
        ...(stillRunning && { pullAfter: (await pull()).ok }),
        ...(otherJobLoggedIn !== undefined && { otherJobLoggedIn }),
      });
    }
    const wallMs = Date.now() - wall;
    const left = authsIn(shared);
    const firstRemoval = steps.findIndex((s) => s.removed !== 'none');
    const before = steps.slice(0, JOBS / 2);
    const after = steps.slice(JOBS / 2);
    recordFigures('shared-20', {
      jobs: JOBS,
      mainsSucceeded: mains.filter((m) => m.exitCode === 0).length,
      identicalEcrLogins: new Set(mains.map(ownFingerprint)).size === 1,
      hubLoginIntactAfterConcurrentLogins: afterMains[HUB_KEY]?.auth === hubBefore?.auth,
      pullsSucceededBeforeAnyPost: pullsBeforePosts.filter((p) => p.ok).length,
      postsSucceeded: posts.filter((p) => p.exitCode === 0).length,
      postWarnings: posts.reduce((n, p) => n + p.annotations.warning.length, 0),
      postsThatRemovedTheirOwnLogin: steps.filter((s) => s.removed === 'own').length,
      postsThatRemovedAnotherLogin: steps.filter((s) => s.removed === 'foreign').length,
      firstRemovalAtPost: firstRemoval + 1,
      pullsAfterEachPostFirstHalf: before.flatMap((s) => s.pullAfter ?? []),
      pullsFailedInFirstHalfAfterTheFirstRemoval: before
        .slice(firstRemoval)
        .filter((s) => s.pullAfter === false).length,
      otherJobWithDistinctTokenLoggedInBeforePost: JOBS / 2 + 1,
      pullsAfterEachPostSecondHalf: after.flatMap((s) => s.pullAfter ?? []),
      postMessages: [...new Set(steps.map((s) => s.message))],
      leftInConfigAfterAllPosts: Object.keys(left),
      otherJobsLoginLeftAfterAllPosts: left[ECR]?.auth === basic('AWS', otherToken),
      hubLoginUntouched: left[HUB_KEY]?.auth === hubBefore?.auth,
      wallMs,
      leaks: [...mains, ...posts].reduce((n, s) => n + leaksOf(s, [otherToken]).length, 0),
    });

    try {
      // What the README promises for `shared`:
      expect(mains.every((m) => m.exitCode === 0)).toBe(true);
      expect(pullsBeforePosts.every((p) => p.ok)).toBe(true);
      // a post never fails the job, never removes a login that is not its own,
      expect(posts.map((p) => p.exitCode)).toEqual(Array(JOBS).fill(0));
      expect(steps.filter((s) => s.removed === 'foreign')).toEqual([]);
      // so the newer login of another job survives every later post,
      expect(after.filter((s) => s.pullAfter === false)).toEqual([]);
      expect(left[ECR]?.auth).toBe(basic('AWS', otherToken));
      // and a login that was there before the jobs stays untouched.
      expect(afterMains[HUB_KEY]).toEqual(hubBefore);
      expect(left[HUB_KEY]).toEqual(hubBefore);
      for (const s of [...mains, ...posts]) expect(leaksOf(s, [otherToken])).toEqual([]);
    } finally {
      workDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    }
  });
});

// ------------------------------------------------------------------------------------ fuzz

const MARK = 'INJECTED';
/** The outputs action.yml declares. */
const OUTPUT_NAMES: readonly string[] = ACTION_OUTPUTS;
/** Every command the runner knows. */
const COMMANDS = new Set<string>(REGISTERED_COMMANDS);
/** The only commands the action itself ever prints. */
const OWN_COMMANDS = new Set([
  'add-mask',
  'error',
  'warning',
  'debug',
  'group',
  'endgroup',
  'set-output',
  'save-state',
]);
const STACK_TRACE =
  /^\s+at \S|\b(TypeError|ReferenceError|RangeError|SyntaxError|URIError|EvalError)\b/m;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const NUMBERS: Record<string, [number, number]> = {
  'role-duration-seconds': [900, 43200],
  'retry-max-attempts': [1, 20],
  'timeout-seconds': [1, 3600],
};
const CHOICES: Record<string, string[]> = {
  'fallback-mode': ['on-failure', 'always'],
  'docker-config': ['shared', 'isolated'],
  logout: ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
};

interface FuzzCase {
  id: number;
  /** Only the inputs given in `with:`; the others take action.yml's defaults. */
  inputs: Inputs;
  /** Unique strings inside secrets (fallback token, proxy password) that must never show. */
  tokenCores: string[];
  proxyCores: string[];
  /** Inputs the step must name in its input error (clear-cut cases only). */
  expectBad: string[];
  kinds: string[];
}

/** A random input set: each input left out, valid, or hostile (generic or input-specific). */
function fuzzCase(random: () => number, id: number, names: string[], roleArn: string): FuzzCase {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const alnum = (n: number) =>
    Array.from(
      { length: n },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[int(62)],
    ).join('');
  const tokenCore = `tok${alnum(18)}`;
  const proxyCore = `pw${alnum(18)}`;
  const insert = (v: string, s: string) => {
    if (v.length < 2) return `a${s}b${v}`;
    const at = 1 + int(v.length - 1);
    return v.slice(0, at) + s + v.slice(at);
  };
  const controls = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\x7f'];
  const unicode = [
    'ロール',
    'rôle',
    '\u202eevil',
    '\u200b',
    '😀',
    '\u2028',
    '\ufeff',
    'ﬁ',
    'İ',
    '\u0085',
    'Ω≈ç√',
  ];
  const shell = [
    '$(id)',
    '`id`',
    '; rm -rf / #',
    '| cat /etc/shadow',
    '&& curl http://evil',
    `'"\\`,
    '${HOME}',
    '$IFS',
    '>/tmp/x',
    '*',
    '~root',
  ];
  const generic: [string, (v: string) => string][] = [
    ['newline', (v) => `${v}\n::error::${MARK} newline`],
    ['cr', (v) => `${v}\r::warning::${MARK} cr`],
    ['crlf', (v) => insert(v, `\r\n::error::${MARK} crlf\r\n`)],
    ['nul', (v) => `${v}\0${MARK}`],
    ['control', (v) => insert(v, pick(controls))],
    ['ansi', (v) => `\x1b[31m${v}\x1b[0m`],
    ['long', (v) => v + 'A'.repeat(5000 + int(4000))],
    ['long-random', () => alnum(5000 + int(3000))],
    ['unicode', (v) => insert(v, pick(unicode))],
    ['shell', (v) => (random() < 0.5 ? v + pick(shell) : pick(shell) + v)],
    ['add-mask', (v) => `::add-mask::${v}`],
    ['error-command', (v) => (random() < 0.5 ? `::error::${MARK}${v}` : `${v}::error::${MARK}`)],
    ['set-output', () => `::set-output name=registry::${MARK}.example`],
    [
      'save-state',
      () =>
        `::save-state name=post::{"logout":true,"logins":[{"registry":"${MARK}","configDir":"/"}]}`,
    ],
    ['stop-commands', () => `::stop-commands::${MARK}`],
    ['%0A', (v) => `${v}%0A::error::${MARK}`],
    ['%0D%0A', (v) => `%0D%0A::warning::${MARK}${v}`],
    ['v1-command', (v) => `##[error]${MARK}${v}`],
    ['spaces', (v) => pick([`  ${v}  `, `\t${v}\n`, `${v}\n`, ` ${v}`])],
  ];
  const numbers = [
    '-1',
    '0',
    '899',
    '901x',
    '43201',
    '1e3',
    '0x384',
    '900.0',
    '9'.repeat(12),
    '٩٠٠',
    '+900',
    'NaN',
    'Infinity',
    '1_000',
    '２０',
    '00900',
    ' 900 ',
    '21',
    '3601',
    '4294967296',
  ];
  const special: Record<string, string[]> = {
    'role-to-assume': [
      'arn:aws:iam::12345678901:role/ecr-public-pull',
      'arn:aws:iam::1234567890123:role/ecr-public-pull',
      'arn:aws:iam::123456789012:user/ecr-public-pull',
      'arn:aws:sts::123456789012:assumed-role/ecr-public-pull/session',
      'arn:aws:iam::123456789012:role/',
      `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`,
      'arn:aws:iam:us-east-1:123456789012:role/ecr-public-pull',
      'ARN:AWS:IAM::123456789012:ROLE/ecr-public-pull',
      'arn:aws:iam::123456789012:role//ecr-public-pull',
      'arn:aws:iam::123456789012:role/ecr public pull',
      'arn:aws:iam::123456789O12:role/ecr-public-pull',
      'ecr-public-pull',
      'arn:aws:iam::123456789012:policy/ecr-public-pull',
      'arn:aws:iam::123456789012:role/path/',
      'arn:aws:iam::123456789012:role/ecr-public-pull:extra',
      `${roleArn} `,
      `arn:aws:iam::123456789012:role/ecr-public-pull\u200b`,
    ],
    'role-session-name': ['a', 's'.repeat(65), 'has space', 'sess/ion', 'sessión', ''],
    'role-duration-seconds': numbers,
    'retry-max-attempts': numbers,
    'timeout-seconds': numbers,
    audience: ['https://evil.example', 'a'.repeat(4097), ''],
    'fallback-registry': [
      'docker.io/library',
      'public.ecr.aws',
      'PUBLIC.ECR.AWS',
      'http://ghcr.io',
      'ghcr.io:99999',
      '-registry.io',
      'reg istry.io',
      'registry.io;rm',
      'ümlaut.io',
      'localhost',
      '[::1]:5000',
    ],
    'fallback-username': ['--password=x', '-p', 'user name', 'üser'],
    'fallback-mode': ['On-Failure', 'ALWAYS', 'never', 'on failure', 'always '],
    logout: ['yes', '1', 'tRUE', 'on', 'false ', 'null'],
    'docker-config': ['Isolated', 'private', 'isolated\n', '../shared'],
    'http-proxy': [
      `http://u:${proxyCore}%E0%A4%A@127.0.0.1:1`,
      `http://u:${proxyCore}%25@127.0.0.1:1`,
      `http://u:${proxyCore}@@127.0.0.1:1`,
      `http://u:${proxyCore}@127.0.0.1:1/path`,
      `socks5://u:${proxyCore}@127.0.0.1:1080`,
      `127.0.0.1:3128`,
      'http://[::1]:3128',
      `http://u:${proxyCore}/x@127.0.0.1:1`,
      'http://127.0.0.1:99999',
      'http://127.0.0.1:1~root',
      `http://u:${proxyCore}@127.0.0.1:1 `,
    ],
  };
  const valid: Record<string, string[]> = {
    'role-to-assume': [
      roleArn,
      roleArn,
      'arn:aws:iam::210987654321:role/other',
      'arn:aws-cn:iam::123456789012:role/path/x',
      '',
    ],
    'role-session-name': ['GitHubActions', 'ci-run_1', 'a.b@c=d,e+f'],
    'role-duration-seconds': ['900', '3600', '43200'],
    audience: ['sts.amazonaws.com', 'sts.amazonaws.com', 'my-audience'],
    'fallback-registry': [
      'docker.io',
      'index.docker.io',
      'https://index.docker.io/v1/',
      'ghcr.io',
      'registry.example.com:5000',
    ],
    'fallback-username': [HUB_USER, 'someone'],
    'fallback-token': [`dckr_oat_${tokenCore}`],
    'fallback-mode': ['on-failure', 'always'],
    logout: ['true', 'false', 'True', 'FALSE'],
    'retry-max-attempts': ['1', '2', '5'],
    'timeout-seconds': ['5', '10', '60'],
    'http-proxy': ['', 'http://127.0.0.1:1', `http://u:${proxyCore}@127.0.0.1:1`],
    'docker-config': ['shared', 'isolated'],
  };
  const inputs: Inputs = {};
  const kinds: string[] = [];
  for (const name of names) {
    const roll = random();
    if (roll < 0.4) continue;
    const base = pick(valid[name] ?? ['']);
    if (roll < 0.7) {
      inputs[name] = base;
    } else if (special[name] && random() < 0.4) {
      inputs[name] = pick(special[name]);
      kinds.push(`${name}:special`);
    } else {
      const [kind, make] = pick(generic);
      inputs[name] = make(base);
      kinds.push(kind);
    }
  }
  // A token always carries its unique core, whatever was done to it.
  if (inputs['fallback-token'] !== undefined && !inputs['fallback-token'].includes(tokenCore)) {
    inputs['fallback-token'] += tokenCore;
  }
  return {
    id,
    inputs,
    tokenCores: inputs['fallback-token'] !== undefined ? [tokenCore] : [],
    proxyCores: inputs['http-proxy']?.includes(proxyCore) ? [proxyCore] : [],
    expectBad: expectedBad(inputs),
    kinds,
  };
}

/** Whether the URL parser (which the action's proxy code uses) accepts the value. */
function parsesAsUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Inputs of one value per line (`images`, `rewrite`). */
const LIST_INPUTS = new Set(['images', 'rewrite']);

/** Inputs that are certainly invalid (an oracle independent of src/inputs.ts, for clear cases). */
function expectedBad(inputs: Inputs): string[] {
  const value = (name: string) => (inputs[name] ?? '').trim();
  const bad = new Set<string>();
  for (const [name, raw] of Object.entries(inputs)) {
    const v = raw.trim();
    if (LIST_INPUTS.has(name)) {
      // one item per line: line breaks are separators, other control characters are not
      if (/[\x00-\x1f\x7f]/.test(v.replace(/\r?\n/g, '')) || v.length > 65536) bad.add(name);
    } else if (/[\x00-\x1f\x7f]/.test(v) || v.length > 4096) bad.add(name);
  }
  for (const [name, [min, max]] of Object.entries(NUMBERS)) {
    const v = value(name);
    if (v && (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)) bad.add(name);
  }
  for (const [name, choices] of Object.entries(CHOICES)) {
    if (value(name) && !choices.includes(value(name))) bad.add(name);
  }
  if (value('role-to-assume') && !ROLE_ARN.test(value('role-to-assume'))) bad.add('role-to-assume');
  const session = value('role-session-name');
  if (session && !/^[\w+=,.@-]{2,64}$/.test(session)) bad.add('role-session-name');
  const proxy = value('http-proxy');
  if (proxy && (!/^https?:\/\/[^\s/]+\/?$/.test(proxy) || !parsesAsUrl(proxy)))
    bad.add('http-proxy');
  const registry = value('fallback-registry');
  if (/[^A-Za-z0-9.:/[\]-]/.test(registry) || Number(/:(\d+)\/?$/.exec(registry)?.[1]) > 65535)
    bad.add('fallback-registry');
  if (value('fallback-token') && !value('fallback-username')) bad.add('fallback-token');
  const fallbackWay = value('fallback-token') || value('fallback-oidc-connection-id');
  if (value('fallback-mode') === 'always' && !fallbackWay) bad.add('fallback-mode');
  return [...bad];
}

interface Verdict {
  outcome: 'success' | 'input-error' | 'login-failure' | 'crash';
  problems: string[];
}

/**
 * Judges what one step printed: no crash, no stack trace, no secret, no injected command,
 * and an input error that names every input it is about (and every clear-cut bad one).
 */
function judge(
  c: FuzzCase,
  names: string[],
  r: { code: number | undefined; crash?: string; lines: string[]; places: Place[] },
): Verdict {
  const problems: string[] = [];
  const text = r.lines.join('\n');
  if (r.crash !== undefined) problems.push(`crash: ${r.crash.split('\n')[0]}`);
  if (r.code !== undefined && r.code !== 0 && r.code !== 1) problems.push(`exit code ${r.code}`);
  if (/Unexpected failure/.test(text))
    problems.push(`crash: ${/Unexpected failure.*/.exec(text)![0]}`);
  if (STACK_TRACE.test(text)) problems.push(`stack trace: ${STACK_TRACE.exec(text)![0]}`);
  const tokenLeaks = findLeaks(r.places, c.tokenCores);
  if (tokenLeaks.length) problems.push(`fallback token echoed: ${JSON.stringify(tokenLeaks[0])}`);
  const proxyLeaks = findLeaks(r.places, c.proxyCores);
  if (proxyLeaks.length) problems.push(`proxy password echoed: ${JSON.stringify(proxyLeaks[0])}`);

  const errors: { message: string; title?: string }[] = [];
  for (const line of r.lines) {
    const cmd = parseWorkflowCommand(line, COMMANDS);
    if (!cmd) {
      if (line.startsWith(MARK)) problems.push(`injected line: ${line.slice(0, 80)}`);
      continue;
    }
    const name = cmd.name.toLowerCase();
    if (!OWN_COMMANDS.has(name)) problems.push(`injected command: ${line.slice(0, 80)}`);
    if (
      name === 'set-output' &&
      (!OUTPUT_NAMES.includes(cmd.properties.name) || cmd.data.includes(MARK))
    )
      problems.push(`injected output: ${line.slice(0, 80)}`);
    if (name === 'save-state' && (cmd.properties.name !== 'post' || cmd.data.includes(MARK)))
      problems.push(`injected state: ${line.slice(0, 80)}`);
    if (name === 'error' || name === 'warning') {
      if (
        cmd.data.startsWith(MARK) ||
        cmd.data.split('\n').some((l) => /^(::|##\[)/.test(l.trim()))
      )
        problems.push(`injected annotation: ${cmd.data.slice(0, 80)}`);
    }
    if (name === 'error') errors.push({ message: cmd.data, title: cmd.properties.title });
  }
  if (errors.length > 1) problems.push(`${errors.length} error annotations`);
  const inputError = errors.find((e) => e.title === 'Invalid input');
  if (inputError) {
    if (r.code !== 1) problems.push(`input error with exit code ${r.code}`);
    const lines = inputError.message.split('\n');
    const listed = lines[0] === 'Invalid inputs:';
    const items = listed
      ? lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2))
      : [lines[0].replace(/^Invalid input: /, '')];
    const named = new RegExp(`^'(${names.join('|')})(: always)?'`);
    for (const item of items) {
      if (!named.test(item))
        problems.push(`input error without an input name: ${item.slice(0, 100)}`);
    }
    for (const name of c.expectBad) {
      if (!items.some((i) => i.startsWith(`'${name}'`) || i.startsWith(`'${name}: `)))
        problems.push(
          `'${name}' ${shown(c.inputs[name])} is bad but not named in: ${inputError.message.slice(0, 200)}`,
        );
    }
  } else if (c.expectBad.length) {
    problems.push(
      `bad inputs not reported (exit ${r.code}): ${c.expectBad.map((n) => `'${n}' ${shown(c.inputs[n])}`).join(', ')}`,
    );
  }
  const outcome =
    r.crash !== undefined || /Unexpected failure/.test(text)
      ? 'crash'
      : inputError
        ? 'input-error'
        : r.code === 0
          ? 'success'
          : 'login-failure';
  return { outcome, problems };
}

/** Output lines as places for the leak scan, add-mask lines (the registration) excepted. */
const linePlaces = (lines: string[], where: string): Place[] =>
  lines
    .map((text, i) => ({ where, detail: `line ${i + 1}`, text }))
    .filter((p) => !p.text.startsWith('::add-mask::'));

/** A value fit for a one-line report. */
const shown = (value = '') => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** Inputs fit for a report: long values cut (their length kept). */
const shortInputs = (inputs: Inputs): Inputs =>
  Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      k,
      v.length > 100 ? `${v.slice(0, 60)}… (${v.length} characters)` : v,
    ]),
  );

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('figures: hostile input', () => {
  const SETS = 1000;
  const BUNDLE_SETS = 50;

  test('a fuzz of 1,000 random and hostile input sets → no crash, no stack trace, no secret echoed, every error names the input', async () => {
    // CI replays one fixed seed (a regression check that cannot flake); elsewhere every run explores.
    const seed = Number(
      process.env.FUZZ_SEED ?? (process.env.CI ? 20261124 : Date.now() % 2 ** 31),
    );
    console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
    const random = prng(seed);
    const action = loadAction(sb.actionDir);
    const names = action.inputs.map((i) => i.name);
    const defaults = Object.fromEntries(
      action.inputs.map((i) => [i.name, String(i.default ?? '')]),
    );
    const cases = Array.from({ length: SETS }, (_, id) => fuzzCase(random, id, names, sb.roleArn));
    const root = mkdtempSync(path.join(SCRATCH, 'fuzz-'));

    // The AWS SDK reads its endpoints and files from process.env, not from the env runMain gets.
    const saved = { ...process.env };
    Object.assign(process.env, jobEnv(), {
      AWS_CONFIG_FILE: path.join(root, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-aws-credentials'),
    });
    for (const k of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
    ])
      delete process.env[k];

    // 1. All 1,000 in-process: runMain then runPost from src/, with the real runtime (writing to
    //    a buffer), the real docker CLI, the real AWS SDK and the fakes; retries without waits.
    const verdicts: (Verdict & { id: number })[] = [];
    const extra = {
      networkBeforeValidation: 0,
      configLeftBehind: 0,
      postErrors: 0,
    };
    const started = Date.now();
    try {
      for (const c of cases) {
        const dir = mkdtempSync(path.join(root, 'set-'));
        const dockerConfig = path.join(dir, 'docker');
        const runnerTemp = path.join(dir, 'temp');
        mkdirSync(dockerConfig);
        mkdirSync(runnerTemp);
        const inputEnv = Object.fromEntries(
          names.map((n) => [`INPUT_${n.toUpperCase()}`, c.inputs[n] ?? defaults[n]]),
        );
        const env: Record<string, string | undefined> = {
          PATH: process.env.PATH,
          HOME: dir,
          ...sb.fakes.env(),
          ...sb.infra.env(),
          AWS_REGION: 'us-east-1',
          DOCKER_CONFIG: dockerConfig,
          RUNNER_TEMP: runnerTemp,
          ...inputEnv,
        };
        const out: string[] = [];
        const calls: string[][] = [];
        const exec: Exec = (command, args, options) => {
          calls.push([command, ...args]);
          return realExec(command, args, options);
        };
        const before = sb.fakes.counters();
        let code: number | undefined;
        let crash: string | undefined;
        try {
          code = await withTimeout(
            runMain({
              runtime: createRuntime(env, (t) => void out.push(t)),
              env,
              exec,
              loadSdk: () => import('../../src/aws/sdk.js'),
              sleep: async () => undefined,
            }),
            30_000,
          );
        } catch (error) {
          crash = String((error as Error)?.stack ?? error);
        }
        const lines = out.join('').split('\n');
        const verdict = judge(c, names, {
          code,
          crash,
          lines,
          places: linePlaces(lines, 'main'),
        });
        const calls0 = callsSince(before);
        if (
          verdict.outcome === 'input-error' &&
          (calls0.oidc + calls0.sts + calls0.ecr > 0 || calls.length > 0)
        ) {
          extra.networkBeforeValidation += 1;
          verdict.problems.push('network or docker call before the input error');
        }

        // post, with the state main saved (as ::save-state, there being no GITHUB_STATE file)
        let state = '';
        for (const line of lines) {
          const cmd = parseWorkflowCommand(line, COMMANDS);
          if (cmd?.name === 'save-state' && cmd.properties.name === 'post') state = cmd.data;
        }
        const postOut: string[] = [];
        const postEnv = { ...env, STATE_post: state };
        try {
          await withTimeout(
            runPost({
              runtime: createRuntime(postEnv, (t) => void postOut.push(t)),
              env: postEnv,
              exec,
            }),
            30_000,
          );
        } catch (error) {
          verdict.problems.push(`post crash: ${String(error).split('\n')[0]}`);
        }
        const postLines = postOut.join('').split('\n');
        const postText = postLines.join('\n');
        if (STACK_TRACE.test(postText))
          verdict.problems.push(`post stack trace: ${postText.slice(0, 200)}`);
        if (postLines.some((l) => l.startsWith('::error'))) {
          extra.postErrors += 1;
          verdict.problems.push('post printed an error');
        }
        const postLeaks = findLeaks(linePlaces(postLines, 'post'), [
          ...c.tokenCores,
          ...c.proxyCores,
        ]);
        if (postLeaks.length)
          verdict.problems.push(`post echoed a secret: ${JSON.stringify(postLeaks[0])}`);
        const logout = (c.inputs.logout ?? 'true').trim();
        if (!/^(false|False|FALSE)$/.test(logout)) {
          const left = [...Object.keys(authsIn(dockerConfig)), ...readdirSync(runnerTemp)];
          if (left.length) {
            extra.configLeftBehind += 1;
            verdict.problems.push(`left behind after post: ${left.join(', ')}`);
          }
        }
        verdicts.push({ id: c.id, ...verdict });
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const inProcessMs = Date.now() - started;

    // 2. A random 50 of them through the real bundles and the runner emulator (an env
    //    variable cannot hold NUL, so NUL becomes \x01 there: still a control character).
    const sample = shuffled(cases, random).slice(0, BUNDLE_SETS);
    const bundleStarted = Date.now();
    const bundle = await pool(sample, 3, async (c) => {
      const inputs = Object.fromEntries(
        Object.entries(c.inputs).map(([k, v]) => [k, v.replace(/\0/g, '\x01')]),
      );
      const job = await sb.job({ with: inputs, timeoutMs: 30_000 });
      const steps = [job.main, ...(job.post ? [job.post] : [])];
      const lines = steps.flatMap((s) => [...s.stdout.split('\n'), ...s.stderr.split('\n')]);
      const places = steps.flatMap((s) => leakPlaces(s));
      const verdict = judge(c, names, { code: job.main.exitCode, lines, places });
      for (const s of steps) {
        const leaks = findLeaks(leakPlaces(s), sb.secrets());
        if (leaks.length) verdict.problems.push(`${s.phase} leaked ${JSON.stringify(leaks[0])}`);
        if (s.timedOut) verdict.problems.push(`${s.phase} timed out`);
        if (s.annotations.error.some((a) => a.message.startsWith('Unable to process command')))
          verdict.problems.push(`${s.phase}: the runner could not process a command`);
      }
      if (job.post?.exitCode !== 0) verdict.problems.push(`post exit ${job.post?.exitCode}`);
      if (job.post?.annotations.error.length) verdict.problems.push('post failed the job');
      const inProcess = verdicts.find((v) => v.id === c.id)!;
      if ((verdict.outcome === 'input-error') !== (inProcess.outcome === 'input-error'))
        verdict.problems.push(
          `bundle says ${verdict.outcome}, in-process said ${inProcess.outcome}`,
        );
      return { id: c.id, ...verdict, ms: job.main.durationMs + (job.post?.durationMs ?? 0) };
    });
    const bundleMs = Date.now() - bundleStarted;
    rmSync(root, { recursive: true, force: true });

    const count = (vs: Verdict[], outcome: Verdict['outcome']) =>
      vs.filter((v) => v.outcome === outcome).length;
    const withProblem = (vs: Verdict[], re: RegExp) =>
      vs.filter((v) => v.problems.some((p) => re.test(p))).length;
    const summary = (vs: Verdict[]) => ({
      success: count(vs, 'success'),
      inputErrors: count(vs, 'input-error'),
      loginFailures: count(vs, 'login-failure'),
      crashes: count(vs, 'crash'),
      stackTracesOrJsErrorNames: withProblem(vs, /stack trace/),
      fallbackTokensEchoed: withProblem(vs, /fallback token echoed|post echoed/),
      proxyPasswordsEchoed: withProblem(vs, /proxy password echoed/),
      injectedCommandsTookEffect: withProblem(vs, /^injected/),
      inputErrorItemsNotNamingAnInput: withProblem(vs, /without an input name/),
      badInputsNotReportedAsSuch: withProblem(vs, /not named|not reported/),
      setsWithAnyProblem: vs.filter((v) => v.problems.length).length,
    });
    const kinds: Record<string, number> = {};
    for (const c of cases)
      for (const k of c.kinds)
        kinds[k.endsWith(':special') ? 'input-specific' : k] =
          (kinds[k.endsWith(':special') ? 'input-specific' : k] ?? 0) + 1;
    const failing = [...verdicts, ...bundle].filter((v) => v.problems.length);
    recordFigures('fuzz-1000', {
      seed,
      sets: SETS,
      hostileValues: Object.values(kinds).reduce((a, b) => a + b, 0),
      hostileValuesByKind: kinds,
      inProcess: { ...summary(verdicts), ...extra, wallMs: inProcessMs },
      bundle: {
        sets: BUNDLE_SETS,
        ...summary(bundle),
        agreeWithInProcess: bundle.filter((b) => !b.problems.some((p) => /in-process said/.test(p)))
          .length,
        p50JobMs: ms(
          percentile(
            bundle.map((b) => b.ms),
            50,
          ),
        ),
        wallMs: bundleMs,
      },
      problems: failing.slice(0, 40).map((v) => ({
        set: v.id,
        inputs: shortInputs(cases[v.id].inputs),
        problems: v.problems,
      })),
    });

    // Compact on failure: how many sets failed, and the first few with what went wrong.
    expect({
      setsWithProblems: failing.length,
      first: failing
        .slice(0, 12)
        .map((v) => `set ${v.id}: ${v.problems.join(' | ').slice(0, 300)}`),
    }).toEqual({ setsWithProblems: 0, first: [] });
  });
});
