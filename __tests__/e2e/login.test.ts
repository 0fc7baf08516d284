// End-to-end scenarios: the built dist/ bundles, run main then post as a GitHub runner
// would (sandbox/runner.mjs), against the OIDC/STS/ECR Public fakes, a real registry and a real
// dockerd (sandbox/infra.mjs). Every scenario runs with RUNNER_DEBUG=1 and checks the leak scan.
// Run: npm run test:e2e -- __tests__/e2e/login.test.ts   (one: -t 'happy path')
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomAlnum } from '../../sandbox/fakes/index.mjs';
import { shippedRoles } from '../../sandbox/iam/shipped.mjs';
import { findLeaks, type StepResult as Step } from '../../sandbox/runner.mjs';
import { ECR_IMAGE, HUB_IMAGE, HUB_KEY, HUB_USER, startSandbox } from '../../sandbox/sandbox.mjs';

// Every client on the sandbox's PATH the logins serve (the `clients` output).
const CLIENTS = JSON.stringify(['docker', 'podman', 'buildah', 'skopeo']);

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Counters = ReturnType<Sandbox['fakes']['counters']>;
type Job = Awaited<ReturnType<Sandbox['job']>>;

const ECR = 'public.ecr.aws';
const ECR_PREFIX = 'public.ecr.aws/docker/library';
// Real ECR Public passwords are over 2,560 bytes: the stdin path must carry that in one piece.
const ECR_PASSWORD = randomAlnum(2600);
const ROLE_SUB_PATTERN = 'repo:octo-org/app:*';
const JOB_SUB = 'repo:octo-org/app:ref:refs/heads/main';
const TWELVE_HOURS_MS = 12 * 3600 * 1000;

let sb: Sandbox;
let suiteStarted: number;

beforeAll(async () => {
  suiteStarted = Date.now();
  // Anonymous pulls refused, so a pull proves the login (the real registries allow them).
  sb = await startSandbox({ fakes: { ecrPassword: ECR_PASSWORD }, anonymousPulls: false });
}, 60_000);

afterAll(async () => {
  await sb?.stop();
  console.log(`login.test.ts: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s with set-up`);
});

// Each scenario starts from the fakes' defaults, whatever the one before it did: the role
// holds the policies iam/cloudformation.yaml creates for octo-org/app.
beforeEach(() => {
  sb.fakes.clearFaults();
  sb.fakes.setClaims({});
  sb.fakes.resetRoles();
});

/** The inputs every scenario starts from: the default role the fakes trust. */
const role = () => ({ 'role-to-assume': sb.roleArn });
const withFallback = () => ({ ...role(), ...sb.fallbackInputs() });

const auths = (dir: string): Record<string, { auth?: string }> =>
  sb.readDockerConfig(dir).auths ?? {};
const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64');
const messages = (step: Step, level: 'error' | 'warning' | 'notice') =>
  step.annotations[level].map((a) => a.message);
const log = (step: Step) => step.lines.join('\n');

/** Calls the fakes answered since `before`. */
function callsSince(before: Counters) {
  const now = sb.fakes.counters();
  return {
    oidc: now.oidc - before.oidc,
    sts: now.sts - before.sts,
    ecr: now.ecr - before.ecr,
    ecrFaulted: now.faulted.ecr - before.faulted.ecr,
  };
}

/**
 * What every scenario checks: debug logging was on, and no secret leaked anywhere. A step()
 * result's `leaks` already counts every secret the fakes issued; see expectJobDebugAndNoLeaks.
 */
function expectDebugAndNoLeaks(...steps: (Step | null)[]) {
  for (const step of steps) {
    expect(step).not.toBeNull();
    expect(step!.env.RUNNER_DEBUG).toBe('1');
    expect(step!.leaks).toEqual([]);
    // The post step never fails the job.
    if (step!.phase === 'post') expect(step!.exitCode).toBe(0);
  }
}

/** The same for job(): its own `leaks` adds the fakes' secrets to main's and post's scans. */
function expectJobDebugAndNoLeaks(job: Job) {
  expect(job.leaks).toEqual([]);
  expectDebugAndNoLeaks(job.main, job.post);
}

