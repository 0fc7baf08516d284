// @ts-check
// The registry stand-ins: each one a real docker-registry process (its own storage and log) on a
// loopback port, reached only through the TLS front (registry-front.mjs) under the real names.
//   ecrPublic   public.ecr.aws            Bearer, token at https://public.ecr.aws/token/, anonymous ok
//   dockerHub   registry-1.docker.io,     Bearer, token at https://auth.docker.io/token, anonymous ok
//               index.docker.io
//   ecrPrivate  123456789012.dkr.ecr.us-east-1.amazonaws.com   Basic AWS:<password>, checked by the front
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

export const ECR_PRIVATE_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/**
 * @typedef {'ecrPublic' | 'dockerHub' | 'ecrPrivate'} RegistryName
 * @typedef {object} StandInSpec
 * @property {RegistryName} name
 * @property {string[]} hosts the names the front serves its /v2/ API under
 * @property {'token' | 'basic'} auth
 * @property {string} challenge WWW-Authenticate of a 401, as the real service words it
 * @property {string} [service] token auth: the `service` (and token audience)
 * @property {string} [realm] token auth: the token endpoint
 * @property {string} [registryWideScope] token auth: a scope whose tokens cover every repository
 *   the registry holds (ECR Public's `aws`: its tokens are registry-wide, not per repository)
 */

/** @type {Record<RegistryName, StandInSpec>} */
export const STAND_INS = {
  ecrPublic: {
    name: 'ecrPublic',
    hosts: ['public.ecr.aws'],
    auth: 'token',
    service: 'public.ecr.aws',
    realm: 'https://public.ecr.aws/token/',
    // The real one answers every 401 with scope="aws", whatever was asked.
    challenge: 'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"',
    // ...and its tokens are registry-wide: asked with `aws`, one covers every repository.
    registryWideScope: 'aws',
  },
  dockerHub: {
    name: 'dockerHub',
    hosts: ['registry-1.docker.io', 'index.docker.io'],
    auth: 'token',
    service: 'registry.docker.io',
    realm: 'https://auth.docker.io/token',
    // docker-registry's own challenge already matches Docker Hub's (with the repository scope).
    challenge: '',
  },
  ecrPrivate: {
    name: 'ecrPrivate',
    hosts: [ECR_PRIVATE_HOST],
    auth: 'basic',
    challenge: `Basic realm="https://${ECR_PRIVATE_HOST}/",service="ecr.amazonaws.com"`,
  },
};

/** Every TLS name the front answers to (the token hosts too). */
export const FRONT_HOSTS = [...Object.values(STAND_INS).flatMap((s) => s.hosts), 'auth.docker.io'];

/** @param {string} service */
export const issuerFor = (service) => `sandbox token service for ${service}`;

/**
 * A repository path as a request names it: /v2/<repo>/(manifests|blobs|tags|blobs/uploads)/...
 * @param {string} pathname
 * @returns {{ repository?: string, kind: string, reference?: string }}
 */
export function classifyPath(pathname) {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'base' };
  let m = /^\/v2\/(.+)\/blobs\/uploads(?:\/.*)?$/.exec(pathname);
  if (m) return { repository: m[1], kind: 'uploads' };
  m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(pathname);
  if (m) return { repository: m[1], kind: m[2], reference: decodeURIComponent(m[3]) };
  m = /^\/v2\/(.+)\/tags\/list$/.exec(pathname);
  if (m) return { repository: m[1], kind: 'tags' };
  return { kind: 'other' };
}

/**
 * @typedef {object} RegistryRequest one request the front passed to (or refused for) a stand-in
 * @property {RegistryName} registry
 * @property {string} host as the client named it
 * @property {string} method
 * @property {string} path path and query
 * @property {string} kind base, manifests, blobs, tags, uploads, token or other
 * @property {string} [repository]
 * @property {string} [reference] tag or digest (manifests, blobs)
 * @property {string[]} [scopes] token requests: the scopes asked for
 * @property {string | null} user the Basic user name sent (token and ECR private requests), else null
 * @property {boolean} bearer whether a Bearer token came with it
 * @property {number} status
 */

/** A running stand-in: its process, port, data and the requests the front saw for it. */
export class StandIn {
  /**
   * @param {StandInSpec} spec
   * @param {string} workDir
   * @param {string} registryBinary
   */
  constructor(spec, workDir, registryBinary) {
    this.spec = spec;
    this.name = spec.name;
    this.hosts = [...spec.hosts];
    this.dir = path.join(workDir, 'registries', spec.name);
    this.port = 0;
    /** @type {RegistryRequest[]} */
    this.log = [];
    /** Whether the token endpoint gives anonymous clients a (pull) token. */
    this.anonymous = spec.auth === 'token';
    /**
     * The repositories this stand-in holds (the seeding adds what it pushes): a token asked
     * with the spec's registryWideScope lists them all, as docker-registry wants exact names.
     * @type {Set<string>}
     */
    this.repositories = new Set();
    /** Docker Hub's pull-limit headers (hub-ratelimit.mjs); set by infra for dockerHub only. */
    /** @type {import('./hub-ratelimit.mjs').HubRateLimit | undefined} */
    this.rateLimit = undefined;
    this.configFile = path.join(this.dir, 'config.yml');
    /** @type {import('./infra.mjs').Service} */
    this.process = {
      name: `docker-registry (${spec.name})`,
      argv: [registryBinary, 'serve', this.configFile],
      env: {},
      logFile: path.join(this.dir, 'registry.log'),
    };
  }

  /** The plain-HTTP origin of the docker-registry process (loopback, behind the front). */
  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request the front saw for this stand-in, oldest first (copies). */
  requests() {
    return this.log.map((r) => ({ ...r, ...(r.scopes && { scopes: [...r.scopes] }) }));
  }

  clearRequests() {
    this.log.length = 0;
  }

  /**
   * docker-registry's config: loopback HTTP (TLS is the front's), relative URLs so upload
   * locations work under any name, token auth with our signing certificate.
   * @param {string} signerCert
   */
  config(signerCert) {
    const { spec } = this;
    const auth =
      spec.auth === 'token'
        ? [
            'auth:',
            '  token:',
            `    realm: ${JSON.stringify(spec.realm)}`,
            `    service: ${JSON.stringify(spec.service)}`,
            `    issuer: ${JSON.stringify(issuerFor(/** @type {string} */ (spec.service)))}`,
            `    rootcertbundle: ${JSON.stringify(signerCert)}`,
          ]
        : [];
    return [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      `  filesystem: { rootdirectory: ${JSON.stringify(path.join(this.dir, 'data'))} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: "127.0.0.1:${this.port}"`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      '  relativeurls: true',
      ...auth,
      '',
    ].join('\n');
  }
}

/**
 * A free TCP port on 127.0.0.1 (our network namespace is private, so nobody races us for it).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
