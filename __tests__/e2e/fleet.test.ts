// Runners the job cannot reconfigure, end to end with the real dockerd and registry stand-ins.
// (1) mirror-port on a "sidecar": a second dockerd started with --registry-mirror and reached
// through DOCKER_HOST: the step starts only the mirror, no daemon file changes; a port another
// process holds is a warning while the login stands; after post, pulls go to Docker Hub again.
// (2) The runner's job hooks (the emulator runs dist/hooks/*.sh as the runner does): a
// `container:` pull before the first step comes through the hook's mirror; job-completed leaves
// the daemon config byte-identical; a step with docker-mirror reuses the hook's mirror and its
// post leaves it; no credentials is a warning and exit 0. Also: what the hook adds to set-up.
// Run: npm run test:e2e -- __tests__/e2e/fleet.test.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { run } from '../../sandbox/infra.mjs';
import { freePort } from '../../sandbox/registries.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import { recordFigures } from './figures.js';
import { mirrorLeftovers } from './mirror-sandbox.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Sidecar = Awaited<ReturnType<Sandbox['infra']['startSidecar']>>;

let sb: Sandbox;
let scratch: string;
let sidecar: Sidecar;
let port: number;
let leftovers: ReturnType<typeof mirrorLeftovers>;
/** Mirrors the tests started (see mirror-sandbox.ts). */
const started = { add: (pid: number) => leftovers.started.add(pid) };
/** The hooked job's folder, so a check during the job can read the hook's record in its RUNNER_TEMP. */
let workDir = '';

beforeAll(async () => {
  sb = await startSandbox();
  sb.registries.ecrPublic.anonymous = false; // only the job's login may read it
  port = await freePort();
  sidecar = await sb.infra.startSidecar([`--registry-mirror=http://127.0.0.1:${port}`]);
  leftovers = mirrorLeftovers('fleet-e2e');
  scratch = leftovers.scratch;
}, 120_000);

afterAll(async () => {
  leftovers?.cleanUp();
  await sb?.stop();
});

const alive = (pid: number) =>
  existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') !== '';
const caEnv = () => ({ NODE_EXTRA_CA_CERTS: sb.infra.caCertPath });
const clear = () => {
  sb.registries.ecrPublic.clearRequests();
  sb.registries.dockerHub.clearRequests();
};
const sawManifest = (which: 'ecrPublic' | 'dockerHub', repository: string) =>
  sb.registries[which]
    .requests()
    .some((r) => r.kind === 'manifests' && r.repository === repository && r.status === 200);

/** docker against another daemon than the sandbox's (the sidecar). */
// Never a sync exec: the registry stand-ins' TLS front runs in this process.
async function dockerAt(host: string, args: string[]) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: host };
  return run('docker', args, { env }).then(
    ({ stdout }) => ({ ok: true, stdout, stderr: '' }),
    (error: { stderr?: string; message: string }) => ({
      ok: false,
      stdout: '',
      stderr: error.stderr ?? error.message,
    }),
  );
}
const forgetAt = (host: string, image: string) => dockerAt(host, ['rmi', '-f', image]);