/** `docker pull` from the registry itself, not the daemon's image store. */
async function pull(image: string, dockerConfig: string) {
  await sb.forget(image);
  return sb.docker(['pull', image], { dockerConfig });
}

test('happy path: anonymous pull refused, pull works after main, post removes the credential', async () => {
  const dockerConfig = sb.newDockerConfig();
  const anonymous = await pull(ECR_IMAGE, dockerConfig);
  expect(anonymous.ok).toBe(false);
  expect(anonymous.stderr).toMatch(/unauthorized: anonymous access is turned off/);

  const before = sb.fakes.counters();
  const main = await sb.step('main', { with: role(), dockerConfig });
  expect(main.exitCode).toBe(0);
  expect(main.failed).toBe(false);
  expect(main.annotations).toEqual({ error: [], warning: [], notice: [] });
  expect(main.outputs).toEqual({
    registry: ECR,
    'library-prefix': ECR_PREFIX,
    'fallback-used': 'false',
    registries: ECR,
    'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    // no images or rewrite input: nothing resolved; BuildKit may use the mirror
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': '[registry."docker.io"]\n  mirrors = ["public.ecr.aws/docker"]\n',
    'docker-mirror': '',
    'docker-hub-pulls-remaining': '',
    mirrors: '{}',
    'buildkitd-config-file': '',
    clients: CLIENTS,
  });
  const expiresIn = Date.parse(main.outputs['expires-at']) - Date.now();
  expect(Math.abs(expiresIn - TWELVE_HOURS_MS)).toBeLessThan(5 * 60 * 1000);
  expect(log(main)).toContain(`Assumed ${sb.roleArn} as ${JOB_SUB}`);
  // One docker process: the login, password on stdin, all of it.
  expect(main.dockerCalls).toEqual([
    {
      argv: ['login', '--username', 'AWS', '--password-stdin', ECR],
      stdinBytes: ECR_PASSWORD.length,
      exitCode: 0,
    },
  ]);
  expect(main.masks).toContain(ECR_PASSWORD);
  expect(auths(dockerConfig)[ECR]?.auth).toBe(basic('AWS', ECR_PASSWORD));
  expect(main.summary).toContain(ECR);
  expect(main.summary).toContain(ECR_PREFIX);
  expect(callsSince(before)).toEqual({ oidc: 1, sts: 1, ecr: 1, ecrFaulted: 0 });

  const pulled = await pull(ECR_IMAGE, dockerConfig);
  expect(pulled.stderr).toBe('');
  expect(pulled.ok).toBe(true);
  expect(pulled.stdout).toContain(`Status: Downloaded newer image for ${ECR_IMAGE}`);

  const post = await sb.step('post', { with: role(), state: main.state, dockerConfig });
  expect(post.lines).toContain(`Logged out of ${ECR}.`);
  expect(post.annotations.warning).toEqual([]);
  const config = sb.readDockerConfig(dockerConfig);
  expect(config.auths ?? {}).not.toHaveProperty([ECR]);
  expect(JSON.stringify(config)).not.toContain(basic('AWS', ECR_PASSWORD).slice(0, 40));
  expect((await pull(ECR_IMAGE, dockerConfig)).ok).toBe(false);
  expectDebugAndNoLeaks(main, post);
});

