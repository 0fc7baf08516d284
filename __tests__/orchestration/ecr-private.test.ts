// runMain with an ECR pull-through cache as the login target (the `registry` input): the same
// fakes as main.test.ts, with the real ECR client's `send` mocked. What the user sees: outputs,
// docker argv and stdin, warnings, and which GetAuthorizationToken was asked where.
import { describe, expect, test } from '@jest/globals';
import { ecrError, sdkError } from '../fixtures/aws-sdk.js';
import { ORG, ROLE, dockerLines, runMainFor, runPostFor, setupJob } from '../fixtures/job.js';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const CACHE = { registry: `${HOST}/ecr-public`, 'role-to-assume': ROLE };

describe('login to an ECR pull-through cache', () => {
  test('ECR GetAuthorizationToken in the host region, docker login to the host, outputs', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, CACHE);

    expect(run.runtime.errors).toEqual([]);
    expect(run.runtime.warnings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.runtime.outputs).toEqual({
      registry: HOST,
      'library-prefix': `${HOST}/ecr-public/docker/library`,
      'fallback-used': 'false',
      registries: HOST,
      'expires-at': j.sdk.expiresAt.toISOString(),
      'docker-mirror': '',
      mirrors: '{}',
      'buildkitd-config-file': '',
      clients: '["docker"]',
      images: '{}',
      'images-not-mirrored': '[]',
      'rewritten-files': '[]',
      'docker-hub-pulls-remaining': '',
      // BuildKit takes a mirror with a path: docker.io/library/x → <host>/ecr-public/docker/library/x.
      'buildkitd-config': `[registry."docker.io"]\n  mirrors = ["${HOST}/ecr-public/docker"]\n`,
    });
    expect(dockerLines(j)).toEqual([`docker login --username AWS --password-stdin ${HOST}`]);
    expect(j.exec.calls[0].options.input).toBe(j.sdk.password);
    expect(run.runtime.secrets).toEqual(
      expect.arrayContaining([j.sdk.authorizationToken, j.sdk.password]),
    );
    // The private client only: in the registry's region, with the role's credentials.
    expect(j.sdk.privateEcrCalls).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        useFipsEndpoint: false,
        useDualstackEndpoint: false,
        credentials: expect.objectContaining({
          accessKeyId: j.sdk.stsCredentials.accessKeyId,
        }),
      }),
    ]);
    expect(j.sdk.ecrCalls).toEqual([]);
    expect(run.runtime.summary.join('\n')).toContain(`${HOST}/ecr-public/docker/library`);

    // post logs the host out
    expect(j.runner.readDockerConfig().auths?.[HOST]).toBeDefined();
    const after = await runPostFor(j, run.runtime.savedState);
    expect(after.warnings).toEqual([]);
    expect(j.runner.readDockerConfig().auths?.[HOST]).toBeUndefined();
  });

  test('the ECR Public path never loads the ECR private chunk', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.code).toBe(0);
    expect(j.sdk.ecrSdkLoads).toBe(0);
    expect(j.sdk.privateEcrCalls).toEqual([]);
  });

  test('a Docker Hub upstream: library-prefix is <namespace>/library', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, {
      ...CACHE,
      registry: `${HOST}/docker-hub`,
      'registry-upstream': 'docker-hub',
    });
    expect(run.runtime.outputs['library-prefix']).toBe(`${HOST}/docker-hub/library`);
  });

  test.each<[string, boolean, boolean]>([
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', true, false],
    ['123456789012.dkr-ecr.us-east-1.on.aws', false, true],
    ['123456789012.dkr-ecr-fips.us-east-1.on.aws', true, true],
  ])('%s: the token comes from the matching ECR endpoint', async (host, fips, dualStack) => {
    const j = await setupJob();
    delete j.runner.env.AWS_ENDPOINT_URL_ECR; // an override would be the endpoint
    const run = await runMainFor(j, { ...CACHE, registry: host });
    expect(run.code).toBe(0);
    expect(j.sdk.privateEcrCalls).toEqual([
      expect.objectContaining({ useFipsEndpoint: fips, useDualstackEndpoint: dualStack }),
    ]);
    expect(run.runtime.outputs.registry).toBe(host);
  });

  test('AWS_ENDPOINT_URL_ECR is the endpoint: no FIPS flag next to it', async () => {
    const j = await setupJob();
    j.runner.env.AWS_ENDPOINT_URL_ECR = 'https://vpce-0abc.api.ecr.us-east-1.vpce.amazonaws.com';
    const run = await runMainFor(j, {
      ...CACHE,
      registry: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
    });
    expect(run.code).toBe(0);
    expect(j.sdk.privateEcrCalls).toEqual([
      expect.objectContaining({ useFipsEndpoint: false, region: 'us-east-1' }),
    ]);
  });
});

describe('when the cache login fails', () => {
  const denied = () =>
    sdkError(
      'AccessDeniedException',
      `User: arn:aws:sts::123456789012:assumed-role/ecr-public-pull/GitHubActions is not authorized to perform: ecr:GetAuthorizationToken on resource: *`,
      400,
    );

  test('AccessDenied: the fallback takes over and the warning names the policy needed', async () => {
    const j = await setupJob();
    j.sdk.privateEcr.push(denied());
    const run = await runMainFor(j, { ...CACHE, ...j.fallback });

    expect(run.code).toBe(0);
    expect(j.sdk.privateEcrCalls).toHaveLength(1); // not retried
    expect(run.runtime.outputs).toMatchObject({
      registry: 'docker.io',
      'library-prefix': 'docker.io/library',
      'fallback-used': 'true',
      registries: 'docker.io',
      'expires-at': '',
    });
    expect(dockerLines(j)).toEqual([`docker login --username ${ORG} --password-stdin docker.io`]);
    expect(run.runtime.warnings).toEqual([
      expect.stringMatching(
        /^ECR pull-through cache login failed, so this step logs in to docker\.io instead\. ECR in eu-west-1 GetAuthorizationToken failed with role .*AccessDeniedException.*\nAllow "ecr:GetAuthorizationToken" on "\*"/,
      ),
    ]);
    expect(run.runtime.warnings[0]).toContain(
      '"arn:aws:ecr:eu-west-1:123456789012:repository/ecr-public/*"',
    );
  });

  test('without a fallback the step fails, naming the cache', async () => {
    const j = await setupJob();
    j.sdk.privateEcr.push(ecrError.unavailable(), ecrError.unavailable());
    const run = await runMainFor(j, { ...CACHE, 'retry-max-attempts': '2' });
    expect(run.code).toBe(1);
    expect(j.sdk.privateEcrCalls).toHaveLength(2);
    expect(run.runtime.errors).toEqual([
      expect.stringMatching(
        /^ECR pull-through cache: ECR in eu-west-1 GetAuthorizationToken failed/,
      ),
    ]);
    expect(run.runtime.outputs.registries).toBe('');
  });
});
