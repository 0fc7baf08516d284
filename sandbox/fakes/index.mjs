// @ts-check
// Local fakes of GitHub's OIDC token service, AWS STS, ECR Public, ECR and Docker's OIDC token
// exchange, speaking their real wire protocols on 127.0.0.1 so the action (and the real AWS SDK)
// can run against them offline.
import { buildClaims, GITHUB_ISSUER, jobIdentity } from './claims.mjs';
import { dockerOidcService, EXCHANGE_PATH } from './docker-oidc.mjs';
import { ecrPublicService } from './ecr-public.mjs';
import { ecrService } from './ecr.mjs';
import { endpointHandler } from './endpoint.mjs';
import { FaultPlan } from './faults.mjs';
import { startServer } from './http.mjs';
import { createSigningKey } from './jwt.mjs';
import { oidcService, DISCOVERY_PATH, JWKS_PATH, TOKEN_PATH } from './oidc.mjs';
import { randomAlnum } from './random.mjs';
import { RegistryLogins } from './registry-auth.mjs';
import { SessionStore } from './sessions.mjs';
import { stsService } from './sts.mjs';
import { denial } from './trust.mjs';
import { STAND_INS } from '../registries.mjs';
import { shippedRoles } from '../iam/shipped.mjs';

export { GITHUB_ISSUER } from './claims.mjs';
export { stringLike } from './trust.mjs';
export { randomAlnum } from './random.mjs';
export { RegistryLogins } from './registry-auth.mjs';
export { DOCKER_IDENTITY_AUDIENCE } from './docker-oidc.mjs';

/**
 * @typedef {import('./trust.mjs').RoleConfig} RoleConfig
 * @typedef {import('./faults.mjs').Fault} Fault
 * @typedef {import('./faults.mjs').FailWith} FailWith
 * @typedef {import('./claims.mjs').ClaimOverrides} ClaimOverrides
 * @typedef {'oidc' | 'sts' | 'ecr' | 'ecrPrivate' | 'dockerIdentity'} EndpointName
 * @typedef {import('./docker-oidc.mjs').Connection} DockerConnection
 * @typedef {import('./docker-oidc.mjs').Issued} DockerIssued
 * @typedef {import('./ecr.mjs').IssuedToken} IssuedToken
 */

/** The role the fakes trust by default (for any ref of the configured repository). */
export const DEFAULT_ROLE_ARN = 'arn:aws:iam::123456789012:role/ecr-public-pull';
/** The audience AWS's IAM OIDC provider for GitHub accepts. */
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** The Docker OIDC connection the fakes know by default (see defaultDockerConnection). */
export const DEFAULT_DOCKER_CONNECTION_ID = '5f0c2a6e-8d1b-4c3a-9e7f-2b6d4a1c8e90';

/**
 * @typedef {object} FakesOptions
 * @property {string} [requestToken] the ACTIONS_ID_TOKEN_REQUEST_TOKEN the OIDC endpoint accepts (default random)
 * @property {string} [repository] `owner/name` (default `octo-org/app`)
 * @property {string} [ref] default `refs/heads/main`
 * @property {string} [sub] default `repo:${repository}:ref:${ref}`
 * @property {ClaimOverrides} [claims] any other claims; a value of undefined removes the claim
 * @property {Record<string, RoleConfig>} [roles] trust per role ARN (default: DEFAULT_ROLE_ARN
 *   with the shipped policies for `repository`, rendered from `iam`)
 * @property {import('../iam/shipped.mjs').IamSource} [iam] which shipped form renders the default
 *   role: `cloudformation` (default) or `terraform`
 * @property {string[]} [audiences] client ids of the account's GitHub OIDC provider (default [sts.amazonaws.com])
 * @property {string} [ecrPassword] default 64 random letters and digits
 * @property {number} [tokenLifetimeSeconds] ID token exp - iat (default 300; negative gives expired tokens)
 * @property {number} [ecrTokenLifetimeSeconds] default 43200
 * @property {DockerConnection[]} [dockerConnections] Docker OIDC connections (default one:
 *   DEFAULT_DOCKER_CONNECTION_ID for the repository's owner as organization, any ref of it)
 */