test('a shared AWS config file sends the calls through the AWS SDK: the same login, the same calls', async () => {
  const dir = sb.newDockerConfig();
  const config = path.join(dir, 'aws-config');
  writeFileSync(config, '[default]\n');
  const runs = [];
  for (const env of [{}, { AWS_CONFIG_FILE: config }]) {
    const dockerConfig = sb.newDockerConfig();
    const before = sb.fakes.counters();
    const main = await sb.step('main', { with: role(), dockerConfig, env });
    expect(main.exitCode).toBe(0);
    expect(main.annotations.error).toEqual([]);
    expect(callsSince(before)).toEqual({ oidc: 1, sts: 1, ecr: 1, ecrFaulted: 0 });
    expect((await pull(ECR_IMAGE, dockerConfig)).ok).toBe(true);
    expectDebugAndNoLeaks(main);
    runs.push(log(main));
  }
  expect(runs[0]).toMatch(/ECR Public: our own AWS requests \(endpoints from AWS_ENDPOINT_URL_STS/);
  expect(runs[1]).toMatch(/ECR Public: the AWS SDK \(AWS_CONFIG_FILE is set\)/);
});

test('no id-token permission, with fallback: warns about id-token: write and logs in to Docker Hub', async () => {
  const dockerConfig = sb.newDockerConfig();
  const before = sb.fakes.counters();
  const main = await sb.step('main', { with: withFallback(), idToken: false, dockerConfig });
  expect(main.exitCode).toBe(0);
  expect(main.env).not.toHaveProperty('ACTIONS_ID_TOKEN_REQUEST_URL');
  expect(messages(main, 'error')).toEqual([]);
  const warnings = messages(main, 'warning');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^ECR Public login failed, so this step logs in to docker\.io/);
  expect(warnings[0]).toContain('This job has no GitHub OIDC token');
  expect(warnings[0]).toContain('id-token: write');
  expect(main.outputs).toEqual({
    registry: 'docker.io',
    'library-prefix': 'docker.io/library',
    'fallback-used': 'true',
    registries: 'docker.io',
    'expires-at': '',
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': '', // Docker Hub is no mirror of itself
    'docker-mirror': '',
    'docker-hub-pulls-remaining': '',
    mirrors: '{}',
    'buildkitd-config-file': '',
    clients: CLIENTS,
  });
  expect(main.dockerCalls).toEqual([
    {
      argv: ['login', '--username', HUB_USER, '--password-stdin', 'docker.io'],
      stdinBytes: sb.hubToken.length,
      exitCode: 0,
    },
  ]);
  expect(Object.keys(auths(dockerConfig))).toEqual([HUB_KEY]);
  expect(callsSince(before)).toEqual({ oidc: 0, sts: 0, ecr: 0, ecrFaulted: 0 });

  const pulled = await pull(HUB_IMAGE, dockerConfig);
  expect(pulled.ok).toBe(true);
  expect(pulled.stdout).toContain(`Status: Downloaded newer image for busybox:latest`);

  const post = await sb.step('post', {
    with: withFallback(),
    idToken: false,
    state: main.state,
    dockerConfig,
  });
  expect(post.lines).toContain('Logged out of docker.io.');
  expect(auths(dockerConfig)).not.toHaveProperty([HUB_KEY]);
  expectDebugAndNoLeaks(main, post);
});

test('no id-token permission, without fallback: the step fails naming id-token: write', async () => {
  const job = await sb.job({ with: role(), idToken: false });
  const { main, dockerConfig } = job;
  expect(main.exitCode).toBe(1);
  const [error, ...more] = messages(main, 'error');
  expect(more).toEqual([]);
  expect(error).toContain(
    'ECR Public: This job has no GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set)',
  );
  expect(error).toContain('`permissions: id-token: write`');
  expect(main.annotations.error[0].properties.title).toBe('Registry login failed');
  expect(main.outputs).toMatchObject({ registry: '', registries: '', 'fallback-used': 'false' });
  expect(main.dockerCalls).toEqual([]);
  expect(auths(dockerConfig)).toEqual({});
  expectJobDebugAndNoLeaks(job);
});

test("the shipped role of another repository rejects the job's sub: the error shows the sub and the fix", async () => {
  sb.fakes.setRoles(await shippedRoles({ repository: 'octo-org/other-repo' }));
  const before = sb.fakes.counters();
  const job = await sb.job({ with: role() });
  const { main, dockerConfig } = job;
  expect(main.exitCode).toBe(1);
  const [error] = messages(main, 'error');
  expect(error).toContain(
    `STS AssumeRoleWithWebIdentity failed for ${sb.roleArn} (AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity).`,
  );
  expect(error).toContain(`The token's sub claim is "${JOB_SUB}".`);
  expect(error).toContain(
    `StringLike "token.actions.githubusercontent.com:sub": "${ROLE_SUB_PATTERN}"`,
  );
  // AccessDenied is final: no retry, no ECR call.
  expect(callsSince(before)).toMatchObject({ sts: 1, ecr: 0 });
  expect(main.dockerCalls).toEqual([]);
  expect(auths(dockerConfig)).toEqual({});
  expectJobDebugAndNoLeaks(job);
});

