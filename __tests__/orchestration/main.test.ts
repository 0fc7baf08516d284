// runMain end to end with only the edges faked: a loopback OIDC token service, a scripted STS and
// ECR Public on loopback (the step's own requests; the fake SDK where the SDK is used), a fake
// docker CLI that writes config.json like the real one, and a fake Docker daemon socket. Each test asserts what the user
// sees: exit code, outputs, annotations, docker argv and stdin, config.json and the saved state.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { PostState } from '../../src/runner/state.js';
import { base64, ecrError, HANG, Late, stsError } from '../fixtures/aws-sdk.js';
import type { ExecAnswer } from '../fixtures/exec.js';
import { HUB_KEY, ORG, ROLE } from '../fixtures/job.js';
import { auth, dockerLines, runMainFor, runPostFor, setupJob, type Job } from '../fixtures/job.js';
import { DEFAULT_SUB, type OidcOptions } from '../fixtures/oidc-server.js';
import type { RecordingRuntime } from '../fixtures/runtime.js';

/** The image outputs when neither `images` nor `rewrite` is set. */
const NO_IMAGES = {
  images: '{}',
  'images-not-mirrored': '[]',
  'rewritten-files': '[]',
  'docker-hub-pulls-remaining': '',
};
const ECR_BUILDKIT = '[registry."docker.io"]\n  mirrors = ["public.ecr.aws/docker"]\n';

