// Every client logged in (issue 19) and the direct write (issue 20 item 1), with the REAL docker,
// skopeo and podman against the registry stand-ins (public.ecr.aws refuses anonymous pulls, so a
// pull proves the credential). Jobs with the recording `docker` wrapper on PATH see a CLI of
// unknown version and run `docker login`; jobs with `recordDocker: false` see the real CLI 28 (the
// direct write) or, with a PATH without docker, none at all.
// Run: npm run test:e2e -- __tests__/e2e/clients.test.ts
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { randomAlnum } from '../../sandbox/fakes/index.mjs';
import { startEngines } from '../../sandbox/engines.mjs';
import { REPO_ROOT, startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Engines = Awaited<ReturnType<typeof startEngines>>;

const ECR = 'public.ecr.aws';
const IMAGE = 'public.ecr.aws/docker/library/busybox:latest';
// Over WinCred's 2,560 bytes, as real ECR Public tokens are.
const PASSWORD = randomAlnum(2600);
/** A PATH with skopeo, podman and buildah but no docker (set in beforeAll). */
let NO_DOCKER_PATH = '';

let sb: Sandbox;
let engines: Engines;

beforeAll(async () => {
  sb = await startSandbox({ fakes: { ecrPassword: PASSWORD }, anonymousPulls: false });
  engines = await startEngines({ caCertPath: sb.infra.caCertPath });
  NO_DOCKER_PATH = path.join(engines.dir, 'bin-no-docker');
  mkdirSync(NO_DOCKER_PATH);
  for (const tool of ['skopeo', 'podman', 'buildah']) {
    symlinkSync(`/usr/bin/${tool}`, path.join(NO_DOCKER_PATH, tool));
  }
}, 90_000);

afterAll(async () => {
  await engines?.stop();
  await sb?.stop();
});

const role = () => ({ 'role-to-assume': sb.roleArn });
const basic = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
const configFile = (dir: string) => path.join(dir, 'config.json');
const snapshot = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : null);

/** skopeo and podman, as a later step of the same job would run them. */
async function containersPull(home: string, dockerConfig: string) {
  await engines.forgetAll();
  const env = { DOCKER_CONFIG: dockerConfig };
  const skopeo = await engines.runSkopeo(['inspect', '--raw', `docker://${IMAGE}`], { home, env });
  const podman = await engines.runPodman(['pull', '-q', IMAGE], { home, env });
  return { skopeo: skopeo.ok || skopeo.stderr, podman: podman.ok || podman.stderr };
}

async function dockerPull(dockerConfig: string) {
  await sb.forget(IMAGE);
  const r = await sb.docker(['pull', IMAGE], { dockerConfig });
  return r.ok || r.stderr;
}

/** Takes the password away from public.ecr.aws's accepted logins while fn runs. */
async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  // The ECR fake adds each password it issues to the accepted ones: refuse them all instead.
  const logins = sb.fakes.registryLogins;
  const accepts = logins.accepts;
  logins.accepts = () => false;
  try {
    return await fn();
  } finally {
    logins.accepts = accepts;
  }
}

test('no docker CLI: the login is checked and written; skopeo and podman pull; post restores', async () => {
  const home = engines.newHome();
  const dockerConfig = sb.newDockerConfig();
  const env = { PATH: NO_DOCKER_PATH, HOME: home };
  const job = await sb.job({ with: role(), dockerConfig, env, recordDocker: false });
  expect(job.main.annotations.error).toEqual([]);
  expect(job.main.exitCode).toBe(0);
  expect(JSON.parse(job.main.outputs.clients)).toEqual(['podman', 'buildah', 'skopeo']);
  expect(job.main.summary).toContain('Clients logged in: `podman`, `buildah`, `skopeo`');
  expect(job.leaks).toEqual([]);
  // post has run: nothing left
  expect(snapshot(configFile(dockerConfig))).toBeNull();
  expect(await containersPull(home, dockerConfig)).toEqual({
    skopeo: expect.any(String), // refused: anonymous pulls are off
    podman: expect.any(String),
  });
});

test('no docker CLI: after main, skopeo inspect and podman pull work with the written credentials', async () => {
  const home = engines.newHome();
  const dockerConfig = sb.newDockerConfig();
  const env = { PATH: NO_DOCKER_PATH, HOME: home };
  const main = await sb.step('main', { with: role(), dockerConfig, env, recordDocker: false });
  expect(main.exitCode).toBe(0);
  const auths = sb.readDockerConfig(dockerConfig).auths;
  expect(auths).toEqual({ [ECR]: { auth: basic('AWS', PASSWORD) } });
  expect(await containersPull(home, dockerConfig)).toEqual({ skopeo: true, podman: true });
  // docker's config serves them: no containers auth file was needed
  expect(existsSync(path.join(home, '.config/containers/auth.json'))).toBe(false);
});

