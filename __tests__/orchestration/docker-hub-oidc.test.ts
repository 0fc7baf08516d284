// runMain with the Docker Hub OIDC fallback and `docker-hub-limit`: the runner's OIDC service and
// the fake AWS SDK of the other orchestration tests, plus two loopback servers: Docker's token
// exchange (scripted answers, every form recorded) and a Docker Hub stand-in answering the pull
// limit check (token, then the manifest HEAD with or without the headers).
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { describe, expect, test } from '@jest/globals';
import { ecrError, Late } from '../fixtures/aws-sdk.js';
import { auth, dockerLines, ORG, ROLE, runMainFor, setupJob, type Job } from '../fixtures/job.js';
import { startHttpServer, type LocalServer } from '../fixtures/local-servers.js';
import { DEFAULT_SUB } from '../fixtures/oidc-server.js';

const ID = '5f0c2a6e-8d1b-4c3a-9e7f-2b6d4a1c8e90';
const DOCKER_AUDIENCE = 'https://identity.docker.com';
const HUB_LOGIN = `docker login --username ${ORG} --password-stdin docker.io`;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Exchange extends LocalServer {
  forms: URLSearchParams[];
  /** ms since the server started, per request. */
  arrivals: number[];
  issued: string[];
}

/** Docker's exchange: scripted answers in order, then a fresh token each time. */
async function startExchange(script: Answer[] = []): Promise<Exchange> {
  const started = Date.now();
  const s = { forms: [] as URLSearchParams[], arrivals: [] as number[], issued: [] as string[] };
  const server = await startHttpServer((request, response) => {
    s.arrivals.push(Date.now() - started);
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      s.forms.push(new URLSearchParams(body));
      const token = randomBytes(32).toString('hex');
      const answer = script.shift() ?? { status: 200, body: { access_token: token } };
      if (answer.status === 200) s.issued.push(token);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  return Object.assign(server, s);
}

/** Docker Hub's token service and the check's manifest HEAD on one loopback server. */
async function startHub(head: (request: http.IncomingMessage) => Answer) {
  const tokens: string[] = [];
  const server = await startHttpServer((request, response) => {
    if (request.url?.startsWith('/token')) {
      const token = `hub-${randomBytes(16).toString('hex')}`;
      tokens.push(token);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token }));
      return;
    }
    const answer = head(request);
    response.writeHead(answer.status, answer.headers);
    response.end();
  });
  const origins = { registry: server.url, realm: `${server.url}/token` };
  return Object.assign(server, { tokens, origins });
}

const limited = (remaining: number): Answer => ({
  status: 200,
  body: '',
  headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': `${remaining};w=21600` },
});

const oidcInputs = { 'fallback-oidc-connection-id': ID, 'fallback-username': ORG };

async function jobWithExchange(script: Answer[] = []): Promise<{ j: Job; exchange: Exchange }> {
  const j = await setupJob();
  const exchange = await startExchange(script);
  j.onClose(exchange.close);
  j.runner.env.DOCKER_IDENTITY_URL = exchange.url;
  return { j, exchange };
}

/** The ID tokens the runner issued for Docker's audience. */
const dockerIdTokens = (j: Job) =>
  j.runner.oidc.issued.filter((_, i) => j.runner.oidc.audiences[i] === DOCKER_AUDIENCE);

describe('the OIDC fallback', () => {
  test('ECR Public refused: the exchanged token logs in to Docker Hub as the organization', async () => {
    const { j, exchange } = await jobWithExchange();
    j.sdk.ecr.push(ecrError.accessDenied());
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...oidcInputs });

    expect(run.runtime.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['fallback-used']).toBe('true');
    expect(run.runtime.outputs.registry).toBe('docker.io');
    expect(dockerLines(j).at(-1)).toBe(HUB_LOGIN);
    const [token] = exchange.issued;
    expect(j.exec.calls.at(-1)!.options.input).toBe(token);
    expect(j.runner.readDockerConfig().auths?.['https://index.docker.io/v1/']?.auth).toBe(
      auth(ORG, token),
    );
    // The wire format of docs/docker-hub-oidc.md, with a second ID token for Docker's audience.
    const [form] = exchange.forms;
    const [idToken] = dockerIdTokens(j);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: idToken,
      connection_id: ID,
      expires_in: '3600',
    });
    expect(exchange.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(run.runtime.summary.join('\n')).toContain(`OIDC connection ${ID}`);
  });

  test('every token is masked, and none reaches argv, outputs or state', async () => {
    const { j, exchange } = await jobWithExchange();
    j.sdk.ecr.push(ecrError.accessDenied());
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...oidcInputs });
    const secrets = [...exchange.issued, ...j.runner.oidc.issued];
    expect(secrets).toHaveLength(3); // the exchanged token, AWS's and Docker's ID tokens
    expect(run.runtime.secrets).toEqual(expect.arrayContaining(secrets));
    const visible = JSON.stringify([
      run.runtime.outputs,
      run.runtime.savedState,
      run.runtime.exported,
      j.exec.calls.map((c) => c.args),
    ]);
    for (const secret of secrets) expect(visible).not.toContain(secret);
  });

  test('both a token and a connection ID: an input error before any call', async () => {
    const { j, exchange } = await jobWithExchange();
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...oidcInputs,
      'fallback-token': j.token,
    });
    expect(run.code).toBe(1);
    expect(run.runtime.errors.join('\n')).toContain(
      "'fallback-token' and 'fallback-oidc-connection-id' are both set",
    );
    expect(run.runtime.errors.join('\n')).not.toContain(j.token);
    expect(exchange.forms).toEqual([]);
    expect(j.exec.calls).toEqual([]);
  });

  test('a 429 is retried after its Retry-After; a 403 is not retried and names the sub', async () => {
    const throttled = {
      status: 429,
      body: { error: 'rate_limited' },
      headers: { 'retry-after': '2' },
    };
    const denied = {
      status: 403,
      body: { error: 'access_denied', error_description: 'no ruleset matches' },
    };
    const { j, exchange } = await jobWithExchange([throttled, denied]);
    j.sdk.ecr.push(ecrError.accessDenied());
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...oidcInputs });
    expect(run.code).toBe(1);
    expect(exchange.forms).toHaveLength(2);
    expect(j.sleeps).toContain(2000);
    const error = run.runtime.errors.join('\n');
    expect(error).toContain('HTTP 403 access_denied: no ruleset matches');
    expect(error).toContain(`The token's sub claim is "${DEFAULT_SUB}"`);
    expect(error).toContain('A ruleset of the OIDC connection must match this sub');
  });

  test('fallback-mode: always asks Docker while the AWS side is still out, after its OIDC request', async () => {
    const { j, exchange } = await jobWithExchange();
    j.sdk.sts.push(new Late(600, j.sdk.stsCredentials));
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...oidcInputs,
      'fallback-mode': 'always',
    });
    expect(run.code).toBe(0);
    expect(run.runtime.outputs.registries).toBe('public.ecr.aws,docker.io');
    // The AWS OIDC request went first; Docker's exchange did not wait for STS's 600 ms.
    expect(j.runner.oidc.audiences).toEqual(['sts.amazonaws.com', DOCKER_AUDIENCE]);
    expect(exchange.arrivals[0]).toBeLessThan(500);
    expect(run.ms).toBeLessThan(600 + 500);
  });
});

