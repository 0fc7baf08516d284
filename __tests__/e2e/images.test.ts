// End-to-end: the built action resolves and rewrites a workspace's Dockerfile and Compose file
// against the registry stand-ins (public.ecr.aws and Docker Hub with their real token auth and
// seeded tags: on both, only on Docker Hub, a differing digest, a non-official image); a later
// `docker build` and `docker pull` of each compose image then succeed, and the stand-ins' access
// logs show which registry served what.
// Run: npm run test:e2e -- __tests__/e2e/images.test.ts
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const P = 'public.ecr.aws/docker/library';
const DOCKERFILE = `ARG BASE=busybox:1.36
FROM --platform=linux/amd64 busybox:latest AS build
COPY hello.txt /hello.txt

FROM nginx:1.27 AS web
COPY --from=build /hello.txt /hello.txt
# busybox:1.37 is only on Docker Hub
COPY --from=busybox:1.37 /bin/busybox /bin/bb

FROM \${BASE}
COPY --from=web /hello.txt /final.txt
`;
const COMPOSE = `# services of the app
services:
  web:
    image: nginx:1.27 # on both
  cache:
    image: bitnami/redis:7.4
  edge:
    image: "nginx:1.27-alpine"
  tool:
    image: busybox:stable # re-pushed on Docker Hub
`;

let sb: Sandbox;
let workDir: string;

beforeAll(async () => {
  sb = await startSandbox();
}, 90_000);
afterAll(async () => {
  await sb?.stop();
});
beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'images-job-'));
  mkdirSync(join(workDir, 'workspace'));
  writeFileSync(join(workDir, 'workspace/Dockerfile'), DOCKERFILE);
  writeFileSync(join(workDir, 'workspace/compose.yaml'), COMPOSE);
  writeFileSync(join(workDir, 'workspace/hello.txt'), 'hello\n');
  for (const standIn of Object.values(sb.registries)) standIn.clearRequests();
  for (const image of ['busybox', 'nginx', 'bitnami/redis']) {
    for (const tag of ['latest', '1.36', '1.37', 'stable', '1.27', '1.27-alpine', '7.4']) {
      await sb.forget(`${image}:${tag}`);
      await sb.forget(`${P}/${image}:${tag}`);
    }
  }
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

const read = (file: string) => readFileSync(join(workDir, 'workspace', file), 'utf8');

async function runJob(extra: Record<string, string>, idToken = true) {
  const job = await sb.job({
    workDir,
    idToken,
    with: {
      'role-to-assume': sb.roleArn,
      images: 'nginx:1.27\nbusybox:1.37, bitnami/redis:7.4',
      rewrite: '**/Dockerfile\ncompose.y*ml',
      ...extra,
    },
    env: { NODE_EXTRA_CA_CERTS: sb.infra.caCertPath },
  });
  expect(job.leaks).toEqual([]);
  expect(job.main.annotations.error).toEqual([]);
  return job;
}

/** `repository:tag` of the manifests a stand-in served by tag (pulls then ask again by digest). */
const served = (name: 'ecrPublic' | 'dockerHub') =>
  sb.registries[name]
    .requests()
    .filter(
      (r: { kind: string; status: number; reference?: string }) =>
        r.kind === 'manifests' && r.status === 200 && !r.reference?.startsWith('sha256:'),
    )
    .map((r: { repository?: string; reference?: string }) => `${r.repository}:${r.reference}`);