describe('mirror-port on a daemon configured once (the dind sidecar)', () => {
  const inputs = () => ({
    'role-to-assume': sb.roleArn,
    'docker-mirror': 'true',
    'mirror-port': String(port),
  });

  async function main(env: Record<string, string> = {}) {
    const workDir = mkdtempSync(path.join(scratch, 'runner-'));
    const dockerConfig = sb.newDockerConfig();
    const job = { with: inputs(), workDir, dockerConfig };
    const m = await sb.step('main', {
      ...job,
      env: { ...caEnv(), DOCKER_HOST: sidecar.dockerHost, ...env },
    });
    if (m.state.mirror) started.add(JSON.parse(m.state.mirror).pid);
    const post = () =>
      sb.step('post', {
        ...job,
        env: { ...caEnv(), DOCKER_HOST: sidecar.dockerHost, ...env },
        state: m.state,
      });
    return { m, post };
  }

  test('docker pull busybox comes from public.ecr.aws through the mirror; no daemon file changes; after post, Docker Hub again', async () => {
    const before = readFileSync(sidecar.configFile);
    const { m, post } = await main();
    expect(m.exitCode).toBe(0);
    expect(m.annotations.warning).toEqual([]);
    expect(m.outputs['docker-mirror']).toBe(`http://127.0.0.1:${port}`);
    expect(m.lines.join('\n')).toMatch(/already lists http:\/\/127\.0\.0\.1:\d+ .* no config edit/);
    expect(JSON.parse(m.state.mirror)).toMatchObject({ configured: true });
    expect(m.dockerCalls.filter((c) => c.argv[0] === 'sudo')).toEqual([]);

    await forgetAt(sidecar.dockerHost, 'busybox:latest');
    clear();
    const pulled = await dockerAt(sidecar.dockerHost, ['pull', '-q', 'busybox:latest']);
    const log = JSON.parse(m.state.mirror).logFile as string;
    if (!pulled.ok) throw new Error(`${pulled.stderr}\nmirror log:\n${readFileSync(log, 'utf8')}`);
    expect(sawManifest('ecrPublic', 'docker/library/busybox')).toBe(true);
    expect(sawManifest('dockerHub', 'library/busybox')).toBe(false);
    expect(readFileSync(sidecar.configFile)).toEqual(before);

    const p = await post();
    expect(p.exitCode).toBe(0);
    expect(p.annotations.warning).toEqual([]);
    expect(p.lines.join('\n')).toMatch(/stopped the mirror .* no daemon config to restore/);
    await forgetAt(sidecar.dockerHost, 'busybox:latest');
    clear();
    expect(await dockerAt(sidecar.dockerHost, ['pull', '-q', 'busybox:latest'])).toMatchObject({
      ok: true,
    });
    expect(sawManifest('dockerHub', 'library/busybox')).toBe(true);
    expect(readFileSync(sidecar.configFile)).toEqual(before);
  });

  test('the port held by another process: a warning, and the login stands', async () => {
    const squatter = net.createServer().listen(port, '127.0.0.1');
    try {
      const { m, post } = await main();
      expect(m.exitCode).toBe(0);
      expect(m.outputs.registry).toBe('public.ecr.aws');
      expect(m.outputs['docker-mirror']).toBe('');
      expect(m.annotations.warning.map((w) => w.message)).toEqual([
        expect.stringContaining(`another process already listens on 127.0.0.1:${port}`),
      ]);
      expect(m.state.mirror ?? '').toBe('');
      expect((await post()).exitCode).toBe(0);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});

describe('runner hooks', () => {
  const configFile = () => sb.infra.daemonConfigPath;
  const ORIGINAL = '{\n\t"log-level": "info"\n}\n';
  const hookEnv = (extra: Record<string, string> = {}) => ({
    ...caEnv(),
    ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME: sb.roleArn,
    ECR_PUBLIC_LOGIN_DOCKER_MIRROR: 'true',
    ...extra,
  });
  const daemonMirrors = async () =>
    JSON.parse(
      (await sb.docker(['info', '--format', '{{json .RegistryConfig.Mirrors}}'])).stdout.trim(),
    ) ?? [];

  beforeEach(async () => {
    writeFileSync(configFile(), ORIGINAL);
    await sb.forget('busybox:latest');
    clear();
  });

  test("a container: pull before the first step comes through the hook's mirror; job-completed puts the daemon back byte for byte", async () => {
    let during: string[] = [];
    const job = await sb.hookedJob({
      env: hookEnv(),
      containers: ['busybox:latest'],
      withStep: false,
      between: async () => void (during = await daemonMirrors()),
    });
    const { started: s, completed: c } = job;
    expect(s?.exitCode).toBe(0);
    expect(s?.annotations.warning).toEqual([]);
    expect(s?.lines.join('\n')).toMatch(/job-started hook: done/);
    expect(job.containers[0]).toMatchObject({ exitCode: 0 });
    expect(sawManifest('ecrPublic', 'docker/library/busybox')).toBe(true);
    expect(sawManifest('dockerHub', 'library/busybox')).toBe(false);
    expect(during).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/)]);
    expect(c?.exitCode).toBe(0);
    expect(c?.annotations.warning).toEqual([]);
    expect(c?.lines.join('\n')).toMatch(/restored byte for byte[\s\S]*job-completed hook: undid/);
    expect(readFileSync(configFile(), 'utf8')).toBe(ORIGINAL);
    expect(await daemonMirrors()).toEqual([]);
    expect([...s!.leaks, ...c!.leaks]).toEqual([]);
  });

  test("a step with docker-mirror reuses the hook's mirror, and its post leaves it to the hook", async () => {
    let during: string[] = [];
    let hookPid = 0;
    const job = await sb.hookedJob({
      env: hookEnv(),
      with: { 'role-to-assume': sb.roleArn, 'docker-mirror': 'true' },
      between: async () => {
        during = await daemonMirrors();
        const file = path.join(workDir, '_temp', 'ecr-public-login-hook', 'state.json');
        hookPid = JSON.parse(JSON.parse(readFileSync(file, 'utf8')).mirror).pid;
      },
      workDir: (workDir = mkdtempSync(path.join(scratch, 'hooked-'))),
    });
    expect(job.main?.exitCode).toBe(0);
    expect(job.main?.annotations.warning).toEqual([]);
    expect(job.main?.lines.join('\n')).toMatch(/job-started hook already runs this job's mirror/);
    expect(job.main?.outputs['docker-mirror']).toBe(during[0].replace(/\/$/, ''));
    expect(job.main?.state.mirror ?? '').toBe('');
    expect(job.post?.exitCode).toBe(0);
    expect(during).toHaveLength(1); // one mirror, still listed after the step's post
    expect(hookPid).toBeGreaterThan(0);
    expect(alive(hookPid)).toBe(false); // stopped by job-completed
    expect(readFileSync(configFile(), 'utf8')).toBe(ORIGINAL);
  });

  test('no credentials: the hook warns, exits 0, and the job goes on', async () => {
    const job = await sb.hookedJob({
      env: hookEnv(),
      idToken: false,
      containers: ['busybox:latest'],
      withStep: false,
    });
    expect(job.started?.exitCode).toBe(0);
    expect(job.started?.failed).toBe(false);
    expect(job.started?.annotations.warning.map((w) => w.message)).toEqual([
      expect.stringContaining('no GitHub OIDC token'),
    ]);
    expect(job.containers[0]).toMatchObject({ exitCode: 0 }); // from Docker Hub, as without the hook
    expect(job.completed?.exitCode).toBe(0);
    expect(readFileSync(configFile(), 'utf8')).toBe(ORIGINAL);
  });

  test('what the job-started hook adds to job set-up, as a multiple of node -e 0', async () => {
    const nodeMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      execFileSync(sb.node, ['-e', '0']);
      nodeMs.push(performance.now() - t);
    }
    const hookMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      writeFileSync(configFile(), ORIGINAL);
      const job = await sb.hookedJob({ env: hookEnv(), withStep: false });
      expect(job.started?.exitCode).toBe(0);
      hookMs.push(job.started!.durationMs);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const figures = {
      nodeStartMs: Math.round(median(nodeMs)),
      hookStartedMs: Math.round(median(hookMs)),
      multiple: Math.round((median(hookMs) / median(nodeMs)) * 10) / 10,
    };
    recordFigures('fleet-hook', figures);
    process.stdout.write(`fleet hook set-up: ${JSON.stringify(figures)}\n`);
  });
});