const ECR_LOGIN = 'docker login --username AWS --password-stdin public.ecr.aws';
const HUB_LOGIN = `docker login --username ${ORG} --password-stdin docker.io`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('happy path with role-to-assume', () => {
  test('logs in to public.ecr.aws once, with the password on stdin, and reports it', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      'role-session-name': 'ci-pull',
      'role-duration-seconds': '1800',
    });

    expect(run.runtime.errors).toEqual([]);
    expect(run.runtime.warnings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.runtime.outputs).toEqual({
      registry: 'public.ecr.aws',
      'library-prefix': 'public.ecr.aws/docker/library',
      'fallback-used': 'false',
      registries: 'public.ecr.aws',
      'expires-at': j.sdk.expiresAt.toISOString(),
      'docker-mirror': '',
      mirrors: '{}',
      'buildkitd-config-file': '',
      clients: '["docker"]',
      ...NO_IMAGES,
      'buildkitd-config': ECR_BUILDKIT,
    });

    // exactly one docker call, the password only on stdin, the job's config folder
    expect(dockerLines(j)).toEqual([ECR_LOGIN]);
    const [call] = j.exec.calls;
    expect(call.options.input).toBe(j.sdk.password);
    expect(call.args.join(' ')).not.toContain(j.sdk.password);
    expect(call.options.env?.DOCKER_CONFIG).toBe(j.runner.dockerConfig);
    const stored = j.runner.readDockerConfig().auths?.['public.ecr.aws']?.auth;
    expect(stored).toBe(auth('AWS', j.sdk.password));

    // the post step is told what to undo, with a fingerprint of what docker stored
    expect(run.state).toEqual({
      logout: true,
      logins: [
        {
          registry: 'public.ecr.aws',
          configDir: j.runner.dockerConfig,
          fingerprint: sha256(stored!),
        },
      ],
    });

    // OIDC: asked once, for the STS audience, with the runner's bearer token
    expect(j.runner.oidc.requests).toHaveLength(1);
    expect(j.runner.oidc.audiences).toEqual(['sts.amazonaws.com']);
    expect(j.runner.oidc.requests[0].headers.authorization).toBe(
      `Bearer ${j.runner.oidc.requestToken}`,
    );
    // the runner's query string is kept
    expect(j.runner.oidc.requests[0].url).toContain('api-version=2.0');

    // The step's own requests, not the SDK: its chunk is never loaded
    expect(j.sdk.loads).toBe(0);
    expect(run.runtime.log).toContain(
      '::debug::ECR Public: our own AWS requests (endpoints from AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_ECR_PUBLIC).',
    );

    // STS: the role, session, duration and the token just issued, once
    expect(j.sdk.webTokenCalls).toEqual([
      {
        roleArn: ROLE,
        roleSessionName: 'ci-pull',
        durationSeconds: 1800,
        webIdentityToken: j.runner.oidc.issued[0],
      },
    ]);

    // ECR Public: one call signed for us-east-1 with the assumed role's credentials
    expect(j.sdk.ecrCalls).toHaveLength(1);
    expect(j.sdk.ecrCalls[0].region).toBe('us-east-1');
    expect(j.sdk.ecrCalls[0].credentials).toMatchObject({
      accessKeyId: j.sdk.stsCredentials.accessKeyId,
      secretAccessKey: j.sdk.stsCredentials.secretAccessKey,
      sessionToken: j.sdk.stsCredentials.sessionToken,
    });
    expect(j.sdk.chainInits).toEqual([]);

    expect(run.runtime.log).toContain(
      `Logged in to public.ecr.aws with role ${ROLE}; the token expires at ${j.sdk.expiresAt.toISOString()}.`,
    );
    const summary = run.runtime.summary.join('\n');
    expect(summary).toContain(
      `| \`public.ecr.aws\` | role ${ROLE} | \`public.ecr.aws/docker/library\` | ${j.sdk.expiresAt.toISOString()} |`,
    );
    // the time each phase took, in the order they ran
    expect(summary).toMatch(
      /^\| OIDC \| STS \| ECR Public \| docker login \|\n\|---:\|---:\|---:\|---:\|\n\|( \d+ ms \|){4}$/m,
    );
  });

  // Which endpoint each region means is direct-rule's (its unit test checks it against the
  // SDK's resolution); here, that the region is the one the step uses and says.
  test('STS gets the region from AWS_REGION; ECR Public stays in us-east-1', async () => {
    const j = await setupJob();
    j.runner.env.AWS_REGION = 'eu-west-1';
    // Also in process.env: a call that forgot its region would pick this up.
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-1';
    try {
      const run = await runMainFor(j, { 'role-to-assume': ROLE });
      expect(run.code).toBe(0);
      expect(run.runtime.log).toContain(`Assumed ${ROLE} as ${DEFAULT_SUB} (STS in eu-west-1).`);
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved;
    }
    expect(j.sdk.ecrCalls.map((c) => c.region)).toEqual(['us-east-1']);
  });

  test('STS falls back to AWS_DEFAULT_REGION, then us-east-1', async () => {
    const j = await setupJob();
    j.runner.env.AWS_DEFAULT_REGION = 'eu-central-1';
    const first = await runMainFor(j, { 'role-to-assume': ROLE });
    delete j.runner.env.AWS_DEFAULT_REGION;
    const second = await runMainFor(j, { 'role-to-assume': ROLE });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.runtime.log).toContain(`Assumed ${ROLE} as ${DEFAULT_SUB} (STS in eu-central-1).`);
    expect(second.runtime.log).toContain(`Assumed ${ROLE} as ${DEFAULT_SUB} (STS in us-east-1).`);
  });

  test('a custom audience is what the OIDC token is asked for', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE, audience: 'sts.example.internal' });
    expect(run.code).toBe(0);
    expect(j.runner.oidc.audiences).toEqual(['sts.example.internal']);
  });
});

describe('without role-to-assume', () => {
  test('uses the default credential chain, masks what it returns, never asks for OIDC', async () => {
    const j = await setupJob();
    j.runner.env.AWS_EC2_METADATA_DISABLED = 'true';
    const run = await runMainFor(j, {});

    expect(run.code).toBe(0);
    expect(run.runtime.outputs.registry).toBe('public.ecr.aws');
    expect(j.sdk.chainInits).toHaveLength(1);
    expect(j.sdk.chainCalls).toBeGreaterThanOrEqual(1);
    expect(j.sdk.webTokenCalls).toEqual([]);
    expect(j.runner.oidc.requests).toEqual([]);
    expect(j.sdk.ecrCalls[0].credentials.accessKeyId).toBe(j.sdk.chainCredentials.accessKeyId);
    expect(j.sdk.ecrCalls[0].region).toBe('us-east-1');
    const c = j.sdk.chainCredentials;
    expect(run.runtime.secrets).toEqual(
      expect.arrayContaining([c.accessKeyId, c.secretAccessKey, c.sessionToken]),
    );
    expect(run.runtime.log).toContain(
      `Logged in to public.ecr.aws with the AWS credentials in the environment; the token expires at ${j.sdk.expiresAt.toISOString()}.`,
    );
    expect(dockerLines(j)).toEqual([ECR_LOGIN]);
  });

  test('no credentials in the chain: says so and how to fix it', async () => {
    const j = await setupJob();
    j.sdk.chain = [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    ];
    const run = await runMainFor(j, {});
    expect(run.code).toBe(1);
    expect(run.runtime.errors).toHaveLength(1);
    expect(run.runtime.errors[0]).toContain('No AWS credentials were found');
    expect(run.runtime.errors[0]).toContain('role-to-assume');
    expect(j.exec.calls).toEqual([]);
  });
});

