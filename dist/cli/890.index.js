export const id = 890;
export const ids = [890];
export const modules = {

/***/ 4719:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F2: () => (/* binding */ parseReference),
/* harmony export */   LX: () => (/* binding */ qualified),
/* harmony export */   Tn: () => (/* binding */ manifestReference),
/* harmony export */   ph: () => (/* binding */ officialName),
/* harmony export */   r6: () => (/* binding */ referenceSuffix),
/* harmony export */   te: () => (/* binding */ referenceProblem)
/* harmony export */ });
/* harmony import */ var _registry_names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1815);
// Image references: distribution's reference grammar, and Docker's "familiar" normalisation.
// Hand-written (30 lines of regex): the npm port of the grammar (@swimlane/docker-reference)
// predates distribution's current one (no [IPv6] hosts, an empty '-' separator) and throws
// errors that cannot say which part is wrong.

const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH = `${NAME_COMPONENT}(?:/${NAME_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;
/** The algorithms go-digest registers by default, and their hex lengths (lower case only). */
const DIGEST_HEX = { sha256: 64, sha512: 128 };
/** distribution refuses a whole reference of 64 hex digits: it reads as an image ID. */
const IMAGE_ID = /^[a-f0-9]{64}$/;
/** Why a reference is not valid; undefined when it is. */
function referenceProblem(text) {
    const m = REFERENCE.exec(text);
    if (!m) {
        if (REFERENCE.test(text.toLowerCase()))
            return 'a repository name must be lower-case';
        return 'not an image reference (expected [registry/]name[:tag][@sha256:digest])';
    }
    if (IMAGE_ID.test(text))
        return 'a name of 64 hex digits is refused (it reads as an image ID)';
    // distribution counts the path only: `library/<name>` for a Docker Hub name without a slash.
    if (split(m[1]).repository.length > NAME_MAX) {
        return `the repository path is longer than ${NAME_MAX} characters`;
    }
    return m[3] === undefined ? undefined : digestProblem(m[3]);
}
/** Why a digest is not one go-digest accepts by default; undefined when it is. */
function digestProblem(digest) {
    const [algorithm, hex] = [
        digest.slice(0, digest.indexOf(':')),
        digest.slice(digest.indexOf(':') + 1),
    ];
    const length = DIGEST_HEX[algorithm];
    if (length === undefined)
        return `the digest algorithm ${algorithm} is not supported (sha256, sha512)`;
    if (hex.length !== length || !/^[0-9a-f]*$/.test(hex)) {
        return `a ${algorithm} digest is ${length} lower-case hex digits`;
    }
    return undefined;
}
/** Parses and normalises a reference (as `docker pull` reads it); throws on an invalid one. */
function parseReference(text) {
    const problem = referenceProblem(text);
    if (problem)
        throw new Error(problem);
    const [, name, tag, digest] = REFERENCE.exec(text);
    return { ...split(name), tag, digest };
}
/** A name's registry and repository path, normalised as docker's splitDockerDomain does. */
function split(name) {
    const slash = name.indexOf('/');
    const first = name.slice(0, slash);
    const hasDomain = slash > 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
    const registry = hasDomain ? first.toLowerCase() : _registry_names_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB */ .Xb;
    let repository = hasDomain ? name.slice(slash + 1) : name;
    if (_registry_names_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB_ALIASES */ .Kd.has(registry) && !repository.includes('/'))
        repository = `library/${repository}`;
    return { registry: _registry_names_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB_ALIASES */ .Kd.has(registry) ? _registry_names_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB */ .Xb : registry, repository };
}
/** The name of a Docker official image (`library/<name>` on Docker Hub), else undefined. */
function officialName(ref) {
    if (ref.registry !== _registry_names_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB */ .Xb)
        return undefined;
    const m = /^library\/([^/]+)$/.exec(ref.repository);
    return m?.[1];
}
/** `:tag` and/or `@digest`, as in the reference. */
const referenceSuffix = (ref) => `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
/** The fully qualified form, `docker.io/library/nginx:latest`; a reference with neither gets `latest`. */
function qualified(ref) {
    const suffix = ref.tag || ref.digest ? referenceSuffix(ref) : ':latest';
    return `${ref.registry}/${ref.repository}${suffix}`;
}
/** What to ask a registry's manifest endpoint for: the digest when there is one (it wins), else the tag. */
const manifestReference = (ref) => ref.digest ?? ref.tag ?? 'latest';


