// Hardening, end to end: the built bundles through the runner emulator against the fakes, the real
// dockerd and the real registry. A hung AWS call is retried after the real 10 s per-request
// time-out; a config.json we cannot read is left alone; a second isolated step keeps the first
// step's logins; a login to public.ecr.aws is put back; a tcp:// daemon (TLS or not) is asked
// before a login; a wrapper `docker` whose login hangs cannot hold the step; a Dockerfile line
// forged with .NET whitespace is printed in the diff as text; a compile cache others can write is
// not used.
// Run: npm run test:e2e -- __tests__/e2e/hardening.test.ts
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { StepResult } from '../../sandbox/runner.mjs';
import { HUB_IMAGE, HUB_KEY, startSandbox } from '../../sandbox/sandbox.mjs';
import { jobPhases } from './job-phases.js';
import { recordFigures } from './figures.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const ECR = 'public.ecr.aws';
const SCRATCH = process.env.SANDBOX_TMP || os.tmpdir();
const seconds = (n: number) => Math.round(n / 10) / 100;
const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64');
const errorsOf = (step: StepResult) => step.annotations.error.map((a) => a.message).join('\n');

let sb: Sandbox;
let role: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox();
  role = { 'role-to-assume': sb.roleArn };
});
afterAll(async () => {
  await sb?.infra.startDaemon().catch(() => undefined);
  await sb?.stop();
});
afterEach(() => sb.fakes.clearFaults());

const { jobEnv, phase } = jobPhases(() => sb);

describe('a hung AWS connection is cut at the 10 s per-request time-out and retried', () => {
  for (const service of ['sts', 'ecr'] as const) {
    test(`${service === 'sts' ? 'STS' : 'ECR Public'} never answers once → success after one retry, ~10 s`, async () => {
      sb.fakes.setFault(service, { hang: true, failNext: 1 });
      const before = sb.fakes.counters();
      const job = await sb.job({ with: { ...role, 'timeout-seconds': '25' } });
      const calls = sb.fakes.counters()[service] - before[service];
      const retry = job.main.lines.find((l) => /retrying in \d+ ms$/.test(l)) ?? '';
      recordFigures(`${service}-hangs-once`, {
        result: job.main.exitCode === 0 ? 'success' : 'failure',
        mainSeconds: seconds(job.main.durationMs),
        calls,
        retryLine: retry,
      });

      expect(errorsOf(job.main)).toBe('');
      expect(job.main.exitCode).toBe(0);
      expect(calls).toBe(2);
      expect(retry).toMatch(/no answer from .* within 10000 ms\); attempt 1 of 5/);
      expect(job.main.durationMs).toBeGreaterThan(10_000);
      // The old handler waited until the deadline (25 s here); the margin is for a loaded machine.
      expect(job.main.durationMs).toBeLessThan(20_000);
      // The SDK's own warning never reaches the log.
      expect(job.main.stdout + job.main.stderr).not.toMatch(/requestTimeout|node-http-handler/);
      expect(job.leaks).toEqual([]);
    });
  }

  test('STS never answers at all → the final error names STS and the time-out', async () => {
    sb.fakes.setFault('sts', { hang: true });
    const job = await sb.job({ with: { ...role, 'timeout-seconds': '15' } });
    const error = errorsOf(job.main);
    recordFigures('sts-hangs-always', {
      mainSeconds: seconds(job.main.durationMs),
      error: error.split('\n')[0],
    });
    expect(job.main.exitCode).toBe(1);
    expect(error).toMatch(
      /did not succeed within the 15 s deadline \(last error: STS AssumeRoleWithWebIdentity: TimeoutError: no answer from .* within 10000 ms\)/,
    );
    expect(job.main.durationMs).toBeLessThan(20_000);
  });
});

