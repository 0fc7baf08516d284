// @ts-check
// Seeds the stand-ins straight over the registry API (no dockerd, no docker push): one tiny
// busybox layer, and per image a config whose label names it, so images with the same name and
// tag are byte-identical across stand-ins unless the table says they differ.
import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { signRegistryToken, tokenClaims } from './fakes/registry-auth.mjs';
import { issuerFor } from './registries.mjs';

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json';
const LAYER_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'echo', 'cat', 'ls', 'true'];

/**
 * What each stand-in serves. Official images sit at `library/<name>` on Docker Hub and at
 * `docker/library/<name>` on public.ecr.aws; `differs` gives the Docker Hub copy another digest
 * (a tag re-pushed on Docker Hub that the mirror has not caught up with).
 * @typedef {import('./registries.mjs').RegistryName} RegistryName
 * @typedef {{ image: string, on: RegistryName[], differs?: boolean }} Seed
 * @type {Seed[]}
 */
export const SEEDS = [
  { image: 'busybox:latest', on: ['ecrPublic', 'dockerHub'] },
  { image: 'busybox:1.36', on: ['ecrPublic', 'dockerHub'] },
  { image: 'busybox:1.37', on: ['dockerHub'] },
  { image: 'busybox:stable', on: ['ecrPublic', 'dockerHub'], differs: true },
  { image: 'nginx:1.27', on: ['ecrPublic', 'dockerHub'] },
  { image: 'nginx:1.27-alpine', on: ['dockerHub'] },
  { image: 'bitnami/redis:7.4', on: ['dockerHub'] },
];

/** ECR private, as pull-through cache rules name their repositories (same bytes as upstream). */
export const ECR_PRIVATE_SEEDS = [
  { repository: 'ecr-public/docker/library/busybox', tag: 'latest', image: 'busybox:latest' },
  { repository: 'docker-hub/library/busybox', tag: 'latest', image: 'busybox:latest' },
];

/**
 * @typedef {{ registry: RegistryName, repository: string, tag: string, digest: string }} Seeded
 */

/**
 * Where an image of the table lives on a stand-in.
 * @param {string} image e.g. busybox:1.36 or bitnami/redis:7.4
 * @param {RegistryName} registry
 */
export function seedLocation(image, registry) {
  const [name, tag] = image.split(':');
  const official = !name.includes('/');
  if (registry === 'ecrPublic') return { repository: `docker/library/${name}`, tag };
  return { repository: official ? `library/${name}` : name, tag };
}

/** @param {Buffer | string} data */
const sha256 = (data) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * A deterministic tar of a tiny rootfs (static busybox and a few applets), gzipped.
 * @param {string} dir scratch
 * @param {(cmd: string, args: string[]) => Promise<unknown>} run
 */
export async function buildLayer(dir, run) {
  const root = path.join(dir, 'rootfs');
  await fsp.mkdir(path.join(root, 'bin'), { recursive: true });
  await fsp.copyFile(BUSYBOX, path.join(root, 'bin', 'busybox'));
  for (const applet of APPLETS) await fsp.symlink('busybox', path.join(root, 'bin', applet));
  const tarball = path.join(dir, 'rootfs.tar');
  const fixed = ['--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--sort=name'];
  await run('tar', ['-C', root, ...fixed, '-cf', tarball, '.']);
  const tar = await fsp.readFile(tarball);
  await fsp.rm(dir, { recursive: true, force: true });
  const gz = zlib.gzipSync(tar, { level: 1 });
  return { gz, digest: sha256(gz), diffId: sha256(tar) };
}

const ARCH = { x64: 'amd64', arm64: 'arm64' };

/**
 * @param {{ diffId: string }} layer
 * @param {string} label what the image is (differs per name:tag)
 */
function imageConfig(layer, label) {
  return Buffer.from(
    JSON.stringify({
      architecture: ARCH[/** @type {'x64'} */ (process.arch)] ?? process.arch,
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { 'org.sandbox.image': label } },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    }),
  );
}

/**
 * @param {{ gz: Buffer, digest: string }} layer
 * @param {Buffer} config
 */
function manifest(layer, config) {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, size: config.length, digest: sha256(config) },
      layers: [{ mediaType: LAYER_TYPE, size: layer.gz.length, digest: layer.digest }],
    }),
  );
}

/**
 * Pushes one image to one docker-registry process, over its loopback port, and adds the
 * repository to the stand-in's list (registry-wide tokens name every repository it holds).
 * @param {{ origin: string, bearer?: (repository: string) => string, repositories: Set<string> }} target
 * @param {string} repository
 * @param {string} tag
 * @param {{ gz: Buffer, digest: string }} layer
 * @param {Buffer} config
 */