/***/ }),

/***/ 3641:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ isUnreachable),
/* harmony export */   l: () => (/* binding */ isTransientNetworkError)
/* harmony export */ });
// One policy for network failures, for every caller (the AWS calls, image resolution):
// - a connection that was refused, reset, timed out or unreachable, or a DNS server that did not
//   answer (EAI_AGAIN), may work a moment later: retried;
// - a name that does not exist (ENOTFOUND) will not exist a second later: not retried (it is
//   almost always a mistyped region or host, said at once), but the host counts as unreachable.
const TRANSIENT = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EHOSTDOWN',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
]);
const codeOf = (error) => error?.code;
/** A failure worth another attempt. */
const isTransientNetworkError = (error) => {
    const code = codeOf(error);
    return typeof code === 'string' && TRANSIENT.has(code);
};
/** The host could not be reached or did not answer (transient, or no such name). */
const isUnreachable = (error) => isTransientNetworkError(error) || codeOf(error) === 'ENOTFOUND';


/***/ }),

/***/ 7893:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   NE: () => (/* binding */ withDeadline)
/* harmony export */ });
/* unused harmony exports sleep, backoffDelay, DeadlineError */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1922);
// Retries with capped exponential backoff, full jitter and one deadline for the whole phase.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Full jitter: a uniform wait between 0 and the capped exponential step. */
function backoffDelay(attempt, base, cap, random) {
    return Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
}
/** Thrown when the phase deadline passes; carries the last failure. */
class DeadlineError extends _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ {
    constructor(what, seconds, last, lastWhat) {
        const quoted = last ? `${lastWhat ? `${lastWhat}: ` : ''}${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(last)}` : '';
        super(`${what} did not succeed within the ${seconds} s deadline${quoted ? ` (last error: ${quoted})` : ''}.`, 'Raise `timeout-seconds` if the network is slow, or check that the endpoint is reachable from this runner (proxy settings: HTTPS_PROXY, NO_PROXY, `http-proxy`).');
        this.name = 'DeadlineError';
    }
}
async function retry(attempt, o) {
    const now = o.now ?? Date.now;
    const wait = o.sleep ?? sleep;
    for (let n = 1;; n++) {
        try {
            return await attempt(n);
        }
        catch (error) {
            o.onFailure?.(error, o.what);
            if (n >= o.maxAttempts || !o.isRetryable(error))
                throw error;
            const delay = o.serverDelayMs?.(error) ??
                backoffDelay(n, o.baseDelayMs ?? 250, o.maxDelayMs ?? 5000, o.random ?? Math.random);
            if (now() + delay >= o.deadline)
                throw error;
            o.onRetry?.(`${o.what} failed (${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeError */ .Uc)(error)}); attempt ${n} of ${o.maxAttempts}, retrying in ${delay} ms`);
            await wait(delay);
        }
    }
}
/**
 * Runs fn, rejecting with DeadlineError when the deadline passes first; the signal aborts fn's I/O.
 * fn reports each failure (and what failed) through `failed` so the deadline error can name it.
 */
async function withDeadline(what, deadline, seconds, fn) {
    const controller = new AbortController();
    let timer;
    let last;
    let lastWhat;
    const expired = new Promise((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new DeadlineError(what, seconds, last, lastWhat));
        }, Math.max(0, deadline - Date.now()));
    });
    try {
        const failed = (error, which) => {
            last = error;
            lastWhat = which;
        };
        return await Promise.race([fn(controller.signal, failed), expired]);
    }
    finally {
        clearTimeout(timer);
    }
}


/***/ }),

