// docker-mirror end to end: the built bundles run by the runner emulator against the real dockerd
// (started with --config-file) and the registry stand-ins. After main, a plain `docker pull
// busybox` and `FROM busybox` come through the job's mirror from the public.ecr.aws stand-in;
// after post, the daemon's config file is byte-identical, the daemon lists no mirror and the
// mirror process is gone, also when main failed or was killed.
// Run: npm run test:e2e -- __tests__/e2e/docker-mirror.test.ts
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { findLeaks, type StepResult as Step } from '../../sandbox/runner.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import { recordFigures } from './figures.js';
import { mirrorLeftovers } from './mirror-sandbox.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sb: Sandbox;
let configFile: string;
let scratch: string;
// A daemon config with other keys, tab-indented, mode 0640: all must survive byte for byte.
const ORIGINAL = '{\n\t"max-concurrent-downloads": 4,\n\t"log-level": "info"\n}\n';

beforeAll(async () => {
  sb = await startSandbox();
  // Only the job's login may read public.ecr.aws: proves the mirror pulls with this step's credentials.
  sb.registries.ecrPublic.anonymous = false;
  configFile = sb.infra.daemonConfigPath;
  leftovers = mirrorLeftovers('mirror-e2e');
  scratch = leftovers.scratch;
}, 90_000);

afterAll(async () => {
  leftovers?.cleanUp();
  await sb?.stop();
});

const ledger = () => path.join(path.dirname(configFile), '.daemon.json.ecr-public-login');
let leftovers: ReturnType<typeof mirrorLeftovers>;
/** Mirrors the tests started (see mirror-sandbox.ts). */
const started = { add: (pid: number) => leftovers.started.add(pid) };

beforeEach(() => {
  rmSync(ledger(), { force: true });
  writeFileSync(configFile, ORIGINAL);
  chmodSync(configFile, 0o640);
});

/** The job's env: the mirror (a node process) trusts the sandbox CA the way dockerd does. */
const env = () => ({ NODE_EXTRA_CA_CERTS: sb.infra.caCertPath });
const inputs = (extra: Record<string, string> = {}) => ({
  'role-to-assume': sb.roleArn,
  'docker-mirror': 'true',
  ...extra,
});

async function daemonMirrors(): Promise<string[]> {
  const info = await sb.docker(['info', '--format', '{{json .RegistryConfig.Mirrors}}']);
  expect(info.ok).toBe(true);
  return JSON.parse(info.stdout.trim()) ?? [];
}

function mirrorState(step: Step) {
  const record = JSON.parse(step.state.mirror) as { pid: number; url: string; logFile: string };
  started.add(record.pid);
  return record;
}
const alive = (pid: number) =>
  existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') !== '';
