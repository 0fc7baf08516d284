// docker-mirror's request handling against the real dockerd: who may connect (another local
// user gets a 403, the daemon's own pulls work), a black-holed upstream (the pull falls back to
// Docker Hub within seconds) and a logging proxy (the mirror's upstream calls go through it).
// Run: npm run test:e2e -- __tests__/e2e/docker-mirror-serve.test.ts
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { findLeaks } from '../../sandbox/runner.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import { recordFigures } from './figures.js';
import { mirrorLeftovers } from './mirror-sandbox.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sb: Sandbox;
let scratch: string;
let configFile: string;
let leftovers: ReturnType<typeof mirrorLeftovers>;
/** Mirrors the tests started (see mirror-sandbox.ts). */
const started = { add: (pid: number) => leftovers.started.add(pid) };
const ORIGINAL = '{}\n';
/** Another local user: nobody. */
const OTHER_UID = 65534;

beforeAll(async () => {
  sb = await startSandbox();
  sb.registries.ecrPublic.anonymous = false;
  configFile = sb.infra.daemonConfigPath;
  leftovers = mirrorLeftovers('mirror-serve-e2e');
  scratch = leftovers.scratch;
}, 90_000);

afterAll(async () => {
  leftovers?.cleanUp();
  await sb?.stop();
});

beforeEach(() => {
  rmSync(path.join(path.dirname(configFile), '.daemon.json.ecr-public-login'), { force: true });
  writeFileSync(configFile, ORIGINAL);
});

const inputs = (extra: Record<string, string> = {}) => ({
  'role-to-assume': sb.roleArn,
  'docker-mirror': 'true',
  ...extra,
});
const mirrorLog = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Main with the mirror, then a function that runs its post step. */
async function withMirror(withInputs: Record<string, string>, env: Record<string, string> = {}) {
  const workDir = mkdtempSync(path.join(scratch, 'runner-'));
  const dockerConfig = sb.newDockerConfig();
  const job = { env: { NODE_EXTRA_CA_CERTS: sb.infra.caCertPath, ...env }, dockerConfig, workDir };
  const step = await sb.step('main', { ...job, with: withInputs });
  if (!step.state.mirror)
    throw new Error(`no mirror: ${step.exitCode} ${step.stdout.slice(-3000)}`);
  expect(step.annotations.warning).toEqual([]);
  const record = JSON.parse(step.state.mirror) as { pid: number; url: string; logFile: string };
  started.add(record.pid);
  const post = async () => {
    const p = await sb.step('post', { ...job, with: withInputs, state: step.state });
    expect(p.exitCode).toBe(0);
    expect(findLeaks(logLines(record.logFile), sb.secrets())).toEqual([]);
  };
  return { step, ...record, post };
}

const logLines = (file: string) =>
  mirrorLog(file)
    .split('\n')
    .map((text, i) => ({ where: 'mirror log', detail: `line ${i + 1}`, text }));

/** curl as a given uid (setpriv), asynchronously: the registry front runs in this process. */
function curlAs(uid: number | undefined, url: string) {
  const curl = ['curl', '-sS', '-o', '-', '-w', '\n%{http_code}', url];
  const [cmd, ...args] =
    uid === undefined
      ? curl
      : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...curl];
  return new Promise<{ status: number; body: string }>((resolve, reject) =>
    execFile(cmd, args, (error, stdout) => {
      const lines = stdout.trimEnd().split('\n');
      if (error && !stdout) return reject(error);
      resolve({ status: Number(lines.pop()), body: lines.join('\n') });
    }),
  );
}

async function timedPull(image: string) {
  await sb.forget(image);
  const t0 = performance.now();
  const pulled = await sb.docker(['pull', '-q', image]);
  return { pulled, ms: Math.round(performance.now() - t0) };
}

test('another local user is refused with a 403; the daemon (root) pulls through the mirror', async () => {
  const m = await withMirror(inputs());
  const manifest = `${m.url}/v2/library/busybox/manifests/latest`;
  sb.registries.ecrPublic.clearRequests();
  const other = await curlAs(OTHER_UID, manifest);
  expect(other.status).toBe(403);
  expect(JSON.parse(other.body)).toMatchObject({ errors: [{ code: 'DENIED' }] });
  expect(sb.registries.ecrPublic.requests()).toEqual([]);
  const { pulled } = await timedPull('busybox:latest');
  expect(pulled).toMatchObject({ ok: true });
  expect(sb.registries.ecrPublic.requests()).toContainEqual(
    expect.objectContaining({ kind: 'manifests', repository: 'docker/library/busybox' }),
  );
  expect(mirrorLog(m.logFile)).toMatch(
    new RegExp(`GET /v2/library/busybox/manifests/latest 403 .*uid ${OTHER_UID}`),
  );
  await m.post();
});

