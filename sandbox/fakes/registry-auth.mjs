// @ts-check
// Registry authentication as public.ecr.aws, Docker Hub and ECR private do it: the Docker token
// endpoint (GET <realm>?service=..&scope=..; Basic credentials or none) that signs the JWTs
// docker-registry's `auth: token` verifies, and the logins each registry accepts.
// Token claims follow distribution's token spec: iss, sub, aud = service, exp, nbf, iat, jti and
// `access`; the header's kid is the libtrust key id of the key in the registry's rootcertbundle.
import { createHash, randomUUID, sign } from 'node:crypto';

const TOKEN_LIFETIME_SECONDS = 300;
// Clock skew the registry tolerates anyway; nbf a little in the past keeps it out of the way.
const NOT_BEFORE_SLACK_SECONDS = 10;

/**
 * @typedef {{ username: string, password: string }} Login
 * @typedef {Login & { expiresAt?: number }} IssuedLogin expiresAt: epoch ms it stops working
 * @typedef {{ privateKey: import('node:crypto').KeyObject, publicKey: import('node:crypto').KeyObject }} TokenKey
 * @typedef {{ type: string, name: string, actions: string[] }} Access
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 */

/**
 * Which logins each registry accepts: a base list (replaced as a whole, like a password
 * rotation) plus logins the fakes issued (added one by one, e.g. every ECR password). Also keeps
 * every token the token endpoints issued, for the leak scan.
 */
export class RegistryLogins {
  constructor() {
    /** @type {Map<string, Login[]>} */
    this.base = new Map();
    /** @type {Map<string, IssuedLogin[]>} */
    this.issued = new Map();
    /** @type {Set<string>} */
    this.tokens = new Set();
  }

  /**
   * @param {string} registry
   * @param {Login[]} logins
   */
  set(registry, logins) {
    this.base.set(
      registry,
      logins.map(({ username, password }) => ({ username, password })),
    );
  }

  /**
   * @param {string} registry
   * @param {IssuedLogin} login with expiresAt, refused from then on (short-lived tokens)
   */
  add(registry, { username, password, expiresAt }) {
    const list = this.issued.get(registry) ?? [];
    list.push({ username, password, ...(expiresAt !== undefined && { expiresAt }) });
    this.issued.set(registry, list);
  }

  /**
   * Exact comparison (no 72-byte bcrypt cut-off, unlike htpasswd).
   * @param {string} registry
   * @param {string} username
   * @param {string} password
   */
  accepts(registry, username, password) {
    /** @type {IssuedLogin[]} */
    const all = [...(this.base.get(registry) ?? []), ...(this.issued.get(registry) ?? [])];
    const now = Date.now();
    return all.some(
      (l) =>
        l.username === username &&
        l.password === password &&
        (l.expiresAt === undefined || now < l.expiresAt),
    );
  }

  /** Every password and token, for a leak scan. */
  secrets() {
    const logins = [...this.base.values(), ...this.issued.values()].flat();
    return [...logins.map((l) => l.password), ...this.tokens];
  }
}

/**
 * libtrust's key id: the SHA-256 of the DER public key, first 240 bits, base32 in groups of 4.
 * docker-registry looks the header's kid up among its rootcertbundle's keys this way.
 * @param {import('node:crypto').KeyObject} publicKey
 */
export function libtrustKeyId(publicKey) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const hash = createHash('sha256').update(der).digest().subarray(0, 30);
  return base32(hash).match(/.{4}/g)?.join(':') ?? '';
}

/** @param {Buffer} bytes */
function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((b) => alphabet[parseInt(b.padEnd(5, '0'), 2)]).join('');
}

/**
 * An ES256 JWT for the registry.
 * @param {TokenKey} key
 * @param {Record<string, unknown>} claims
 */
