import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCredential } from '../../../src/clients/check.js';

let server: http.Server;
let origin = '';
let seen: string[] = []; // method, path and auth scheme of each request, in order
const LONG = 'x'.repeat(6000); // a JWT with many claims
const good = `Basic ${Buffer.from('AWS:right').toString('base64')}`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(`${url.pathname} ${req.headers.authorization?.split(' ')[0] ?? 'anonymous'}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== good) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(
          '{"errors":[{"code":"UNAUTHORIZED","message":"incorrect username or password"}]}',
        );
      }
      expect(url.searchParams.get('offline_token')).toBe('true');
      return res.end(
        JSON.stringify({ token: url.searchParams.get('scope') === 'long' ? LONG : 'tok' }),
      );
    }
    if (url.pathname !== '/v2/') return res.writeHead(404).end();
    if ([`Bearer tok`, `Bearer ${LONG}`].includes(req.headers.authorization ?? ''))
      return res.end('{}');
    res.writeHead(401, {
      'www-authenticate': `Bearer realm="${origin}/token",service="reg",scope="aws"`,
    });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
beforeEach(() => (seen = []));

const request = (password: string) => ({
  registry: 'public.ecr.aws',
  username: 'AWS',
  password,
  timeoutMs: 2000,
  origin,
  refusedFix: 'Check the role.',
});

test('a good credential: token from the realm, /v2/ with it; the token is masked', async () => {
  const tokens: string[] = [];
  await expect(
    checkCredential({ ...request('right'), onToken: (t) => tokens.push(t) }),
  ).resolves.toEqual({
    refreshToken: false,
  });
  expect(tokens).toEqual(['tok']);
});

test("a wrong password: the registry's answer and the target's fix", async () => {
  const error = await checkCredential(request('wrong')).catch((e: unknown) => e);
  expect(String(error)).toBe(
    'Login to public.ecr.aws failed: the registry rejected the credentials (unauthorized: incorrect username or password).\nCheck the role.',
  );
  expect(String(error)).not.toContain('wrong');
});

const assumed = (realm: string) => ({
  scheme: 'bearer' as const,
  params: { realm: `${origin}${realm}`, service: 'reg', scope: 'aws' },
});

test('a known challenge: the token first, no anonymous GET /v2/ (one round trip fewer)', async () => {
  await expect(
    checkCredential({ ...request('right'), challenge: assumed('/token') }),
  ).resolves.toEqual({ refreshToken: false });
  expect(seen).toEqual(['/token Basic', '/v2/ Bearer']);
});

test("a known challenge whose realm moved: the registry's own challenge, as docker asks it", async () => {
  await expect(
    checkCredential({ ...request('right'), challenge: assumed('/moved') }),
  ).resolves.toEqual({ refreshToken: false });
  expect(seen).toEqual(['/moved Basic', '/v2/ anonymous', '/token Basic', '/v2/ Bearer']);
});

test("a known challenge and a wrong password: the registry's answer, once its own challenge names that realm", async () => {
  const error = await checkCredential({ ...request('wrong'), challenge: assumed('/token') }).catch(
    (e: unknown) => e,
  );
  expect(String(error)).toBe(
    'Login to public.ecr.aws failed: the registry rejected the credentials (unauthorized: incorrect username or password).\nCheck the role.',
  );
  expect(seen).toEqual(['/token Basic', '/v2/ anonymous']); // the password went out once
});

test('a token longer than 4 KiB (a JWT with many claims) is used whole', async () => {
  const challenge = {
    ...assumed('/token'),
    params: { ...assumed('/token').params, scope: 'long' },
  };
  await expect(checkCredential({ ...request('right'), challenge })).resolves.toEqual({
    refreshToken: false,
  });
  expect(seen).toEqual(['/token Basic', '/v2/ Bearer']);
});
