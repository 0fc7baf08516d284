// docker-mirror's lifecycle against the real dockerd: the port stays held by the mirror while
// the daemon names it (a local process racing for it during post gets nothing), a job whose
// post never runs (its runner process killed) takes its mirror and entry with it, and a daemon
// restarted during the job is still reloaded by post.
// Run: npm run test:e2e -- __tests__/e2e/docker-mirror-lifecycle.test.ts
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Step = Awaited<ReturnType<Sandbox['step']>>;

let sb: Sandbox;
let configFile: string;
let scratch: string;
const ORIGINAL = '{\n\t"max-concurrent-downloads": 4\n}\n';
const started = new Set<number>();

beforeAll(async () => {
  sb = await startSandbox();
  configFile = sb.infra.daemonConfigPath;
  scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || '/tmp', 'mirror-life-'));
}, 90_000);

afterAll(async () => {
  for (const pid of started) kill(-pid, 'SIGKILL');
  await sb?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(path.join(path.dirname(configFile), '.daemon.json.ecr-public-login'), { force: true });
  writeFileSync(configFile, ORIGINAL);
});

function kill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
const alive = (pid: number) =>
  existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') !== '';
const socket = () => sb.infra.env().DOCKER_HOST.slice('unix://'.length);
const jobInputs = () => ({ 'role-to-assume': sb.roleArn, 'docker-mirror': 'true' });
const env = () => ({ NODE_EXTRA_CA_CERTS: sb.infra.caCertPath });

/** The daemon's mirrors straight from /info over its socket (a few ms, no docker CLI). */
function daemonMirrors(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socket(), path: '/info' }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () =>
          resolve(JSON.parse(Buffer.concat(chunks).toString()).RegistryConfig.Mirrors ?? []),
        );
      })
      .once('error', reject);
  });
}
const listed = async (url: string) => (await daemonMirrors()).includes(`${url}/`);

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function record(step: Step) {
  const r = JSON.parse(step.state.mirror) as { pid: number; url: string; logFile: string };
  started.add(r.pid);
  return r;
}

async function main() {
  const workDir = mkdtempSync(path.join(scratch, 'runner-'));
  const dockerConfig = sb.newDockerConfig();
  const step = await sb.step('main', { with: jobInputs(), env: env(), dockerConfig, workDir });
  expect(step.exitCode).toBe(0);
  expect(step.annotations.warning).toEqual([]);
  return { step, workDir, dockerConfig };
}

const post = (m: Awaited<ReturnType<typeof main>>) =>
  sb.step('post', {
    with: jobInputs(),
    env: env(),
    dockerConfig: m.dockerConfig,
    workDir: m.workDir,
    state: m.step.state,
  });

