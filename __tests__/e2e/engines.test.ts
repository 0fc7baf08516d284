// mirror: containers, containerd, buildkit end to end: the built bundles run by the runner
// emulator, then the REAL skopeo, podman, buildah and ctr (sandbox/engines.mjs) pull busybox as
// a later step would. After main they are served by the public.ecr.aws stand-in (Docker Hub's saw
// nothing), a Docker-Hub-only tag still comes from Docker Hub; after post every file is
// byte-identical and the same pulls go to Docker Hub again. ctr (containerd) pulls anonymously
// with the step's hosts.toml and a registry-wide token (scope "aws"), with `mirror: containerd`,
// in a list, and with `auto`. Also the figure for `mirror: auto`.
// Run: npm run test:e2e -- __tests__/e2e/engines.test.ts
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { startEngines } from '../../sandbox/engines.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import { clearRequests as clearRequestsOf, servedManifests } from './served-by.js';
import { recordFigures } from './figures.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Engines = Awaited<ReturnType<typeof startEngines>>;

let sb: Sandbox;
let engines: Engines;
const HOSTS_DIR = '/etc/containerd/certs.d';
const HOSTS_TOML = `${HOSTS_DIR}/docker.io/hosts.toml`;
// The runner's own hosts.toml (Docker Hub as server, a comment, mode 0640): must come back as is.
const ORIGINAL_TOML = '# the runner image\'s own\nserver = "https://registry-1.docker.io"\n';

beforeAll(async () => {
  sb = await startSandbox();
  engines = await startEngines({ caCertPath: sb.infra.caCertPath });
}, 90_000);

afterAll(async () => {
  await engines?.stop();
  await sb?.stop();
});

beforeEach(async () => {
  // A test that failed before its post must not leave its ledger to the next (private /etc).
  rmSync('/etc/containerd/certs.d', { recursive: true, force: true });
  sb.registries.ecrPublic.anonymous = true;
  await engines.forgetAll();
  clearRequests();
});

const clearRequests = () => clearRequestsOf(sb);
const manifests = () => servedManifests(sb, true);

type Seen = { ecr: string[]; hub: string[] };
const FROM_ECR: Seen = { ecr: ['docker/library/busybox 200'], hub: [] };
const FROM_HUB: Seen = { ecr: [], hub: ['library/busybox 200'] };

/** Every file under the folders the step may touch, with its bytes and mode. */
function snapshot(...dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      out[`${p}/`] = (st.mode & 0o7777).toString(8);
      for (const name of readdirSync(p)) walk(path.join(p, name));
    } else out[p] = `${(st.mode & 0o7777).toString(8)} ${readFileSync(p, 'base64')}`;
  };
  for (const dir of dirs) walk(dir);
  return out;
}

/** A runner user's home with a drop-in of their own, and the runner's hosts.toml. */
function runnerMachine() {
  const home = engines.newHome();
  const own = path.join(home, '.config/containers/registries.conf.d');
  mkdirSync(own, { recursive: true });
  writeFileSync(path.join(own, '10-mine.conf'), 'unqualified-search-registries = []\n');
  mkdirSync(path.dirname(HOSTS_TOML), { recursive: true });
  writeFileSync(HOSTS_TOML, ORIGINAL_TOML);
  chmodSync(HOSTS_TOML, 0o640);
  return home;
}

async function main(home: string, mirror: string) {
  const workDir = mkdtempSync(path.join(process.env.SANDBOX_TMP || '/tmp', 'engines-e2e-'));
  const dockerConfig = sb.newDockerConfig();
  const env = { HOME: home };
  const with_ = { 'role-to-assume': sb.roleArn, mirror };
  const step = await sb.step('main', { with: with_, env, dockerConfig, workDir });
  const post = () =>
    sb.step('post', { with: with_, env, dockerConfig, workDir, state: step.state });
  return { step, dockerConfig, post };
}

/** The pulls a later step would run; containers clients read the job's docker login. */
function pulls(home: string, dockerConfig: string) {
  const o = { home, env: { DOCKER_CONFIG: dockerConfig } };
  return {
    skopeo: (tag = 'latest') =>
      engines.runSkopeo(['inspect', '--raw', `docker://busybox:${tag}`], o),
    podman: () => engines.runPodman(['pull', '-q', 'busybox'], o),
    buildah: () => engines.runBuildah(['from', '-q', 'busybox'], o),
    ctr: () =>
      engines.runCtr([
        'images',
        'pull',
        '--hosts-dir',
        HOSTS_DIR,
        'docker.io/library/busybox:latest',
      ]),
  };
}

/** Each client pulls; `from` says which stand-in served it (ctr: see expectCtr). */
async function expectServed(p: Partial<ReturnType<typeof pulls>>, from: Seen) {
  for (const [client, pull] of Object.entries(p)) {
    clearRequests();
    // Only the job's credential may read public.ecr.aws for containers/image; containerd has
    // none (engines/containerd.ts), so it asks anonymously, as the real ECR Public allows.
    sb.registries.ecrPublic.anonymous = client === 'ctr';
    const r = await pull!();
    expect({ client, ok: r.ok, stderr: r.ok ? '' : r.stderr }).toEqual({
      client,
      ok: true,
      stderr: '',
    });
    if (client === 'ctr') expectCtr(from);
    else expect({ client, ...manifests() }).toEqual({ client, ...from });
    await engines.forgetAll();
  }
}