export function signRegistryToken(key, claims) {
  const header = { typ: 'JWT', alg: 'ES256', kid: libtrustKeyId(key.publicKey) };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * The claims of a token for `service`, granting `access`.
 * @param {{ issuer: string, service: string, subject: string, access: Access[], nowSeconds: number }} o
 */
export function tokenClaims(o) {
  return {
    iss: o.issuer,
    sub: o.subject,
    aud: o.service,
    exp: o.nowSeconds + TOKEN_LIFETIME_SECONDS,
    nbf: o.nowSeconds - NOT_BEFORE_SLACK_SECONDS,
    iat: o.nowSeconds,
    jti: randomUUID(),
    access: o.access,
  };
}

/**
 * A registry whose tokens are registry-wide (ECR Public): a request with `scope` (its challenge's
 * own scope, `aws`) gets pull on every repository it holds. docker-registry's token format lists
 * repositories by exact name, so the stand-in keeps the list (`repositories`, filled by whatever
 * pushes to it: the seeding).
 * @typedef {{ scope: string, repositories: () => Iterable<string> }} RegistryWide
 */

/**
 * `repository:NAME:ACTIONS` scopes, granted pull only (pushes go around the token endpoint).
 * Other scopes grant nothing, except a registry-wide one (ECR Public's `aws`) where the registry
 * has it: pull on every repository it holds.
 * @param {string[]} scopes
 * @param {RegistryWide} [registryWide]
 * @returns {Access[]}
 */
export function grantPull(scopes, registryWide) {
  /** @type {Access[]} */
  const access = [];
  const granted = new Set();
  const grant = (/** @type {string} */ name) => {
    if (granted.has(name)) return;
    granted.add(name);
    access.push({ type: 'repository', name, actions: ['pull'] });
  };
  for (const scope of scopes) {
    const [type, ...rest] = scope.split(':');
    if (type !== 'repository' || rest.length < 2) continue;
    const actions = /** @type {string} */ (rest.pop()).split(',');
    if (actions.includes('pull') || actions.includes('*')) grant(rest.join(':'));
  }
  if (registryWide && scopes.includes(registryWide.scope)) {
    for (const name of registryWide.repositories()) grant(name);
  }
  return access;
}

/**
 * @param {string | undefined} header
 * @returns {Login | null | undefined} undefined when absent, null when malformed
 */
export function parseBasic(header) {
  if (!header) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * @typedef {object} TokenEndpointOptions
 * @property {string} registry key in RegistryLogins
 * @property {string} service the `service` the registry announces and checks as `aud`
 * @property {string} issuer
 * @property {TokenKey} key
 * @property {RegistryLogins} logins
 * @property {() => boolean} anonymous whether requests without credentials get a token
 * @property {RegistryWide} [registryWide] tokens asked with this scope cover every repository
 * @property {() => number} [now] epoch ms
 */

/**
 * The token endpoint: GET with the service and scopes in the query.
 * @param {TokenEndpointOptions} o
 * @returns {(req: { method: string, url: URL, headers: Record<string, string | string[] | undefined> }) => FakeResponse}
 */
export function tokenEndpoint(o) {
  return (req) => {
    if (req.method !== 'GET') return errors(405, 'UNSUPPORTED', 'only GET is supported here');
    const service = req.url.searchParams.get('service');
    if (service !== null && service !== o.service) {
      return errors(400, 'INVALID_REQUEST', `unknown service ${JSON.stringify(service)}`);
    }
    const auth = req.headers.authorization;
    const login = parseBasic(Array.isArray(auth) ? auth[0] : auth);
    if (
      login === null ||
      (login && !o.logins.accepts(o.registry, login.username, login.password))
    ) {
      return errors(401, 'UNAUTHORIZED', 'incorrect username or password');
    }
    if (!login && !o.anonymous()) {
      return errors(401, 'UNAUTHORIZED', 'anonymous access is turned off in this sandbox');
    }
    const nowSeconds = Math.floor((o.now?.() ?? Date.now()) / 1000);
    const claims = tokenClaims({
      issuer: o.issuer,
      service: o.service,
      subject: login?.username ?? '',
      access: grantPull(req.url.searchParams.getAll('scope'), o.registryWide),
      nowSeconds,
    });
    const token = signRegistryToken(o.key, claims);
    o.logins.tokens.add(token);
    return json(200, {
      token,
      access_token: token,
      expires_in: TOKEN_LIFETIME_SECONDS,
      issued_at: new Date(nowSeconds * 1000).toISOString(),
    });
  };
}

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 */
function errors(status, code, message) {
  return json(status, { errors: [{ code, message, detail: null }] });
}

/**
 * @param {number} status
 * @param {unknown} body
 * @returns {FakeResponse}
 */
function json(status, body) {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** @param {unknown} value */
function b64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
