export const id = 568;
export const ids = [568];
export const modules = {

/***/ 1583:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ IMAGE_FILE_KINDS),
  K: () => (/* binding */ imageFileKind)
});

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/images/reference.ts
var reference = __webpack_require__(4719);
// EXTERNAL MODULE: ./src/images/sites.ts
var images_sites = __webpack_require__(3418);
;// CONCATENATED MODULE: ./src/images/compose.ts
// Where a Compose file names images: `services.<name>.image`, found with the yaml package's
// Document API. The file is then edited by splicing those scalars' source ranges, not by
// re-serialising the document, so comments, anchors, quoting and layout stay byte for byte.
// Beside `build:`, `image:` names the image the build produces (its tag and push target), not
// one to pull: it is listed with that reason and never rewritten.



/** Every `services.*.image` that is a plain reference; throws when the YAML cannot be parsed. */
function composeSites(text) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { keepSourceTokens: false });
    if (doc.errors.length > 0)
        throw new Error(doc.errors[0].message);
    const services = doc.get('services');
    if (!(0,dist/* isMap */.jh)(services))
        return [];
    const sites = [];
    for (const { value: service } of services.items) {
        const image = (0,dist/* isMap */.jh)(service) ? service.get('image', true) : undefined;
        const site = (0,dist/* isScalar */.jn)(image) ? scalarSite(text, image) : undefined;
        if (!site || (0,reference/* referenceProblem */.te)(site.text) !== undefined)
            continue;
        sites.push((0,dist/* isMap */.jh)(service) && service.has('build') ? { ...site, keep: BUILT } : site);
    }
    return sites;
}
const BUILT = 'built here: beside build:, image: names what the build produces';
/** A plain or quoted scalar's text; block scalars and escapes are left alone. */
function scalarSite(text, node) {
    if (!node.range || typeof node.value !== 'string')
        return undefined;
    if (node.type !== 'PLAIN' && node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') {
        return undefined;
    }
    const site = (0,images_sites/* siteAt */.LA)(text, node.range[0], node.range[1]);
    return site?.text === node.value ? site : undefined;
}

// EXTERNAL MODULE: ./node_modules/dockerfile-ast/lib/main.js
var main = __webpack_require__(8390);
;// CONCATENATED MODULE: ./src/images/dockerfile.ts
// Where a Dockerfile names images, found with dockerfile-ast (the parser behind the Dockerfile
// language server): FROM, COPY --from (ONBUILD's too), RUN --mount=...,from=, and the default of an ARG declared
// before the first FROM when a FROM is exactly that variable. Stage names, scratch and other
// variables are not images.



