// The harness for the other engines (issue 19), proven with configuration written BY HAND: the
// real skopeo, podman, buildah and ctr pull busybox from the Docker Hub stand-in when nothing is
// configured, and from the public.ecr.aws stand-in (library prefix, with the credential) when a
// user-level registries.conf.d drop-in + auth.json, or a hosts.toml, say so. Also the facts the
// src side must design around (docs/engines.md) and the WinCred-limit helper stand-in.
// Run: npm run test:e2e -- __tests__/e2e/engines-harness.test.ts
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEngines } from '../../sandbox/engines.mjs';
import { REPO_ROOT, startSandbox } from '../../sandbox/sandbox.mjs';
import { clearRequests as clearRequestsOf, servedManifests } from './served-by.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Engines = Awaited<ReturnType<typeof startEngines>>;

let sb: Sandbox;
let engines: Engines;

beforeAll(async () => {
  sb = await startSandbox();
  engines = await startEngines({ caCertPath: sb.infra.caCertPath });
}, 90_000);

afterAll(async () => {
  await engines?.stop();
  await sb?.stop();
});

beforeEach(async () => {
  // Only a client that sends the credential may read public.ecr.aws.
  sb.registries.ecrPublic.anonymous = false;
  await engines.forgetAll();
  clearRequests();
});

const DROP_IN = '.config/containers/registries.conf.d/50-mirror.conf';
const MIRROR_CONF = [
  '[[registry]]',
  'prefix = "docker.io/library"',
  'location = "docker.io/library"',
  '[[registry.mirror]]',
  'location = "public.ecr.aws/docker/library"',
  '',
].join('\n');

const clearRequests = () => clearRequestsOf(sb);
const manifests = () => servedManifests(sb);