describe('docker-hub-limit', () => {
  test('the remaining pulls in the output and the summary, its token masked', async () => {
    const { j } = await jobWithExchange();
    const hub = await startHub(() => limited(76));
    j.onClose(hub.close);
    const run = await runMainFor(
      j,
      { 'role-to-assume': ROLE, 'docker-hub-limit': 'true' },
      undefined,
      { dockerHub: hub.origins },
    );
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['docker-hub-pulls-remaining']).toBe('76');
    const summary = run.runtime.summary.join('\n');
    expect(summary).toContain('### Docker Hub pull limit');
    expect(summary).toContain("| anonymous (this runner's address) | 100 per 6 h | 76 |");
    expect(hub.requests.map((r) => r.method)).toEqual(['GET', 'HEAD']);
    expect(run.runtime.secrets).toEqual(expect.arrayContaining(hub.tokens));
  });

  test("fallback used: the organization's own count, and the summary says pulls now count against it", async () => {
    const { j } = await jobWithExchange();
    j.sdk.ecr.push(ecrError.accessDenied());
    const hub = await startHub(() => limited(50));
    j.onClose(hub.close);
    const run = await runMainFor(
      j,
      { 'role-to-assume': ROLE, ...oidcInputs, 'docker-hub-limit': 'true' },
      undefined,
      { dockerHub: hub.origins },
    );
    expect(run.code).toBe(0);
    const summary = run.runtime.summary.join('\n');
    expect(summary).toContain(`| \`${ORG}\` | 100 per 6 h | 50 |`);
    expect(summary).toContain('now count against that organization');
    expect(run.runtime.outputs['docker-hub-pulls-remaining']).toBe('50');
    // Anonymous first, then with the organization's exchanged token as Basic credentials.
    expect(hub.requests.filter((r) => r.method === 'HEAD')).toHaveLength(2);
    const basic = hub.requests.find((r) => r.headers.authorization?.startsWith('Basic '));
    expect(basic).toBeDefined();
  });

  test('a failing check is a debug line: no warning, the login as usual', async () => {
    const j = await setupJob();
    const hub = await startHub(() => ({ status: 500, body: '' }));
    j.onClose(hub.close);
    const run = await runMainFor(
      j,
      { 'role-to-assume': ROLE, 'docker-hub-limit': 'true' },
      undefined,
      { dockerHub: hub.origins },
    );
    expect(run.code).toBe(0);
    expect(run.runtime.warnings).toEqual([]);
    expect(run.runtime.errors).toEqual([]);
    expect(run.runtime.outputs['docker-hub-pulls-remaining']).toBe('');
    expect(run.runtime.log).toContain(
      "::debug::Docker Hub pull limit check (anonymous) failed: the check's manifest HEAD answered HTTP 500",
    );
    expect(run.runtime.summary.join('\n')).toContain('unknown (the check failed');
  });

  test('Docker Hub unreachable: a debug line, the login as usual', async () => {
    const j = await setupJob();
    // Nothing listens there any more.
    const hub = await startHub(() => ({ status: 200, body: '' }));
    await hub.close();
    const run = await runMainFor(
      j,
      { 'role-to-assume': ROLE, 'docker-hub-limit': 'true' },
      undefined,
      { dockerHub: hub.origins },
    );
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['docker-hub-pulls-remaining']).toBe('');
    expect(run.runtime.log.some((l) => l.includes('pull limit check (anonymous) failed'))).toBe(
      true,
    );
  });
});