/** Every site in the Dockerfile's text that names an image by a plain reference. */
function dockerfileSites(text) {
    const dockerfile = main.DockerfileParser.parse(text);
    const offset = lineOffsets(text);
    const at = (range) => range ? (0,images_sites/* siteAt */.LA)(text, offset(range.start), offset(range.end)) : undefined;
    const stages = new Set();
    const sites = [];
    // BuildKit takes FROM <name> for a stage only when an EARLIER stage has that name
    // (dockerfile2llb's addState); a name defined later is an image to pull.
    for (const from of dockerfile.getFROMs()) {
        const image = at(from.getImageRange());
        const site = image?.text.includes('$') ? argDefault(dockerfile, image.text, at) : image;
        if (site && !stages.has(site.text.toLowerCase()))
            sites.push(site);
        const stage = from.getBuildStage();
        if (stage)
            stages.add(stage.toLowerCase());
    }
    // --from looks at every stage of the file (one defined later is a build error, not an image).
    const flagSites = fromFlagSites(dockerfile.getInstructions(), at).filter((site) => site && !stages.has(site.text.toLowerCase()) && !/^\d+$/.test(site.text));
    const seen = new Set();
    return [...sites, ...flagSites].filter((site) => {
        if (!site || seen.has(site.start))
            return false;
        seen.add(site.start);
        return site.text !== 'scratch' && (0,reference/* referenceProblem */.te)(site.text) === undefined;
    });
}
/** COPY --from and RUN --mount=…,from= sites, ONBUILD's trigger instruction included. */
function fromFlagSites(instructions, at) {
    const sites = [];
    for (const outer of instructions) {
        const instruction = outer.getKeyword() === 'ONBUILD' ? outer.getTriggerInstruction() : outer;
        const keyword = instruction?.getKeyword();
        if (!instruction || (keyword !== 'COPY' && keyword !== 'RUN'))
            continue;
        for (const flag of instruction.getFlags()) {
            sites.push(fromSite(flag, keyword, at));
        }
    }
    return sites;
}
/** Position (line, character) to offset, with the parser's line breaks: \r\n, \r or \n. */
function lineOffsets(text) {
    const starts = [0];
    for (const m of text.matchAll(/\r\n|\r|\n/g))
        starts.push(m.index + m[0].length);
    return (p) => (starts[p.line] ?? text.length) + p.character;
}
/** COPY --from=<image> and RUN --mount=...,from=<image>. */
function fromSite(flag, keyword, at) {
    if (keyword === 'COPY' && flag.getName() === 'from')
        return at(flag.getValueRange());
    if (keyword !== 'RUN' || flag.getName() !== 'mount')
        return undefined;
    const from = flag.getOptions().find((o) => o.getName() === 'from');
    return from ? at(from.getValueRange()) : undefined;
}
/** `FROM $NAME` / `FROM ${NAME}`: the default of the ARG NAME declared before the first FROM. */
function argDefault(dockerfile, image, at) {
    const name = /^\$(?:\{(\w+)\}|(\w+))$/.exec(image);
    if (!name)
        return undefined;
    const arg = dockerfile
        .getInitialARGs()
        .map((a) => a.getProperty())
        .filter((p) => p?.getName() === (name[1] ?? name[2]))
        .pop();
    return arg ? at(arg.getValueRange()) : undefined;
}

;// CONCATENATED MODULE: ./src/images/file-kinds.ts
// The kinds of file whose image references the pipeline rewrites, as a table: a file is the
// first kind that claims it by its name, else the first that claims it by its content. A new kind
// (a workflow's `container:`, a Kubernetes manifest) is a file of sites and a row here; the CLI's
// usage and the README's list read the `names` column.


const YAML = /\.ya?ml$/i;
const IMAGE_FILE_KINDS = [
    {
        label: 'Compose file',
        names: 'compose.yaml, docker-compose.yml and *.yml / *.yaml with a top-level services: key',
        byName: (base) => /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i.test(base),
        byContent: (text) => /^services:/m.test(text),
        sites: composeSites,
    },
    {
        label: 'Dockerfile',
        names: 'Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and any file whose first instruction is FROM or ARG',
        byName: (base) => /(^|\.)(dockerfile|containerfile)(\.|$)/i.test(base),
        byContent: (text) => /^\s*(FROM|ARG)\s/im.test(firstInstruction(text)),
        sites: dockerfileSites,
    },
];
/** The first line that is not blank and not a comment (parser directives are comments). */
const firstInstruction = (text) => text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';
/** The kind of a file, or undefined when no kind claims it (a YAML file without services:). */
function imageFileKind(path, text) {
    const base = path.split(/[\\/]/).pop() ?? path;
    const named = IMAGE_FILE_KINDS.find((kind) => kind.byName(base));
    if (named)
        return named;
    // A YAML file is Compose or nothing: never read as a Dockerfile.
    const candidates = YAML.test(base) ? IMAGE_FILE_KINDS.slice(0, 1) : IMAGE_FILE_KINDS;
    return candidates.find((kind) => kind.byContent(text));
}


/***/ }),

/***/ 8028:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ao: () => (/* binding */ changes),
  CN: () => (/* binding */ planRewrite),
  WH: () => (/* binding */ unifiedDiff)
});

