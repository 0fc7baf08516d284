// The registry stand-ins (sandbox/registries.mjs) behave like the real services: their 401
// challenges, token endpoints (signed JWTs the real docker-registry verifies), docker login and
// pull with the docker CLI and dockerd, the seeded tags, and per-stand-in access logs.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { run } from '../../sandbox/infra.mjs';
import {
  ECR_IMAGE,
  ECR_PRIVATE_HOST,
  ECR_PRIVATE_IMAGE,
  HUB_USER,
  startSandbox,
} from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let sb: Sandbox;
let ca: string;

beforeAll(async () => {
  sb = await startSandbox({ daemonTcp: true });
  ca = readFileSync(sb.infra.caCertPath, 'utf8');
});

afterAll(async () => {
  await sb?.stop();
});

beforeEach(() => {
  for (const standIn of Object.values(sb.registries)) standIn.clearRequests();
});

/** One HTTPS request to the front, by name, trusting only the sandbox CA. */
function request(host: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<Answer>((resolve, reject) => {
    const req = https.request(
      { host: '::1', port: 443, servername: host, ca, path, method, headers: { host, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const MANIFEST_ACCEPT = 'application/vnd.docker.distribution.manifest.v2+json';

async function token(host: string, query: string, auth?: string) {
  const answer = await request(host, query, auth ? { authorization: auth } : {});
  return { ...answer, token: answer.status === 200 ? JSON.parse(answer.body).token : undefined };
}

describe('challenges, as the real services word them', () => {
  test.each([
    [
      'public.ecr.aws',
      '/v2/',
      'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"',
    ],
    [
      'public.ecr.aws',
      '/v2/docker/library/busybox/manifests/latest',
      'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"',
    ],
    [
      'registry-1.docker.io',
      '/v2/library/busybox/manifests/latest',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
    ],
    [
      ECR_PRIVATE_HOST,
      '/v2/',
      `Basic realm="https://${ECR_PRIVATE_HOST}/",service="ecr.amazonaws.com"`,
    ],
  ])('%s %s answers 401 with its challenge', async (host, path, challenge) => {
    const answer = await request(host, path);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(challenge);
  });
});

describe('token endpoints', () => {
  const ecrScope = '&scope=aws&scope=repository:docker/library/busybox:pull';
  const ecrQuery = `/token/?service=public.ecr.aws${ecrScope}`;

  test('public.ecr.aws: anonymous and ECR-password tokens both pull; a wrong password gets 401', async () => {
    const anonymous = await token('public.ecr.aws', ecrQuery);
    const withPassword = await token(
      'public.ecr.aws',
      ecrQuery,
      basic('AWS', sb.fakes.ecrPassword),
    );
    const wrong = await token('public.ecr.aws', ecrQuery, basic('AWS', 'not-the-password'));
    expect([anonymous.status, withPassword.status, wrong.status]).toEqual([200, 200, 401]);
    // `aws` is ECR Public's registry-wide scope: the token pulls every repository it holds.
    expect(claims(withPassword.token)).toMatchObject({
      sub: 'AWS',
      aud: 'public.ecr.aws',
      access: expect.arrayContaining([
        { type: 'repository', name: 'docker/library/busybox', actions: ['pull'] },
        { type: 'repository', name: 'docker/library/nginx', actions: ['pull'] },
      ]),
    });
    for (const t of [anonymous.token, withPassword.token]) {
      const manifest = await request(
        'public.ecr.aws',
        '/v2/docker/library/busybox/manifests/latest',
        {
          authorization: `Bearer ${t}`,
          accept: MANIFEST_ACCEPT,
        },
      );
      expect(manifest.status).toBe(200);
    }
    // Every token issued counts as a secret for the leak scan.
    expect(sb.secrets()).toEqual(expect.arrayContaining([anonymous.token, withPassword.token]));
  });

  test('Docker Hub: the hub token and anonymous get pull only; the registry refuses a token for another service', async () => {
    const query = '/token?service=registry.docker.io&scope=repository:library/busybox:pull,push';
    const user = await token('auth.docker.io', query, basic(HUB_USER, sb.hubToken));
    const anonymous = await token('auth.docker.io', query);
    expect([user.status, anonymous.status]).toEqual([200, 200]);
    expect(claims(user.token).access).toEqual([
      { type: 'repository', name: 'library/busybox', actions: ['pull'] },
    ]);
    const path = '/v2/library/busybox/manifests/latest';
    const ok = await request('registry-1.docker.io', path, {
      authorization: `Bearer ${user.token}`,
      accept: MANIFEST_ACCEPT,
    });
    expect(ok.status).toBe(200);
    const ecrToken = (
      await token(
        'public.ecr.aws',
        `/token/?service=public.ecr.aws&scope=repository:library/busybox:pull`,
      )
    ).token;
    const foreign = await request('registry-1.docker.io', path, {
      authorization: `Bearer ${ecrToken}`,
    });
    expect(foreign.status).toBe(401);
  });

  test('the anonymous switch: off, a token without credentials is refused', async () => {
    sb.registries.ecrPublic.anonymous = false;
    try {
      expect((await token('public.ecr.aws', ecrQuery)).status).toBe(401);
    } finally {
      sb.registries.ecrPublic.anonymous = true;
    }
  });
});

describe('docker login and pull against each stand-in', () => {
  test('public.ecr.aws: anonymous pull, then login with the ECR password; only its access log shows it', async () => {
    const dockerConfig = sb.newDockerConfig();
    await sb.forget(ECR_IMAGE);
    expect(await sb.docker(['pull', ECR_IMAGE], { dockerConfig })).toMatchObject({ ok: true });
    const login = await sb.docker(['login', 'public.ecr.aws', '-u', 'AWS', '--password-stdin'], {
      dockerConfig,
      input: sb.fakes.ecrPassword,
    });
    expect(login).toMatchObject({ ok: true, stdout: 'Login Succeeded\n' });
    await sb.forget(ECR_IMAGE);
    expect(await sb.docker(['pull', ECR_IMAGE], { dockerConfig })).toMatchObject({ ok: true });

    const seen = sb.registries.ecrPublic.requests();
    const fetched = seen.filter((r) => r.kind === 'manifests' || r.kind === 'blobs');
    expect(new Set(fetched.map((r) => r.repository))).toEqual(new Set(['docker/library/busybox']));
    expect(fetched.map((r) => r.kind)).toEqual(expect.arrayContaining(['manifests', 'blobs']));
    const tokens = seen.filter((r) => r.kind === 'token' && r.status === 200);
    expect(tokens.map((r) => r.user)).toEqual(expect.arrayContaining([null, 'AWS']));
    expect(sb.registries.dockerHub.requests()).toEqual([]);
    expect(sb.registries.ecrPrivate.requests()).toEqual([]);
  });

  test('Docker Hub: login with the hub token; a tag only Docker Hub has and a non-official image pull from it alone', async () => {
    const dockerConfig = sb.newDockerConfig();
    const login = await sb.docker(['login', 'docker.io', '-u', HUB_USER, '--password-stdin'], {
      dockerConfig,
      input: sb.hubToken,
    });
    expect(login).toMatchObject({ ok: true, stdout: 'Login Succeeded\n' });
    for (const image of ['busybox:1.37', 'bitnami/redis:7.4']) {
      await sb.forget(image);
      expect(await sb.docker(['pull', image], { dockerConfig })).toMatchObject({ ok: true });
    }
    const onMirror = await sb.docker(['pull', 'public.ecr.aws/docker/library/busybox:1.37']);
    expect(onMirror.ok).toBe(false);
    expect(onMirror.stderr).toMatch(/manifest unknown|not found/);

    const hub = sb.registries.dockerHub.requests().filter((r) => r.kind === 'manifests');
    expect(hub.map((r) => r.repository)).toEqual(
      expect.arrayContaining(['library/busybox', 'bitnami/redis']),
    );
    const mirror = sb.registries.ecrPublic.requests().filter((r) => r.kind === 'manifests');
    // (dockerd asks twice before giving up)
    expect(new Set(mirror.map((r) => `${r.repository}:${r.reference}:${r.status}`))).toEqual(
      new Set(['docker/library/busybox:1.37:404']),
    );
  });

  test('ECR private: refused until the fakes register a password, then login and pull work', async () => {
    const dockerConfig = sb.newDockerConfig();
    const password = `ecr-private-${Date.now()}`;
    const login = () =>
      sb.docker(['login', ECR_PRIVATE_HOST, '-u', 'AWS', '--password-stdin'], {
        dockerConfig,
        input: password,
      });
    expect((await login()).ok).toBe(false);
    sb.fakes.registryLogins.add('ecrPrivate', { username: 'AWS', password });
    expect(await login()).toMatchObject({ ok: true, stdout: 'Login Succeeded\n' });
    for (const image of [
      ECR_PRIVATE_IMAGE,
      `${ECR_PRIVATE_HOST}/docker-hub/library/busybox:latest`,
    ]) {
      await sb.forget(image);
      expect(await sb.docker(['pull', image], { dockerConfig })).toMatchObject({ ok: true });
    }
    const seen = sb.registries.ecrPrivate.requests();
    expect(
      seen.filter((r) => r.kind === 'manifests' && r.status === 200).map((r) => r.user),
    ).toEqual(expect.arrayContaining(['AWS']));
    expect(new Set(seen.filter((r) => r.repository).map((r) => r.repository))).toEqual(
      new Set(['ecr-public/docker/library/busybox', 'docker-hub/library/busybox']),
    );
    expect(sb.registries.ecrPublic.requests()).toEqual([]);
  });
});

describe('seeded tags', () => {
  async function pulledDigest(image: string) {
    await sb.forget(image);
    expect(await sb.docker(['pull', image])).toMatchObject({ ok: true });
    const inspect = await sb.docker([
      'image',
      'inspect',
      '--format',
      '{{json .RepoDigests}}',
      image,
    ]);
    return (JSON.parse(inspect.stdout) as string[])[0].split('@')[1];
  }

  test('busybox:stable differs between the mirror and Docker Hub; busybox:latest does not', async () => {
    const mirrorStable = await pulledDigest('public.ecr.aws/docker/library/busybox:stable');
    const hubStable = await pulledDigest('docker.io/library/busybox:stable');
    expect(mirrorStable).not.toBe(hubStable);
    expect(mirrorStable).toBe(
      sb.infra.seededDigest('ecrPublic', 'docker/library/busybox', 'stable'),
    );
    expect(hubStable).toBe(sb.infra.seededDigest('dockerHub', 'library/busybox', 'stable'));
    expect(await pulledDigest(ECR_IMAGE)).toBe(
      await pulledDigest('docker.io/library/busybox:latest'),
    );
  });
});

describe('dockerd', () => {
  test('runs with the sandbox daemon.json as --config-file, and answers on its TCP port', async () => {
    const pid = sb.infra.daemonPid();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline[cmdline.indexOf('--config-file') + 1]).toBe(sb.infra.daemonConfigPath);
    expect(sb.infra.dockerTcpHost).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const version = await run('docker', [
      '-H',
      String(sb.infra.dockerTcpHost),
      'version',
      '--format',
      '{{.Server.Version}}',
    ]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+/);
  });
});
