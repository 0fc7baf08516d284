export const id = 223;
export const ids = [223];
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

/***/ 4223:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPipeline: () => (/* binding */ runPipeline)
});

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/net/proxy.ts
var proxy = __webpack_require__(1987);
// EXTERNAL MODULE: ./src/images/clients.ts
var clients = __webpack_require__(6874);
// EXTERNAL MODULE: ./node_modules/minimatch/dist/esm/index.js + 7 modules
var esm = __webpack_require__(3581);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/images/files.ts
// The files `rewrite` names: its globs (the syntax of @actions/glob: minimatch patterns, `!` to
// exclude, hidden files included), rooted at the workspace. minimatch is used directly rather than
// @actions/glob, which pulls in @actions/core and its HTTP stack: 537 KB of bundle against 30 KB.
// A glob that matches nothing is a warning; a match that resolves outside the workspace (a
// symlink out of it) is refused with a warning and never read or written.



const OPTIONS = { dot: true };
/** Every regular file the globs match inside the workspace, sorted. */
function findRewriteFiles(globs, workspace, warn) {
    const root = (0,external_node_fs_.realpathSync)(workspace);
    const excludes = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    const found = new Set();
    for (const glob of globs.filter((g) => !g.startsWith('!'))) {
        const matches = [...walk(root, staticBase(glob))].filter((path) => (0,esm/* minimatch */.xF)(path, glob, OPTIONS) && !excludes.some((e) => (0,esm/* minimatch */.xF)(path, e, OPTIONS)));
        if (matches.length === 0)
            warn(`'rewrite' glob ${JSON.stringify(glob)} matched no file.`);
        for (const match of matches)
            found.add(match);
    }
    return [...found].sort().flatMap((relative) => insideWorkspace(root, relative, warn));
}
/** The leading path segments of a glob that hold no pattern characters. */
function staticBase(glob) {
    const segments = glob.split('/');
    const firstPattern = segments.findIndex((s) => /[*?[\]{}()!+@]/.test(s));
    return segments.slice(0, firstPattern === -1 ? segments.length - 1 : firstPattern).join('/');
}
/** Relative paths (`/`-separated) of the non-directories under base; symlinked folders are not entered. */
function* walk(root, base) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)((0,external_node_path_.join)(root, base), { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const entry of entries) {
        const relative = base ? `${base}/${entry.name}` : entry.name;
        if (entry.isDirectory())
            yield* walk(root, relative);
        else
            yield relative;
    }
}
function insideWorkspace(root, relative, warn) {
    const path = (0,external_node_path_.join)(root, relative);
    let real;
    try {
        real = (0,external_node_fs_.realpathSync)(path);
    }
    catch {
        return []; // a broken symlink: nothing to rewrite
    }
    if (!real.startsWith(root + external_node_path_.sep)) {
        warn(`'rewrite' matched ${relative}, which leads outside the workspace (${real}); it is left alone.`);
        return [];
    }
    return (0,external_node_fs_.statSync)(real).isFile() ? [{ path, relative }] : [];
}

// EXTERNAL MODULE: ./src/images/rewrite-plan.ts + 3 modules
var rewrite_plan = __webpack_require__(8028);
// EXTERNAL MODULE: ./src/images/rows.ts
var rows = __webpack_require__(765);
;// CONCATENATED MODULE: ./src/images/pipeline-run.ts
// The image pipeline itself (loaded only when `images` or `rewrite` is set): resolve, rewrite
// the workspace's files in place, print their diff, and hand back the outputs and summary rows.







const REQUEST_TIMEOUT_MS = 10_000;
async function runPipeline(settings, context) {
    const { runtime } = context;
    const warn = (message) => runtime.warning(message, 'Image resolution');
    const files = settings.rewrite.length
        ? findRewriteFiles(settings.rewrite, context.env.GITHUB_WORKSPACE || process.cwd(), warn)
        : [];
    const agent = (0,proxy.proxyConfigured)(context.env, context.httpProxy)
        ? (0,proxy.proxyAgents)(context.env, context.httpProxy, REQUEST_TIMEOUT_MS).https
        : new (external_node_https_default()).Agent({ keepAlive: true });
    const clientFor = (0,clients.registryClients)({
        credentials: context.credentials,
        timeoutMs: REQUEST_TIMEOUT_MS,
        agent: () => agent,
        onToken: runtime.setSecret,
    });
    const plan = await (0,rewrite_plan/* planRewrite */.CN)(settings.images, files, {
        libraryPrefix: context.libraryPrefix,
        verifyDigest: settings.verifyDigest,
        clientFor,
        maxAttempts: context.retryMaxAttempts,
        boundMs: context.timeoutSeconds * 1000,
        warn,
    });
    agent.destroy();
    const rewritten = await writeFiles(plan, runtime);
    return {
        images: JSON.stringify(Object.fromEntries(settings.images.map((i) => [i, plan.resolutions.get(i)?.pull ?? i]))),
        'images-not-mirrored': JSON.stringify([...plan.resolutions]
            .filter(([, r]) => r.reason)
            .map(([reference, r]) => ({ reference, reason: r.reason }))),
        'rewritten-files': JSON.stringify(rewritten),
        rows: (0,rows/* imageRows */.D)(settings.images, plan),
    };
}
/** Writes each changed file and prints its diff in one log group; a failed write is a warning. */
async function writeFiles(plan, runtime) {
    const changed = plan.files.filter((f) => (0,rewrite_plan/* changes */.Ao)(f));
    if (changed.length === 0)
        return [];
    const written = [];
    await runtime.group(`Rewrote ${changed.length} file(s) to pull from the mirror`, async () => {
        for (const file of changed) {
            try {
                (0,external_node_fs_.writeFileSync)(file.path, file.after);
                written.push(file.relative);
                for (const line of (0,rewrite_plan/* unifiedDiff */.WH)(file).split('\n'))
                    runtime.info(line);
            }
            catch (error) {
                runtime.warning(`${file.relative} could not be rewritten (${String(error)}); it is left as it was.`);
            }
        }
    });
    return written;
}


/***/ })

};
