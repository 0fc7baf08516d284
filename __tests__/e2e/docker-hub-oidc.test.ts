// The Docker Hub OIDC fallback and `docker-hub-limit` end to end: the built dist/ against the
// fakes (GitHub OIDC, STS, ECR Public, Docker's token exchange: sandbox/fakes/docker-oidc.mjs), the
// real dockerd and the Docker Hub stand-in with its pull-limit headers (sandbox/hub-ratelimit.mjs).
// The exchange is reached through DOCKER_IDENTITY_URL (the fake listens on loopback).
// docker-hub-limit: hub-limit-login.test.ts (it needs anonymous tokens, refused here).
// Run: npm run test:e2e -- __tests__/e2e/docker-hub-oidc.test.ts
import { DEFAULT_DOCKER_CONNECTION_ID } from '../../sandbox/fakes/index.mjs';
import type { StepResult as Step } from '../../sandbox/runner.mjs';
import { HUB_IMAGE, HUB_KEY, HUB_USER, startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const JOB_SUB = 'repo:octo-org/app:ref:refs/heads/main';
const ECR_DENIED = {
  failWith: { status: 400, code: 'AccessDeniedException', message: 'not authorized' },
};

let sb: Sandbox;

beforeAll(async () => {
  // Anonymous pulls refused, so a pull proves the login.
  sb = await startSandbox({ anonymousPulls: false });
}, 60_000);

afterAll(async () => {
  await sb?.stop();
});

beforeEach(() => {
  sb.fakes.clearFaults();
  sb.fakes.resetDockerConnections();
});

const env = () => ({
  DOCKER_IDENTITY_URL: sb.fakes.urls.dockerIdentity,
  NODE_EXTRA_CA_CERTS: sb.infra.caCertPath,
});
const oidcFallback = () => ({
  'role-to-assume': sb.roleArn,
  'fallback-username': HUB_USER,
  'fallback-oidc-connection-id': DEFAULT_DOCKER_CONNECTION_ID,
});
const errors = (step: Step) => step.annotations.error.map((a) => a.message).join('\n');

test('ECR Public refused: the fallback logs in with the exchanged token and docker pulls from Docker Hub', async () => {
  sb.fakes.setFault('ecr', ECR_DENIED);
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', { with: oidcFallback(), env: env(), dockerConfig });
  expect(errors(main)).toBe('');
  expect(main.exitCode).toBe(0);
  expect(main.outputs).toMatchObject({ registry: 'docker.io', 'fallback-used': 'true' });
  const [issued] = sb.fakes.dockerTokens();
  expect(issued.organization).toBe(HUB_USER);
  const auth = sb.readDockerConfig(dockerConfig).auths?.[HUB_KEY]?.auth;
  expect(auth).toBe(Buffer.from(`${HUB_USER}:${issued.accessToken}`).toString('base64'));
  await sb.forget(HUB_IMAGE);
  expect((await sb.docker(['pull', HUB_IMAGE], { dockerConfig })).ok).toBe(true);
  expect(main.summary).toContain(`OIDC connection ${DEFAULT_DOCKER_CONNECTION_ID}`);
  expect(main.leaks).toEqual([]);
  const post = await sb.step('post', { with: oidcFallback(), state: main.state, dockerConfig });
  expect(post.leaks).toEqual([]);
});

test("a connection whose rules do not match the job's sub: the fallback fails and says why", async () => {
  sb.fakes.setFault('ecr', ECR_DENIED);
  sb.fakes.setDockerConnections([
    {
      id: DEFAULT_DOCKER_CONNECTION_ID,
      organization: HUB_USER,
      rulesets: [{ label: 'releases', subjects: ['repo:octo-org/app:ref:refs/heads/release-*'] }],
    },
  ]);
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', { with: oidcFallback(), env: env(), dockerConfig });
  expect(main.exitCode).toBe(1);
  const error = errors(main);
  expect(error).toContain("Docker's token exchange refused the job's OIDC token");
  expect(error).toContain('HTTP 403 access_denied');
  expect(error).toContain(`The token's sub claim is "${JOB_SUB}".`);
  expect(error).toContain('A ruleset of the OIDC connection must match this sub');
  expect(sb.readDockerConfig(dockerConfig).auths ?? {}).toEqual({});
  expect(main.leaks).toEqual([]);
});
