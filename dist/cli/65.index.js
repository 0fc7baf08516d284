export const id = 65;
export const ids = [65];
export const modules = {

/***/ 9314:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ childEnv)
/* harmony export */ });
/* unused harmony export isPassedToChildren */
// What a child process (docker, its CLI plugins and credential helpers; sudo) inherits from the step.
// An allowlist, because the runner's environment holds secrets under names nobody can list in
// advance: every input as INPUT_* (fallback-token), ACTIONS_ID_TOKEN_REQUEST_TOKEN (mints OIDC
// tokens), ACTIONS_RUNTIME_TOKEN, a workflow's GITHUB_TOKEN or AWS_* credentials. docker login and
// logout need none of them; they need where things are (PATH, HOME, XDG_*, temp folders), how to
// reach the daemon (DOCKER_*, proxies, CA files, an ssh agent for ssh:// hosts) and what a
// credential helper's store needs (pass: GNUPGHOME, PASSWORD_STORE_DIR; secretservice: D-Bus).
/** Exact names (compared upper-cased: Windows names are case-insensitive). */
const NAMES = new Set([
    ...['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TERM', 'NO_COLOR'],
    ...['TMPDIR', 'TMP', 'TEMP', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'SSH_AUTH_SOCK'],
    ...['GNUPGHOME', 'GPG_AGENT_INFO', 'PASSWORD_STORE_DIR', 'DBUS_SESSION_BUS_ADDRESS'],
    ...['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'],
    'RUNNER_TRACKING_ID', // the runner ends a job's leftover processes by it
    // Windows: where the system, the profile and the credential manager live
    ...['SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'USERNAME'],
    ...['APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'HOMEDRIVE', 'HOMEPATH'],
]);
/** Families of settings, kept unless the name looks like a secret (DOCKER_AUTH_CONFIG, DOCKER_PASSWORD). */
const PREFIXES = ['DOCKER_', 'BUILDX_', 'BUILDKIT_', 'COMPOSE_', 'XDG_', 'LC_'];
const SECRET_NAME = /TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|AUTH|PRIVATE|_KEY(_|$)/;
function isPassedToChildren(name) {
    const upper = name.toUpperCase();
    if (NAMES.has(upper))
        return true;
    return PREFIXES.some((p) => upper.startsWith(p)) && !SECRET_NAME.test(upper);
}
/** The part of env a child may see. */
function childEnv(env) {
    const out = {};
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined && isPassedToChildren(name))
            out[name] = value;
    }
    return out;
}


/***/ }),

/***/ 8065:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   exec: () => (/* binding */ exec)
/* harmony export */ });
/* unused harmony exports EXIT_GRACE_MS, createExec */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _child_env_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9314);
// Runs a program with its input on stdin, capturing its output; no shell, so nothing is interpolated.
// The program gets a process group of its own: a time-out kills the whole group, so a wrapper
// script's children (`docker` as a shell script) cannot keep the step waiting. Being its own group,
// it would not get the SIGINT/SIGTERM the runner sends the step on cancel: those are forwarded.


/** How long output may keep flowing after the program exits (a child it left may hold the pipes). */
const EXIT_GRACE_MS = 200;
const killGroup = (child) => {
    try {
        process.kill(-child.pid, 'SIGKILL');
    }
    catch {
        child.kill('SIGKILL'); // the group is gone already, or this platform has none
    }
};
/** Collects a child's output and resolves once it exits (and its pipes close, or a grace ends). */
function whenExited(child, killedAfter, resolve) {
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.once('exit', (code, signal) => {
        let settled = false;
        const finish = () => {
            if (settled)
                return;
            settled = true;
            // A grandchild may still hold the pipes open: stop reading them.
            child.stdout.destroy();
            child.stderr.destroy();
            const after = killedAfter();
            const note = signal
                ? `\n(killed by ${signal}${after !== undefined ? ` after ${after} ms` : ''})`
                : '';
            resolve({
                exitCode: code ?? (signal ? 128 : 1),
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(err).toString('utf8') + note,
            });
        };
        const grace = setTimeout(finish, EXIT_GRACE_MS);
        child.once('close', () => (clearTimeout(grace), finish()));
    });
}
const FORWARDED = ['SIGINT', 'SIGTERM'];
/**
 * While the child runs, a cancel signal to the step goes to the child's group as well; then the
 * step ends as it would have: the signal is raised again once no other handler wants it.
 * Returns the function that stops forwarding.
 */
function forwardSignals(child, target) {
    const listeners = FORWARDED.map((signal) => {
        const listener = () => {
            try {
                process.kill(-child.pid, signal);
            }
            catch {
                child.kill(signal); // no group (exited, or no groups here)
            }
            release();
            if (target.listenerCount(signal) === 0)
                target.kill(target.pid, signal);
        };
        target.on(signal, listener);
        return [signal, listener];
    });
    const release = () => listeners.forEach(([signal, l]) => target.off(signal, l));
    return release;
}
/** An Exec whose children get the step's cancel signals from target. */
const createExec = (target = process) => (command, args, options = {}) => run(command, args, options, target);
/** Rejects only when the program cannot start (error.code ENOENT when it is not on PATH). */
const exec = createExec();
const run = (command, args, options, target) => new Promise((resolve, reject) => {
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, args, {
        env: (0,_child_env_js__WEBPACK_IMPORTED_MODULE_1__/* .childEnv */ .g)(options.env ?? process.env),
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32', // its own process group
    });
    let killedAfter;
    const timer = options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            killedAfter = options.timeoutMs;
            killGroup(child);
        }, options.timeoutMs);
    const release = child.pid === undefined ? () => { } : forwardSignals(child, target);
    child.once('exit', () => (clearTimeout(timer), release()));
    whenExited(child, () => killedAfter, resolve);
    child.once('error', (error) => {
        clearTimeout(timer);
        release();
        reject(error);
    });
    child.stdin.on('error', () => { }); // a program that exits without reading stdin is reported by its exit code
    child.stdin.end(options.input ?? '');
});


/***/ })

};