/**
 * @typedef {object} FakeUrls
 * @property {string} oidcRequestUrl ACTIONS_ID_TOKEN_REQUEST_URL (already has `?api-version=2.0`)
 * @property {string} oidc origin of the OIDC server
 * @property {string} jwks
 * @property {string} openidConfiguration
 * @property {string} sts AWS_ENDPOINT_URL_STS
 * @property {string} ecrPublic AWS_ENDPOINT_URL_ECR_PUBLIC
 * @property {string} ecrPrivate AWS_ENDPOINT_URL_ECR (ECR's GetAuthorizationToken, any region)
 * @property {string} dockerIdentity origin of Docker's token exchange (POST EXCHANGE_PATH)
 * @property {string} dockerExchange the exchange's full URL (identity.docker.com/oauth/token)
 */

/**
 * A snapshot; every request counts, faulted ones included.
 * @typedef {object} Counters
 * @property {number} oidc token requests (JWKS and discovery requests are not counted)
 * @property {number} sts
 * @property {number} ecr
 * @property {number} ecrPrivate
 * @property {Record<EndpointName, number>} faulted requests answered by an injected fault
 * @property {number} oidcTokensIssued
 * @property {string[]} stsWebIdentityTokens the WebIdentityToken of every STS request, in order
 *   (faulted ones too), to check that each attempt used a fresh OIDC token
 * @property {number} stsSessionsIssued
 * @property {number} ecrTokensIssued
 * @property {number} ecrPrivateTokensIssued
 * @property {number} dockerIdentity token exchange requests
 * @property {number} dockerTokensIssued
 */

/**
 * @typedef {object} RecordedRequest
 * @property {EndpointName} endpoint
 * @property {string} method
 * @property {string} path path and query as sent
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} body
 * @property {FailWith | null} fault the injected failure that answered it, if any
 */

/**
 * @typedef {object} Fakes
 * @property {FakeUrls} urls
 * @property {string} requestToken
 * @property {string} ecrPassword
 * @property {() => Record<string, string>} env the variables a job needs to reach the fakes
 * @property {(endpoint: EndpointName, fault: Fault) => void} setFault replaces that endpoint's fault
 * @property {(endpoint?: EndpointName) => void} clearFaults one endpoint, or all
 * @property {() => Counters} counters
 * @property {() => RecordedRequest[]} requests every counted request, oldest first
 * @property {(claims: ClaimOverrides) => void} setClaims replaces the claims set by an earlier setClaims
 *   (the start options stay the base); `repository`/`ref` re-derive sub and friends unless given
 * @property {(roles: Record<string, RoleConfig>) => void} setRoles replaces all roles
 * @property {() => void} resetRoles back to the roles the fakes started with
 * @property {() => void} expireSessions makes every issued AWS session expired
 * @property {(connections: DockerConnection[]) => void} setDockerConnections replaces them all
 * @property {() => void} resetDockerConnections back to the ones the fakes started with
 * @property {() => DockerIssued[]} dockerTokens every Docker token exchanged, oldest first; each
 *   is a Docker Hub password for its organization until it expires
 * @property {() => IssuedToken[]} ecrPrivateTokens every ECR (private) token issued, oldest first:
 *   its password is what a registry answering as `registry` must accept from user AWS
 * @property {() => string[]} issuedSecrets every secret a job could leak: the request token, ID
 *   tokens, access key ids, secret keys, session tokens, the ECR password and authorization tokens
 * @property {RegistryLogins} registryLogins the logins the registry stand-ins accept, by stand-in
 *   (ecrPublic, dockerHub, ecrPrivate): a fake that issues a registry password adds it here, as
 *   the ECR Public fake does with its own (`registryLogins.add('ecrPrivate', { username, password })`)
 * @property {() => Promise<void>} close stops all servers and cuts open (also hung) connections
 */

/**
 * Starts the five fakes, each on its own random 127.0.0.1 port.
 * @param {FakesOptions} [options]
 * @returns {Promise<Fakes>}
 */