interface Failure {
  name: string;
  oidc?: OidcOptions & { oidcEnv?: boolean };
  exec?: Record<string, ExecAnswer>;
  arrange?: (j: Job) => void;
  /** What the user must read about why ECR Public failed. */
  says: (string | RegExp)[];
  /** Whether docker login public.ecr.aws was run (and failed). */
  ecrDocker: boolean;
}

const FAILURES: Failure[] = [
  {
    name: 'the job has no OIDC token (no id-token: write)',
    oidc: { oidcEnv: false },
    says: ['This job has no GitHub OIDC token', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'id-token: write'],
    ecrDocker: false,
  },
  {
    name: 'the OIDC token service answers 401',
    oidc: { alwaysStatus: 401 },
    says: ['GitHub refused the OIDC token request (HTTP 401)', 'id-token: write'],
    ecrDocker: false,
  },
  {
    name: 'STS answers AccessDenied',
    arrange: (j) => (j.sdk.sts = [stsError.accessDenied()]),
    says: [
      `STS AssumeRoleWithWebIdentity failed for ${ROLE}`,
      'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
      `The token's sub claim is "${DEFAULT_SUB}"`,
      'trust policy',
      '"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-app:*"',
    ],
    ecrDocker: false,
  },
  {
    name: 'ECR Public answers AccessDeniedException',
    arrange: (j) => (j.sdk.ecr = [ecrError.accessDenied()]),
    says: [
      `ECR Public GetAuthorizationToken failed with role ${ROLE}`,
      'AccessDeniedException',
      '"ecr-public:GetAuthorizationToken"',
      '"sts:GetServiceBearerToken"',
    ],
    ecrDocker: false,
  },
  {
    name: 'the ECR Public token is not base64',
    arrange: (j) =>
      (j.sdk.ecr = [{ authorizationToken: 'not base64 at all!', expiresAt: j.sdk.expiresAt }]),
    says: ['ECR Public returned an authorization token that is not usable: it is not base64'],
    ecrDocker: false,
  },
  {
    name: 'the ECR Public token holds no AWS:<password> pair',
    arrange: (j) =>
      (j.sdk.ecr = [
        { authorizationToken: base64('no-colon-in-here'), expiresAt: j.sdk.expiresAt },
      ]),
    says: ['not usable: it does not hold an "AWS:<password>" pair'],
    ecrDocker: false,
  },
  {
    name: 'docker login public.ecr.aws is refused',
    exec: {
      'public.ecr.aws': {
        exitCode: 1,
        stderr:
          'Error response from daemon: Get "https://public.ecr.aws/v2/": unauthorized: authentication required\n',
      },
    },
    says: [
      'docker login public.ecr.aws failed: the registry rejected the credentials',
      'unauthorized: authentication required',
    ],
    ecrDocker: true,
  },
];

const says = (text: string, expected: (string | RegExp)[]) => {
  for (const part of expected) {
    if (typeof part === 'string') expect(text).toContain(part);
    else expect(text).toMatch(part);
  }
};

