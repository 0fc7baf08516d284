// An ECR pull-through cache as the login target, end to end: the built dist/ run as the runner
// runs it, the OIDC/STS fakes enforcing the shipped IAM policies (iam/, rendered with the cache
// rule), the ECR GetAuthorizationToken fake, the registry stand-in answering as
// 123456789012.dkr.ecr.us-east-1.amazonaws.com (Basic AWS:<password>, only passwords the ECR fake
// issued) and a real dockerd. Every scenario runs with RUNNER_DEBUG=1 and checks the leak scan.
// Run: npm run test:e2e -- __tests__/e2e/ecr-private.test.ts
import http from 'node:http';
import { shippedRoles } from '../../sandbox/iam/shipped.mjs';
import type { StepResult as Step } from '../../sandbox/runner.mjs';
import { ECR_PRIVATE_HOST, ECR_PRIVATE_IMAGE, startSandbox } from '../../sandbox/sandbox.mjs';
import { startHttpServer, type LocalServer } from '../fixtures/local-servers.js';

// Every client on the sandbox's PATH the logins serve (the `clients` output).
const CLIENTS = JSON.stringify(['docker', 'podman', 'buildah', 'skopeo']);

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const PREFIX = `${ECR_PRIVATE_HOST}/ecr-public/docker/library`;

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
}, 60_000);

afterAll(async () => {
  await sb?.stop();
});

// The shipped role with the pull-through cache rule for the ecr-public namespace.
beforeEach(async () => {
  sb.fakes.clearFaults();
  sb.fakes.setRoles(
    await shippedRoles({
      repository: 'octo-org/app',
      cacheUpstream: 'ecr-public',
      cacheNamespace: 'ecr-public',
    }),
  );
});

const cache = () => ({ 'role-to-assume': sb.roleArn, registry: `${ECR_PRIVATE_HOST}/ecr-public` });
const log = (step: Step) => step.lines.join('\n');

/** `docker pull` from the registry itself, not the daemon's image store. */
async function pull(image: string, dockerConfig: string) {
  await sb.forget(image);
  return sb.docker(['pull', image], { dockerConfig });
}

function expectDebugAndNoLeaks(...steps: Step[]) {
  for (const step of steps) {
    expect(step.env.RUNNER_DEBUG).toBe('1');
    expect(step.leaks).toEqual([]);
  }
}

test('login, then docker pull through library-prefix; post logs out', async () => {
  const dockerConfig = sb.newDockerConfig();
  expect((await pull(ECR_PRIVATE_IMAGE, dockerConfig)).ok).toBe(false);

  const before = sb.fakes.counters();
  const main = await sb.step('main', { with: cache(), dockerConfig });
  expect(main.annotations).toEqual({ error: [], warning: [], notice: [] });
  expect(main.exitCode).toBe(0);
  expect(main.outputs).toEqual({
    registry: ECR_PRIVATE_HOST,
    'library-prefix': PREFIX,
    'fallback-used': 'false',
    registries: ECR_PRIVATE_HOST,
    'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    'docker-mirror': '',
    'docker-hub-pulls-remaining': '',
    mirrors: '{}',
    'buildkitd-config-file': '',
    clients: CLIENTS,
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': `[registry."docker.io"]\n  mirrors = ["${ECR_PRIVATE_HOST}/ecr-public/docker"]\n`,
  });
  const after = sb.fakes.counters();
  expect([after.ecrPrivate - before.ecrPrivate, after.ecr - before.ecr]).toEqual([1, 0]);
  const [token] = sb.fakes.ecrPrivateTokens().slice(-1);
  expect(main.masks).toEqual(expect.arrayContaining([token.authorizationToken, token.password]));
  expect(main.dockerCalls).toEqual([
    {
      argv: ['login', '--username', 'AWS', '--password-stdin', ECR_PRIVATE_HOST],
      stdinBytes: token.password.length,
      exitCode: 0,
    },
  ]);
  expect(log(main)).toContain(`pull official images as ${PREFIX}/<image>`);

  const image = `${main.outputs['library-prefix']}/busybox:latest`;
  expect(image).toBe(ECR_PRIVATE_IMAGE);
  const pulled = await pull(image, dockerConfig);
  expect(pulled.stderr).toBe('');
  expect(pulled.stdout).toContain(`Status: Downloaded newer image for ${image}`);

  const post = await sb.step('post', { with: cache(), state: main.state, dockerConfig });
  expect(post.exitCode).toBe(0);
  expect(post.lines).toContain(`Logged out of ${ECR_PRIVATE_HOST}.`);
  expect(sb.readDockerConfig(dockerConfig).auths ?? {}).not.toHaveProperty([ECR_PRIVATE_HOST]);
  expect((await pull(image, dockerConfig)).ok).toBe(false);
  expectDebugAndNoLeaks(main, post);
});

test('AccessDenied on GetAuthorizationToken: the Docker Hub fallback takes over, naming the policy', async () => {
  // The shipped role without a cache rule allows ECR Public only.
  sb.fakes.resetRoles();
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', {
    with: { ...cache(), ...sb.fallbackInputs() },
    dockerConfig,
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs).toEqual({
    registry: 'docker.io',
    'library-prefix': 'docker.io/library',
    'fallback-used': 'true',
    registries: 'docker.io',
    'expires-at': '',
    'docker-mirror': '',
    'docker-hub-pulls-remaining': '',
    mirrors: '{}',
    'buildkitd-config-file': '',
    clients: CLIENTS,
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': '', // Docker Hub is no mirror of itself
  });
  const [warning] = main.annotations.warning.map((a) => a.message);
  expect(warning).toMatch(
    /^ECR pull-through cache login failed, so this step logs in to docker\.io instead\. ECR in us-east-1 GetAuthorizationToken failed with role .* \(AccessDeniedException: User: .* is not authorized to perform: ecr:GetAuthorizationToken/,
  );
  expect(warning).toContain('Allow "ecr:GetAuthorizationToken" on "*"');
  expect(warning).toContain('"arn:aws:ecr:us-east-1:123456789012:repository/ecr-public/*"');
  expect(main.dockerCalls.map((c) => c.argv.at(-1))).toEqual(['docker.io']);
  expectDebugAndNoLeaks(main);
});

describe('AWS_ENDPOINT_URL_ECR (an interface VPC endpoint)', () => {
  let vpce: LocalServer;
  beforeAll(async () => {
    vpce = await startHttpServer(relayTo(new URL(sb.fakes.urls.ecrPrivate)));
  });
  afterAll(() => vpce.close());

  test('the token call goes to the endpoint the variable names', async () => {
    const before = sb.fakes.counters().ecrPrivate;
    const dockerConfig = sb.newDockerConfig();
    const main = await sb.step('main', {
      with: cache(),
      env: { AWS_ENDPOINT_URL_ECR: vpce.url },
      dockerConfig,
    });
    expect(main.exitCode).toBe(0);
    expect(main.outputs.registries).toBe(ECR_PRIVATE_HOST);
    expect(vpce.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    ]);
    expect(sb.fakes.counters().ecrPrivate - before).toBe(1);
    expectDebugAndNoLeaks(main);
  });
});

/** Passes each request on unchanged (its Host header too, which the signature covers). */
function relayTo(target: URL) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: request.url, method: request.method },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) upstream.setHeader(name, value);
    }
    request.pipe(upstream);
  };
}