// EXTERNAL MODULE: ./node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(7291);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/images/bytes.ts
// A file's bytes and a decoded copy for the parsers, with the byte offset of every UTF-16 index of
// that copy. A byte that is not part of valid UTF-8 (a latin-1 `é`) reads as U+FFFD, but only the
// decoded copy sees that: edits are spliced into the bytes, so every other byte stays as it was.
const isContinuation = (b) => b !== undefined && (b & 0xc0) === 0x80;
/** Length of the valid UTF-8 sequence at i (1-4), or 0 when the byte there starts none. */
function sequenceLength(bytes, i) {
    const b0 = bytes[i];
    if (b0 < 0x80)
        return 1;
    const [b1, b2, b3] = [bytes[i + 1], bytes[i + 2], bytes[i + 3]];
    if (b0 >= 0xc2 && b0 <= 0xdf)
        return isContinuation(b1) ? 2 : 0;
    if (b0 >= 0xe0 && b0 <= 0xef) {
        // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
        const ok = b0 === 0xe0 ? b1 >= 0xa0 : b0 === 0xed ? b1 < 0xa0 : true;
        return ok && isContinuation(b1) && isContinuation(b2) ? 3 : 0;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
        const ok = b0 === 0xf0 ? b1 >= 0x90 : b0 === 0xf4 ? b1 < 0x90 : true;
        return ok && isContinuation(b1) && isContinuation(b2) && isContinuation(b3) ? 4 : 0;
    }
    return 0;
}
function decodeFile(bytes) {
    const parts = [];
    const offsets = [];
    for (let i = 0; i < bytes.length;) {
        const n = sequenceLength(bytes, i);
        const part = n === 0 ? '\ufffd' : bytes.toString('utf8', i, i + n);
        for (let u = 0; u < part.length; u++)
            offsets.push(i);
        parts.push(part);
        i += n || 1;
    }
    offsets.push(bytes.length);
    return { bytes, text: parts.join(''), offsets: Uint32Array.from(offsets) };
}

// EXTERNAL MODULE: ./src/images/file-kinds.ts + 2 modules
var file_kinds = __webpack_require__(1583);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/registry/names.ts
var registry_names = __webpack_require__(1815);
// EXTERNAL MODULE: ./src/net/retry.ts
var retry = __webpack_require__(7893);
// EXTERNAL MODULE: ./src/registry/client.ts
var registry_client = __webpack_require__(2440);
// EXTERNAL MODULE: ./src/net/network-errors.ts
var network_errors = __webpack_require__(3641);
;// CONCATENATED MODULE: ./src/images/hosts.ts
// Which registry hosts have stopped answering during one resolution. A host that fails at the
// connection level (refused, unreachable, timed out) this many times in a row, with no answer in
// between, is not asked again: later references to it fail at once instead of each waiting out
// its own timeouts and retries (with Docker Hub dropping packets, 80 references took ~10 min).

class HostHealth {
    limit;
    failures = new Map();
    constructor(limit = 3) {
        this.limit = limit;
    }
    /** Why the host is not asked any more; undefined while it is. */
    deadReason(host) {
        const f = this.failures.get(host);
        if (!f || f.count < this.limit)
            return undefined;
        return `${host} did not answer ${f.count} times in a row (last: ${f.last}), so it was not asked again`;
    }
    /** Records an answer (any HTTP status) or a failure from the host. */
    record(host, error) {
        if (error === undefined)
            this.failures.delete(host);
        else if ((0,network_errors/* isUnreachable */.R)(error)) {
            const count = (this.failures.get(host)?.count ?? 0) + 1;
            this.failures.set(host, { count, last: String(error.message ?? error) });
        }
    }
}

// EXTERNAL MODULE: ./src/images/reference.ts
var reference = __webpack_require__(4719);
;// CONCATENATED MODULE: ./src/images/resolve.ts
// Decides, per image reference, whether the logged-in mirror serves that exact tag or digest:
// one HEAD on its manifest (plus one on Docker Hub's with verify-digest), checked in parallel,
// retried on throttling and server errors. A reference is pointed at the mirror only on proof.