describe('each failure point falls back to Docker Hub', () => {
  test.each(FAILURES)('$name', async (f) => {
    const j = await setupJob({ oidc: f.oidc, exec: f.exec });
    f.arrange?.(j);
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...j.fallback });

    expect(run.runtime.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(dockerLines(j)).toEqual([...(f.ecrDocker ? [ECR_LOGIN] : []), HUB_LOGIN]);
    expect(j.exec.calls.at(-1)!.options.input).toBe(j.token);
    expect(run.runtime.outputs).toEqual({
      registry: 'docker.io',
      'library-prefix': 'docker.io/library',
      'fallback-used': 'true',
      registries: 'docker.io',
      'expires-at': '',
      'docker-mirror': '',
      mirrors: '{}',
      'buildkitd-config-file': '',
      clients: '["docker"]',
      ...NO_IMAGES,
      'buildkitd-config': '',
    });
    expect(run.runtime.warnings).toHaveLength(1);
    expect(run.runtime.warnings[0]).toContain(
      'ECR Public login failed, so this step logs in to docker.io instead.',
    );
    says(run.runtime.warnings[0], f.says);
    // the fallback token never shows, even in the warning
    expect(run.runtime.warnings[0]).not.toContain(j.token);

    const auths = j.runner.readDockerConfig().auths ?? {};
    expect(Object.keys(auths)).toEqual([HUB_KEY]);
    expect(auths[HUB_KEY].auth).toBe(auth(ORG, j.token));
    expect(run.state.logins).toEqual([
      {
        registry: 'docker.io',
        configDir: j.runner.dockerConfig,
        fingerprint: sha256(auth(ORG, j.token)),
      },
    ]);
  });
});

describe('the same failures without a fallback fail the step', () => {
  test.each(FAILURES)('$name', async (f) => {
    const j = await setupJob({ oidc: f.oidc, exec: f.exec });
    f.arrange?.(j);
    const run = await runMainFor(j, { 'role-to-assume': ROLE });

    expect(run.code).toBe(1);
    expect(run.runtime.errors).toHaveLength(1);
    expect(run.runtime.errors[0]).toMatch(/^ECR Public: /);
    says(run.runtime.errors[0], f.says);
    expect(run.runtime.warnings).toEqual([]);
    expect(dockerLines(j)).toEqual(f.ecrDocker ? [ECR_LOGIN] : []);
    expect(run.runtime.outputs).toEqual({
      registry: '',
      'library-prefix': '',
      'fallback-used': 'false',
      registries: '',
      'expires-at': '',
      'docker-mirror': '',
      mirrors: '{}',
      'buildkitd-config-file': '',
      clients: '[]',
      ...NO_IMAGES,
      'buildkitd-config': '',
    });
    expect(run.state.logins).toEqual([]);
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
  });
});

describe('both logins fail', () => {
  test('exit 1, and the error names both reasons', async () => {
    const j = await setupJob({
      exec: {
        'docker.io': {
          exitCode: 1,
          stderr:
            'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password\n',
        },
      },
    });
    j.sdk.sts = [stsError.accessDenied()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...j.fallback });

    expect(run.code).toBe(1);
    expect(run.runtime.errors).toHaveLength(1);
    const [error] = run.runtime.errors;
    expect(error).toContain(`ECR Public: STS AssumeRoleWithWebIdentity failed for ${ROLE}`);
    expect(error).toContain(
      'Fallback docker.io: docker login docker.io failed: the registry rejected the credentials',
    );
    expect(error).toContain('fallback-username');
    expect(error).not.toContain(j.token);
    expect(dockerLines(j)).toEqual([HUB_LOGIN]);
    expect(run.runtime.outputs.registries).toBe('');
    expect(run.runtime.outputs['fallback-used']).toBe('false');
    expect(run.state.logins).toEqual([]);
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
  });
});