export async function startFakes(options = {}) {
  const repository = options.repository ?? 'octo-org/app';
  const startRoles = options.roles ?? (await shippedRoles({ repository }, options.iam));
  const state = initialState(options, repository, startRoles);
  const key = await createSigningKey();
  const services = createServices(state, key, options);
  /** @param {EndpointName} name */
  const serve = (name) =>
    startServer(
      endpointHandler({
        service: services[name],
        faults: state.faults[name],
        closing: state.closing.signal,
        onRequest: (req, failure) => record(state, name, req, failure),
      }),
    );
  const servers = await Promise.all([
    serve('oidc'),
    serve('sts'),
    serve('ecr'),
    serve('ecrPrivate'),
    serve('dockerIdentity'),
  ]);
  return fakesApi(state, servers);
}

/**
 * @param {FakesOptions} options
 * @param {string} repository
 * @param {Record<string, RoleConfig>} startRoles
 */
function initialState(options, repository, startRoles) {
  const requestToken = options.requestToken ?? randomAlnum(40);
  const ecrPassword = options.ecrPassword ?? randomAlnum(64);
  /** @type {ClaimOverrides} */
  const baseClaims = {
    ...jobIdentity(),
    repository,
    ref: options.ref ?? 'refs/heads/main',
    ...(options.sub !== undefined && { sub: options.sub }),
    ...options.claims,
  };
  return {
    requestToken,
    ecrPassword,
    baseClaims,
    /** @type {ClaimOverrides} */
    claimOverrides: {},
    /** The roles the fakes started with (default: the shipped template's, for this repository). */
    startRoles,
    /** @type {Record<string, RoleConfig>} */
    roles: startRoles,
    startConnections: options.dockerConnections ?? [defaultDockerConnection(repository)],
    /** @type {DockerConnection[]} */
    dockerConnections: [],
    /** @type {DockerIssued[]} */
    dockerTokens: [],
    /** @type {Set<string>} */
    secrets: new Set([requestToken, ecrPassword]),
    registryLogins: newRegistryLogins(ecrPassword),
    sessions: new SessionStore(),
    stats: {
      requests: { oidc: 0, sts: 0, ecr: 0, ecrPrivate: 0, dockerIdentity: 0 },
      faulted: { oidc: 0, sts: 0, ecr: 0, ecrPrivate: 0, dockerIdentity: 0 },
      oidcTokensIssued: 0,
      /** @type {string[]} */
      stsWebIdentityTokens: [],
      stsSessionsIssued: 0,
      ecrTokensIssued: 0,
    },
    /** @type {IssuedToken[]} */
    ecrPrivateTokens: [],
    /** @type {RecordedRequest[]} */
    log: [],
    faults: {
      oidc: new FaultPlan(),
      sts: new FaultPlan(),
      ecr: new FaultPlan(),
      ecrPrivate: new FaultPlan(),
      dockerIdentity: new FaultPlan(),
    },
    closing: new AbortController(),
    now: () => Date.now(),
  };
}

/**
 * The logins the registry stand-ins accept; the ECR Public fake's password is one of them.
 * @param {string} ecrPassword
 */
function newRegistryLogins(ecrPassword) {
  const logins = new RegistryLogins();
  logins.add('ecrPublic', { username: 'AWS', password: ecrPassword });
  return logins;
}

/**
 * A connection for the repository's owner as organization, letting in any ref of the repository.
 * @param {string} repository
 * @returns {DockerConnection}
 */
export function defaultDockerConnection(repository) {
  return {
    id: DEFAULT_DOCKER_CONNECTION_ID,
    organization: repository.split('/')[0],
    rulesets: [{ label: 'this repository', subjects: [`repo:${repository}:*`] }],
  };
}

/** @typedef {ReturnType<typeof initialState>} State */

/**
 * The five services over one state: every secret they issue is remembered for leak scans.
 * @param {State} state
 * @param {import('./jwt.mjs').SigningKey} key
 * @param {FakesOptions} options
 */
function createServices(state, key, options) {
  return {
    oidc: newOidcService(state, key, options),
    sts: newStsService(state, key, options),
    ecr: newEcrPublicService(state, options),
    ecrPrivate: newEcrPrivateService(state, options),
    dockerIdentity: newDockerIdentityService(state, key),
  };
}

/**
 * GitHub's OIDC token service, signing the claims the state holds at the time of each request.
 * @param {State} state
 * @param {import('./jwt.mjs').SigningKey} key
 * @param {FakesOptions} options
 */