/** A real tinyproxy on 127.0.0.1 that logs each CONNECT. */
async function startTinyproxy(): Promise<{ url: string; log: string; child: ChildProcess }> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  const log = path.join(scratch, 'tinyproxy.log');
  const conf = path.join(scratch, 'tinyproxy.conf');
  const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'Allow 127.0.0.1'];
  writeFileSync(conf, [...lines, `LogFile "${log}"`, 'LogLevel Connect', ''].join('\n'));
  writeFileSync(log, '');
  const child = spawn('/usr/bin/tinyproxy', ['-d', '-c', conf], { stdio: 'ignore' });
  for (const t0 = Date.now(); Date.now() - t0 < 5000;) {
    const up = await new Promise<boolean>((resolve) =>
      net
        .connect(port, '127.0.0.1', function (this: net.Socket) {
          this.destroy();
          resolve(true);
        })
        .once('error', () => resolve(false)),
    );
    if (up) return { url: `http://127.0.0.1:${port}`, log, child };
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill();
  throw new Error('tinyproxy did not start');
}

describe('the mirror reaches its upstream through the step proxy', () => {
  let proxy: Awaited<ReturnType<typeof startTinyproxy>>;
  beforeAll(async () => {
    proxy = await startTinyproxy();
  });
  afterAll(() => proxy?.child.kill());

  const ecrConnects = (offset: number) =>
    [
      ...readFileSync(proxy.log, 'utf8')
        .slice(offset)
        .matchAll(/CONNECT public\.ecr\.aws:443 /g),
    ].length;

  test.each([
    ['HTTPS_PROXY', (url: string) => [inputs(), { HTTPS_PROXY: url, NO_PROXY: '127.0.0.1' }]],
    ['the http-proxy input', (url: string) => [inputs({ 'http-proxy': url }), {}]],
  ] as const)('%s', async (_name, setting) => {
    const [withInputs, env] = setting(proxy.url) as [
      Record<string, string>,
      Record<string, string>,
    ];
    const m = await withMirror(withInputs, env);
    const offset = statSync(proxy.log).size;
    sb.registries.ecrPublic.clearRequests();
    sb.registries.dockerHub.clearRequests();
    const { pulled } = await timedPull('busybox:latest');
    expect(pulled).toMatchObject({ ok: true });
    expect(sb.registries.dockerHub.requests()).toEqual([]);
    expect(ecrConnects(offset)).toBeGreaterThan(0);
    await m.post();
  });
});

// Last: dockerd caches /etc/hosts for a few seconds, so it would still see the black hole.
/** Points public.ecr.aws (for this namespace only) at `address`; returns the undo. */
function pointEcrPublicAt(address: string) {
  if (process.env.SANDBOX_NS !== '1') throw new Error('only inside the sandbox namespace');
  const original = readFileSync('/etc/hosts', 'utf8');
  const edited =
    original.replace(/^(::1 .*)\bpublic\.ecr\.aws\b/m, '$1') + `${address} public.ecr.aws\n`;
  writeFileSync('/etc/hosts', edited); // a private bind mount (in-namespace.sh): written in place
  return () => writeFileSync('/etc/hosts', original);
}

const sh = (cmd: string, args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(cmd, args, (error) => (error ? reject(error) : resolve())),
  );

/** A listener that accepts and never answers. */
async function silentListener(address: string) {
  const hole = net.createServer((socket) => socket.on('error', () => {}));
  hole.listen(443, address);
  await once(hole, 'listening');
  return async () => void hole.close();
}

/** Every packet to address:443 dropped (this namespace's firewall): the connect itself hangs. */
async function droppedPort(address: string) {
  const rule = ['OUTPUT', '-d', address, '-p', 'tcp', '--dport', '443', '-j', 'DROP'];
  await sh('iptables', ['-A', ...rule]);
  return () => sh('iptables', ['-D', ...rule]);
}

test.each([
  ['accepts and never answers', '127.0.0.2', silentListener],
  ['drops every packet', '127.0.0.3', droppedPort],
] as const)(
  'a black-holed upstream (%s): docker pull falls back to Docker Hub within 10 s',
  async (kind, address, start) => {
    const stop = await start(address);
    const m = await withMirror(inputs());
    const restore = pointEcrPublicAt(address);
    try {
      sb.registries.dockerHub.clearRequests();
      const first = await timedPull('busybox:latest');
      const second = await timedPull('busybox:latest');
      expect(first.pulled).toMatchObject({ ok: true });
      expect(second.pulled).toMatchObject({ ok: true });
      expect(sb.registries.dockerHub.requests()).toContainEqual(
        expect.objectContaining({ kind: 'manifests', repository: 'library/busybox', status: 200 }),
      );
      recordFigures(`docker-mirror black-holed upstream (${kind})`, {
        firstPullMs: first.ms,
        secondPullMs: second.ms,
        mirrorLog: mirrorLog(m.logFile).trim().split('\n').slice(-6),
      });
      expect(first.ms).toBeLessThanOrEqual(10_000);
      expect(second.ms).toBeLessThanOrEqual(10_000);
    } finally {
      restore();
      await stop();
      await m.post();
      // dockerd re-reads /etc/hosts only every few seconds: let the next main see the real one.
      await new Promise((r) => setTimeout(r, 6000));
    }
  },
  300_000,
);