describe('the docker config file', () => {
  test('a config.json that does not parse is left byte-identical and the error says why', async () => {
    const dir = sb.newDockerConfig();
    const broken = `{\n  "auths": {\n    "ghcr.io": { "auth": "${basic('me', 'ghcr-secret')}" },\n  }\n}\n`;
    writeFileSync(path.join(dir, 'config.json'), broken);
    const job = await sb.job({ with: role, dockerConfig: dir });
    const error = errorsOf(job.main);

    expect(job.main.exitCode).toBe(1);
    expect(error).toContain(path.join(dir, 'config.json'));
    expect(error).toMatch(/JSON/);
    expect(error).toMatch(/docker-config: isolated/);
    expect(job.main.dockerCalls.filter((c) => c.argv[0] === 'login')).toEqual([]);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(broken);
    expect(job.post?.exitCode).toBe(0);
  });

  test('a second isolated step reuses the first one’s folder; each post removes its own', async () => {
    const workDir = mkdtempSync(path.join(SCRATCH, 'job-'));
    // No DOCKER_CONFIG in the step's env: it would override what step 1 exports (as on a runner).
    const env = jobEnv({ HOME: sb.newDockerConfig() });
    const isolated = { 'docker-config': 'isolated' };
    // Step 1 logs in to ECR Public and Docker Hub; step 2 to ECR Public again.
    const first = await phase('main', {
      workDir,
      env,
      with: { ...role, ...isolated, ...sb.fallbackInputs(), 'fallback-mode': 'always' },
    });
    const second = await phase('main', {
      workDir,
      env,
      with: { ...role, ...isolated },
      priorEnv: first.exportedEnv,
    });
    const dir = first.exportedEnv.DOCKER_CONFIG;
    await sb.forget(HUB_IMAGE);
    const hubPull = await sb.docker(['pull', HUB_IMAGE], { dockerConfig: dir });
    // Posts run in reverse order.
    const post2 = await phase('post', {
      workDir,
      env,
      state: second.state,
      priorEnv: first.exportedEnv,
    });
    const authsAfterPost2 = Object.keys(sb.readDockerConfig(dir).auths ?? {});
    const post1 = await phase('post', {
      workDir,
      env,
      state: first.state,
      priorEnv: first.exportedEnv,
    });

    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    expect(second.exportedEnv.DOCKER_CONFIG ?? dir).toBe(dir);
    expect(hubPull.ok).toBe(true);
    expect(post2.exitCode).toBe(0);
    expect(authsAfterPost2.sort()).toEqual([HUB_KEY, ECR].sort());
    expect(post1.exitCode).toBe(0);
    expect(() => readFileSync(path.join(dir, 'config.json'))).toThrow();
  });

  test('a credsStore helper that is not installed → the error suggests docker-config: isolated', async () => {
    const dir = sb.newDockerConfig();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'desktop' }));
    const job = await sb.job({ with: role, dockerConfig: dir });
    const error = errorsOf(job.main);
    expect(job.main.exitCode).toBe(1);
    expect(error).toContain('the credential helper docker-credential-desktop');
    expect(error).toContain('docker-config: isolated');
    expect(job.leaks).toEqual([]);
  });

  test('a login to public.ecr.aws that was there before the step is put back by post', async () => {
    const dir = sb.newDockerConfig();
    const old = basic('AWS', 'a-long-lived-token-a-cron-job-refreshes');
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: { [ECR]: { auth: old } } }),
    );
    const job = await sb.job({ with: role, dockerConfig: dir });

    expect(job.main.exitCode).toBe(0);
    expect(job.post?.exitCode).toBe(0);
    expect(sb.readDockerConfig(dir).auths).toEqual({ [ECR]: { auth: old } });
    expect(job.leaks).toEqual([]);
  });
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as DOCKER_CERT_PATH holds. */
function makeDockerCerts(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  );
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ]) {
    writeFileSync(path.join(dir, `${name}.ext`), ext + '\n');
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}-key.pem`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    );
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      `${name}-cert.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  // The names the docker CLI looks for.
  writeFileSync(path.join(dir, 'cert.pem'), readFileSync(path.join(dir, 'client-cert.pem')));
  writeFileSync(path.join(dir, 'key.pem'), readFileSync(path.join(dir, 'client-key.pem')));
}

/** The sandbox's real dockerd behind a TCP (optionally mutual-TLS) listener on 127.0.0.1. */
async function tcpDaemon(certs?: string): Promise<{ port: number; close: () => void }> {
  const socketPath = sb.infra.dockerHost.slice('unix://'.length);
  const forward = (client: net.Socket) => {
    const upstream = net.connect(socketPath);
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.once('error', end).once('close', end);
    upstream.once('error', end).once('close', end);
  };
  const server = certs
    ? tls.createServer(
        {
          ca: readFileSync(path.join(certs, 'ca.pem')),
          cert: readFileSync(path.join(certs, 'server-cert.pem')),
          key: readFileSync(path.join(certs, 'server-key.pem')),
          requestCert: true,
          rejectUnauthorized: true,
        },
        forward,
      )
    : net.createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

describe('a tcp:// DOCKER_HOST is asked before a login, the way the CLI connects', () => {
  test('nothing listening → the step fails and says so', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    probe.close(); // a port nothing listens on
    const job = await sb.job({ with: role, env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } });
    expect(job.main.exitCode).toBe(1);
    expect(errorsOf(job.main)).toMatch(
      new RegExp(`Docker daemon is not running or not reachable at tcp://127\\.0\\.0\\.1:${port}`),
    );
  });

  test('the real dockerd over mutual TLS → logged in; without the client certificate → a clear failure', async () => {
    const certs = path.join(mkdtempSync(path.join(SCRATCH, 'docker-certs-')), 'certs');
    makeDockerCerts(certs);
    const daemon = await tcpDaemon(certs);
    try {
      const tlsEnv = {
        DOCKER_HOST: `tcp://127.0.0.1:${daemon.port}`,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: certs,
      };
      const job = await sb.job({ with: role, env: tlsEnv });
      expect(errorsOf(job.main)).toBe('');
      expect(job.main.exitCode).toBe(0);
      // Without the client certificate the daemon refuses the handshake: the step says so.
      const noCert = path.join(path.dirname(certs), 'ca-only');
      mkdirSync(noCert);
      writeFileSync(path.join(noCert, 'ca.pem'), readFileSync(path.join(certs, 'ca.pem')));
      const refused = await sb.job({ with: role, env: { ...tlsEnv, DOCKER_CERT_PATH: noCert } });
      expect(refused.main.exitCode).toBe(1);
      expect(errorsOf(refused.main)).toMatch(/cert\.pem/);
    } finally {
      daemon.close();
    }
  });
});