test("trust policy rejects the repo's sub, with fallback: it falls back to Docker Hub", async () => {
  sb.fakes.setClaims({ repository: 'someone/else' });
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', { with: withFallback(), dockerConfig });
  expect(main.exitCode).toBe(0);
  const [warning, ...more] = messages(main, 'warning');
  expect(more).toEqual([]);
  expect(warning).toContain('AccessDenied');
  expect(warning).toContain(`The token's sub claim is "repo:someone/else:ref:refs/heads/main".`);
  expect(warning).toContain('"repo:someone/else:*"');
  expect(main.outputs).toMatchObject({
    registry: 'docker.io',
    'library-prefix': 'docker.io/library',
    'fallback-used': 'true',
    registries: 'docker.io',
  });
  expect((await pull(HUB_IMAGE, dockerConfig)).ok).toBe(true);
  const post = await sb.step('post', { with: withFallback(), state: main.state, dockerConfig });
  expect(auths(dockerConfig)).toEqual({});
  expectDebugAndNoLeaks(main, post);
});

test('wrong audience: a clear error naming the audience', async () => {
  const before = sb.fakes.counters();
  const job = await sb.job({ with: { ...role(), audience: 'not-sts' } });
  const { main, dockerConfig } = job;
  expect(main.exitCode).toBe(1);
  const [error] = messages(main, 'error');
  expect(error).toContain('(InvalidIdentityToken: Incorrect token audience)');
  expect(error).toContain(`The token's audience is "not-sts".`);
  expect(error).toContain('sts.amazonaws.com');
  const oidcRequest = sb.fakes
    .requests()
    .filter((r) => r.endpoint === 'oidc')
    .at(-1);
  expect(oidcRequest?.path).toContain('audience=not-sts');
  expect(callsSince(before)).toMatchObject({ oidc: 1, sts: 1, ecr: 0 });
  expect(auths(dockerConfig)).toEqual({});
  expectJobDebugAndNoLeaks(job);
});

test('expired OIDC token: a clear error', async () => {
  const now = Math.floor(Date.now() / 1000);
  sb.fakes.setClaims({ iat: now - 600, nbf: now - 600, exp: now - 300 });
  const before = sb.fakes.counters();
  const job = await sb.job({ with: role() });
  const { main, dockerConfig } = job;
  expect(main.exitCode).toBe(1);
  const [error] = messages(main, 'error');
  expect(error).toContain(
    `STS AssumeRoleWithWebIdentity failed for ${sb.roleArn} (ExpiredTokenException: Token expired`,
  );
  expect(error).toContain("The job's OIDC token expired before STS saw it");
  expect(callsSince(before)).toMatchObject({ sts: 1, ecr: 0 });
  expect(auths(dockerConfig)).toEqual({});
  expectJobDebugAndNoLeaks(job);
});

test('ECR Public down (HTTP 500 on every call): falls back, and the warning says why', async () => {
  sb.fakes.setFault('ecr', { failWith: 500 });
  const before = sb.fakes.counters();
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', { with: withFallback(), dockerConfig });
  expect(main.exitCode).toBe(0);
  const [warning, ...more] = messages(main, 'warning');
  expect(more).toEqual([]);
  expect(warning).toMatch(/^ECR Public login failed, so this step logs in to docker\.io instead\./);
  expect(warning).toContain('ECR Public GetAuthorizationToken failed');
  expect(warning).toContain('(ServerException: Internal server error.)');
  expect(warning).toContain('ECR Public looks unavailable or slow from this runner');
  expect(main.outputs).toMatchObject({
    registry: 'docker.io',
    'fallback-used': 'true',
    registries: 'docker.io',
    'expires-at': '',
  });
  // Every attempt (retry-max-attempts: 5) reached ECR Public and got the 500.
  const retries = main.lines.filter((l) => l.startsWith('ECR Public GetAuthorizationToken failed'));
  expect(retries.map((l) => /attempt (\d) of 5/.exec(l)?.[1])).toEqual(['1', '2', '3', '4']);
  expect(callsSince(before)).toMatchObject({ sts: 1, ecr: 5, ecrFaulted: 5 });
  expect(Object.keys(auths(dockerConfig))).toEqual([HUB_KEY]);
  expect((await pull(HUB_IMAGE, dockerConfig)).ok).toBe(true);
  const post = await sb.step('post', { with: withFallback(), state: main.state, dockerConfig });
  expect(auths(dockerConfig)).toEqual({});
  expectDebugAndNoLeaks(main, post);
});

