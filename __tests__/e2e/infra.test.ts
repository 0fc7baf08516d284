// Smoke test of the sandbox itself (sandbox/infra.mjs): a real dockerd and real registries playing
// public.ecr.aws, Docker Hub and ECR private. It pins the docker CLI behaviour the action relies on.
// Run: sandbox/in-namespace.sh env NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.e2e.config.js
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ECR_IMAGE,
  ECR_PRIVATE_HOST,
  ECR_PRIVATE_IMAGE,
  HUB_IMAGE,
  startInfra,
} from '../../sandbox/infra.mjs';

type Infra = Awaited<ReturnType<typeof startInfra>>;
interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Like the real ones: the ECR password is over 2,560 bytes, the Hub token is short.
const ecrPassword = randomBytes(2000).toString('base64');
const hubToken = `dckr_oat_${randomBytes(16).toString('hex')}`;
const HUB_KEY = 'https://index.docker.io/v1/';
const DAEMON_DOWN =
  /^Cannot connect to the Docker daemon at unix:\/\/.+\. Is the docker daemon running\?$/m;

let infra: Infra;
let dockerConfig: string;
let startMs: number;

function docker(args: string[], input = ''): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...infra.env(), DOCKER_CONFIG: dockerConfig };
    const child = spawn('docker', args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const loginEcr = (password = ecrPassword) =>
  docker(['login', 'public.ecr.aws', '--username', 'AWS', '--password-stdin'], password);
const loginHub = (token = hubToken) =>
  docker(['login', 'docker.io', '-u', 'octo-org', '--password-stdin'], token);

function auths(): Record<string, { auth?: string }> {
  const file = path.join(dockerConfig, 'config.json');
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')).auths ?? {};
}

const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64');

beforeAll(async () => {
  // SANDBOX_TMP goes with the namespace, even when the run is interrupted.
  const tmp = process.env.SANDBOX_TMP || os.tmpdir();
  dockerConfig = fs.mkdtempSync(path.join(tmp, 'e2e-docker-config-'));
  const started = Date.now();
  infra = await startInfra({
    users: [
      { username: 'AWS', password: ecrPassword },
      { username: 'octo-org', password: hubToken },
    ],
  });
  startMs = Date.now() - started;
});

afterAll(async () => {
  await infra?.stop();
  fs.rmSync(dockerConfig, { recursive: true, force: true });
});

test('starts well within 15 s', () => {
  expect(startMs).toBeLessThan(15000);
  expect(infra.registryHosts).toEqual([
    'public.ecr.aws',
    'registry-1.docker.io',
    'index.docker.io',
    ECR_PRIVATE_HOST,
  ]);
  expect(infra.env().DOCKER_HOST).toBe(infra.dockerHost);
  expect(fs.existsSync(infra.caCertPath)).toBe(true);
});

test('anonymous pulls work from public.ecr.aws, as from the real one', async () => {
  const result = await docker(['pull', ECR_IMAGE]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`Status: Downloaded newer image for ${ECR_IMAGE}`);
  expect((await docker(['rmi', ECR_IMAGE])).code).toBe(0);
});

test('an anonymous pull from ECR private is refused with an auth error, not TLS or an HTTP fallback', async () => {
  const result = await docker(['pull', ECR_PRIVATE_IMAGE]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/no basic auth credentials/);
  expect(result.stderr).not.toMatch(/x509|http:\/\/|HTTP response to HTTPS/);
});

test('login with the password on stdin stores it under public.ecr.aws, and the pull works', async () => {
  const login = await loginEcr();
  expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' });
  expect(auths()['public.ecr.aws']?.auth).toBe(basic('AWS', ecrPassword));

  const pull = await docker(['pull', ECR_IMAGE]);
  expect(pull.code).toBe(0);
  expect(pull.stdout).toContain(`Status: Downloaded newer image for ${ECR_IMAGE}`);
});

test('logout removes the public.ecr.aws key', async () => {
  const logout = await docker(['logout', 'public.ecr.aws']);
  expect(logout).toMatchObject({
    code: 0,
    stdout: 'Removing login credentials for public.ecr.aws\n',
  });
  expect(auths()).not.toHaveProperty(['public.ecr.aws']);
});

test('a wrong password is refused by the token endpoint', async () => {
  const login = await loginEcr('not-the-password');
  expect(login.code).toBe(1);
  expect(login.stderr).toBe(
    'Error response from daemon: Get "https://public.ecr.aws/v2/": unauthorized: incorrect username or password\n',
  );
  expect(auths()).not.toHaveProperty(['public.ecr.aws']);
});

test('Docker Hub login is stored under https://index.docker.io/v1/ and pulls library images', async () => {
  const login = await loginHub();
  expect(login.code).toBe(0);
  expect(auths()[HUB_KEY]?.auth).toBe(basic('octo-org', hubToken));

  const pull = await docker(['pull', HUB_IMAGE]);
  expect(pull.code).toBe(0);
});

test('`docker logout docker.io` leaves the Hub key behind; logging out of the key itself removes it', async () => {
  expect(await docker(['logout', 'docker.io'])).toMatchObject({ code: 0 });
  expect(auths()).toHaveProperty([HUB_KEY]);
  expect(await docker(['logout', HUB_KEY])).toMatchObject({ code: 0 });
  expect(auths()).not.toHaveProperty([HUB_KEY]);
});

test('setUsers rotates passwords without a restart', async () => {
  const rotated = randomBytes(2000).toString('base64');
  await infra.setUsers([
    { username: 'AWS', password: rotated },
    { username: 'octo-org', password: hubToken },
  ]);
  expect((await loginEcr()).code).toBe(1);
  expect((await loginEcr(rotated)).code).toBe(0);
  // Passwords are compared whole (htpasswd's bcrypt read only the first 72 bytes).
  expect((await loginEcr(`${rotated.slice(0, 72)}different tail`)).code).toBe(1);
  await infra.setUsers([
    { username: 'AWS', password: ecrPassword },
    { username: 'octo-org', password: hubToken },
  ]);
  await docker(['logout', 'public.ecr.aws']);
});

test('registry down: login fails with connection refused', async () => {
  await infra.stopRegistry();
  try {
    const login = await loginEcr();
    expect(login.code).toBe(1);
    expect(login.stderr).toBe(
      'Error response from daemon: Get "https://public.ecr.aws/v2/": dial tcp [::1]:443: connect: connection refused\n',
    );
  } finally {
    await infra.startRegistry();
  }
});

test('daemon down: pulls fail with the daemon message, yet CLI 28 still logs in by itself', async () => {
  await infra.stopDaemon();
  try {
    const version = await docker(['version', '--format', '{{.Server.Version}}']);
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(DAEMON_DOWN);
    expect(version.stderr).toContain(infra.dockerHost);

    const pull = await docker(['pull', ECR_IMAGE]);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toMatch(DAEMON_DOWN);

    // When the daemon cannot be reached, CLI 28 checks the credentials against the registry itself.
    const login = await loginEcr();
    expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' });
    expect(auths()['public.ecr.aws']?.auth).toBe(basic('AWS', ecrPassword));
    await docker(['logout', 'public.ecr.aws']);
  } finally {
    await infra.startDaemon();
  }
  expect((await docker(['version', '--format', '{{.Server.Version}}'])).code).toBe(0);
});

test('stop removes the work dir and is safe to call twice', async () => {
  const { workDir } = infra;
  const started = Date.now();
  await infra.stop();
  await infra.stop();
  expect(Date.now() - started).toBeLessThan(15000);
  expect(fs.existsSync(workDir)).toBe(false);
});