function newOidcService(state, key, options) {
  return oidcService({
    requestToken: state.requestToken,
    key,
    claimsFor: (audience) =>
      buildClaims({
        base: state.baseClaims,
        overrides: state.claimOverrides,
        audience,
        lifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
        nowSeconds: Math.floor(state.now() / 1000),
      }),
    onIssued: (jwt) => {
      state.stats.oidcTokensIssued += 1;
      state.secrets.add(jwt);
    },
  });
}

/**
 * STS, trusting the OIDC fake's key and the state's roles.
 * @param {State} state
 * @param {import('./jwt.mjs').SigningKey} key
 * @param {FakesOptions} options
 */
function newStsService(state, key, options) {
  return stsService({
    jwks: () => [key.jwk],
    issuer: GITHUB_ISSUER,
    audiences: options.audiences ?? [STS_AUDIENCE],
    roles: () => state.roles,
    sessions: state.sessions,
    onSession: (session) => {
      state.stats.stsSessionsIssued += 1;
      state.secrets.add(session.accessKeyId).add(session.secretAccessKey).add(session.sessionToken);
    },
    now: state.now,
  });
}

/**
 * ECR Public, issuing tokens for the state's ECR password to STS's sessions.
 * @param {State} state
 * @param {FakesOptions} options
 */
function newEcrPublicService(state, options) {
  return ecrPublicService({
    sessions: state.sessions,
    password: () => state.ecrPassword,
    tokenLifetimeSeconds: options.ecrTokenLifetimeSeconds ?? 43200,
    onToken: (token) => {
      state.stats.ecrTokensIssued += 1;
      state.secrets.add(token);
    },
    now: state.now,
  });
}

/**
 * ECR (private); a token for the stand-in's registry becomes a login the stand-in accepts.
 * @param {State} state
 * @param {FakesOptions} options
 */
function newEcrPrivateService(state, options) {
  return ecrService({
    sessions: state.sessions,
    authorize: denial,
    tokenLifetimeSeconds: options.ecrTokenLifetimeSeconds ?? 43200,
    onToken: (token) => {
      state.ecrPrivateTokens.push(token);
      state.secrets.add(token.authorizationToken).add(token.password);
      // ECR passwords are per registry: only one for the stand-in's account and region opens it.
      if (STAND_INS.ecrPrivate.hosts.includes(token.registry)) {
        state.registryLogins.add('ecrPrivate', { username: 'AWS', password: token.password });
      }
    },
    now: state.now,
  });
}

/**
 * Docker's OIDC token exchange over the state's connections; each token becomes a Docker Hub login.
 * @param {State} state
 * @param {import('./jwt.mjs').SigningKey} key
 */
function newDockerIdentityService(state, key) {
  return dockerOidcService({
    jwks: () => [key.jwk],
    connections: () => state.dockerConnections,
    onIssued: (issued) => {
      state.dockerTokens.push(issued);
      state.secrets.add(issued.accessToken);
      // The exchanged token is a Docker Hub password of the organization, until it expires.
      state.registryLogins.add('dockerHub', {
        username: issued.organization,
        password: issued.accessToken,
        expiresAt: issued.expiresAt,
      });
    },
    now: state.now,
  });
}

/**
 * Counts and logs one request (and the web identity token STS was sent).
 * @param {State} state
 * @param {EndpointName} name
 * @param {import('./http.mjs').FakeRequest} req
 * @param {import('./faults.mjs').FailWith | null} failure
 */
function record(state, name, req, failure) {
  state.stats.requests[name] += 1;
  if (failure !== null) state.stats.faulted[name] += 1;
  const body = req.body.toString('utf8');
  if (name === 'sts') {
    const token = new URLSearchParams(body).get('WebIdentityToken');
    if (token !== null) state.stats.stsWebIdentityTokens.push(token);
  }
  state.log.push({
    endpoint: name,
    method: req.method,
    path: req.rawPath,
    headers: { ...req.headers },
    body,
    fault: failure,
  });
}

/**
 * @param {State} state
 * @param {import('./http.mjs').RunningServer[]} servers oidc, sts, ecr, ecrPrivate, dockerIdentity
 * @returns {Fakes}
 */