/**
 * What the ctr pull (`--hosts-dir /etc/containerd/certs.d`) just did, from the stand-ins' access
 * logs. Served by the mirror: containerd asked public.ecr.aws's token endpoint anonymously with
 * the challenge's `aws` scope (plus the docker.io name, `library/busybox`), got a registry-wide
 * token, and public.ecr.aws served the manifest at the library prefix; Docker Hub's stand-in saw
 * no request at all. Served by Docker Hub (no hosts.toml of ours): public.ecr.aws saw nothing.
 */
function expectCtr(from: Seen) {
  const ecr = sb.registries.ecrPublic.requests();
  const hub = sb.registries.dockerHub.requests();
  if (from === FROM_ECR) {
    const tokens = ecr.filter((q) => q.kind === 'token');
    expect(tokens.map(({ user, scopes, status }) => ({ user, scopes, status }))).toContainEqual({
      user: null,
      scopes: ['aws', 'repository:library/busybox:pull'],
      status: 200,
    });
    expect(hub).toEqual([]);
  } else {
    expect(ecr).toEqual([]);
  }
  expect({ client: 'ctr', ...manifests() }).toEqual({ client: 'ctr', ...from });
}

test('containers, containerd and buildkit pull busybox from public.ecr.aws; post puts every byte back', async () => {
  const home = runnerMachine();
  const before = snapshot(home, '/etc/containerd');
  const m = await main(home, 'containers, containerd, buildkit');
  expect(m.step.exitCode).toBe(0);
  expect(m.step.annotations.warning).toEqual([]);
  const mirrors = JSON.parse(m.step.outputs.mirrors) as Record<string, string>;
  expect(Object.keys(mirrors)).toEqual(['containers', 'containerd', 'buildkit']);
  expect(mirrors.containerd).toBe(HOSTS_TOML);
  expect(mirrors.containers.startsWith(`${home}/.config/containers/registries.conf.d/zz-`)).toBe(
    true,
  );
  const buildkitFile = m.step.outputs['buildkitd-config-file'];
  expect(readFileSync(buildkitFile, 'utf8')).toBe(m.step.outputs['buildkitd-config']);
  expect(m.step.leaks).toEqual([]);

  const p = pulls(home, m.dockerConfig);
  await expectServed(p, FROM_ECR);
  // A tag only Docker Hub has: the mirror answers 404 and the pull goes on to Docker Hub.
  expect((await p.skopeo('1.37')).ok).toBe(true);
  expect(manifests()).toEqual({
    ecr: ['docker/library/busybox 404'],
    hub: ['library/busybox 200'],
  });

  const post = await m.post();
  expect(post.exitCode).toBe(0);
  expect(post.annotations.warning).toEqual([]);
  expect(snapshot(home, '/etc/containerd')).toEqual(before);
  expect(existsSync(buildkitFile)).toBe(false);
  await expectServed(p, FROM_HUB);
}, 180_000);

test('mirror: containerd: the ctr pull is served by public.ecr.aws; after post by Docker Hub', async () => {
  const home = runnerMachine();
  const before = snapshot('/etc/containerd');
  const m = await main(home, 'containerd');
  expect(m.step.exitCode).toBe(0);
  expect(m.step.annotations.warning).toEqual([]);
  expect(JSON.parse(m.step.outputs.mirrors)).toEqual({ containerd: HOSTS_TOML });
  const { ctr } = pulls(home, m.dockerConfig);
  await expectServed({ ctr }, FROM_ECR);
  const post = await m.post();
  expect(post.exitCode).toBe(0);
  expect(snapshot('/etc/containerd')).toEqual(before);
  await expectServed({ ctr }, FROM_HUB);
}, 120_000);

test('mirror: auto on a runner with every engine: the added main time against node -e 0', async () => {
  const home = runnerMachine();
  const before = snapshot(home, '/etc/containerd');
  const m = await main(home, 'auto');
  expect(m.step.exitCode).toBe(0);
  expect(Object.keys(JSON.parse(m.step.outputs.mirrors) as object)).toEqual([
    'containers',
    'containerd',
    'buildkit',
  ]);
  const summary = m.step.summary;
  const header = summary.split('\n').find((l) => l.includes('| mirror |'))!;
  const row = summary.split('\n')[summary.split('\n').indexOf(header) + 2];
  const col = header
    .split('|')
    .map((c) => c.trim())
    .indexOf('mirror');
  const mirrorMs = Number(row.split('|')[col].trim().replace(' ms', ''));
  const nodeMs = medianMs(() => execFileSync(sb.node, ['-e', '0']));
  // auto configured containerd (it is present): ctr is served by the mirror until post.
  const { ctr } = pulls(home, m.dockerConfig);
  await expectServed({ ctr }, FROM_ECR);
  expect((await m.post()).exitCode).toBe(0);
  expect(snapshot(home, '/etc/containerd')).toEqual(before);
  await expectServed({ ctr }, FROM_HUB);
  recordFigures('engines-auto', {
    mirrorMs,
    nodeStartMs: Math.round(nodeMs),
    multiple: mirrorMs / nodeMs,
  });
  expect(mirrorMs).toBeLessThanOrEqual(nodeMs);
}, 120_000);

function medianMs(fn: () => unknown, runs = 5): number {
  const times = Array.from({ length: runs }, () => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  }).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}