test('a wrapper `docker` whose login hangs (in a grandchild) cannot hold the step past its time-out', async () => {
  const bin = mkdtempSync(path.join(SCRATCH, 'wrapper-'));
  const realDocker = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  writeFileSync(
    path.join(bin, 'docker'),
    `#!/bin/sh\nif [ "$1" = login ]; then sh -c 'sleep 40'; exit 1; fi\nexec ${realDocker} "$@"\n`,
  );
  chmodSync(path.join(bin, 'docker'), 0o755);
  const job = await sb.job({
    with: { ...role, 'timeout-seconds': '5' },
    env: { PATH: `${bin}:${process.env.PATH}` },
  });
  recordFigures('wrapper-docker-login-hangs', {
    timeoutSeconds: 5,
    mainSeconds: seconds(job.main.durationMs),
    error: errorsOf(job.main).split('\n')[0],
  });
  expect(job.main.exitCode).toBe(1);
  expect(errorsOf(job.main)).toMatch(/killed by SIGKILL after \d+ ms/);
  // The docker login gets at least 5 s; the old exec waited for the grandchild's 40 s.
  expect(job.main.durationMs).toBeLessThan(15_000);
});

test('a Dockerfile line led by .NET whitespace is printed in the diff as text, never run as a command', async () => {
  const workDir = mkdtempSync(path.join(SCRATCH, 'inject-'));
  mkdirSync(path.join(workDir, 'workspace'));
  // U+0085 and U+2028 are whitespace to the runner's TrimStart, not to JavaScript's.
  const forged = [
    [
      '\u0085::save-state name=post::{"logout":true,"logins":[{"registry":"INJECTED","configDir":"/etc"}]}',
      '\u0085::add-mask::Rewrote',
    ],
    ['\u0085::error title=forged::INJECTED annotation', '\u2028::stop-commands::INJECTED'],
  ];
  // Each FROM is rewritten; the diff shows the 3 lines after it.
  const dockerfile = forged
    .map(([a, b], i) => `FROM nginx:1.27 AS s${i}\nRUN echo \\\n${a} \\\n${b} \\\n  done\n`)
    .join('\n');
  writeFileSync(path.join(workDir, 'workspace', 'Dockerfile'), dockerfile);
  const job = await sb.job({
    workDir,
    with: { ...role, rewrite: 'Dockerfile' },
    env: { NODE_EXTRA_CA_CERTS: sb.infra.caCertPath },
  });
  expect(job.main.exitCode).toBe(0);
  // the diff was printed, forged lines included, as plain lines
  expect(job.main.groups).toContain('Rewrote 1 file(s) to pull from the mirror');
  expect(job.main.lines).toContain('+FROM public.ecr.aws/docker/library/nginx:1.27 AS s1');
  expect(job.main.lines.filter((l) => l.includes('INJECTED')).length).toBeGreaterThanOrEqual(3);
  // and the runner took none of them
  expect(job.main.annotations.error).toEqual([]);
  expect(job.main.masks).not.toContain('Rewrote');
  expect(job.main.state.post).not.toContain('INJECTED');
  expect(job.post?.exitCode).toBe(0);
  expect(job.post?.lines.join('\n')).not.toContain('INJECTED');
});

test('a compile cache folder others can write is not used (self-hosted tool cache)', async () => {
  const toolCache = mkdtempSync(path.join(SCRATCH, 'tool-cache-'));
  const dir = path.join(toolCache, 'ecr-public-login', 'compile-cache', String(process.getuid!()));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777); // as another job (or user) could have left it
  const env = { RUNNER_ENVIRONMENT: 'self-hosted' };
  const planted = await sb.step('main', { with: role, toolCache, env });
  expect(planted.failed).toBe(false);
  expect(readdirSync(dir)).toEqual([]);
  expect(planted.debugLines).toContain(
    `compile cache off: ${dir} is writable by others (mode 777)`,
  );
  // the same folder made right is filled
  chmodSync(dir, 0o700);
  const ours = await sb.step('main', { with: role, toolCache, env });
  expect(ours.failed).toBe(false);
  expect(readdirSync(dir).length).toBeGreaterThan(0);
});
