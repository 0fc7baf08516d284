// The Docker Hub stand-in's pull-limit headers through the real TLS front (sandbox/hub-ratelimit.mjs):
// the documented check (token from auth.docker.io, HEAD of ratelimitpreview/test) and a real
// `docker pull` counting as one pull. Run inside sandbox/in-namespace.sh (see infra.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { HUB_IMAGE, startInfra } from '../../sandbox/infra.mjs';

type Infra = Awaited<ReturnType<typeof startInfra>>;
let infra: Infra;
let dockerConfig: string;

/** One HTTPS request to the front under a real name, trusting the sandbox CA. */
function call(method: string, url: string, authorization?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const ca = fs.readFileSync(infra.caCertPath);
      const headers = authorization ? { authorization } : {};
      const req = https.request(url, { method, ca, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.once('error', reject).end();
    },
  );
}

const CHECK = 'https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest';

async function check(user?: string, password?: string) {
  const query = 'service=registry.docker.io&scope=repository:ratelimitpreview/test:pull';
  const basic = user && `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const token = await call('GET', `https://auth.docker.io/token?${query}`, basic || undefined);
  return call('HEAD', CHECK, `Bearer ${JSON.parse(token.body).token}`);
}

function pull(image: string) {
  return new Promise<number | null>((resolve, reject) => {
    const env = { ...process.env, ...infra.env(), DOCKER_CONFIG: dockerConfig };
    const child = spawn('docker', ['pull', '-q', image], { env, stdio: 'ignore' });
    child.once('error', reject).once('close', resolve);
  });
}

beforeAll(async () => {
  const tmp = process.env.SANDBOX_TMP || os.tmpdir();
  dockerConfig = fs.mkdtempSync(path.join(tmp, 'e2e-ratelimit-docker-config-'));
  infra = await startInfra({ users: [{ username: 'octo-org', password: 'hub-secret' }] });
});

afterAll(async () => {
  await infra?.stop();
  fs.rmSync(dockerConfig, { recursive: true, force: true });
});

test('the documented check: anonymous headers, and a docker pull counts one pull', async () => {
  const first = await check();
  expect(first.status).toBe(200);
  expect(first.headers['ratelimit-limit']).toBe('100;w=21600');
  expect(first.headers['ratelimit-remaining']).toBe('100;w=21600');
  expect(first.headers['docker-ratelimit-source']).toBe('::1');
  expect((await check()).headers['ratelimit-remaining']).toBe('100;w=21600');
  expect(await pull(HUB_IMAGE)).toBe(0);
  expect((await check()).headers['ratelimit-remaining']).toBe('99;w=21600');
});

test('without a token the check is challenged; with credentials it is per account', async () => {
  const bare = await call('HEAD', CHECK);
  expect(bare.status).toBe(401);
  expect(String(bare.headers['www-authenticate'])).toContain(
    'realm="https://auth.docker.io/token"',
  );
  const account = await check('octo-org', 'hub-secret');
  expect(account.headers['ratelimit-limit']).toBe('200;w=21600');
  expect(account.headers['docker-ratelimit-source']).toBe('octo-org');
  infra.registries.dockerHub.rateLimit?.unlimited.add('octo-org');
  const paid = await check('octo-org', 'hub-secret');
  expect(paid.status).toBe(200);
  expect(paid.headers['ratelimit-limit']).toBeUndefined();
});

test('the switchable delay holds the check back', async () => {
  const hub = infra.registries.dockerHub.rateLimit;
  if (!hub) throw new Error('the Docker Hub stand-in has no rate limit');
  hub.delayMs = 400;
  const started = Date.now();
  await check();
  expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  hub.reset();
});