function write(dir: string, rel: string, text: string) {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');
const authFile = (secret: string) =>
  JSON.stringify({ auths: { 'public.ecr.aws': { auth: basic('AWS', secret) } } });

/** A runner user's home with the mirror drop-in and, unless told not to, the credential. */
function mirroredHome(withCredential = true) {
  const home = engines.newHome();
  write(home, DROP_IN, MIRROR_CONF);
  if (withCredential) write(home, '.config/containers/auth.json', authFile(sb.fakes.ecrPassword));
  return home;
}

/** Each containers/image client pulling busybox:latest the way a workflow step would. */
const containersPulls = (home: string, env: Record<string, string> = {}) => ({
  skopeo: () => engines.runSkopeo(['inspect', '--raw', 'docker://busybox:latest'], { home, env }),
  podman: () => engines.runPodman(['pull', '-q', 'busybox'], { home, env }),
  buildah: () => engines.runBuildah(['from', '-q', 'busybox'], { home, env }),
});

const FROM_HUB = { ecr: [], hub: ['library/busybox 200'] };
const FROM_ECR = { ecr: ['docker/library/busybox 200'], hub: [] };

test('without configuration skopeo, podman, buildah and ctr pull busybox from Docker Hub', async () => {
  const home = engines.newHome();
  for (const [client, pull] of Object.entries(containersPulls(home))) {
    const r = await pull();
    expect({ client, ok: r.ok, stderr: r.ok ? '' : r.stderr }).toEqual({
      client,
      ok: true,
      stderr: '',
    });
    expect(manifests()).toEqual(FROM_HUB);
  }
  const ctr = await engines.runCtr(['images', 'pull', 'docker.io/library/busybox:latest']);
  expect(ctr.stderr).toBe('');
  // ctr asks with HEAD by tag, then GET by digest.
  expect(manifests()).toEqual({ ecr: [], hub: ['library/busybox 200', 'library/busybox 200'] });
});

test('a user drop-in mirror and ~/.config/containers/auth.json: served by public.ecr.aws', async () => {
  const home = mirroredHome();
  for (const [client, pull] of Object.entries(containersPulls(home))) {
    const r = await pull();
    expect({ client, ok: r.ok, stderr: r.ok ? '' : r.stderr }).toEqual({
      client,
      ok: true,
      stderr: '',
    });
    expect({ client, ...manifests() }).toEqual({ client, ...FROM_ECR });
  }
  // A tag only Docker Hub has: the mirror answers 404, the pull goes on to Docker Hub.
  const r = await engines.runSkopeo(['inspect', '--raw', 'docker://busybox:1.37'], { home });
  expect(r.ok).toBe(true);
  expect(manifests()).toEqual({
    ecr: ['docker/library/busybox 404'],
    hub: ['library/busybox 200'],
  });
});

test('the mirror falls back to Docker Hub silently when public.ecr.aws refuses the pull', async () => {
  const noCredential = mirroredHome(false);
  expect((await containersPulls(noCredential).skopeo()).ok).toBe(true);
  expect(manifests()).toEqual(FROM_HUB);
  const wrong = mirroredHome(false);
  write(wrong, '.config/containers/auth.json', authFile('not-the-password'));
  expect((await containersPulls(wrong).skopeo()).ok).toBe(true);
  expect(manifests()).toEqual(FROM_HUB);
});

test('containers/image reads docker config.json too, but not its credsStore', async () => {
  const home = mirroredHome(false);
  const dockerConfig = path.join(home, 'job-docker-config');
  write(dockerConfig, 'config.json', authFile(sb.fakes.ecrPassword));
  const env = { DOCKER_CONFIG: dockerConfig };
  for (const [client, pull] of Object.entries(containersPulls(home, env))) {
    expect({ client, ok: (await pull()).ok }).toEqual({ client, ok: true });
    expect({ client, ...manifests() }).toEqual({ client, ...FROM_ECR });
  }
  // What `docker login` leaves with a credsStore: an empty entry and the secret in the helper.
  const helperHome = mirroredHome(false);
  const store = path.join(helperHome, 'wincred.json');
  const helperEnv = { PATH: `${path.join(REPO_ROOT, 'sandbox/bin')}:${process.env.PATH}` };
  await helper(['store'], { ...helperEnv, WINCRED_LIMIT_STORE: store }, credentialJson('small'));
  const viaStore = { auths: { 'public.ecr.aws': {} }, credsStore: 'wincred-limit' };
  write(helperHome, '.docker/config.json', JSON.stringify(viaStore));
  const env2 = { ...helperEnv, WINCRED_LIMIT_STORE: store };
  expect((await containersPulls(helperHome, env2).skopeo()).ok).toBe(true);
  expect(manifests()).toEqual(FROM_HUB);
});

test('podman and buildah fail when DOCKER_CONFIG names a folder without config.json', async () => {
  const home = mirroredHome();
  const env = { DOCKER_CONFIG: path.join(home, 'empty') };
  mkdirSync(env.DOCKER_CONFIG);
  const pulls = containersPulls(home, env);
  expect((await pulls.skopeo()).ok).toBe(true);
  for (const pull of [pulls.podman, pulls.buildah]) {
    const r = await pull();
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(`${env.DOCKER_CONFIG}/config.json: no such file or directory`);
  }
});

test('a user-level registries.conf hides the system short-name aliases (use a drop-in)', async () => {
  const home = engines.newHome();
  write(home, '.config/containers/registries.conf', MIRROR_CONF);
  write(home, '.config/containers/auth.json', authFile(sb.fakes.ecrPassword));
  const r = await engines.runPodman(['pull', '-q', 'busybox'], { home });
  expect(r.ok).toBe(false);
  expect(r.stderr).toContain('short-name "busybox" did not resolve to an alias');
  expect(
    (await engines.runSkopeo(['inspect', '--raw', 'docker://busybox:latest'], { home })).ok,
  ).toBe(true);
  expect(manifests()).toEqual(FROM_ECR);
});

function hostsDir(hostBlock: string) {
  const dir = path.join(engines.newHome(), 'certs.d');
  const toml = `server = "https://registry-1.docker.io"\n\n${hostBlock}`;
  write(dir, 'docker.io/hosts.toml', toml);
  return dir;
}
const MIRROR_HOST = '[host."https://public.ecr.aws/v2/docker"]';
const ctrPull = (dir: string, ...extra: string[]) =>
  engines.runCtr([
    'images',
    'pull',
    '--hosts-dir',
    dir,
    ...extra,
    'docker.io/library/busybox:latest',
  ]);

test('ctr --hosts-dir with override_path and a Bearer header: served by public.ecr.aws', async () => {
  const token = await ecrToken('docker/library/busybox');
  const dir = hostsDir(
    `${MIRROR_HOST}\n  capabilities = ["pull", "resolve"]\n  override_path = true\n` +
      `  [host."https://public.ecr.aws/v2/docker".header]\n    authorization = "Bearer ${token}"\n`,
  );
  const r = await ctrPull(dir);
  expect(r.ok).toBe(true);
  expect(manifests()).toEqual({
    ecr: ['docker/library/busybox 200', 'docker/library/busybox 200'],
    hub: [],
  });
});

test('ctr --user: the token is asked for the docker.io name with scope aws; the password goes to every host', async () => {
  const dir = hostsDir(
    `${MIRROR_HOST}\n  capabilities = ["pull", "resolve"]\n  override_path = true\n`,
  );
  const r = await ctrPull(dir, '--user', `AWS:${sb.fakes.ecrPassword}`);
  expect(r.ok).toBe(true);
  const tokens = (name: 'ecrPublic' | 'dockerHub') =>
    sb.registries[name].requests().filter((q) => q.kind === 'token' && q.method === 'GET');
  expect(tokens('ecrPublic')[0]).toMatchObject({
    user: 'AWS',
    scopes: ['aws', 'repository:library/busybox:pull'],
    status: 200,
  });
  // public.ecr.aws's tokens are registry-wide (scope "aws"), so the token covers
  // docker/library/busybox although containerd named library/busybox: the mirror serves it.
  expect(sb.registries.dockerHub.requests()).toEqual([]);
  // HEAD by tag, then GET by digest: two 200s when run alone, one in a full run (probably the
  // manifest still in containerd's content store from the test before; not pinned down).
  const served = manifests();
  expect({ ecr: [...new Set(served.ecr)], hub: served.hub }).toEqual({
    ecr: ['docker/library/busybox 200'],
    hub: [],
  });
  // A Docker-Hub-only tag: the mirror answers 404 and ctr sends the ECR user to auth.docker.io
  // as well: --user is for every host.
  await engines.forgetAll();
  const hubOnly = await engines.runCtr([
    'images',
    'pull',
    '--hosts-dir',
    dir,
    '--user',
    `AWS:${sb.fakes.ecrPassword}`,
    'docker.io/library/busybox:1.37',
  ]);
  expect(hubOnly.ok).toBe(true);
  expect(tokens('dockerHub').map((q) => q.user)).toContain('AWS');
  const seen = manifests();
  expect([...new Set(seen.ecr)]).toEqual(['docker/library/busybox 404']);
  expect(seen.hub).toContain('library/busybox 200');
});

test('the WinCred stand-in helper refuses secrets over 2,560 bytes; the protocol works', async () => {
  const env = { WINCRED_LIMIT_STORE: path.join(engines.newHome(), 'store.json') };
  await expect(helper(['store'], env, credentialJson('x'.repeat(2560)))).resolves.toBe('');
  await expect(helper(['store'], env, credentialJson('x'.repeat(2561), 'big'))).rejects.toThrow(
    'The stub received bad data.',
  );
  expect(JSON.parse(await helper(['list'], env, ''))).toEqual({ 'public.ecr.aws': 'AWS' });
  const got = JSON.parse(await helper(['get'], env, 'public.ecr.aws'));
  expect(got).toEqual({ ServerURL: 'public.ecr.aws', Username: 'AWS', Secret: 'x'.repeat(2560) });
  await helper(['erase'], env, 'public.ecr.aws');
  await expect(helper(['get'], env, 'public.ecr.aws')).rejects.toThrow('credentials not found');
  expect(readFileSync(env.WINCRED_LIMIT_STORE, 'utf8')).toBe('{}');
});

const credentialJson = (secret: string, server = 'public.ecr.aws') =>
  JSON.stringify({ ServerURL: server, Username: 'AWS', Secret: secret });

/** The helper stand-in with the request on stdin; rejects with its stdout on exit 1. */
function helper(args: string[], env: Record<string, string>, input: string) {
  const bin = path.join(REPO_ROOT, 'sandbox/bin/docker-credential-wincred-limit');
  return new Promise<string>((resolve, reject) => {
    const child = execFile(bin, args, { env: { ...process.env, ...env } }, (error, stdout) =>
      error ? reject(new Error(stdout || error.message)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/** A public.ecr.aws registry token for one repository, as the step could fetch it. */
async function ecrToken(repository: string) {
  const url = `https://public.ecr.aws/token/?service=public.ecr.aws&scope=repository:${repository}:pull`;
  const { stdout } = await promisify(execFile)('curl', [
    '-sf',
    '--cacert',
    sb.infra.caCertPath,
    '-u',
    `AWS:${sb.fakes.ecrPassword}`,
    url,
  ]);
  clearRequests();
  return (JSON.parse(stdout) as { token: string }).token;
}