/** The later steps of the job: build the Dockerfile, pull every compose image. */
async function buildAndPull(dockerConfig: string) {
  const build = await sb.docker(['build', '-q', '-t', 'app:e2e', join(workDir, 'workspace')], {
    dockerConfig,
  });
  expect(build).toMatchObject({ ok: true });
  for (const [, image] of read('compose.yaml').matchAll(/image: "?([^\s"#]+)/g)) {
    expect(await sb.docker(['pull', '-q', image], { dockerConfig })).toMatchObject({ ok: true });
  }
}

describe('images and rewrite', () => {
  test('rewrites what the mirror serves; build and pulls then fetch those from public.ecr.aws', async () => {
    const job = await runJob({});
    const out = job.main.outputs;
    expect(read('Dockerfile')).toBe(
      DOCKERFILE.replace('BASE=busybox:1.36', `BASE=${P}/busybox:1.36`)
        .replace(' busybox:latest AS', ` ${P}/busybox:latest AS`)
        .replace('FROM nginx:1.27', `FROM ${P}/nginx:1.27`),
    );
    expect(read('compose.yaml')).toBe(
      COMPOSE.replace('image: nginx:1.27 #', `image: ${P}/nginx:1.27 #`).replace(
        'busybox:stable',
        `${P}/busybox:stable`,
      ),
    );
    expect(JSON.parse(out['rewritten-files'])).toEqual(['Dockerfile', 'compose.yaml']);
    expect(JSON.parse(out.images)).toEqual({
      'nginx:1.27': `${P}/nginx:1.27`,
      'busybox:1.37': 'docker.io/library/busybox:1.37',
      'bitnami/redis:7.4': 'docker.io/bitnami/redis:7.4',
    });
    expect(JSON.parse(out['images-not-mirrored'])).toEqual([
      { reference: 'busybox:1.37', reason: 'tag not on the mirror' },
      { reference: 'bitnami/redis:7.4', reason: 'not an official image' },
      { reference: 'nginx:1.27-alpine', reason: 'tag not on the mirror' },
    ]);
    expect(out['buildkitd-config']).toBe(
      '[registry."docker.io"]\n  mirrors = ["public.ecr.aws/docker"]\n',
    );
    // the diff in a log group, the table in the summary
    expect(job.main.groups).toContain('Rewrote 2 file(s) to pull from the mirror');
    expect(job.main.lines).toContain(`+FROM ${P}/nginx:1.27 AS web`);
    expect(job.main.summary).toContain(
      `| \`busybox:1.37\` | \`docker.io/library/busybox:1.37\` | tag not on the mirror | images, Dockerfile |`,
    );
    expect(job.main.summary).toMatch(/\| image resolution \|/);

    for (const standIn of Object.values(sb.registries)) standIn.clearRequests();
    await buildAndPull(job.dockerConfig);
    expect(new Set(served('ecrPublic'))).toEqual(
      new Set([
        'docker/library/busybox:latest',
        'docker/library/nginx:1.27',
        'docker/library/busybox:1.36',
        'docker/library/busybox:stable',
      ]),
    );
    expect(new Set(served('dockerHub'))).toEqual(
      new Set(['library/busybox:1.37', 'bitnami/redis:7.4', 'library/nginx:1.27-alpine']),
    );
  }, 120_000);

  test('verify-digest: a tag whose Docker Hub digest differs stays on Docker Hub', async () => {
    const job = await runJob({ 'verify-digest': 'true' });
    expect(read('compose.yaml')).toContain('image: busybox:stable # re-pushed on Docker Hub');
    expect(read('compose.yaml')).toContain(`image: ${P}/nginx:1.27 #`);
    expect(JSON.parse(job.main.outputs['images-not-mirrored'])).toContainEqual({
      reference: 'busybox:stable',
      reason: 'digest differs',
    });
    for (const standIn of Object.values(sb.registries)) standIn.clearRequests();
    await buildAndPull(job.dockerConfig);
    expect(served('dockerHub')).toContain('library/busybox:stable');
    expect(served('ecrPublic')).not.toContain('docker/library/busybox:stable');
  }, 120_000);

  test('with the Docker Hub fallback, nothing is rewritten and images map to Docker Hub', async () => {
    const job = await runJob(sb.fallbackInputs(), false);
    expect(job.main.outputs['fallback-used']).toBe('true');
    expect(read('Dockerfile')).toBe(DOCKERFILE);
    expect(read('compose.yaml')).toBe(COMPOSE);
    expect(JSON.parse(job.main.outputs['rewritten-files'])).toEqual([]);
    expect(JSON.parse(job.main.outputs.images)['nginx:1.27']).toBe('docker.io/library/nginx:1.27');
    expect(job.main.outputs['buildkitd-config']).toBe('');
    expect(sb.registries.ecrPublic.requests()).toEqual([]);
  }, 120_000);
});