/** Main run by a Runner.Worker stand-in that outlives the step; returns its pid and the step. */
async function mainUnderWorker() {
  const workDir = mkdtempSync(path.join(scratch, 'worker-'));
  const options = {
    actionDir: sb.actionDir,
    phase: 'main',
    with: jobInputs(),
    env: {
      ...Object.fromEntries(
        Object.entries(sb.fakes.env()).filter(([k]) => !k.startsWith('ACTIONS_ID_TOKEN_REQUEST_')),
      ),
      ...sb.infra.env(),
      DOCKER_CONFIG: sb.newDockerConfig(),
      AWS_REGION: 'us-east-1',
      ...env(),
    },
    idToken: { requestUrl: sb.fakes.urls.oidcRequestUrl, requestToken: sb.fakes.requestToken },
    nodePath: sb.node,
    workDir,
  };
  const optionsFile = path.join(workDir, 'options.json');
  const resultFile = path.join(workDir, 'result.json');
  writeFileSync(optionsFile, JSON.stringify(options));
  const worker = spawn(
    process.execPath,
    [path.resolve('__tests__/e2e/runner-worker.mjs'), optionsFile, resultFile],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  started.add(worker.pid as number);
  await until('the step under the worker', () => existsSync(resultFile), 60_000);
  const step = JSON.parse(readFileSync(resultFile, 'utf8')) as Step;
  expect(step.exitCode).toBe(0);
  return { worker: worker.pid as number, step };
}

/** A local process trying, every millisecond, to bind the port; it logs what connects to it. */
function racer(port: number) {
  const got: string[] = [];
  let boundAt: number | undefined;
  let stop = false;
  const server = http.createServer((req, res) => {
    got.push(`${req.method} ${req.url}`);
    res.end();
  });
  // Each try's listeners go with it: a failed listen() would otherwise keep its 'listening' one.
  const tryBind = () => {
    if (stop || boundAt !== undefined) return;
    const bound = () => {
      boundAt = performance.now();
      server.off('error', failed);
    };
    const failed = () => {
      server.off('listening', bound);
      setTimeout(tryBind, 1);
    };
    server.once('error', failed).once('listening', bound).listen(port, '127.0.0.1');
  };
  tryBind();
  return {
    got,
    boundAt: () => boundAt,
    close: () => ((stop = true), new Promise((r) => server.close(r))),
  };
}

test('a process racing for the port during post never gets it while the daemon names it', async () => {
  const m = await main();
  const { pid, url } = record(m.step);
  const port = Number(new URL(url).port);
  const race = racer(port);
  // Watch the daemon throughout post: the last moment it still named the port.
  let lastListed = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) if (await listed(url)) lastListed = performance.now();
  })();
  const postStarted = performance.now();
  const p = await post(m);
  await until('the racer to bind the freed port', () => race.boundAt() !== undefined, 5_000);
  watching = false;
  await watch;
  // The port came free only after the daemon stopped naming it.
  expect(race.boundAt()!).toBeGreaterThan(lastListed);
  expect(p.exitCode).toBe(0);
  expect(p.annotations.warning).toEqual([]);
  expect(p.lines.join('\n')).toMatch(/reloaded without it; then stopped the mirror/);
  expect(alive(pid)).toBe(false);
  // A pull now never reaches the racer.
  await sb.forget('busybox:latest');
  await sb.docker(['pull', '-q', 'busybox:latest']);
  expect(race.got).toEqual([]);
  await race.close();
  expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  console.log('figures', {
    daemonNamesPortAfterPostStartMs: Math.round(lastListed - postStarted),
    portFreeAfterUnlistedMs: Math.round(race.boundAt()! - lastListed),
  });
});

test('post never runs (the runner process killed): the mirror takes its entry out and exits', async () => {
  const { worker, step } = await mainUnderWorker();
  const { pid, url, logFile } = record(step);
  expect(await listed(url)).toBe(true);
  expect(alive(pid)).toBe(true);
  const killed = performance.now();
  kill(-worker, 'SIGKILL'); // the runner dies; no post step
  await until('the orphan mirror to exit', () => !alive(pid));
  const gone = performance.now() - killed;
  expect(await listed(url)).toBe(false);
  expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  expect(readFileSync(logFile, 'utf8')).toMatch(
    /runner process \(pid \d+\) ended[\s\S]*no longer lists/,
  );
  console.log('figures', { mirrorGoneAfterRunnerKilledMs: Math.round(gone) });
});

test('an orphan that could not end itself: the next run takes out its entry and stops it', async () => {
  const { worker, step } = await mainUnderWorker();
  const orphan = record(step);
  kill(orphan.pid, 'SIGSTOP'); // hung: it cannot notice its job ended
  kill(-worker, 'SIGKILL');
  const m = await main();
  const next = record(m.step);
  expect(m.step.lines.join('\n')).toMatch(
    new RegExp(`Removed mirror entries .*${orphan.url}.*stopped their mirrors, pids ${orphan.pid}`),
  );
  expect(await daemonMirrors()).toEqual([`${next.url}/`]);
  await until('the orphan to be gone', () => !alive(orphan.pid), 5_000);
  const p = await post(m);
  expect(p.exitCode).toBe(0);
  expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  expect(await daemonMirrors()).toEqual([]);
});

test('a daemon restarted during the job: post finds it from its socket and reloads it', async () => {
  const m = await main();
  const { pid, url } = record(m.step);
  const before = sb.infra.daemonPid();
  await sb.infra.stopDaemon();
  await sb.infra.startDaemon();
  expect(sb.infra.daemonPid()).not.toBe(before);
  expect(await listed(url)).toBe(true); // the new daemon read our entry at start
  const p = await post(m);
  expect(p.exitCode).toBe(0);
  expect(p.annotations.warning).toEqual([]);
  expect(p.lines.join('\n')).toMatch(/restarted during the job, now pid \d+\) reloaded without it/);
  expect(await daemonMirrors()).toEqual([]);
  expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  expect(alive(pid)).toBe(false);
}, 180_000);