/***/ 4394:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ pullScopes),
/* harmony export */   x: () => (/* binding */ parseChallenge)
/* harmony export */ });
// The registry's answer to an unauthenticated request: `WWW-Authenticate: Bearer realm=…,service=…,
// scope=…` (a token service to ask) or `Basic realm=…` (send the credentials on each request).
// A parameter: name=token or name="quoted string" (backslash escapes; commas allowed inside).
const PARAM = /\s*([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
/** The first Bearer or Basic challenge in a WWW-Authenticate value; undefined if there is none. */
function parseChallenge(header) {
    for (const value of [header ?? []].flat()) {
        const m = /^\s*(bearer|basic)\b\s*/i.exec(value);
        if (!m)
            continue;
        const params = {};
        PARAM.lastIndex = m[0].length;
        for (let p = PARAM.exec(value); p; p = PARAM.exec(value)) {
            params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
            if (PARAM.lastIndex >= value.length)
                break;
        }
        return { scheme: m[1].toLowerCase(), params };
    }
    return undefined;
}
/**
 * The scopes to ask a Bearer token for when reading `repository`: pull on that repository, after
 * the registry's own scope when it is not per repository (ECR Public says `aws`), as docker asks.
 */
function pullScopes(challenge, repository) {
    const scope = challenge.params.scope;
    const pull = `repository:${repository}:pull`;
    return scope && !scope.startsWith('repository:') ? [scope, pull] : [pull];
}


/***/ }),

/***/ 2440:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _P: () => (/* binding */ MANIFEST_TYPES),
/* harmony export */   bP: () => (/* binding */ RegistryClient)
/* harmony export */ });
/* unused harmony export RegistryAuthError */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _challenge_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4394);
// A small Registry v2 client for reads (manifests, blobs): it answers the registry's auth challenge
// the way docker does (a Bearer token from the realm, with Basic credentials or anonymously; or
// Basic on every request), keeps tokens per scope until shortly before they expire, and hands back
// the response unbuffered so a caller can stream a blob or follow nothing (redirects are returned).