const mirrorLog = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Main in a runner folder of its own, kept for post (the mirror's log lives in RUNNER_TEMP). */
async function main(withInputs: Record<string, string>, timeoutMs?: number) {
  const workDir = mkdtempSync(path.join(scratch, 'runner-'));
  const dockerConfig = sb.newDockerConfig();
  const step = await sb.step('main', {
    with: withInputs,
    env: env(),
    dockerConfig,
    workDir,
    timeoutMs,
  });
  return { step, workDir, dockerConfig };
}

async function post(m: Awaited<ReturnType<typeof main>>, withInputs: Record<string, string>) {
  return sb.step('post', {
    with: withInputs,
    env: env(),
    dockerConfig: m.dockerConfig,
    workDir: m.workDir,
    state: m.step.state,
  });
}

/** What every post must leave: the file as it was, no mirror listed, no mirror process. */
async function expectUndone(pid: number) {
  expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  expect(statSync(configFile).mode & 0o777).toBe(0o640);
  expect(existsSync(ledger())).toBe(false);
  expect(await daemonMirrors()).toEqual([]);
  expect(alive(pid)).toBe(false);
}

function expectNoLeaks(step: Step, logFile: string) {
  expect(step.leaks).toEqual([]);
  const lines = mirrorLog(logFile)
    .split('\n')
    .map((text, i) => ({ where: 'mirror log', detail: `line ${i + 1}`, text }));
  expect(findLeaks(lines, sb.secrets())).toEqual([]);
}

function clearRequests() {
  sb.registries.ecrPublic.clearRequests();
  sb.registries.dockerHub.clearRequests();
}

/** The public.ecr.aws stand-in served the image with a token; the Docker Hub stand-in saw nothing. */
function expectPulledFromEcrPublicOnly(name: string, kinds: string[]) {
  const ecr = sb.registries.ecrPublic.requests();
  for (const kind of kinds) {
    expect(ecr).toContainEqual(
      expect.objectContaining({ kind, repository: `docker/library/${name}`, status: 200 }),
    );
  }
  expect(sb.registries.dockerHub.requests()).toEqual([]);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

test('docker pull busybox and FROM busybox come through the mirror; post puts everything back', async () => {
  // Direct pull first, for the figure: the same image by its ECR Public name, no mirror.
  await sb.forget('public.ecr.aws/docker/library/busybox:latest');
  const login = sb.newDockerConfig();
  const m = await main(inputs());
  expect(m.step.exitCode).toBe(0);
  expect(m.step.annotations.warning).toEqual([]);
  const { pid, url, logFile } = mirrorState(m.step);
  expect(m.step.outputs['docker-mirror']).toBe(url);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(await daemonMirrors()).toEqual([`${url}/`]);
  const ready = /ready in (\d+) ms \(mirror (\d+) ms, daemon config and reload (\d+) ms\)/.exec(
    m.step.lines.join('\n'),
  );
  expect(ready).not.toBeNull();

  const [direct, directMs] = await timed(() =>
    sb.docker(['pull', '-q', 'public.ecr.aws/docker/library/busybox:latest'], {
      dockerConfig: m.dockerConfig,
    }),
  );
  expect(direct).toMatchObject({ ok: true });
  await sb.forget('busybox:latest');
  await sb.forget('public.ecr.aws/docker/library/busybox:latest');
  clearRequests();
  const [pulled, mirroredMs] = await timed(() =>
    sb.docker(['pull', '-q', 'busybox:latest'], { dockerConfig: login }),
  );
  expect(pulled).toMatchObject({ ok: true });
  const served = mirrorLog(logFile);
  expect(served).toMatch(/(GET|HEAD) \/v2\/library\/busybox\/manifests\/latest 200 upstream 200/);
  expect(served).toMatch(/GET \/v2\/library\/busybox\/blobs\/sha256:[0-9a-f]{64} 200 upstream 200/);
  expectPulledFromEcrPublicOnly('busybox', ['manifests', 'blobs']);
  await sb.forget('busybox:latest');
  const context = path.join(scratch, 'build');
  mkdirSync(context, { recursive: true });
  writeFileSync(path.join(context, 'Dockerfile'), 'FROM busybox\nRUN true\n');
  clearRequests();
  const built = await sb.docker(['build', '-q', context], { dockerConfig: login });
  expect(built).toMatchObject({ ok: true });
  expectPulledFromEcrPublicOnly('busybox', ['manifests']);

  const p = await post(m, inputs());
  expect(p.exitCode).toBe(0);
  expect(p.annotations.warning).toEqual([]);
  expect(p.lines.join('\n')).toMatch(/restored byte for byte/);
  await expectUndone(pid);
  expectNoLeaks(m.step, logFile);
  expectNoLeaks(p, logFile);
  // The machine's speed right now: node's own start-up, what the mirror process mostly waits for.
  const { execFileSync } = await import('node:child_process');
  const [, nodeStartMs] = await timed(async () => execFileSync(sb.node, ['-e', '0']));
  recordFigures('docker-mirror', {
    nodeStartMs: Math.round(nodeStartMs),
    mainReadyMs: Number(ready![1]),
    mirrorStartMs: Number(ready![2]),
    daemonReloadMs: Number(ready![3]),
    pullDirectMs: Math.round(directMs),
    pullThroughMirrorMs: Math.round(mirroredMs),
  });
});

test('an image the mirror does not have still pulls: the daemon falls back to Docker Hub', async () => {
  const m = await main(inputs());
  const { pid, logFile } = mirrorState(m.step);
  clearRequests();
  // busybox:1.37 is only on the Docker Hub stand-in; bitnami/redis is not an official image.
  for (const image of ['busybox:1.37', 'bitnami/redis:7.4']) {
    await sb.forget(image);
    expect(await sb.docker(['pull', '-q', image])).toMatchObject({ ok: true });
  }
  const served = mirrorLog(logFile);
  expect(served).toMatch(/(GET|HEAD) \/v2\/library\/busybox\/manifests\/1\.37 404 upstream 404/);
  expect(served).toMatch(
    /(GET|HEAD) \/v2\/bitnami\/redis\/manifests\/7\.4 404 only Docker official/,
  );
  const hub = sb.registries.dockerHub.requests();
  expect(hub).toContainEqual(
    expect.objectContaining({ kind: 'manifests', repository: 'library/busybox', status: 200 }),
  );
  expect(hub).toContainEqual(
    expect.objectContaining({ kind: 'manifests', repository: 'bitnami/redis', status: 200 }),
  );
  await post(m, inputs());
  await expectUndone(pid);
});

test('main fails after starting the mirror: post still puts everything back', async () => {
  const bad = inputs({
    'fallback-mode': 'always',
    'fallback-username': 'octo-org',
    'fallback-token': 'dckr_oat_wrong',
  });
  const m = await main(bad);
  expect(m.step.exitCode).toBe(1);
  const { pid } = mirrorState(m.step);
  expect(alive(pid)).toBe(true);
  const p = await post(m, bad);
  expect(p.exitCode).toBe(0);
  await expectUndone(pid);
});

test('the runner kills main mid-way: post still puts everything back', async () => {
  // A fallback registry that accepts connections and never answers keeps main busy after the mirror is up.
  const silent = await import('node:net').then((net) =>
    net.createServer(() => {}).listen(0, '127.0.0.1'),
  );
  await new Promise((r) => silent.once('listening', r));
  const port = (silent.address() as { port: number }).port;
  const hang = inputs({
    'fallback-mode': 'always',
    'fallback-registry': `127.0.0.1:${port}`,
    'fallback-username': 'u',
    'fallback-token': 'dckr_oat_x',
  });
  try {
    const m = await main(hang, 8_000);
    expect(m.step.timedOut).toBe(true);
    const { pid } = mirrorState(m.step);
    expect(alive(pid)).toBe(true);
    const p = await post(m, hang);
    expect(p.exitCode).toBe(0);
    await expectUndone(pid);
  } finally {
    silent.close();
  }
});