function fakesApi(state, servers) {
  state.dockerConnections = state.startConnections;
  const { faults } = state;
  const urls = fakeUrls(servers);
  return {
    urls,
    requestToken: state.requestToken,
    ecrPassword: state.ecrPassword,
    env: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: urls.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: state.requestToken,
      AWS_ENDPOINT_URL_STS: urls.sts,
      AWS_ENDPOINT_URL_ECR_PUBLIC: urls.ecrPublic,
      AWS_ENDPOINT_URL_ECR: urls.ecrPrivate,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    setFault: (endpoint, fault) => plan(faults, endpoint).set(fault),
    clearFaults: (endpoint) => {
      if (endpoint) plan(faults, endpoint).clear();
      else for (const f of Object.values(faults)) f.clear();
    },
    counters: () => counters(state),
    ecrPrivateTokens: () => state.ecrPrivateTokens.map((t) => ({ ...t })),
    requests: () => state.log.map((r) => ({ ...r, headers: { ...r.headers } })),
    setClaims: (claims) => void (state.claimOverrides = { ...claims }),
    setRoles: (next) => void (state.roles = { ...next }),
    resetRoles: () => void (state.roles = state.startRoles),
    expireSessions: () => state.sessions.expireAll(state.now()),
    setDockerConnections: (next) => void (state.dockerConnections = next.map(copyConnection)),
    resetDockerConnections: () => void (state.dockerConnections = state.startConnections),
    dockerTokens: () => state.dockerTokens.map((t) => ({ ...t })),
    registryLogins: state.registryLogins,
    issuedSecrets: () => [...new Set([...state.secrets, ...state.registryLogins.secrets()])],
    close: closeOnce(state, servers),
  };
}

/**
 * @param {import('./http.mjs').RunningServer[]} servers oidc, sts, ecr, ecrPrivate, dockerIdentity
 * @returns {FakeUrls}
 */
function fakeUrls([oidc, sts, ecr, ecrPrivate, dockerIdentity]) {
  return {
    oidcRequestUrl: `${oidc.origin}${TOKEN_PATH}?api-version=2.0`,
    oidc: oidc.origin,
    jwks: oidc.origin + JWKS_PATH,
    openidConfiguration: oidc.origin + DISCOVERY_PATH,
    sts: sts.origin,
    ecrPublic: ecr.origin,
    ecrPrivate: ecrPrivate.origin,
    dockerIdentity: dockerIdentity.origin,
    dockerExchange: dockerIdentity.origin + EXCHANGE_PATH,
  };
}

/**
 * A snapshot of the state's counts (copies, so later requests do not change it).
 * @param {State} state
 * @returns {Counters}
 */
function counters({ stats, ecrPrivateTokens, dockerTokens }) {
  return {
    ...stats.requests,
    faulted: { ...stats.faulted },
    oidcTokensIssued: stats.oidcTokensIssued,
    stsWebIdentityTokens: [...stats.stsWebIdentityTokens],
    stsSessionsIssued: stats.stsSessionsIssued,
    ecrTokensIssued: stats.ecrTokensIssued,
    ecrPrivateTokensIssued: ecrPrivateTokens.length,
    dockerTokensIssued: dockerTokens.length,
  };
}

/**
 * Stops all servers and cuts open (also hung) connections; every later call gets the same promise.
 * @param {State} state
 * @param {import('./http.mjs').RunningServer[]} servers
 */
function closeOnce(state, servers) {
  /** @type {Promise<void> | undefined} */
  let closed;
  return () => {
    closed ??= (async () => {
      state.closing.abort();
      await Promise.all(servers.map((s) => s.close()));
    })();
    return closed;
  };
}

/**
 * @param {Record<EndpointName, FaultPlan>} faults
 * @param {string} endpoint
 */
function plan(faults, endpoint) {
  if (!Object.hasOwn(faults, endpoint)) {
    throw new TypeError(
      `unknown endpoint '${endpoint}' (expected oidc, sts, ecr, ecrPrivate or dockerIdentity)`,
    );
  }
  return faults[/** @type {EndpointName} */ (endpoint)];
}

/** @param {DockerConnection} c */
function copyConnection(c) {
  return { ...c, rulesets: c.rulesets.map((r) => ({ ...r, subjects: [...r.subjects] })) };
}