const DEFAULT_CONCURRENCY = 8;
/** Resolves each distinct reference once, at most `concurrency` at a time; keyed as written. */
async function resolveReferences(references, options) {
    const distinct = [...new Set(references)];
    const mirror = options.libraryPrefix ? (0,registry_names/* splitPrefix */.vy)(options.libraryPrefix) : undefined;
    const names = distinct.map((text) => (0,reference/* officialName */.ph)((0,reference/* parseReference */.F2)(text)));
    if (mirror && mirror.host !== registry_names/* DOCKER_HUB */.Xb) {
        const repositories = [...new Set(names.filter((n) => n !== undefined))];
        options.clientFor(mirror.host, repositories.map((name) => `${mirror.path}/${name}`));
    }
    const results = new Map();
    const run = startRun(options);
    let next = 0;
    const worker = async () => {
        while (next < distinct.length) {
            const text = distinct[next++];
            results.set(text, await resolveOne(text, options, run));
        }
    };
    const workers = Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, distinct.length);
    try {
        await Promise.all(Array.from({ length: workers }, worker));
    }
    finally {
        run.stop();
    }
    return new Map(distinct.map((text) => [text, results.get(text)]));
}
function startRun(options) {
    const controller = new AbortController();
    const bound = options.boundMs ?? Infinity;
    const timer = Number.isFinite(bound) ? setTimeout(() => controller.abort(), bound) : undefined;
    return {
        signal: controller.signal,
        deadline: Date.now() + bound,
        overdue: `not checked within image resolution's ${Math.round(bound / 1000)} s bound`,
        hosts: new HostHealth(),
        stop: () => clearTimeout(timer),
    };
}
async function resolveOne(text, options, run) {
    const ref = (0,reference/* parseReference */.F2)(text);
    const name = (0,reference/* officialName */.ph)(ref);
    const stays = (reason, unchecked) => ({
        pull: (0,reference/* qualified */.LX)(ref),
        mirrored: false,
        reason,
        ...(unchecked ? { unchecked } : {}),
    });
    const mirror = options.libraryPrefix ? (0,registry_names/* splitPrefix */.vy)(options.libraryPrefix) : undefined;
    const hasMirror = mirror !== undefined && mirror.host !== registry_names/* DOCKER_HUB */.Xb;
    if (hasMirror && (0,reference/* qualified */.LX)(ref).startsWith(`${options.libraryPrefix}/`))
        return stays();
    if (ref.registry !== registry_names/* DOCKER_HUB */.Xb)
        return stays('not a Docker Hub image');
    if (!name)
        return stays('not an official image');
    if (!hasMirror)
        return stays('no mirror logged in');
    const problem = await mirrorProblem(ref, `${mirror.path}/${name}`, mirror.host, options, run);
    if (problem)
        return stays(problem.reason, problem.unchecked);
    return { pull: `${options.libraryPrefix}/${name}${(0,reference/* referenceSuffix */.r6)(ref)}`, mirrored: true };
}
/** Undefined when the mirror serves this tag or digest (with the same digest, if asked). */
async function mirrorProblem(ref, repository, host, options, run) {
    const compareDigests = options.verifyDigest && !ref.digest;
    const [onMirror, onHub] = await Promise.all([
        headManifest(options, run, host, repository, (0,reference/* manifestReference */.Tn)(ref)),
        compareDigests
            ? headManifest(options, run, registry_names/* DOCKER_HUB_API_HOST */.Tz, ref.repository, (0,reference/* manifestReference */.Tn)(ref))
            : { found: false },
    ]);
    if ('failure' in onMirror) {
        const reason = `mirror check failed: ${onMirror.failure}`;
        options.warn?.(`${(0,reference/* qualified */.LX)(ref)} stays on Docker Hub: ${reason}`);
        return { reason, unchecked: true };
    }
    if (!onMirror.found) {
        return { reason: ref.digest ? 'digest not on the mirror' : 'tag not on the mirror' };
    }
    if (!compareDigests)
        return undefined;
    if ('failure' in onHub) {
        return { reason: `Docker Hub check failed: ${onHub.failure}`, unchecked: true };
    }
    if (!onHub.digest || onHub.digest !== onMirror.digest)
        return { reason: 'digest differs' };
    return undefined;
}
class RetryableStatus extends Error {
}
/** One HEAD on a manifest, retried on 429, 5xx and network errors; 200 and 404 are answers. */
async function headManifest(options, run, host, repository, reference) {
    const path = `/v2/${repository}/manifests/${reference}`;
    try {
        return await (0,retry/* retry */.L5)(() => headOnce(options.clientFor(host), run, host, repository, path), {
            what: `HEAD ${host}${path}`,
            maxAttempts: options.maxAttempts ?? 3,
            deadline: run.deadline,
            isRetryable: (error) => error instanceof RetryableStatus || (0,network_errors/* isTransientNetworkError */.l)(error),
            sleep: options.sleep,
        });
    }
    catch (error) {
        return { failure: run.signal.aborted ? run.overdue : (0,errors/* describeError */.Uc)(error) };
    }
}
class Skipped extends Error {
}
/** One attempt, unless the bound has passed or the host is known dead. */
async function headOnce(client, run, host, repository, path) {
    const dead = run.hosts.deadReason(host);
    if (run.signal.aborted || dead)
        throw new Skipped(run.signal.aborted ? run.overdue : dead);
    const response = await client
        .request({ method: 'HEAD', path, repository, accept: registry_client/* MANIFEST_TYPES */._P, signal: run.signal })
        .catch((error) => {
        run.hosts.record(host, error);
        throw error;
    });
    run.hosts.record(host);
    response.resume();
    const status = response.statusCode ?? 0;
    if (status === 200)
        return { found: true, digest: digestHeader(response) };
    if (status === 404)
        return { found: false };
    const message = `HTTP ${status} from ${host}`;
    throw status === 429 || status >= 500 ? new RetryableStatus(message) : new Error(message);
}
const digestHeader = (response) => {
    const value = response.headers['docker-content-digest'];
    return typeof value === 'string' ? value : undefined;
};