/** What a real client accepts for a manifest: OCI index and manifest, Docker list and v2 manifest. */
const MANIFEST_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
class RegistryAuthError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'RegistryAuthError';
    }
}
class RegistryClient {
    o;
    challenge;
    /** The challenge in use is the caller's assumption, not yet confirmed by a token. */
    assumed;
    /** Settles when an assumed challenge that failed has been replaced by the registry's own. */
    relearning;
    /** Settles when the first request has learnt the challenge; later ones wait for it. */
    learning;
    tokens = new Map();
    now;
    constructor(o) {
        this.o = o;
        this.challenge = o.challenge;
        this.assumed = o.challenge !== undefined;
        this.now = o.now ?? Date.now;
    }
    /** The response, authenticated as the registry asks; the caller reads or discards its body. */
    async request(r) {
        // Requests that waited for the first one share its failure to reach the registry: each
        // trying again in turn would cost a timeout apiece against a host that drops packets.
        if (!this.challenge && this.learning)
            await this.learning;
        if (!this.challenge) {
            const first = this.send(r, undefined);
            this.learning = first;
            first.catch(() => {
                if (this.learning === first)
                    this.learning = undefined;
            });
            const response = await first;
            if (response.statusCode !== 401)
                return response;
            response.resume();
            this.challenge = (0,_challenge_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChallenge */ .x)(response.headers['www-authenticate']);
            if (!this.challenge)
                return response;
        }
        const response = await this.send(r, await this.authorizationOrRelearn(r));
        if (response.statusCode === 401 && this.challenge?.scheme === 'bearer') {
            // The token may have been revoked or its scope guessed wrong: learn the new challenge once.
            const retry = (0,_challenge_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChallenge */ .x)(response.headers['www-authenticate']);
            if (!retry)
                return response;
            response.resume();
            this.challenge = retry;
            this.tokens.delete(this.scopeKey(r.repository));
            return this.send(r, await this.authorization(r.repository));
        }
        return response;
    }
    /** The authorization; an assumed challenge whose token service refuses (401, 404) is dropped. */
    async authorizationOrRelearn(r) {
        const assumed = this.challenge;
        try {
            const authorization = await this.authorization(r.repository);
            if (this.challenge === assumed)
                this.assumed = false;
            return authorization;
        }
        catch (error) {
            const refused = error instanceof RegistryAuthError && [401, 404].includes(error.status);
            if (refused && this.assumed && this.challenge === assumed)
                this.relearning = this.relearn(r);
            else if (!refused || !this.relearning)
                throw error;
            await this.relearning;
            return this.authorization(r.repository);
        }
    }
    /** Forgets the assumed challenge and asks the registry for its own (one unauthenticated request). */
    async relearn(r) {
        this.challenge = undefined;
        this.assumed = false;
        this.tokens.clear();
        const first = await this.send(r, undefined);
        first.resume();
        if (first.statusCode === 401)
            this.challenge = (0,_challenge_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChallenge */ .x)(first.headers['www-authenticate']);
    }
    async authorization(repository) {
        if (!this.challenge && this.relearning)
            await this.relearning.catch(() => undefined);
        const challenge = this.challenge;
        if (!challenge)
            return undefined;
        if (challenge.scheme === 'basic')
            return this.basic();
        return `Bearer ${(await this.token(repository)).value}`;
    }
    basic() {
        const c = this.o.credentials;
        return c && `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    }
    scopeKey(repository) {
        if (!this.challenge)
            return '';
        const scopes = (0,_challenge_js__WEBPACK_IMPORTED_MODULE_2__/* .pullScopes */ .r)(this.challenge, repository);
        // A registry-wide scope (ECR Public's `aws`) and the repositories known up front: one token
        // that covers them all, so N references cost one token request.
        const known = this.o.repositories ?? [];
        if (scopes.length > 1 && known.includes(repository)) {
            return [scopes[0], ...known.map((r) => `repository:${r}:pull`)].join(' ');
        }
        return scopes.join(' ');
    }
    token(repository) {
        const key = this.scopeKey(repository);
        const cached = this.tokens.get(key);
        if (cached) {
            return cached.then((t) => (t.refreshAt > this.now() ? t : this.fetchToken(key)));
        }
        return this.fetchToken(key);
    }
    fetchToken(scope) {
        const pending = this.askTokenService(scope);
        this.tokens.set(scope, pending);
        pending.catch(() => this.tokens.delete(scope));
        return pending;
    }
    async askTokenService(scope) {
        const { realm = '', service } = this.challenge?.params ?? {};
        const url = new URL(realm);
        if (service)
            url.searchParams.set('service', service);
        for (const one of scope.split(' ').filter(Boolean))
            url.searchParams.append('scope', one);
        const started = this.now();
        const response = await transport(url, 'GET', this.o, {
            accept: 'application/json',
            ...(this.basic() ? { authorization: this.basic() } : {}),
        });
        const text = await readText(response);
        if (response.statusCode !== 200) {
            throw new RegistryAuthError(response.statusCode ?? 0, `the token service ${url.host} answered HTTP ${response.statusCode} for scope ${scope || '(none)'}`);
        }
        return this.tokenFrom(text, url.host, started);
    }
    tokenFrom(text, host, started) {
        let body;
        try {
            body = JSON.parse(text);
        }
        catch {
            throw new RegistryAuthError(200, `the token service ${host} answered with something that is not JSON`);
        }
        const value = body.token || body.access_token;
        if (!value)
            throw new RegistryAuthError(200, `the token service ${host} gave no token`);
        this.o.onToken?.(value);
        // The spec's default lifetime is 60 s; renew a little before the end, never later than half-way.
        const lifetimeMs = (Number(body.expires_in) > 0 ? Number(body.expires_in) : 60) * 1000;
        return {
            value,
            refreshAt: started + Math.min(lifetimeMs / 2, Math.max(lifetimeMs - 30_000, 0)),
        };
    }
    send(r, authorization) {
        const headers = {};
        if (r.accept)
            headers.accept = r.accept.join(', ');
        if (authorization)
            headers.authorization = authorization;
        return transport(new URL(r.path, this.o.origin), r.method, this.o, headers, r.signal);
    }
}
function transport(url, method, o, headers, signal) {
    const client = url.protocol === 'https:' ? (node_https__WEBPACK_IMPORTED_MODULE_1___default()) : (node_http__WEBPACK_IMPORTED_MODULE_0___default());
    return new Promise((resolve, reject) => {
        const request = client.request(url, { method, headers, agent: o.agent, signal });
        request.setTimeout(o.timeoutMs, () => request.destroy(Object.assign(new Error(`no answer from ${url.host} within ${o.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
        })));
        request.once('error', reject);
        request.once('response', resolve);
        request.end();
    });
}
async function readText(response) {
    const chunks = [];
    for await (const chunk of response)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}