describe('fallback-mode: always', () => {
  test('logs in to both; the fallback is not "used"', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
    });

    expect(run.runtime.errors).toEqual([]);
    expect(run.runtime.warnings).toEqual([]);
    expect(run.code).toBe(0);
    expect(dockerLines(j)).toEqual([ECR_LOGIN, HUB_LOGIN]);
    expect(j.exec.calls.map((c) => c.options.input)).toEqual([j.sdk.password, j.token]);
    expect(run.runtime.outputs).toEqual({
      registry: 'public.ecr.aws',
      'library-prefix': 'public.ecr.aws/docker/library',
      'fallback-used': 'false',
      registries: 'public.ecr.aws,docker.io',
      'expires-at': j.sdk.expiresAt.toISOString(),
      'docker-mirror': '',
      mirrors: '{}',
      'buildkitd-config-file': '',
      clients: '["docker"]',
      ...NO_IMAGES,
      'buildkitd-config': ECR_BUILDKIT,
    });
    expect(run.state.logins.map((l) => l.registry)).toEqual(['public.ecr.aws', 'docker.io']);
    expect(Object.keys(j.runner.readDockerConfig().auths ?? {}).sort()).toEqual(
      [HUB_KEY, 'public.ecr.aws'].sort(),
    );
  });

  test('ECR Public fails: the fallback carries the step and says so', async () => {
    const j = await setupJob();
    j.sdk.ecr = [ecrError.accessDenied()];
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
    });
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['fallback-used']).toBe('true');
    expect(run.runtime.outputs.registry).toBe('docker.io');
    expect(run.runtime.warnings[0]).toContain('AccessDeniedException');
  });

  test('a failing fallback fails the step, and ECR Public stays recorded; post logs it out', async () => {
    const j = await setupJob({
      exec: {
        'docker.io': { exitCode: 1, stderr: 'unauthorized: incorrect username or password' },
      },
    });
    const before = { auths: { 'ghcr.io': { auth: auth('someone', 'ghp_unrelated') } } };
    j.runner.writeDockerConfig(before);
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
    });

    expect(run.code).toBe(1);
    expect(run.runtime.errors).toHaveLength(1);
    expect(run.runtime.errors[0]).toContain('Fallback docker.io: docker login docker.io failed');
    expect(run.runtime.errors[0]).not.toContain('ECR Public:');
    expect(run.runtime.outputs.registries).toBe('public.ecr.aws');
    expect(run.runtime.outputs['fallback-used']).toBe('false');
    expect(dockerLines(j)).toEqual([ECR_LOGIN, HUB_LOGIN]);
    // partial failure: the ECR Public login is in the state, so post can undo it
    expect(run.state.logins.map((l) => l.registry)).toEqual(['public.ecr.aws']);
    expect(j.runner.readDockerConfig().auths?.['public.ecr.aws']).toBeDefined();

    const after = await runPostFor(j, run.runtime.savedState);
    expect(after.warnings).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual(before);
  });
});

const retryLines = (r: RecordingRuntime) => r.log.filter((l) => / attempt \d+ of \d+/.test(l));

