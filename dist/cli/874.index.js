export const id = 874;
export const ids = [874];
export const modules = {

/***/ 6874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   registryClients: () => (/* binding */ registryClients)
/* harmony export */ });
/* harmony import */ var _registry_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2440);
/* harmony import */ var _registry_names_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1815);


/** ECR Public's documented challenge: one `aws` scope, so one token covers every repository. */
const KNOWN_CHALLENGES = {
    [_registry_names_js__WEBPACK_IMPORTED_MODULE_1__/* .ECR_PUBLIC_REGISTRY */ .Nt]: {
        scheme: 'bearer',
        params: { realm: 'https://public.ecr.aws/token/', service: 'public.ecr.aws', scope: 'aws' },
    },
};
/** Clients by host, made on first use; `repositories` (what will be read there) is used then. */
function registryClients(o) {
    const clients = new Map();
    return (host, repositories) => {
        let client = clients.get(host);
        if (!client) {
            client = new _registry_client_js__WEBPACK_IMPORTED_MODULE_0__/* .RegistryClient */ .bP({
                origin: `https://${host}`,
                credentials: o.credentials(host),
                timeoutMs: o.timeoutMs,
                agent: o.agent?.(host),
                challenge: KNOWN_CHALLENGES[host],
                repositories,
                onToken: o.onToken,
            });
            clients.set(host, client);
        }
        return client;
    };
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