test('a wrong password fails the step with the registry answer, with and without docker login', async () => {
  const results = await refusing(async () => {
    const viaCli = await sb.step('main', { with: role() });
    const direct = await sb.step('main', { with: role(), recordDocker: false });
    const noDocker = await sb.step('main', {
      with: role(),
      recordDocker: false,
      env: { PATH: NO_DOCKER_PATH },
    });
    return [viaCli, direct, noDocker];
  });
  for (const main of results) {
    expect(main.exitCode).toBe(1);
    expect(main.annotations.error.map((a) => a.message).join('\n')).toMatch(
      /incorrect username or password/,
    );
  }
});

test('differential: docker login and the direct write leave the same auths entry; docker pull works after both', async () => {
  const viaCliConfig = sb.newDockerConfig();
  const directConfig = sb.newDockerConfig();
  const viaCli = await sb.step('main', { with: role(), dockerConfig: viaCliConfig });
  const direct = await sb.step('main', {
    with: role(),
    dockerConfig: directConfig,
    recordDocker: false,
  });
  expect([viaCli.exitCode, direct.exitCode]).toEqual([0, 0]);
  expect(viaCli.dockerCalls.map((c) => c.argv[0])).toEqual(['login']);
  expect(direct.lines.join('\n')).toContain(`${ECR}: written to ${directConfig} directly`);
  const entry = (dir: string) => sb.readDockerConfig(dir).auths[ECR];
  expect(entry(directConfig)).toEqual(entry(viaCliConfig));
  expect(await dockerPull(viaCliConfig)).toBe(true);
  expect(await dockerPull(directConfig)).toBe(true);
});

test('a credential helper that cannot hold the token: this registry goes to auths; post restores the config', async () => {
  const home = engines.newHome();
  const dockerConfig = sb.newDockerConfig();
  const original = '{\n  "credsStore": "wincred-limit",\n  "auths": {}\n}\n';
  writeFileSync(configFile(dockerConfig), original, { mode: 0o640 });
  const env = {
    PATH: `${path.join(REPO_ROOT, 'sandbox/bin')}:${process.env.PATH}`,
    HOME: home,
  };
  const workDir = mkdtempSync(path.join(engines.dir, 'job-'));
  const main = await sb.step('main', { with: role(), dockerConfig, env, workDir });
  expect(main.exitCode).toBe(0);
  expect(main.annotations.warning.map((a) => a.message).join('\n')).toMatch(
    /docker-credential-wincred-limit could not store the public\.ecr\.aws login/,
  );
  // (the helper's WINCRED_LIMIT_* settings do not reach it: child-env.ts passes no such names)
  const config = sb.readDockerConfig(dockerConfig);
  expect(config.auths[ECR]).toEqual({ auth: basic('AWS', PASSWORD) });
  expect(config.credHelpers).toEqual({ [ECR]: '' });
  expect(await dockerPull(dockerConfig)).toBe(true);
  // Known limit: podman reads $DOCKER_CONFIG/config.json first and honours credHelpers, so the
  // empty helper name that keeps docker on the file store makes it fail for this registry.
  expect(await containersPull(home, dockerConfig)).toEqual({
    skopeo: true,
    podman: expect.stringContaining('docker-credential- resolves to executable'),
  });
  const containersAuth = path.join(home, '.config/containers/auth.json');
  expect(existsSync(containersAuth)).toBe(true);

  const post = await sb.step('post', { dockerConfig, env, state: main.state, workDir });
  expect(post.exitCode).toBe(0);
  expect(readFileSync(configFile(dockerConfig), 'utf8')).toBe(original);
  expect(existsSync(containersAuth)).toBe(false);
});

test('post leaves every file as before: a shared config and a containers auth file with logins of their own', async () => {
  const home = engines.newHome();
  const dockerConfig = sb.newDockerConfig();
  const dockerBefore = '{"auths":{"ghcr.io":{"auth":"dXNlcjpwdw=="}},"credsStore":""}';
  writeFileSync(configFile(dockerConfig), dockerBefore, { mode: 0o600 });
  const containersAuth = path.join(home, '.config/containers/auth.json');
  mkdirSync(path.dirname(containersAuth), { recursive: true });
  // a stale public.ecr.aws login they would read before docker's: ours must replace it
  const containersBefore = JSON.stringify({ auths: { [ECR]: { auth: basic('AWS', 'old') } } });
  writeFileSync(containersAuth, containersBefore, { mode: 0o600 });
  const env = { HOME: home };
  const workDir = mkdtempSync(path.join(engines.dir, 'job-'));
  const main = await sb.step('main', {
    with: role(),
    dockerConfig,
    env,
    recordDocker: false,
    workDir,
  });
  expect(main.exitCode).toBe(0);
  expect(JSON.parse(readFileSync(containersAuth, 'utf8')).auths[ECR].auth).toBe(
    basic('AWS', PASSWORD),
  );
  expect(await containersPull(home, dockerConfig)).toEqual({ skopeo: true, podman: true });
  const post = await sb.step('post', {
    dockerConfig,
    env,
    state: main.state,
    recordDocker: false,
    workDir,
  });
  expect(post.exitCode).toBe(0);
  expect(readFileSync(configFile(dockerConfig), 'utf8')).toBe(dockerBefore);
  expect(readFileSync(containersAuth, 'utf8')).toBe(containersBefore);
});
