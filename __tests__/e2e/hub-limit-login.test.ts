// `docker-hub-limit` end to end: the built dist/ checks Docker Hub's pull limit at
// auth.docker.io / registry-1.docker.io under their real names (the TLS front, the sandbox CA via
// NODE_EXTRA_CA_CERTS), against the stand-in's headers (sandbox/hub-ratelimit.mjs). Anonymous
// tokens are allowed here, as on Docker Hub.
// Run: npm run test:e2e -- __tests__/e2e/hub-limit-login.test.ts
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
}, 60_000);

afterAll(async () => {
  await sb?.stop();
});

beforeEach(() => {
  sb.infra.registries.dockerHub.rateLimit?.reset();
});

const env = () => ({ NODE_EXTRA_CA_CERTS: sb.infra.caCertPath });

test('docker-hub-limit: the remaining pulls in the output and the summary', async () => {
  const dockerConfig = sb.newDockerConfig();
  const main = await sb.step('main', {
    with: { 'role-to-assume': sb.roleArn, 'docker-hub-limit': 'true' },
    env: env(),
    dockerConfig,
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs['docker-hub-pulls-remaining']).toBe('100');
  expect(main.summary).toContain("| anonymous (this runner's address) | 100 per 6 h | 100 |");
  expect(main.leaks).toEqual([]);
});

/** Runs main while watching config.json: ms from the start until the login is stored. */
async function timedLogin(inputs: Record<string, string>) {
  const dockerConfig = sb.newDockerConfig();
  const file = path.join(dockerConfig, 'config.json');
  const started = Date.now();
  let loggedInMs = -1;
  const watch = setInterval(() => {
    if (loggedInMs < 0 && existsSync(file) && readFileSync(file, 'utf8').includes('auths')) {
      loggedInMs = Date.now() - started;
    }
  }, 5);
  const main = await sb.step('main', { with: inputs, env: env(), dockerConfig });
  clearInterval(watch);
  return { main, loggedInMs, stepMs: Date.now() - started };
}

test('a slow Docker Hub adds no time to the login (same run, with and without the check)', async () => {
  const hub = sb.infra.registries.dockerHub.rateLimit;
  if (!hub) throw new Error('the Docker Hub stand-in has no rate limit');
  hub.delayMs = 1500;
  const role = { 'role-to-assume': sb.roleArn };
  const runs = { off: [] as number[], on: [] as number[], onStep: [] as number[] };
  for (let i = 0; i < 3; i++) {
    const off = await timedLogin(role);
    const on = await timedLogin({ ...role, 'docker-hub-limit': 'true' });
    expect(off.main.exitCode).toBe(0);
    expect(on.main.exitCode).toBe(0);
    expect(on.main.outputs['docker-hub-pulls-remaining']).toBe('100');
    runs.off.push(off.loggedInMs);
    runs.on.push(on.loggedInMs);
    runs.onStep.push(on.stepMs);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  console.log(
    `docker-hub-limit with a Docker Hub answering after 1500 ms: login stored after ${median(runs.on)} ms (on) vs ${median(runs.off)} ms (off); step ${median(runs.onStep)} ms with the check. Runs: ${JSON.stringify(runs)}`,
  );
  expect(median(runs.on)).toBeLessThan(median(runs.off) + 300);
  expect(median(runs.on)).toBeLessThan(1500);
}, 120_000);
