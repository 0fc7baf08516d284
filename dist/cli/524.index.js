export const id = 524;
export const ids = [524];
export const modules = {

/***/ 1524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runCli: () => (/* binding */ runCli)
/* harmony export */ });
/* unused harmony exports USAGE, parseArgs */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _registry_names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1815);
/* harmony import */ var _file_kinds_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1583);
/* harmony import */ var _rewrite_plan_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8028);
/* harmony import */ var _rows_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(765);
// The one-off plan outside CI: `ecr-public-login rewrite [--check] FILE...` resolves the files'
// Docker official images against ECR Public anonymously (it hands out anonymous pull tokens) and
// rewrites them in place, or with --check only prints the diff. Exit codes are for CI gates:
// 0 nothing (left) to change, 1 --check found changes, 2 something could not be checked.






const USAGE = `usage: ecr-public-login rewrite [--check] [--verify-digest] [--library-prefix PREFIX] FILE...

Points each Docker official image named in the files at the ECR Public mirror when it serves that
exact tag or digest, and prints the unified diff. Files it reads:
${_file_kinds_js__WEBPACK_IMPORTED_MODULE_3__/* .IMAGE_FILE_KINDS */ .H.map((kind) => `  ${kind.label}s: ${kind.names}`).join('\n')}
  --check            change nothing; exit 1 when a file would change
  --verify-digest    only where the mirror's digest equals Docker Hub's
  --library-prefix   another mirror: host and path (default ${(0,_registry_names_js__WEBPACK_IMPORTED_MODULE_2__/* .libraryPrefix */ .GU)(_registry_names_js__WEBPACK_IMPORTED_MODULE_2__/* .ECR_PUBLIC_REGISTRY */ .Nt)})
  --help             this text

Exit codes: 0 nothing to change (or every change written), 1 --check: a file would change,
2 something could not be checked (a missing or unparsable file, an unreachable registry) or bad usage.`;
/** The parsed arguments, `--help`, or what is wrong with them (exit 2). */
function parseArgs(argv) {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || rest.includes('--help'))
        return { help: true };
    if (command !== 'rewrite')
        return { usage: USAGE };
    const args = { check: false, verifyDigest: false, files: [] };
    for (let i = 0; i < rest.length; i++) {
        const [arg, inline] = rest[i].startsWith('--') ? rest[i].split(/=(.*)/s) : [rest[i]];
        if (arg === '--check')
            args.check = true;
        else if (arg === '--verify-digest')
            args.verifyDigest = true;
        else if (arg === '--library-prefix')
            args.prefix = inline ?? rest[++i] ?? '';
        else if (arg.startsWith('-') && arg !== '-')
            return { usage: `unknown option ${arg}\n\n${USAGE}` };
        else
            args.files.push(rest[i]);
    }
    return checkArgs(args);
}
function checkArgs(args) {
    // A trailing `/` is dropped; a host alone (`public.ecr.aws`) is refused, never guessed at.
    const prefix = args.prefix?.replace(/\/+$/, '') ?? (0,_registry_names_js__WEBPACK_IMPORTED_MODULE_2__/* .libraryPrefix */ .GU)(_registry_names_js__WEBPACK_IMPORTED_MODULE_2__/* .ECR_PUBLIC_REGISTRY */ .Nt);
    const problem = (0,_registry_names_js__WEBPACK_IMPORTED_MODULE_2__/* .libraryPrefixProblem */ .RH)(prefix);
    if (problem)
        return { usage: `--library-prefix ${problem}\n\n${USAGE}` };
    return args.files.length > 0 ? { ...args, prefix } : { usage: `no file given\n\n${USAGE}` };
}
async function runCli(argv, deps) {
    const args = parseArgs(argv);
    if ('help' in args) {
        deps.out(`${USAGE}\n`);
        return 0;
    }
    if ('usage' in args) {
        deps.err(args.usage);
        return 2;
    }
    const files = args.files.map((file) => ({
        path: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(deps.cwd, file),
        relative: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(deps.cwd, (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(deps.cwd, file)).split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/') || file,
    }));
    const plan = await (0,_rewrite_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .planRewrite */ .CN)([], files, {
        libraryPrefix: args.prefix ?? '',
        verifyDigest: args.verifyDigest,
        clientFor: deps.clientFor,
        boundMs: deps.boundMs ?? 60_000,
        warn: (message) => deps.err(`warning: ${message}`),
    });
    const changed = plan.files.filter(_rewrite_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .changes */ .Ao);
    const unwritten = changed.filter((file) => {
        deps.out((0,_rewrite_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .unifiedDiff */ .WH)(file));
        return !args.check && !writeFile(file.path, file.after, file.relative, deps);
    });
    for (const row of (0,_rows_js__WEBPACK_IMPORTED_MODULE_5__/* .imageRows */ .D)([], plan).filter((r) => r.reason)) {
        deps.err(`kept ${row.reference} (${row.reason}) in ${row.sources.join(', ')}`);
    }
    const verb = args.check ? 'would change' : 'changed';
    deps.err(`${changed.length - unwritten.length} of ${files.length} file(s) ${verb}.`);
    if (unchecked(plan, deps) || unwritten.length > 0)
        return 2;
    return args.check && changed.length > 0 ? 1 : 0;
}
/** Says what could not be checked; true when anything could not. */
function unchecked(plan, deps) {
    const files = plan.unreadable.map((f) => `${f.relative} ${f.why}`);
    const references = [...plan.resolutions]
        .filter(([, r]) => r.unchecked)
        .map(([reference, r]) => `${reference}: ${r.reason}`);
    const problems = [...files, ...references];
    if (problems.length === 0)
        return false;
    deps.err(`error: not everything could be checked (exit 2):\n  ${problems.join('\n  ')}\n` +
        'Fix the file names or the files, or retry when the registry answers (proxy: HTTPS_PROXY).');
    return true;
}
function writeFile(path, bytes, name, deps) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(path, bytes);
        return true;
    }
    catch (error) {
        deps.err(`error: ${name} could not be written (${String(error)}); it is left as it was.`);
        return false;
    }
}


/***/ })

};
