// The mirror as a background process: started detached (its own process group, so the step's
// end does not take it down), told the credentials on stdin, and stopped by pid later.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { RegistryCredentials } from '../registry/client.js';
import { isMirrorProcess, type ProcFs, procFs } from './daemon-process.js';
import type { MirrorLife } from './job-watch.js';

type ChildProcessModule = typeof import('node:child_process');
type Spawn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/** node:child_process when a mirror is spawned: post only stops one (a signal), and needs none. */
const nodeSpawn: Spawn = (command, args, options) =>
  (createRequire(import.meta.url)('node:child_process') as ChildProcessModule).spawn(
    command,
    args,
    options,
  );

const READY_TIMEOUT_MS = 10_000;
/** GitHub's longest job: the mirror exits by itself after it (a backstop to watching its job). */
export const MIRROR_LIFETIME_MS = 6 * 60 * 60 * 1000;
/** The only variables the mirror gets: never the step's inputs, tokens or AWS keys. */
const PASSED_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'RUNNER_TRACKING_ID',
];

/** Proxy variables the mirror needs for its upstream calls; sent on stdin, never in its env or argv. */
const PROXY_ENV = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];

/** The step's proxy settings: the `http-proxy` input (as the runner passes it) and the variables. */
const proxySettings = (env: Record<string, string | undefined>) => ({
  override: (env['INPUT_HTTP-PROXY'] ?? '').trim(),
  env: Object.fromEntries(PROXY_ENV.filter((k) => env[k]).map((k) => [k, env[k] as string])),
});

export interface SpawnMirror {
  execPath: string;
  mirrorBundle: string;
  libraryPrefix: string;
  logFile: string;
  /** `mirror-port`; unset: a free port. */
  port?: number;
  env: Record<string, string | undefined>;
  /** Its job and daemon config, so it ends with the job and takes its entry out first. */
  life: Omit<MirrorLife, 'lifetimeMs'>;
  spawn?: Spawn;
}

export interface StartMirror extends SpawnMirror {
  credentials: RegistryCredentials;
}

/**
 * A mirror process started before its credential exists: it waits for it on stdin, and exits by
 * itself when stdin closes without it (main ended first, however it ended).
 */
export interface PendingMirror {
  /** Sends the credential (on stdin only) and resolves once it listens. */
  ready(credentials: RegistryCredentials): Promise<{ pid: number; port: number }>;
  /** Kills it (the login it was for failed) and resolves once it has exited. */
  cancel(): Promise<void>;
}

const tail = (file: string): string =>
  (fs.readFileSync(file, { encoding: 'utf8', flag: 'r' }).trim().split('\n').pop() ?? '').slice(
    0,
    300,
  );

export function startMirrorProcess(o: StartMirror): Promise<{ pid: number; port: number }> {
  return spawnMirrorProcess(o).ready(o.credentials);
}

/** Spawns the mirror now (node's start-up then overlaps the AWS calls); it listens once told. */
export function spawnMirrorProcess(o: SpawnMirror): PendingMirror {
  const log = fs.openSync(o.logFile, 'a', 0o600);
  const env = Object.fromEntries(
    PASSED_ENV.filter((k) => o.env[k] !== undefined).map((k) => [k, o.env[k]]),
  );
  const options = JSON.stringify({
    libraryPrefix: o.libraryPrefix,
    port: o.port,
    life: { ...o.life, lifetimeMs: MIRROR_LIFETIME_MS },
  });
  const child = (o.spawn ?? nodeSpawn)(o.execPath, [o.mirrorBundle, 'serve', options], {
    detached: true,
    stdio: ['pipe', 'pipe', log],
    env,
  });
  fs.closeSync(log);
  child.stdin?.on('error', () => {});
  const gone = exitedEarly(child, o.logFile);
  const kill = () => {
    if (child.pid) killGroup(child.pid, 'SIGKILL');
    release(child);
  };
  let told = false;
  return {
    cancel: async () => {
      // Told: it may listen already, but no daemon names its port before setup's edit.
      if (told) return void (child.pid && (await killMirrorGroup(child.pid)));
      const exited = gone.catch(() => undefined); // settles on its exit, or at once if never started
      if (child.pid) killGroup(child.pid, 'SIGKILL');
      await exited;
      release(child);
    },
    ready: async ({ username, password }) => {
      told = true;
      child.stdin?.end(JSON.stringify({ username, password, proxy: proxySettings(o.env) }));
      try {
        const port = await readyPort(child, o.logFile, gone);
        return { pid: child.pid as number, port };
      } catch (error) {
        kill();
        throw error;
      } finally {
        release(child);
      }
    },
  };
}

/** Rejects when the child fails to start or exits while it waits for its credential. */
function exitedEarly(child: ChildProcess, logFile: string): Promise<never> {
  const gone = new Promise<never>((_, reject) => {
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`it exited (code ${code}): ${tail(logFile)}`)));
  });
  gone.catch(() => undefined);
  return gone;
}

/** main no longer waits for it or reads it. */
function release(child: ChildProcess): void {
  child.removeAllListeners('exit');
  child.stdout?.destroy();
  child.unref();
}

/**
 * The port from the mirror's "listening <port>" line; rejects when it exits or stalls first, or
 * when `gone` (its failure to start, seen before this was asked) rejects; the timer goes either way.
 */
function readyPort(child: ChildProcess, logFile: string, gone: Promise<never>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const settle = (error: Error | undefined, port?: number) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(port as number);
    };
    gone.catch((error: Error) => settle(error));
    child.once('error', (error) => settle(error));
    child.once('exit', (code) => settle(new Error(`it exited (code ${code}): ${tail(logFile)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const m = /listening (\d+)\n/.exec((out += chunk.toString()));
      if (m) settle(undefined, Number(m[1]));
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Until `pid` is no longer the mirror, 2 s at most: looked for after 2, 4, 8, 16, then 20 ms. */
async function exited(pid: number, proc: ProcFs, sleep: (ms: number) => Promise<unknown>) {
  let waited = 0;
  for (let step = 2; waited < 2000 && isMirrorProcess(pid, proc); step = Math.min(step * 2, 20)) {
    await sleep(step);
    waited += step;
  }
  return !isMirrorProcess(pid, proc);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mirror no daemon names: its group killed, and gone when this resolves. */
async function killMirrorGroup(pid: number, proc: ProcFs = procFs): Promise<void> {
  killGroup(pid, 'SIGKILL');
  await exited(pid, proc, pause);
}

/** Stops the mirror if that pid is still it; true when it was running. */
export async function stopMirrorProcess(
  pid: number,
  proc: ProcFs = procFs,
  sleep: (ms: number) => Promise<unknown> = pause,
): Promise<boolean> {
  if (!isMirrorProcess(pid, proc)) return false;
  killGroup(pid, 'SIGTERM'); // it asks the daemon once (~10 ms) before it exits
  if (!(await exited(pid, proc, sleep))) killGroup(pid, 'SIGKILL');
  return true;
}