test('logout: false keeps the credentials after post, and post says so', async () => {
  const job = await sb.job({ with: { ...role(), logout: 'false' } });
  const { main, post, dockerConfig } = job;
  expect(main.exitCode).toBe(0);
  expect(post?.lines).toContain('logout is false: leaving the registry logins in place.');
  expect(post?.dockerCalls).toEqual([]);
  expect(auths(dockerConfig)[ECR]?.auth).toBe(basic('AWS', ECR_PASSWORD));
  expect((await pull(ECR_IMAGE, dockerConfig)).ok).toBe(true);
  expectJobDebugAndNoLeaks(job);
});

test('fallback-mode always: logs in to both, and post removes both', async () => {
  const inputs = { ...withFallback(), 'fallback-mode': 'always' };
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', { with: inputs, dockerConfig });
  expect(main.exitCode).toBe(0);
  expect(main.annotations).toEqual({ error: [], warning: [], notice: [] });
  expect(main.outputs).toMatchObject({
    registry: ECR,
    'library-prefix': ECR_PREFIX,
    'fallback-used': 'false',
    registries: 'public.ecr.aws,docker.io',
  });
  expect(main.dockerCalls.map((c) => c.argv.at(-1))).toEqual([ECR, 'docker.io']);
  expect(Object.keys(auths(dockerConfig)).sort()).toEqual([HUB_KEY, ECR]);
  expect((await pull(ECR_IMAGE, dockerConfig)).ok).toBe(true);
  expect((await pull(HUB_IMAGE, dockerConfig)).ok).toBe(true);

  const post = await sb.step('post', { with: inputs, state: main.state, dockerConfig });
  // Newest login first.
  expect(post.lines.filter((l) => l.startsWith('Logged out'))).toEqual([
    'Logged out of docker.io.',
    `Logged out of ${ECR}.`,
  ]);
  expect(auths(dockerConfig)).toEqual({});
  expectDebugAndNoLeaks(main, post);
});

test("the leak scan works: it flags the ECR password appended to a copy of main's stdout", async () => {
  const job = await sb.job({ with: role() });
  const { main } = job;
  expect(main.exitCode).toBe(0);
  expectJobDebugAndNoLeaks(job);
  const secrets = sb.secrets();
  expect(secrets).toContain(ECR_PASSWORD);
  const stdout = (text: string) => [{ where: 'stdout', detail: 'copy', text }];

  // The real stdout is clean (add-mask lines carry the secrets themselves and are skipped).
  const clean = main.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  expect(findLeaks(stdout(clean), secrets)).toEqual([]);

  expect(findLeaks(stdout(`${clean}\n${ECR_PASSWORD}\n`), secrets)).toEqual([
    expect.objectContaining({
      where: 'stdout',
      kind: 'raw',
      secret: `${ECR_PASSWORD.slice(0, 4)}… (2600 chars)`,
    }),
  ]);
  // Encoded forms count too, e.g. the docker config's `auth` field.
  const auth = `{"auths":{"public.ecr.aws":{"auth":"${basic('AWS', ECR_PASSWORD)}"}}}`;
  expect(findLeaks(stdout(`${clean}\n${auth}`), secrets)).toContainEqual(
    expect.objectContaining({ where: 'stdout', kind: 'base64' }),
  );
});