describe('retries', () => {
  test('STS Throttling three times: four attempts, each with a fresh OIDC token', async () => {
    const j = await setupJob();
    j.sdk.sts = [stsError.throttling(), stsError.throttling(), stsError.throttling()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE });

    expect(run.code).toBe(0);
    expect(j.sdk.webTokenCalls).toHaveLength(4);
    expect(j.runner.oidc.requests).toHaveLength(4);
    const tokens = j.sdk.webTokenCalls.map((c) => c.webIdentityToken);
    expect(new Set(tokens).size).toBe(4);
    expect(tokens).toEqual(j.runner.oidc.issued);
    const lines = retryLines(run.runtime);
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      expect(line).toContain(`attempt ${i + 1} of 5`);
      expect(line).toContain('Throttling');
    });
    expect(j.sleeps).toHaveLength(3);
    expect(dockerLines(j)).toEqual([ECR_LOGIN]);
  });

  test('OIDC 503 twice: three token requests, one STS call', async () => {
    const j = await setupJob({ oidc: { failures: [503, 503] } });
    const run = await runMainFor(j, { 'role-to-assume': ROLE });

    expect(run.code).toBe(0);
    expect(j.runner.oidc.requests).toHaveLength(3);
    expect(j.sdk.webTokenCalls.map((c) => c.webIdentityToken)).toEqual(j.runner.oidc.issued);
    expect(j.runner.oidc.issued).toHaveLength(1);
    const lines = retryLines(run.runtime);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('attempt 1 of 5');
    expect(lines[1]).toContain('attempt 2 of 5');
    expect(lines[0]).toContain('503');
  });

  test('ECR ThrottlingException twice: three GetAuthorizationToken calls, one STS call', async () => {
    const j = await setupJob();
    j.sdk.ecr = [ecrError.throttling(), ecrError.throttling()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE });

    expect(run.code).toBe(0);
    expect(j.sdk.ecrCalls).toHaveLength(3);
    expect(j.sdk.webTokenCalls).toHaveLength(1);
    expect(j.runner.oidc.requests).toHaveLength(1);
    const lines = retryLines(run.runtime);
    expect(lines.map((l) => /attempt (\d+) of 5/.exec(l)?.[1])).toEqual(['1', '2']);
    expect(lines.every((l) => l.includes('ECR Public GetAuthorizationToken'))).toBe(true);
    expect(run.runtime.outputs['expires-at']).toBe(j.sdk.expiresAt.toISOString());
  });

  test('STS IDPCommunicationError is retried', async () => {
    const j = await setupJob();
    j.sdk.sts = [stsError.idpCommunication()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.code).toBe(0);
    expect(j.sdk.webTokenCalls).toHaveLength(2);
  });

  test('STS AccessDenied is not retried', async () => {
    const j = await setupJob();
    j.sdk.sts = [stsError.accessDenied(), stsError.accessDenied()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.code).toBe(1);
    expect(j.sdk.webTokenCalls).toHaveLength(1);
    expect(j.runner.oidc.requests).toHaveLength(1);
    expect(retryLines(run.runtime)).toEqual([]);
    expect(j.sleeps).toEqual([]);
  });

  test('ECR AccessDeniedException is not retried', async () => {
    const j = await setupJob();
    j.sdk.ecr = [ecrError.accessDenied(), ecrError.accessDenied()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.code).toBe(1);
    expect(j.sdk.ecrCalls).toHaveLength(1);
    expect(retryLines(run.runtime)).toEqual([]);
  });

  test('retry-max-attempts bounds the STS attempts', async () => {
    const j = await setupJob();
    j.sdk.sts = Array.from({ length: 10 }, () => stsError.throttling());
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'retry-max-attempts': '3' });

    expect(run.code).toBe(1);
    expect(j.sdk.webTokenCalls).toHaveLength(3);
    expect(j.runner.oidc.requests).toHaveLength(3);
    const lines = retryLines(run.runtime);
    expect(lines.map((l) => /attempt (\d+) of (\d+)/.exec(l)?.slice(1).join('/'))).toEqual([
      '1/3',
      '2/3',
    ]);
    expect(run.runtime.errors[0]).toContain('Throttling: Rate exceeded');
  });

  test('retry-max-attempts bounds the ECR Public attempts', async () => {
    const j = await setupJob();
    j.sdk.ecr = Array.from({ length: 10 }, () => ecrError.throttling());
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'retry-max-attempts': '2' });
    expect(run.code).toBe(1);
    expect(j.sdk.ecrCalls).toHaveLength(2);
    expect(retryLines(run.runtime)).toHaveLength(1);
    expect(retryLines(run.runtime)[0]).toContain('attempt 1 of 2');
  });

  test('retry-max-attempts: 1 means no retry at all', async () => {
    const j = await setupJob({ oidc: { failures: [503] } });
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'retry-max-attempts': '1' });
    expect(run.code).toBe(1);
    expect(j.runner.oidc.requests).toHaveLength(1);
    expect(j.sdk.webTokenCalls).toEqual([]);
    expect(retryLines(run.runtime)).toEqual([]);
  });

  // A failure of GitHub's token service is reported as an STS failure ("STS
  // AssumeRoleWithWebIdentity failed for <role> (HttpError: HTTP 503 from 127.0.0.1:...)",
  // fix: "STS looks unavailable"): assumeRoleWithIdToken passes every error of the retried
  // unit, the OIDC fetch included, through explainStsError. The user is sent to look at STS.
  test('OIDC 503 on every attempt: the message names the OIDC token service, not STS', async () => {
    const j = await setupJob({ oidc: { alwaysStatus: 503 } });
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'retry-max-attempts': '2' });
    expect(run.code).toBe(1);
    expect(j.runner.oidc.requests).toHaveLength(2);
    expect(j.sdk.webTokenCalls).toEqual([]); // STS was never called
    expect(run.runtime.errors[0]).toMatch(/OIDC/);
    expect(run.runtime.errors[0]).not.toContain('STS AssumeRoleWithWebIdentity failed');
  });
});

