// The README's first command, `npm run demo` (node sandbox/demo.mjs), run as a child process.
// The e2e suite already runs inside sandbox/in-namespace.sh, so the demo starts its sandbox at once
// (no package check, no re-exec). Each run brings up its own registry and dockerd on [::1]:443, so
// this file must not run beside another sandbox in the same namespace (jest.e2e.config.js: maxWorkers 1).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEMO = path.join(ROOT, 'sandbox', 'demo.mjs');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the demo; with `interruptOn`, sends SIGINT to its process group (what Ctrl-C in a terminal
 * does) once stdout contains that text.
 */
function demo(args: string[], o: { env?: NodeJS.ProcessEnv; interruptOn?: string } = {}) {
  return new Promise<Run>((resolve, reject) => {
    const env = { ...process.env, ...o.env };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules: not the demo's business
    const started = Date.now();
    const child = spawn(process.execPath, [DEMO, ...args], { cwd: ROOT, env, detached: true });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (o.interruptOn && !interrupted && stdout.includes(o.interruptOn)) {
        interrupted = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

const report = (name: string, run: Run) =>
  console.log(`demo ${name}: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);

test('npm run demo: exits 0, prints the outputs and the successful pull', async () => {
  const run = await demo([]);
  report('(default)', run);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const out = run.stdout;
  // Numbered steps, in order.
  const steps = [...out.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`);
  expect(steps).toEqual([
    '1. Start the sandbox',
    '2. Pull without logging in (refused)',
    '3. The workflow step being run',
    expect.stringMatching(/^4\. Main step \(dist\/index\.js\): exit code 0, \d+ ms$/),
    '5. Pull through the login, as a later step would',
    expect.stringMatching(/^6\. Post step \(dist\/post\/index\.js\): exit code 0, \d+ ms$/),
    '7. What the fakes answered',
    '8. Tear down',
  ]);
  expect(out).toMatch(/fake GitHub OIDC: +http:\/\/127\.0\.0\.1:\d+/);
  expect(out).toMatch(/dockerd: +unix:\/\/\S+docker\.sock/);
  expect(out).toMatch(
    /refused: Error response from daemon: [\s\S]*?unauthorized:\s+anonymous\s+access\s+is\s+turned\s+off/,
  );
  expect(out).toContain('role-to-assume: arn:aws:iam::123456789012:role/ecr-public-pull');
  expect(out).toMatch(/^ +registry += public\.ecr\.aws$/m);
  expect(out).toMatch(/^ +library-prefix += public\.ecr\.aws\/docker\/library$/m);
  expect(out).toMatch(/^ +fallback-used += false$/m);
  expect(out).toMatch(/^ +expires-at += \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
  expect(out).toContain('| ### Registry login');
  expect(out).toContain('$ docker pull public.ecr.aws/docker/library/busybox:latest');
  expect(out).toContain(
    'Status: Downloaded newer image for public.ecr.aws/docker/library/busybox:latest',
  );
  expect(out).toContain('| Logged out of public.ecr.aws.');
  expect(out).toMatch(
    /before post: \{ "auth": base64\("AWS:<\d+-character secret, not shown>"\) \}/,
  );
  expect(out).toMatch(/after post: +\(no entry\)/);
  expect(out).toMatch(
    /GitHub OIDC token requests: +1\n.*AssumeRoleWithWebIdentity: +1\n.*GetAuthorizationToken: +1/,
  );
  expect(out).toContain('leak scan: no secret in the logs');
  expect(out).toMatch(/Result: OK, the pull through the login worked/);
}, 60_000);

test('npm run demo -- --fallback: no id-token permission, Docker Hub login, docker.io pull', async () => {
  const run = await demo(['--fallback']);
  report('--fallback', run);
  expect(run.code).toBe(0);
  const out = run.stdout;
  expect(out).toContain('# no id-token: write');
  expect(out).toContain('fallback-token: ${{ secrets.DOCKERHUB_OAT }}');
  expect(out).not.toMatch(/dckr_oat_/);
  expect(out).toContain('id-token: write');
  expect(out).toMatch(/^ +registry += docker\.io$/m);
  expect(out).toMatch(/^ +library-prefix += docker\.io\/library$/m);
  expect(out).toMatch(/^ +fallback-used += true$/m);
  expect(out).toContain('$ docker pull docker.io/library/busybox:latest');
  expect(out).toContain('Status: Downloaded newer image for busybox:latest');
  expect(out).toContain('"https://index.docker.io/v1/"');
  expect(out).toMatch(/after post: +\(no entry\)/);
  expect(out).toMatch(/Result: OK/);
}, 60_000);

test('Ctrl-C during the run tears the sandbox down and exits 130', async () => {
  const run = await demo([], { interruptOn: '2. Pull without logging in' });
  report('(Ctrl-C)', run);
  expect(run.code).toBe(130);
  expect(run.stdout).toContain('Interrupted (SIGINT).');
  expect(run.stdout).toContain('stopped dockerd and the registry, closed the fakes');
  expect(run.stdout).not.toContain('Result: OK');
  const socket = /dockerd: +unix:\/\/(\S+)/.exec(run.stdout)?.[1];
  expect(socket).toBeDefined();
  expect(fs.existsSync(path.dirname(socket!))).toBe(false);
}, 60_000);

test('without a built dist/ it says to run npm run build', async () => {
  const checkout = fs.mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'no-dist-'));
  try {
    fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(checkout, 'action.yml'));
    const run = await demo([], { env: { SANDBOX_ACTION_DIR: checkout } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${checkout}/dist/index.js is missing: run \`npm run build\``);
    expect(run.stdout).toBe('');
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
});

test('an unknown flag prints the usage and exits 2', async () => {
  const run = await demo(['--nope']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("demo: unknown argument '--nope'");
  expect(run.stderr).toContain('usage: npm run demo [-- --fallback] [-- --debug]');
});