// EXTERNAL MODULE: ./src/images/sites.ts
var images_sites = __webpack_require__(3418);
;// CONCATENATED MODULE: ./src/images/rewrite-plan.ts
// The rewrite plan, shared by the pipeline and the one-off CLI: find the image sites in each
// file, resolve every reference once, and compute each file's new text (nothing is written here).






/** Sites of one file, or why it could not be read or parsed. */
function readSites(file) {
    let decoded;
    try {
        decoded = decodeFile((0,external_node_fs_.readFileSync)(file.path));
    }
    catch (error) {
        return { why: `could not be read (${firstLine(error)})` };
    }
    const kind = (0,file_kinds/* imageFileKind */.K)(file.path, decoded.text);
    if (!kind)
        return { why: `is not a file this action rewrites (${KINDS})` };
    try {
        return { decoded, sites: kind.sites(decoded.text) };
    }
    catch (error) {
        return { why: `could not be parsed (${firstLine(error)})` };
    }
}
const KINDS = file_kinds/* IMAGE_FILE_KINDS */.H.map((kind) => `${kind.label}s: ${kind.names}`).join('; ');
const firstLine = (error) => {
    const message = error?.message;
    return (typeof message === 'string' ? message : String(error)).split('\n')[0];
};
async function planRewrite(images, files, o) {
    const parsed = [];
    const unreadable = [];
    for (const file of files) {
        const read = readSites(file);
        if (read.decoded)
            parsed.push({ file, decoded: read.decoded, sites: read.sites });
        else {
            unreadable.push({ relative: file.relative, why: read.why });
            o.warn(`${file.relative} ${read.why}; it is left untouched.`);
        }
    }
    const pulled = (sites) => sites.filter((s) => s.keep === undefined).map((s) => s.text);
    const all = [...images, ...parsed.flatMap((p) => pulled(p.sites))];
    const resolutions = await resolveReferences(all, o);
    const newText = (text) => {
        const r = resolutions.get(text);
        return r?.mirrored ? r.pull : undefined;
    };
    return {
        resolutions,
        unreadable,
        files: parsed.map(({ file, decoded, sites }) => {
            const after = (0,images_sites/* spliceSites */.fG)(decoded, sites, newText);
            return {
                ...file,
                before: decoded.bytes,
                after: after.equals(decoded.bytes) ? decoded.bytes : after,
                references: [...new Set(pulled(sites))],
                kept: new Map(sites.flatMap((s) => (s.keep === undefined ? [] : [[s.text, s.keep]]))),
            };
        }),
    };
}
/** Whether the plan changes the file. */
const changes = (f) => f.after !== f.before;
/** A unified diff of one file's change (git's a/ b/ names); bytes that are not UTF-8 show as U+FFFD. */
const unifiedDiff = (f) => (0,create/* createTwoFilesPatch */.ss)(`a/${f.relative}`, `b/${f.relative}`, f.before.toString('utf8'), f.after.toString('utf8'), '', '', { context: 3 });