describe('deadline (timeout-seconds), real timers', () => {
  test('STS never answers: falls back after about the deadline, naming it', async () => {
    const j = await setupJob();
    j.sdk.sts = [HANG];
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      'timeout-seconds': '1',
      ...j.fallback,
    });

    expect(run.code).toBe(0);
    expect(run.ms).toBeGreaterThanOrEqual(900);
    expect(run.ms).toBeLessThan(3000);
    expect(run.runtime.outputs['fallback-used']).toBe('true');
    expect(run.runtime.warnings[0]).toContain(
      'Logging in to ECR Public did not succeed within the 1 s deadline',
    );
    expect(run.runtime.warnings[0]).toContain('timeout-seconds');
    expect(dockerLines(j)).toEqual([HUB_LOGIN]);
  });

  test('STS never answers, no fallback: fails after about the deadline, naming it', async () => {
    const j = await setupJob();
    j.sdk.sts = [HANG];
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'timeout-seconds': '1' });

    expect(run.code).toBe(1);
    expect(run.ms).toBeGreaterThanOrEqual(900);
    expect(run.ms).toBeLessThan(3000);
    expect(run.runtime.errors[0]).toContain('did not succeed within the 1 s deadline');
    expect(j.exec.calls).toEqual([]);
    expect(run.state.logins).toEqual([]);
  });

  test('STS answers after the deadline: the abandoned attempt never logs in to ECR Public', async () => {
    const j = await setupJob();
    j.sdk.sts = [new Late(1300, j.sdk.stsCredentials)];
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      'timeout-seconds': '1',
      ...j.fallback,
    });
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['fallback-used']).toBe('true');

    // let the late answer arrive and the abandoned attempt run on
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(j.sdk.webTokenCalls).toHaveLength(1);
    expect(dockerLines(j)).toEqual([HUB_LOGIN]);
    expect(Object.keys(j.runner.readDockerConfig().auths ?? {})).toEqual([HUB_KEY]);
    const state = JSON.parse(run.runtime.savedState.post) as PostState;
    expect(state.logins.map((l) => l.registry)).toEqual(['docker.io']);
  });

  test('the deadline error quotes the last failure', async () => {
    const j = await setupJob();
    j.sdk.ecr = [ecrError.unavailable(), HANG];
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'timeout-seconds': '1' });
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(3000);
    expect(run.runtime.errors[0]).toContain(
      '1 s deadline (last error: ECR Public GetAuthorizationToken: ServiceUnavailableException',
    );
  });
});

describe('invalid input', () => {
  test.each<[string, Record<string, string>, string]>([
    ['a role name instead of an ARN', { 'role-to-assume': 'ecr-public-pull' }, "'role-to-assume'"],
    ['retry-max-attempts 0', { 'retry-max-attempts': '0' }, "'retry-max-attempts'"],
    ['timeout-seconds not a number', { 'timeout-seconds': 'soon' }, "'timeout-seconds'"],
    ['an unknown fallback-mode', { 'fallback-mode': 'sometimes' }, "'fallback-mode'"],
    ['an unknown docker-config', { 'docker-config': 'private' }, "'docker-config'"],
    ['logout not a boolean', { logout: 'yes' }, "'logout'"],
    [
      'the fallback registry is ECR Public',
      { 'fallback-registry': 'public.ecr.aws' },
      "'fallback-registry'",
    ],
  ])('%s: exit 1, names the input, touches nothing', async (_name, bad, input) => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...j.fallback, ...bad });

    expect(run.code).toBe(1);
    expect(run.runtime.errors).toHaveLength(1);
    expect(run.runtime.errors[0]).toContain(input);
    expect(run.runtime.errors[0]).not.toContain(j.token);
    expect(run.runtime.log.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(
      j.token,
    );
    expect(run.runtime.secrets).toContain(j.token);
    expect(j.sdk.loads).toBe(0);
    expect(j.runner.oidc.requests).toEqual([]);
    expect(j.sdk.webTokenCalls).toEqual([]);
    expect(j.sdk.ecrCalls).toEqual([]);
    expect(j.exec.calls).toEqual([]);
    expect(j.runner.daemonRequests).toEqual([]);
    expect(run.runtime.outputs).toEqual({});
    expect(run.runtime.exported).toEqual({});
  });

  test('a fallback token with a newline is rejected without being shown', async () => {
    const j = await setupJob();
    const token = `${j.token}\nsecond-line-${randomBytes(8).toString('hex')}`;
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      'fallback-username': ORG,
      'fallback-token': token,
    });
    expect(run.code).toBe(1);
    expect(run.runtime.errors[0]).toContain("'fallback-token' contains a newline");
    expect(run.runtime.errors[0]).toContain('value not shown');
    for (const line of token.split('\n')) expect(run.runtime.errors[0]).not.toContain(line);
    expect(j.exec.calls).toEqual([]);
  });
});

