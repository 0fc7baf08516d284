// What the performance work changes on a real runner, through the built bundles: in WAN mode
// (fakes over TLS, every connection delayed) main opens STS and ECR Public while the OIDC answer
// is still on its way; and the compile cache never breaks a step, whatever its folder holds.
// Run: npm run test:e2e -- __tests__/e2e/perf.test.ts
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sb: Sandbox;
const RTT_MS = 500; // long enough that the protocol, not the machine's load, decides the test

beforeAll(async () => {
  sb = await startSandbox({ wan: true });
}, 60_000);
afterAll(() => sb?.stop());

const role = () => ({ 'role-to-assume': sb.roleArn });
const selfHosted = { RUNNER_ENVIRONMENT: 'self-hosted' };

test('WAN mode: STS and ECR Public are connected to before the OIDC answer arrives', async () => {
  const wan = sb.wan!;
  const before = wan.connections();
  wan.setRtt(RTT_MS);
  const main = await sb.step('main', { with: role(), wan: true }).finally(() => wan.setRtt(0));
  expect(main.failed).toBe(false);
  expect(main.outputs.registry).toBe('public.ecr.aws');
  const after = wan.connections();
  const fresh = (k: string) => after[k].slice(before[k].length);
  // One connection each: the early one is the one the request used.
  expect([fresh('oidc').length, fresh('sts').length, fresh('ecr').length]).toEqual([1, 1, 1]);
  // The OIDC answer cannot be back before 3 RTT (connect, TLS, request); opened after it, STS
  // and ECR Public would be connected to that late or later.
  const oidcAt = fresh('oidc')[0].acceptedAt;
  expect(fresh('sts')[0].acceptedAt - oidcAt).toBeLessThan(2 * RTT_MS);
  expect(fresh('ecr')[0].acceptedAt - oidcAt).toBeLessThan(2 * RTT_MS);
}, 60_000);

/** Every file under a folder. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );

test('compile cache: a self-hosted tool cache is filled, and a corrupt one changes nothing', async () => {
  const toolCache = mkdtempSync(path.join(os.tmpdir(), 'tool-cache-'));
  const first = await sb.step('main', { with: role(), toolCache, env: selfHosted });
  expect(first.failed).toBe(false);
  const cached = files(path.join(toolCache, 'ecr-public-login', 'compile-cache'));
  expect(cached.length).toBeGreaterThan(0);
  for (const file of cached) writeFileSync(file, 'not a compile cache'.repeat(50));
  const second = await sb.step('main', { with: role(), toolCache, env: selfHosted });
  expect(second.failed).toBe(false);
  expect(second.outputs).toEqual({ ...first.outputs, 'expires-at': second.outputs['expires-at'] });
  expect(second.annotations.warning).toEqual([]);
}, 60_000);

test('compile cache: an unusable cache folder changes nothing', async () => {
  const toolCache = mkdtempSync(path.join(os.tmpdir(), 'tool-cache-'));
  mkdirSync(path.join(toolCache, 'ecr-public-login'));
  writeFileSync(path.join(toolCache, 'ecr-public-login', 'compile-cache'), 'a file, not a folder');
  const main = await sb.step('main', { with: role(), toolCache, env: selfHosted });
  expect(main.failed).toBe(false);
  expect(main.annotations.warning).toEqual([]);
  expect(statSync(path.join(toolCache, 'ecr-public-login', 'compile-cache')).isFile()).toBe(true);
}, 60_000);