/***/ }),

/***/ 765:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ imageRows)
/* harmony export */ });
function imageRows(images, m) {
    return [...resolvedRows(images, m), ...keptRows(m)];
}
function resolvedRows(images, m) {
    return [...m.resolutions].map(([reference, r]) => ({
        reference,
        pull: r.pull,
        mirrored: r.mirrored,
        reason: r.reason,
        sources: [
            ...(images.includes(reference) ? ['images'] : []),
            ...m.files.filter((f) => f.references.includes(reference)).map((f) => f.relative),
        ],
    }));
}
/** References left as written whatever the mirror serves (Compose `image:` beside `build:`). */
function keptRows(m) {
    const rows = new Map();
    for (const file of m.files) {
        for (const [reference, reason] of file.kept) {
            const key = `${reference}\n${reason}`;
            const row = rows.get(key) ?? {
                reference,
                pull: reference,
                mirrored: false,
                reason,
                sources: [],
            };
            row.sources.push(file.relative);
            rows.set(key, row);
        }
    }
    return [...rows.values()];
}


/***/ }),

/***/ 3418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LA: () => (/* binding */ siteAt),
/* harmony export */   fG: () => (/* binding */ spliceSites)
/* harmony export */ });
/* unused harmony export applySites */
// A place in a file that names an image, and the byte-exact splice that repoints it.

/**
 * The file's bytes with each site whose reference has a replacement swapped in. Splicing works on
 * the bytes (sites are mapped to byte offsets), so every byte outside a site is kept as it was.
 */
function spliceSites(file, sites, replacement) {
    const out = [];
    let at = 0;
    for (const site of [...sites].sort((a, b) => a.start - b.start)) {
        const next = site.keep === undefined ? replacement(site.text) : undefined;
        const start = file.offsets[site.start];
        if (next === undefined || start < at)
            continue;
        out.push(file.bytes.subarray(at, start), Buffer.from(next, 'utf8'));
        at = file.offsets[site.end];
    }
    out.push(file.bytes.subarray(at));
    return Buffer.concat(out);
}
/** spliceSites on a string (valid UTF-16 in, UTF-8 round trip): for tests and callers with text. */
function applySites(text, sites, replacement) {
    return spliceSites(decodeFile(Buffer.from(text, 'utf8')), sites, replacement).toString('utf8');
}
/** A site for `text.slice(start, end)`, without surrounding quotes; undefined when empty. */
function siteAt(text, start, end) {
    const raw = text.slice(start, end);
    const quoted = /^(["'])(.*)\1$/s.exec(raw);
    const site = quoted
        ? { start: start + 1, end: end - 1, text: quoted[2] }
        : { start, end, text: raw };
    return site.text ? site : undefined;
}


/***/ })

};