describe('docker-config: isolated', () => {
  test('exports a fresh DOCKER_CONFIG under RUNNER_TEMP, logs in there; post deletes it', async () => {
    const j = await setupJob();
    const shared = { auths: { 'ghcr.io': { auth: auth('someone', 'ghp_unrelated') } } };
    j.runner.writeDockerConfig(shared);
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-config': 'isolated' });

    expect(run.code).toBe(0);
    const dir = run.runtime.exported.DOCKER_CONFIG;
    expect(dir).toBeDefined();
    expect(dir.startsWith(j.runner.runnerTemp + '/')).toBe(true);
    expect(dir).not.toBe(j.runner.dockerConfig);
    expect(j.exec.calls.map((c) => c.options.env?.DOCKER_CONFIG)).toEqual([dir]);
    expect(j.runner.readDockerConfig(dir).auths?.['public.ecr.aws']?.auth).toBe(
      auth('AWS', j.sdk.password),
    );
    expect(j.runner.readDockerConfig()).toEqual(shared); // the shared config is untouched
    expect(run.state.isolatedDir).toBe(dir);
    expect(run.state.logins.map((l) => l.configDir)).toEqual([dir]);

    const after = await runPostFor(j, run.runtime.savedState);
    expect(after.warnings).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(dockerLines(j)).toEqual([ECR_LOGIN]); // no docker logout needed
    expect(j.runner.readDockerConfig()).toEqual(shared);
    expect(readdirSync(j.runner.runnerTemp)).toEqual([]);
  });
});

describe('Docker daemon down', () => {
  const missing = (j: Job) => {
    j.runner.env.DOCKER_HOST = `unix://${join(j.runner.root, 'missing.sock')}`;
  };

  test('a clear error naming the daemon; no docker login, no login left', async () => {
    const j = await setupJob();
    missing(j);
    const run = await runMainFor(j, { 'role-to-assume': ROLE });

    expect(run.code).toBe(1);
    expect(run.runtime.errors[0]).toContain(
      `The Docker daemon is not running or not reachable at unix://${join(j.runner.root, 'missing.sock')}`,
    );
    expect(run.runtime.errors[0]).toContain('DOCKER_HOST');
    expect(j.exec.calls).toEqual([]);
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
    expect(run.state.logins).toEqual([]);
    expect(run.runtime.outputs.registries).toBe('');
  });

  test('with a fallback: the fallback is attempted and fails just as clearly', async () => {
    const j = await setupJob();
    missing(j);
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...j.fallback });

    expect(run.code).toBe(1);
    expect(run.runtime.log).toContain('::group::Log in to docker.io (fallback)');
    expect(run.runtime.warnings[0]).toContain('Docker daemon is not running');
    const [error] = run.runtime.errors;
    // one cause for both registries: said once, naming both
    expect(error).toMatch(/ECR Public and fallback docker\.io: The Docker daemon is not running/);
    expect(error.match(/The Docker daemon is not running/g)).toHaveLength(1);
    expect(j.exec.calls).toEqual([]);
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
    expect(run.state.logins).toEqual([]);
  });
});

describe('docker-config: isolated without a usable RUNNER_TEMP', () => {
  // The folder is made once the OIDC request is out (nothing it does not need runs before it),
  // so that request may have been sent; nothing is logged in and docker is never run.
  test('a clear error naming RUNNER_TEMP, no docker call', async () => {
    const j = await setupJob();
    j.runner.env.RUNNER_TEMP = join(j.runner.env.RUNNER_TEMP!, 'does', 'not', 'exist');
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-config': 'isolated' });
    expect(run.code).toBe(1);
    expect(run.runtime.errors.join('\n')).toContain(
      "docker config folder for 'docker-config: isolated'",
    );
    expect(run.runtime.errors.join('\n')).toContain('RUNNER_TEMP must be a writable folder');
    expect(run.runtime.errors.join('\n')).not.toContain('Unexpected');
    expect(j.exec.calls).toEqual([]);
  });
});