async function pushImage(target, repository, tag, layer, config) {
  /** @type {Record<string, string>} */
  const auth = target.bearer ? { authorization: `Bearer ${target.bearer(repository)}` } : {};
  for (const blob of [layer.gz, config]) {
    const start = await fetch(`${target.origin}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: auth,
    });
    await expectStatus(start, 202, `start upload to ${repository}`);
    const location = new URL(/** @type {string} */ (start.headers.get('location')), target.origin);
    location.searchParams.set('digest', sha256(blob));
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: blob,
    });
    await expectStatus(put, 201, `upload a blob to ${repository}`);
  }
  const body = manifest(layer, config);
  const put = await fetch(`${target.origin}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': MANIFEST_TYPE },
    body,
  });
  await expectStatus(put, 201, `push ${repository}:${tag}`);
  target.repositories.add(repository);
  return sha256(body);
}

/**
 * @param {Response} response
 * @param {number} status
 * @param {string} what
 */
async function expectStatus(response, status, what) {
  if (response.status === status) return;
  throw new Error(`seeding: ${what}: HTTP ${response.status}: ${await response.text()}`);
}

/**
 * A push token the stand-in's registry accepts (the token endpoint itself only grants pull).
 * @param {import('./registries.mjs').StandIn} standIn
 * @param {import('./fakes/registry-auth.mjs').TokenKey} key
 */
function pushTokens(standIn, key) {
  const service = standIn.spec.service;
  if (standIn.spec.auth !== 'token' || !service) return undefined;
  return (/** @type {string} */ repository) =>
    signRegistryToken(
      key,
      tokenClaims({
        issuer: issuerFor(service),
        service,
        subject: 'sandbox-seeder',
        access: [{ type: 'repository', name: repository, actions: ['pull', 'push'] }],
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    );
}

/**
 * Seeds every stand-in from SEEDS and ECR_PRIVATE_SEEDS, in parallel.
 * @param {Record<RegistryName, import('./registries.mjs').StandIn>} standIns
 * @param {import('./fakes/registry-auth.mjs').TokenKey} key
 * @param {{ gz: Buffer, digest: string, diffId: string }} layer
 * @returns {Promise<Seeded[]>}
 */
export async function seedStandIns(standIns, key, layer) {
  /** @type {{ registry: RegistryName, repository: string, tag: string, label: string }[]} */
  const pushes = [];
  for (const seed of SEEDS) {
    for (const registry of seed.on) {
      const label =
        seed.differs && registry === 'dockerHub' ? `${seed.image} (rebuilt)` : seed.image;
      pushes.push({ registry, ...seedLocation(seed.image, registry), label });
    }
  }
  for (const seed of ECR_PRIVATE_SEEDS) {
    pushes.push({
      registry: 'ecrPrivate',
      repository: seed.repository,
      tag: seed.tag,
      label: seed.image,
    });
  }
  // One push at a time per registry (registries in parallel): distribution 2.8 can refuse one of
  // two concurrent uploads of the same blob with DIGEST_INVALID (seen under load).
  /** @type {Map<string, Promise<unknown>>} */
  const queues = new Map();
  return Promise.all(
    pushes.map(({ registry, repository, tag, label }) => {
      const standIn = standIns[registry];
      const target = {
        origin: standIn.origin,
        bearer: pushTokens(standIn, key),
        repositories: standIn.repositories,
      };
      const push = (queues.get(registry) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => pushImage(target, repository, tag, layer, imageConfig(layer, label)))
        .then((digest) => ({ registry, repository, tag, digest }));
      queues.set(registry, push);
      return push;
    }),
  );
}

/**
 * One official image with a single large layer of random bytes (gzip level 0: the bytes on the
 * wire are the layer's size), pushed to the public.ecr.aws stand-in only, so a pull of
 * `<name>:<tag>` through docker-mirror cannot be served by the Docker Hub stand-in instead.
 * @param {Record<RegistryName, import('./registries.mjs').StandIn>} standIns
 * @param {import('./fakes/registry-auth.mjs').TokenKey} key
 * @param {number} bytes
 * @returns {Promise<{ name: string, tag: string, layerBytes: number }>}
 */
export async function seedLargeImage(standIns, key, bytes) {
  const ecrPublic = standIns.ecrPublic;
  const name = 'largelayer';
  const tag = `${Math.round(bytes / 2 ** 20)}m`;
  const tar = tarOfOneFile('blob.bin', randomBytes(bytes));
  const gz = zlib.gzipSync(tar, { level: 0 });
  const layer = { gz, digest: sha256(gz), diffId: sha256(tar) };
  const { repository } = seedLocation(`${name}:${tag}`, 'ecrPublic');
  const target = {
    origin: ecrPublic.origin,
    bearer: pushTokens(ecrPublic, key),
    repositories: ecrPublic.repositories,
  };
  await pushImage(target, repository, tag, layer, imageConfig(layer, name));
  return { name, tag, layerBytes: gz.length };
}

/** A ustar archive of one regular file. @param {string} name @param {Buffer} data */
function tarOfOneFile(name, data) {
  const header = Buffer.alloc(512);
  const field = (/** @type {string} */ v, /** @type {number} */ at) => header.write(v, at, 'ascii');
  field(name, 0);
  field('0000644\0', 100);
  field('0000000\0', 108);
  field('0000000\0', 116);
  field(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  field('00000000000\0', 136);
  field('        ', 148);
  field('0', 156);
  field('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of header) sum += b;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}