/***/ }),

/***/ 1815:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GU: () => (/* binding */ libraryPrefix),
/* harmony export */   Kd: () => (/* binding */ DOCKER_HUB_ALIASES),
/* harmony export */   Nt: () => (/* binding */ ECR_PUBLIC_REGISTRY),
/* harmony export */   RH: () => (/* binding */ libraryPrefixProblem),
/* harmony export */   Tz: () => (/* binding */ DOCKER_HUB_API_HOST),
/* harmony export */   Xb: () => (/* binding */ DOCKER_HUB),
/* harmony export */   l5: () => (/* binding */ normalizeRegistry),
/* harmony export */   rQ: () => (/* binding */ canonicalHost),
/* harmony export */   vy: () => (/* binding */ splitPrefix)
/* harmony export */ });
// Registry names the action knows. A module of its own so the post bundle can use them
// without loading input parsing (and the proxy code it pulls in).
const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';
const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's registry API answers (`docker.io` is only a name). */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** Names that all mean Docker Hub; references and inputs collapse them to `docker.io`. */
const DOCKER_HUB_ALIASES = new Set([
    DOCKER_HUB,
    'index.docker.io',
    DOCKER_HUB_API_HOST,
    'registry.hub.docker.com',
]);
/** The one name of a registry host: Docker Hub's aliases become `docker.io`. */
const canonicalHost = (host) => DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
/**
 * Where Docker official images live on a registry this step logged in to (the `library-prefix`
 * output): `<prefix>/<image>:<tag>` pulls Docker Hub's `<image>:<tag>`. Empty for a registry with
 * no such mirror. Every feature that maps an image to the mirror goes through this one function.
 */
function libraryPrefix(registry) {
    const { host, cache } = typeof registry === 'string' ? { host: registry } : registry;
    if (cache) {
        return `${host}/${cache.namespace}/${cache.upstream === 'docker-hub' ? 'library' : 'docker/library'}`;
    }
    if (host === ECR_PUBLIC_REGISTRY)
        return `${ECR_PUBLIC_REGISTRY}/docker/library`;
    if (host === DOCKER_HUB)
        return `${DOCKER_HUB}/library`;
    return '';
}
/** `host/path` of a library prefix, split at its first slash (`public.ecr.aws` + `docker/library`). */
function splitPrefix(prefix) {
    const slash = prefix.indexOf('/');
    return slash < 0
        ? { host: prefix, path: '' }
        : { host: prefix.slice(0, slash), path: prefix.slice(slash + 1).replace(/\/+$/, '') };
}
/** `host[:port]`, lower-cased, scheme and path removed; Docker Hub aliases collapse to docker.io. */
function normalizeRegistry(value) {
    const host = value
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/\/(v1|v2)?\/?$/, '');
    const name = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
    if (!name.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host))
        return undefined;
    const port = /:(\d+)$/.exec(host)?.[1];
    if (port && !(Number(port) >= 1 && Number(port) <= 65535))
        return undefined;
    return canonicalHost(host);
}
const LIBRARY_PREFIX = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;
/** Why a library prefix (`host[:port]/path`) is not one; undefined when it is. A trailing `/` is the caller's to drop. */
function libraryPrefixProblem(prefix) {
    if (LIBRARY_PREFIX.test(prefix))
        return undefined;
    const shown = JSON.stringify(prefix.length > 80 ? `${prefix.slice(0, 80)}…` : prefix);
    return `must be a registry host and path such as harbor.example.com/dockerhub/library: got ${shown}`;
}


/***/ })

};
