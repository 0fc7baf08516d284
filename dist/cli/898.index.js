export const id = 898;
export const ids = [898];
export const modules = {

/***/ 3898:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  HOOK_EVENTS: () => (/* binding */ HOOK_EVENTS),
  runHook: () => (/* binding */ runHook)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/runner/action-inputs.ts
// Generated from action.yml by scripts/action-inputs.mjs (npm run build). Do not edit.
/** Every input of action.yml with its default (what an empty `with:` value means). */
const INPUT_DEFAULTS = {
    registry: 'public.ecr.aws',
    'registry-upstream': 'ecr-public',
    'role-to-assume': '',
    'role-session-name': 'GitHubActions',
    'role-duration-seconds': '900',
    audience: 'sts.amazonaws.com',
    'fallback-registry': 'docker.io',
    'fallback-username': '',
    'fallback-token': '',
    'fallback-oidc-connection-id': '',
    'fallback-oidc-expires-in': '3600',
    'fallback-mode': 'on-failure',
    logout: 'true',
    'retry-max-attempts': '5',
    'timeout-seconds': '60',
    'http-proxy': '',
    'docker-config': 'shared',
    'docker-mirror': 'false',
    mirror: '',
    'mirror-port': '',
    images: '',
    rewrite: '',
    'verify-digest': 'false',
    'fallback-library-prefix': '',
    'docker-hub-limit': 'false',
};
/** Every output of action.yml. */
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    'registry',
    'library-prefix',
    'fallback-used',
    'registries',
    'expires-at',
    'docker-mirror',
    'clients',
    'images',
    'images-not-mirrored',
    'rewritten-files',
    'docker-hub-pulls-remaining',
    'buildkitd-config',
    'mirrors',
    'buildkitd-config-file',
]));

;// CONCATENATED MODULE: ./src/hooks/env-inputs.ts
// A runner hook has no `with:`: its inputs are the runner's environment variables named after
// action.yml's inputs (ECR_PUBLIC_LOGIN_ + the name in upper case, `_` for `-`), so action.yml
// stays the one list of names, defaults and checks.

const ENV_PREFIX = 'ECR_PUBLIC_LOGIN_';
/** `role-to-assume` → ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME */
const envName = (input) => `${ENV_PREFIX}${input.toUpperCase().replace(/-/g, '_')}`;
/**
 * Inputs that mean nothing before the job's first step: the workspace is not checked out yet
 * (images, rewrite) and the runner pulls with its own docker config (docker-config).
 */
const STEP_ONLY = {
    images: '',
    rewrite: '',
    'docker-config': 'shared',
};
/** The hook's getInput, and notes for step-only variables that are set (and ignored). */
function envInputs(env) {
    const notes = Object.keys(STEP_ONLY)
        .filter((name) => (env[envName(name)] ?? '').trim() !== '')
        .map((name) => `${envName(name)} is ignored by the runner hooks: '${name}' applies to a step of the job only.`);
    const getInput = (name) => name in STEP_ONLY ? STEP_ONLY[name] : (env[envName(name)] ?? '').trim();
    return { getInput, notes };
}
/** The input checks name `'docker-mirror'`; a hook's reader knows it as ECR_PUBLIC_LOGIN_DOCKER_MIRROR. */
const inEnvTerms = (message) => message.replace(/['`]([a-z-]+)['`]/g, (whole, name) => name in INPUT_DEFAULTS ? envName(name) : whole);

;// CONCATENATED MODULE: ./src/hooks/job-process.ts
// Which process's end is the job's end, seen from the hook's node (its parent is the hook script,
// which ends with the hook; a platform team's wrapper may sit between): the nearest ancestor
// named Runner.Worker, else what ran the hook script (the script's parent).

const procStat = (pid) => {
    try {
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const ppid = Number(stat.slice(close + 2).split(' ')[1]);
        return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid };
    }
    catch {
        return undefined;
    }
};
const WORKER = 'Runner.Worker';
/** Far enough for a wrapper or two; stops any loop in a damaged /proc. */
const MAX_DEPTH = 16;
/** `parent`: the hook's node's parent, i.e. the hook script. */
function jobProcess(parent, read = procStat) {
    for (let pid = parent, depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
        const stat = read(pid);
        if (!stat)
            break;
        // comm is cut to 15 characters: "Runner.Worker" fits.
        if (stat.comm === WORKER)
            return pid;
        pid = stat.ppid;
    }
    const runBy = read(parent)?.ppid;
    return runBy !== undefined && runBy > 1 ? runBy : parent;
}

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/runner/runtime.ts
// The runner side of an action: inputs, outputs, state, masks and log commands.
// We speak the runner's documented file/stdout protocol directly instead of importing
// @actions/core: core 3.x loads an HTTP stack (undici) at import time, which costs ~45 ms
// and ~0.5 MB on every step, post steps included.



// node:crypto takes ~3 ms to load; required on first use so the first request need not wait.
const runtime_require = (0,external_node_module_.createRequire)(import.meta.url);
const delimiter = () => `ghadelimiter_${runtime_require('node:crypto').randomUUID()}`;
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
/**
 * What the runner skips before it looks for `::`: TrimStart removes .NET's whitespace (JavaScript's
 * \s misses U+0085), and its ICU comparison ignores control and format characters (U+200B).
 */
const LEADING_COLON = /^([\s\u0085\p{Cc}\p{Cf}]*):/u;
/**
 * One log line that the runner cannot read as a command, whatever remote text it quotes:
 * no line breaks (a new line could start with `::`), no legacy `##[`, and no `:` first once
 * what the runner skips is skipped, so a zero-width space goes after that colon.
 */
const runtime_plainLine = (text) => text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(LEADING_COLON, '$1:\u200b')
    .replace(/##\[/g, '## [');
/** The heredoc form the runner parses from GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV. */
function fileCommandEntry(name, value, delimiter) {
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`Unexpected delimiter collision while writing '${name}'`);
    }
    return `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`;
}
function createRuntime(env = process.env, write = (text) => void process.stdout.write(text)) {
    const secrets = [];
    const redact = (text) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), text);
    const command = (name, message, props = {}) => {
        const p = Object.entries(props)
            .map(([k, v]) => `${k}=${escapeProperty(v)}`)
            .join(',');
        write(`::${name}${p ? ' ' + p : ''}::${escapeData(redact(message))}${external_node_os_.EOL}`);
    };
    const fileCommand = (fileVar, legacy, name, value) => {
        const file = env[fileVar];
        if (file) {
            (0,external_node_fs_.appendFileSync)(file, fileCommandEntry(name, value, delimiter()));
        }
        else {
            command(legacy, value, { name });
        }
    };
    return {
        getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
        getState: (name) => env[`STATE_${name}`] ?? '',
        setOutput: (name, value) => fileCommand('GITHUB_OUTPUT', 'set-output', name, value),
        saveState: (name, value) => fileCommand('GITHUB_STATE', 'save-state', name, value),
        exportVariable: (name, value) => {
            env[name] = value;
            const file = env.GITHUB_ENV;
            if (file)
                (0,external_node_fs_.appendFileSync)(file, fileCommandEntry(name, value, delimiter()));
        },
        setSecret: (value) => {
            if (!value || secrets.includes(value))
                return;
            secrets.push(value);
            secrets.sort((a, b) => b.length - a.length); // longest first, so a secret inside another is covered
            // The runner masks per line; register each line of a multi-line value too.
            for (const line of value.split(/\r?\n/)) {
                if (line)
                    write(`::add-mask::${escapeData(line)}${external_node_os_.EOL}`);
            }
        },
        redact,
        isDebug: () => env.RUNNER_DEBUG === '1',
        debug: (message) => command('debug', message),
        info: (message) => write(runtime_plainLine(redact(message)) + external_node_os_.EOL),
        notice: (message, title) => command('notice', message, title ? { title } : {}),
        warning: (message, title) => command('warning', message, title ? { title } : {}),
        error: (message, title) => command('error', message, title ? { title } : {}),
        group: async (name, fn) => {
            write(`::group::${escapeData(name)}${external_node_os_.EOL}`);
            try {
                return await fn();
            }
            finally {
                write(`::endgroup::${external_node_os_.EOL}`);
            }
        },
        appendSummary: (markdown) => {
            const file = env.GITHUB_STEP_SUMMARY;
            if (file)
                (0,external_node_fs_.appendFileSync)(file, redact(markdown) + external_node_os_.EOL);
        },
    };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/mirror/daemon-process.ts
// Which dockerd serves our socket, and which config file it was started with, read from /proc
// (world-readable, so no privilege is needed to find out).

const DEFAULT_CONFIG_FILE = '/etc/docker/daemon.json';
const DEFAULT_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];
/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined when gone. */
function processStart(pid) {
    try {
        const stat = external_node_fs_default().readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command name, which is in parentheses and may hold spaces.
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    }
    catch {
        return undefined;
    }
}
const procFs = {
    pids: () => external_node_fs_default().readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map(Number),
    cmdline: (pid) => {
        try {
            const raw = external_node_fs_default().readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
        }
        catch {
            return undefined;
        }
    },
};
/** The values of a flag given as `--flag v`, `--flag=v` or (for a short alias) `-H v`. */
function flagValues(argv, names) {
    const values = [];
    argv.forEach((arg, i) => {
        for (const name of names) {
            if (arg === name && i + 1 < argv.length)
                values.push(argv[i + 1]);
            else if (arg.startsWith(`${name}=`))
                values.push(arg.slice(name.length + 1));
        }
    });
    return values;
}
const isDockerd = (argv) => /(^|\/)dockerd$/.test(argv[0] ?? '');
/** Does this dockerd listen on the socket? No -H, or fd:// (systemd), means the default socket. */
function serves(argv, socket) {
    const hosts = flagValues(argv, ['--host', '-H']);
    if (hosts.includes(`unix://${socket}`))
        return true;
    const unixHosts = hosts.filter((h) => h.startsWith('unix://') || !h.includes('://'));
    const onDefault = hosts.length === 0 || hosts.some((h) => h.startsWith('fd://'));
    return onDefault && unixHosts.length === 0 && DEFAULT_SOCKETS.includes(socket);
}
/** The dockerd behind `socket`, or undefined when none on this machine is (a remote or rootless one). */
function findDaemon(socket, proc = procFs) {
    for (const pid of proc.pids()) {
        const argv = proc.cmdline(pid);
        if (!argv || !isDockerd(argv) || !serves(argv, socket))
            continue;
        const configFile = flagValues(argv, ['--config-file']).pop() ?? DEFAULT_CONFIG_FILE;
        return { pid, configFile };
    }
    return undefined;
}
/** Is this pid our mirror (not a process that got its pid since)? */
const isMirrorProcess = (pid, proc = procFs) => {
    const argv = proc.cmdline(pid);
    return Boolean(pid > 0 && argv?.some((a) => /mirror\/index\.js$/.test(a)) && argv.includes('serve'));
};
const isDockerdProcess = (pid, proc = procFs) => isDockerd(proc.cmdline(pid) ?? []);
/**
 * The dockerd to signal now: the recorded pid while it is still the daemon on our socket, else
 * whichever dockerd serves the socket (restarted during the job); undefined when none runs.
 */
function currentDaemonPid(recorded, socket, proc = procFs) {
    const argv = proc.cmdline(recorded) ?? [];
    if (isDockerd(argv) && (!socket || serves(argv, socket)))
        return recorded;
    return socket ? findDaemon(socket, proc)?.pid : undefined;
}

;// CONCATENATED MODULE: ./src/mirror/record.ts
// What main hands post for docker-mirror (GITHUB_STATE): the mirror process and our entry in the
// daemon's config. Never a secret.
const MIRROR_STATE_KEY = 'mirror';
function parseMirrorState(raw) {
    try {
        const v = JSON.parse(raw);
        const ok = Number.isInteger(v.pid) &&
            Number.isInteger(v.daemonPid) &&
            typeof v.url === 'string' &&
            typeof v.logFile === 'string' &&
            typeof v.configFile === 'string' &&
            typeof v.socket === 'string';
        return ok ? v : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/hooks/state-file.ts
// What the job-started hook did, for the job-completed hook to undo and for the job's steps to
// see: one JSON file of named values (the step's post state, same names) under RUNNER_TEMP, which
// the runner empties at the start and the end of every job, so a record never outlives its job.
// Never a secret: the same values the step keeps in GITHUB_STATE.




/** undefined outside a runner job (no RUNNER_TEMP). */
const hookStateFile = (env) => env.RUNNER_TEMP ? (0,external_node_path_.join)(env.RUNNER_TEMP, 'ecr-public-login-hook', 'state.json') : undefined;
function readHookState(file) {
    try {
        const value = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
        return value && typeof value === 'object' ? value : undefined;
    }
    catch {
        return undefined;
    }
}
/** Whole-file writes (temp + rename): a hook killed mid-write leaves the previous record. */
function writeHookState(file, state) {
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(file, '..'), { recursive: true, mode: 0o700 });
    (0,external_node_fs_.writeFileSync)(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
    (0,external_node_fs_.renameSync)(`${file}.tmp`, file);
}
const removeHookState = (file) => (0,external_node_fs_.rmSync)((0,external_node_path_.join)(file, '..'), { recursive: true, force: true });
/** The job-started hook's mirror while it runs: a step reuses it and leaves it to the hook. */
function hookMirror(env, proc) {
    const file = hookStateFile(env);
    const raw = file && readHookState(file)?.[MIRROR_STATE_KEY];
    const record = raw ? parseMirrorState(raw) : undefined;
    return record && isMirrorProcess(record.pid, proc) ? record : undefined;
}

;// CONCATENATED MODULE: ./src/hooks/runtime.ts
// The step's Runtime as a hook gets it: inputs from the environment, state in the hook's file,
// the log on stdout (the runner shows a hook's stdout in the job's log and reads its workflow
// commands). An error becomes a warning: a hook's failure would fail every job of the fleet.



function hookRuntime(o) {
    // A copy: createRuntime's exportVariable writes into it, never into the hook's own env.
    const base = createRuntime({ ...o.env, GITHUB_OUTPUT: '', GITHUB_STATE: '' }, o.write);
    let failed = false;
    const state = () => readHookState(o.stateFile) ?? {};
    return {
        ...base,
        getInput: o.getInput,
        getState: (name) => state()[name] ?? '',
        saveState: (name, value) => writeHookState(o.stateFile, { ...state(), [name]: value }),
        // Outputs and the summary belong to steps; a hook has neither.
        setOutput: () => undefined,
        appendSummary: () => undefined,
        // DOCKER_CONFIG for later steps: a hook only ever uses the runner's own config (shared).
        exportVariable: () => undefined,
        error: (message, title) => {
            failed = true;
            base.warning(inEnvTerms(message), title);
        },
        failed: () => failed,
    };
}

// EXTERNAL MODULE: ./src/net/preconnect.ts
var preconnect = __webpack_require__(7314);
// EXTERNAL MODULE: ./src/net/proxy.ts
var proxy = __webpack_require__(1987);
// EXTERNAL MODULE: ./src/registry/names.ts
var registry_names = __webpack_require__(1815);
;// CONCATENATED MODULE: ./src/clients/cli-version.ts
// The docker CLI's version without running it: Go records the build's -ldflags in the binary's
// `.go.buildinfo` section, and docker/cli's builds set `cli/version.Version` there. Three small
// reads of the ELF file (header, section table, section); anything else is "unknown".

const VERSION = /github\.com\/docker\/cli\/cli\/version\.Version=v?(\d+\.\d+\.\d+)/;
const SECTION = '.go.buildinfo';
/** Enough of the section for the build settings (the -ldflags line comes early). */
const READ_BYTES = 16 * 1024;
function readAt(fd, offset, length) {
    const buffer = Buffer.alloc(length);
    const n = (0,external_node_fs_.readSync)(fd, buffer, 0, length, offset);
    return buffer.subarray(0, n);
}
/** [offset, size] of a named section of a 64-bit little-endian ELF file. */
function elfSection(fd, name) {
    const h = readAt(fd, 0, 64);
    if (h.length < 64 || h.toString('latin1', 0, 4) !== '\x7fELF' || h[4] !== 2 || h[5] !== 1) {
        return undefined;
    }
    const shoff = Number(h.readBigUInt64LE(0x28));
    const [size, count, strIndex] = [
        h.readUInt16LE(0x3a),
        h.readUInt16LE(0x3c),
        h.readUInt16LE(0x3e),
    ];
    const table = readAt(fd, shoff, size * count);
    const field = (i, at) => Number(table.readBigUInt64LE(i * size + at));
    const names = readAt(fd, field(strIndex, 0x18), field(strIndex, 0x20));
    for (let i = 0; i < count; i++) {
        const start = table.readUInt32LE(i * size);
        if (names.toString('latin1', start, start + name.length + 1) === `${name}\0`) {
            return [field(i, 0x18), field(i, 0x20)];
        }
    }
    return undefined;
}
/** `28.2.2` for the docker binary at path; undefined when it cannot be told this way. */
function dockerCliVersion(path) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)((0,external_node_fs_.realpathSync)(path), 'r');
        const section = elfSection(fd, SECTION);
        if (!section)
            return undefined;
        const text = readAt(fd, section[0], READ_BYTES).toString('latin1');
        return VERSION.exec(text)?.[1];
    }
    catch {
        return undefined;
    }
    finally {
        if (fd !== undefined)
            (0,external_node_fs_.closeSync)(fd);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/docker/config-file.ts
// The docker CLI's config.json: where logins live, so the post step can remove exactly ours
// and put back a login that was there before the step replaced it.






/** The folder docker reads: DOCKER_CONFIG, else ~/.docker. */
const configDir = (env) => env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker');
/** The key the docker CLI stores a registry's login under (Docker Hub keeps its v1 URL). */
const authKey = (registry) => registry === registry_names/* DOCKER_HUB */.Xb ? 'https://index.docker.io/v1/' : registry;
/** config.json exists but is not a JSON object: writing it back would lose every login in it. */
class UnreadableConfigError extends errors/* ActionError */.lZ {
    constructor(file, why) {
        super(`The docker config file ${file} could not be read (${why}), so this step did not touch it: a login written now would replace the file and lose every login in it.`, 'Repair the file (docker itself only warns "Error parsing config file" and ignores it), or use `docker-config: isolated` to log in to a fresh config of this job.');
        this.name = 'UnreadableConfigError';
    }
}
/**
 * Where JSON.parse stopped, as line and column: never the parser's message, which may quote
 * the file's text (and so a login's secret).
 */
function jsonErrorPlace(text, error) {
    const at = /position (\d+)/.exec(error.message);
    if (!at)
        return '';
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}
/** The folder's config.json ({} when there is none); throws UnreadableConfigError when it does not parse. */
function readConfig(dir) {
    const file = (0,external_node_path_.join)(dir, 'config.json');
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return {};
        throw new UnreadableConfigError(file, (0,errors/* describeError */.Uc)(error));
    }
    if (!text.trim())
        return {}; // docker treats an empty file as no config
    let config;
    try {
        config = JSON.parse(text);
    }
    catch (error) {
        throw new UnreadableConfigError(file, `invalid JSON${jsonErrorPlace(text, error)}`);
    }
    if (config === null)
        return {}; // docker reads `null` as an empty config too
    if (typeof config !== 'object' || Array.isArray(config)) {
        throw new UnreadableConfigError(file, 'it is not a JSON object');
    }
    return config;
}
/** Replaces config.json in one rename, so docker never reads half a file. */
function writeConfig(dir, config) {
    const file = (0,external_node_path_.join)(dir, 'config.json');
    const temp = `${file}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    (0,external_node_fs_.writeFileSync)(temp, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
    (0,external_node_fs_.renameSync)(temp, file);
}
/** True when a credential helper, not config.json, holds this registry's login. */
const usesCredentialStore = (config, key, registry) => Boolean(config.credsStore || config.credHelpers?.[registry] || config.credHelpers?.[key]);
/** A fingerprint of a stored login, to recognise ours later without keeping the secret. */
function fingerprint(entry) {
    const secret = entry?.auth || entry?.identitytoken;
    return secret ? (0,external_node_crypto_.createHash)('sha256').update(secret).digest('hex') : undefined;
}
/** Saves a login that the step is about to replace, readable by the job's user only. */
function backupEntry(runnerTemp, entry) {
    const file = (0,external_node_path_.join)(runnerTemp || (0,external_node_os_.tmpdir)(), `ecr-public-login-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}.json`);
    (0,external_node_fs_.writeFileSync)(file, JSON.stringify(entry), { mode: 0o600 });
    (0,external_node_fs_.chmodSync)(file, 0o600);
    return file;
}
function readBackup(file) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return undefined;
    }
}
const ISOLATED_PREFIX = 'docker-config-';
/** A fresh config folder for this job only (docker-config: isolated). */
const createIsolatedDir = (runnerTemp) => (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(runnerTemp || (0,external_node_os_.tmpdir)(), ISOLATED_PREFIX));
/** Only a folder createIsolatedDir could have made is ever deleted, whatever the state says. */
const isIsolatedDir = (dir, runnerTemp) => (0,external_node_path_.dirname)((0,external_node_path_.resolve)(dir)) === (0,external_node_path_.resolve)(runnerTemp || (0,external_node_os_.tmpdir)()) &&
    (0,external_node_path_.basename)(dir).startsWith(ISOLATED_PREFIX);
const removeDir = (dir) => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
/**
 * In an isolated folder: the registries that steps asked to keep (`logout: false`), one a line.
 * While it exists the folder's maker leaves the folder and undoes only its own other logins.
 */
const KEEP_MARK = 'ecr-public-login.keep';
/** Marks the folder kept; with a registry, that registry's login is kept too. */
const markKept = (dir, registry = '') => (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, KEEP_MARK), registry ? `${registry}\n` : '', { flag: 'a' });
/** The kept registries, or undefined when no step asked to keep anything. */
function keptRegistries(dir) {
    try {
        return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, KEEP_MARK), 'utf8').split('\n').filter(Boolean);
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/runner/child-env.ts
var child_env = __webpack_require__(9314);
;// CONCATENATED MODULE: ./src/docker/cli.ts
// `docker login` / `docker logout`, with failures explained (docker missing, daemon down, rejected).


/** The argv of a login: the password is never in it, it goes on stdin. */
const loginArgs = (registry, username) => [
    'login',
    '--username',
    username,
    '--password-stdin',
    registry,
];
/** The lines of docker's stderr that say what went wrong (not its progress logs or advice). */
const essentials = (text) => text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line &&
    !/level=(info|debug|warning)|^WARNING!|credential helper|^https:\/\/docs\.docker/i.test(line))
    .slice(-3)
    .join(' ');
/** What a failed docker login/logout said, what that means, and what to do: first match wins. */
const FAILURES = [
    {
        test: (e) => /cannot connect to the docker daemon|is the docker daemon running|error during connect|docker\.sock: connect/i.exec(e),
        means: () => 'the Docker daemon is not running or not reachable',
        fix: () => 'Start the Docker daemon on this runner, or point DOCKER_HOST at a running one.',
    },
    {
        test: (e) => /(docker-credential-[\w.-]+)"?:? (?:executable file )?not found/i.exec(e),
        means: (m) => `the credential helper ${m[1]} that the docker config names (credsStore or credHelpers) is not installed on this runner`,
        fix: (m) => `Use \`docker-config: isolated\` (a fresh config without the helper), install ${m[1]}, or remove credsStore/credHelpers from the docker config (DOCKER_CONFIG, else ~/.docker/config.json).`,
    },
    {
        test: (e) => /error saving credentials|error storing credentials/i.exec(e),
        means: () => 'docker could not store the login',
        fix: () => 'Check that the docker config folder (DOCKER_CONFIG, else ~/.docker) is writable by the job, and that any credential helper it names works.',
    },
    {
        test: (e) => /unauthorized|incorrect username or password|\b401\b|authentication required|\bdenied: /i.exec(e),
        means: () => 'the registry rejected the credentials',
        fix: (_m, _registry, refusedFix) => refusedFix ?? 'Check the username and password this registry was given.',
    },
];
/** Turns a docker CLI failure into a message that says what is wrong and what to do. */
function explainDockerFailure(action, registry, exitCode, stderr, 
/** What the login target says to check when its credential is refused. */
refusedFix) {
    const detail = essentials(stderr) || '(docker printed nothing on stderr)';
    for (const failure of FAILURES) {
        const m = failure.test(stderr);
        if (m) {
            return new errors/* ActionError */.lZ(`docker ${action} ${registry} failed: ${failure.means(m)} (${detail}).`, failure.fix(m, registry, refusedFix));
        }
    }
    return new errors/* ActionError */.lZ(`docker ${action} ${registry} failed with exit code ${exitCode}: ${detail}`, 'Check that the registry is reachable from this runner (DNS, proxy, firewall) and that docker works (`docker info`).');
}
async function runDocker(exec, action, registry, args, r) {
    let result;
    try {
        // docker, its plugins and credential helpers see no input, token or AWS key (child-env.ts)
        const env = (0,child_env/* childEnv */.g)(r.env);
        result = await exec('docker', args, { input: r.input, env, timeoutMs: r.timeoutMs });
    }
    catch (error) {
        if (error.code === 'ENOENT') {
            throw new errors/* ActionError */.lZ(`docker ${action} ${registry} failed: the docker CLI was not found on PATH.`, 'Install Docker on the runner (GitHub-hosted Ubuntu runners have it), or run this step where `docker` is on PATH.', { cause: error });
        }
        throw error;
    }
    // A non-zero exit is a failure even when docker printed nothing.
    if (result.exitCode !== 0)
        throw explainDockerFailure(action, registry, result.exitCode, result.stderr, r.refusedFix);
    return result;
}
async function dockerLogin(exec, r) {
    await runDocker(exec, 'login', r.registry, loginArgs(r.registry, r.username), {
        env: r.env,
        input: r.password,
        timeoutMs: r.timeoutMs,
        refusedFix: r.refusedFix,
    });
}
async function dockerLogout(exec, registry, env, timeoutMs) {
    await runDocker(exec, 'logout', registry, ['logout', registry], { env, timeoutMs });
}

;// CONCATENATED MODULE: ./src/docker/login.ts
// One registry login as the post step can undo it: note what was there, run docker login,
// fingerprint what docker stored, and hand back the record for the post-step state.



async function loginToRegistry(exec, r) {
    const key = authKey(r.registry);
    const before = readConfig(r.configDir);
    const previous = before.auths?.[key];
    const backup = r.restoreLater &&
        !usesCredentialStore(before, key, r.registry) &&
        // Every inline login comes back, public.ecr.aws's too: it may be a token a cron job refreshes.
        (previous?.auth || previous?.identitytoken)
        ? backupEntry(r.runnerTemp, previous)
        : undefined;
    try {
        await dockerLogin(exec, {
            registry: r.registry,
            username: r.username,
            password: r.password,
            env: { ...r.env, DOCKER_CONFIG: r.configDir },
            timeoutMs: r.timeoutMs,
            refusedFix: r.refusedFix,
        });
    }
    catch (error) {
        if (backup)
            (0,external_node_fs_.rmSync)(backup, { force: true }); // nothing was replaced: the copy has no use
        throw error;
    }
    const after = readConfig(r.configDir);
    return {
        registry: r.registry,
        configDir: r.configDir,
        fingerprint: fingerprint(after.auths?.[key]),
        backup,
    };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/registry/challenge.ts
var registry_challenge = __webpack_require__(4394);
;// CONCATENATED MODULE: ./src/clients/check.ts
// The credential check `docker login` makes, in process: GET /v2/; on a Bearer challenge, ask the
// realm for a token with Basic credentials (offline, client_id=docker, as the daemon asks) and GET
// /v2/ with it; on a Basic challenge, GET /v2/ with Basic. A refusal carries the registry's answer.





function get(url, r, authorization) {
    const client = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    const headers = authorization ? { authorization } : {};
    return new Promise((resolve, reject) => {
        const request = client.get(url, { headers, agent: r.agent }, (response) => {
            const chunks = [];
            response.on('data', (c) => chunks.push(c));
            response.once('end', () => resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString('utf8').slice(0, 4096),
            }));
            response.once('error', reject);
        });
        request.setTimeout(r.timeoutMs, () => request.destroy(new Error(`no answer from ${url.host} within ${r.timeoutMs} ms`)));
        request.once('error', reject);
    });
}
/** What the registry said, short: its error message when it sent one, else the status. */
function registryAnswer(a) {
    try {
        const json = JSON.parse(a.body);
        const e = json.errors?.[0];
        const text = e ? [e.code?.toLowerCase(), e.message].filter(Boolean).join(': ') : '';
        if (text || json.details || json.message)
            return text || json.details || json.message || '';
    }
    catch {
        // not JSON: the status line says it
    }
    return `HTTP ${a.status}${a.body.trim() ? ` ${a.body.trim().slice(0, 200)}` : ''}`;
}
const refused = (r, a) => new errors/* ActionError */.lZ(`Login to ${r.registry} failed: the registry rejected the credentials (${registryAnswer(a)}).`, r.refusedFix ?? 'Check the username and password this registry was given.');
const unexpected = (r, url, a) => new errors/* ActionError */.lZ(`Login to ${r.registry} failed: ${url.host} answered ${registryAnswer(a)} to ${url.pathname}.`, 'Check that the registry is reachable from this runner (DNS, proxy, firewall) and works.');
const basic = (r) => `Basic ${Buffer.from(`${r.username}:${r.password}`).toString('base64')}`;
async function checkCredential(r) {
    const host = r.registry === registry_names/* DOCKER_HUB */.Xb ? registry_names/* DOCKER_HUB_API_HOST */.Tz : r.registry;
    const v2 = new URL('/v2/', r.origin ?? `https://${host}`);
    const first = await get(v2, r);
    if (first.status === 200)
        return { refreshToken: false }; // no auth asked: docker stores it as is
    const challenge = first.status === 401 ? (0,registry_challenge/* parseChallenge */.x)(first.headers['www-authenticate']) : undefined;
    if (!challenge)
        throw unexpected(r, v2, first);
    if (challenge.scheme === 'basic') {
        const answer = await get(v2, r, basic(r));
        if (answer.status === 200)
            return { refreshToken: false };
        throw answer.status === 401 ? refused(r, answer) : unexpected(r, v2, answer);
    }
    return bearerCheck(r, v2, challenge.params);
}
async function bearerCheck(r, v2, params) {
    if (!params.realm)
        throw new errors/* ActionError */.lZ(`Login to ${r.registry} failed: its challenge names no token service.`, 'Check the registry address.');
    const realm = new URL(params.realm);
    if (params.service)
        realm.searchParams.set('service', params.service);
    if (params.scope)
        realm.searchParams.set('scope', params.scope);
    realm.searchParams.set('client_id', 'docker');
    realm.searchParams.set('offline_token', 'true');
    const answer = await get(realm, r, basic(r));
    if (answer.status === 401 || answer.status === 403)
        throw refused(r, answer);
    if (answer.status !== 200)
        throw unexpected(r, realm, answer);
    let body = {};
    try {
        body = JSON.parse(answer.body);
    }
    catch {
        throw unexpected(r, realm, answer);
    }
    const token = String(body.token || body.access_token || '');
    if (!token)
        throw unexpected(r, realm, answer);
    r.onToken?.(token);
    if (typeof body.refresh_token === 'string')
        r.onToken?.(body.refresh_token);
    const again = await get(v2, r, `Bearer ${token}`);
    if (again.status === 401)
        throw refused(r, again);
    if (again.status !== 200)
        throw unexpected(r, v2, again);
    return { refreshToken: typeof body.refresh_token === 'string' };
}

;// CONCATENATED MODULE: ./src/common/file-lock.ts
// The lock discipline for files other jobs on the host may edit too (docker's config.json, the
// containers auth file): `<file>.lock` created exclusively, waited for, broken when older than
// any edit takes (a killed job's). The same rule as mirror/daemon-edit.ts uses for daemon.json.

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const SYSTEM_CLOCK = { now: Date.now, sleep: sleepSync };
/** Runs fn holding `<file>.lock`; throws when another job holds it past the wait. */
function withFileLock(file, fn, clock = SYSTEM_CLOCK) {
    const lock = `${file}.lock`;
    const until = clock.now() + LOCK_WAIT_MS;
    for (;;) {
        try {
            external_node_fs_default().writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
            break;
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
            if (!breakIfStale(lock, clock.now())) {
                if (clock.now() > until)
                    throw new Error(`${lock} is held by another job`);
                clock.sleep(50);
            }
        }
    }
    try {
        return fn();
    }
    finally {
        external_node_fs_default().rmSync(lock, { force: true });
    }
}
/** Removes the lock only when it is old and still the same file. */
function breakIfStale(lock, now) {
    const seen = external_node_fs_default().lstatSync(lock, { throwIfNoEntry: false });
    if (!seen)
        return true;
    if (now - seen.mtimeMs <= LOCK_STALE_MS)
        return false;
    const still = external_node_fs_default().lstatSync(lock, { throwIfNoEntry: false });
    if (still?.ino === seen.ino && still.mtimeMs === seen.mtimeMs)
        external_node_fs_default().rmSync(lock, { force: true });
    return true;
}

;// CONCATENATED MODULE: ./src/clients/auth-file.ts
// A JSON credential file this step edits directly (docker's config.json, the containers auth
// file), so post can undo it byte for byte: the bytes before are kept (mode 0600, RUNNER_TEMP),
// the bytes written are fingerprinted, every edit holds the file's lock and lands in one rename
// with the file's mode kept. When someone else changed the file since, post undoes only our entry.






const sha256 = (bytes) => (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
const readBytes = (file) => {
    try {
        return external_node_fs_default().readFileSync(file);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
};
/** The file as an object ({} when absent, empty or `null`); anything else is left alone. */
function parseAuthJson(file, bytes) {
    const text = bytes?.toString('utf8') ?? '';
    if (!text.trim())
        return {};
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        value = undefined;
    }
    if (value === null)
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new errors/* ActionError */.lZ(`The credential file ${file} is not a JSON object, so this step did not touch it: writing it would lose every login in it.`, 'Repair or remove the file, or point the client at another one (DOCKER_CONFIG, REGISTRY_AUTH_FILE).');
    }
    return value;
}
/** Writes bytes in one rename with the given mode. */
function replaceFile(file, bytes, mode) {
    const temp = `${file}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    external_node_fs_default().writeFileSync(temp, bytes, { mode });
    external_node_fs_default().chmodSync(temp, mode); // the umask may have narrowed it
    external_node_fs_default().renameSync(temp, file);
}
/** Creates the file's missing folders (0700: they hold secrets), deepest first in the answer. */
function makeDirs(dir) {
    const made = [];
    for (let d = dir; !external_node_fs_default().existsSync(d); d = (0,external_node_path_.dirname)(d))
        made.push(d);
    if (made.length)
        external_node_fs_default().mkdirSync(dir, { recursive: true, mode: 0o700 });
    return made;
}
/** Applies edit to the file under its lock; the record lets post undo exactly this. */
function editAuthJson(file, key, edit, o = {}) {
    const createdDirs = makeDirs((0,external_node_path_.dirname)(file)); // the lock file lives there too
    return withFileLock(file, () => {
        const before = readBytes(file);
        const next = edit(parseAuthJson(file, before));
        const text = JSON.stringify(next, null, '\t') + '\n';
        const mode = before ? external_node_fs_default().statSync(file).mode & 0o777 : 0o600;
        const keep = o.keep !== false;
        const original = before && keep ? keepCopy(before, o.runnerTemp) : undefined;
        replaceFile(file, text, mode);
        // Without a copy, post can only take our entry out: the bytes are not recorded.
        return { file, key, after: before && !keep ? '' : sha256(text), original, createdDirs };
    }, o.clock);
}
function keepCopy(bytes, runnerTemp) {
    const copy = (0,external_node_path_.join)(runnerTemp || (0,external_node_os_.tmpdir)(), `ecr-public-login-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`);
    external_node_fs_default().writeFileSync(copy, bytes, { mode: 0o600 });
    return copy;
}
/** Post: the file as it was when nothing else changed it, else only our entry out. */
function undoAuthJson(w, clock) {
    try {
        const line = withFileLock(w.file, () => undoLocked(w), clock);
        // After the lock is gone (it lives in the same folder); only folders left empty.
        if (!(0,external_node_fs_.existsSync)(w.file))
            removeEmptyDirs(w.createdDirs ?? []);
        return line;
    }
    finally {
        if (w.original)
            external_node_fs_default().rmSync(w.original, { force: true }); // a copy of secrets: gone either way
    }
}
function undoLocked(w) {
    const now = readBytes(w.file);
    if (!now)
        return `${w.file}: already removed.`;
    const original = w.original ? readBytes(w.original) : undefined;
    if (w.original && !original)
        return `${w.file}: its saved copy is gone; left as it is.`;
    if (sha256(now) === w.after) {
        if (original)
            replaceFile(w.file, original, external_node_fs_default().statSync(w.file).mode & 0o777);
        else
            external_node_fs_default().rmSync(w.file, { force: true });
        return `${w.file}: restored as it was before this step.`;
    }
    return undoEntry(w, now, original);
}
function removeEmptyDirs(dirs) {
    for (const dir of dirs) {
        try {
            external_node_fs_default().rmdirSync(dir); // only when empty: something else may live there now
        }
        catch {
            break;
        }
    }
}
/** Someone changed the file since: put back only the entry we replaced, if ours is still there. */
function undoEntry(w, now, original) {
    let json;
    let before;
    try {
        json = parseAuthJson(w.file, now);
        before = parseAuthJson(w.file, original);
    }
    catch (error) {
        return `${w.file}: changed since and unreadable (${(0,errors/* describeError */.Uc)(error)}); left as it is.`;
    }
    const auths = { ...json.auths };
    if (before.auths?.[w.key])
        auths[w.key] = before.auths[w.key];
    else
        delete auths[w.key];
    const helpers = { ...json.credHelpers };
    if (before.credHelpers && w.key in before.credHelpers)
        helpers[w.key] = before.credHelpers[w.key];
    else
        delete helpers[w.key];
    const next = { ...json, auths };
    if (json.credHelpers)
        next.credHelpers = helpers;
    replaceFile(w.file, JSON.stringify(next, null, '\t') + '\n', external_node_fs_default().statSync(w.file).mode & 0o777);
    return `${w.file}: changed by something else since; only this step's ${w.key} entry was undone.`;
}
/** The entry's `auth` fingerprint, to tell later whether an entry is still ours. */
const authFingerprint = (auth) => sha256(auth);

;// CONCATENATED MODULE: ./src/clients/path.ts
// Is a program on PATH? Looked up the way a later step's shell would, without spawning anything.


const executable = (file) => {
    try {
        (0,external_node_fs_.accessSync)(file, external_node_fs_.constants.X_OK);
        return (0,external_node_fs_.statSync)(file).isFile();
    }
    catch {
        return false;
    }
};
/** The program's path on PATH (PATHEXT on Windows), or undefined. */
function findOnPath(name, env, isExecutable = executable) {
    const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
    for (const dir of (env.PATH ?? '').split(external_node_path_.delimiter).filter(Boolean)) {
        for (const ext of exts) {
            const file = (0,external_node_path_.join)(dir, name + ext.toLowerCase());
            if (isExecutable(file))
                return file;
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/clients/direct-rule.ts

/** The CLI versions whose login storage is the rule above (major.minor, inclusive). */
const KNOWN_CLI = { from: [20, 10], through: [28, 99] };
function knownCliVersion(version) {
    const m = /^(\d+)\.(\d+)\./.exec(version ?? '');
    if (!m)
        return false;
    const v = Number(m[1]) * 100 + Number(m[2]);
    const [from, through] = [KNOWN_CLI.from, KNOWN_CLI.through].map(([a, b]) => a * 100 + b);
    return v >= from && v <= through;
}
/** The helper docker would use for key: credHelpers, credsStore, or none (''). */
function configuredHelper(config, key, registry) {
    const helpers = config.credHelpers ?? {};
    if (Object.hasOwn(helpers, key))
        return helpers[key];
    if (Object.hasOwn(helpers, registry))
        return helpers[registry];
    return config.credsStore ?? '';
}
/** The default store docker picks for a config without any auth (DetectDefaultStore). */
function defaultStore(env, platform = process.platform) {
    const name = platform === 'darwin'
        ? 'osxkeychain'
        : platform === 'win32'
            ? 'wincred'
            : findOnPath('pass', env)
                ? 'pass'
                : 'secretservice';
    return findOnPath(`docker-credential-${name}`, env) ? name : '';
}
const hasAuthInfo = (c) => Boolean(c.credsStore || Object.keys(c.credHelpers ?? {}).length || Object.keys(c.auths ?? {}).length);
function directVerdict(r) {
    if (!knownCliVersion(r.cliVersion)) {
        return { direct: false, why: `docker CLI ${r.cliVersion ?? 'of unknown version'}` };
    }
    const helper = configuredHelper(r.config, r.key, r.registry);
    if (helper)
        return { direct: false, why: `credential helper ${helper}` };
    const fallback = hasAuthInfo(r.config) ? '' : defaultStore(r.env, r.platform);
    if (fallback)
        return { direct: false, why: `docker would pick docker-credential-${fallback}` };
    return { direct: true };
}

;// CONCATENATED MODULE: ./src/clients/helper.ts
// docker-credential-helpers' protocol, spoken directly: `docker-credential-<name> store|get|erase`
// with the request on stdin and the answer on stdout; the secret never goes on argv.

const NOT_FOUND = /credentials not found/i;
async function call(c, action, input) {
    const program = `docker-credential-${c.helper}`;
    try {
        return await c.exec(program, [action], { input, env: c.env, timeoutMs: c.timeoutMs });
    }
    catch (error) {
        if (error.code === 'ENOENT') {
            throw new errors/* ActionError */.lZ(`The credential helper ${program} (named by the docker config) is not on PATH.`, `Install ${program}, or remove it from credsStore/credHelpers in the docker config.`, { cause: error });
        }
        throw error;
    }
}
/** Helpers print their error on stdout; never echo the request (it may hold the secret). */
const failure = (c, action, out) => new errors/* ActionError */.lZ(`docker-credential-${c.helper} ${action} failed: ${(out.stdout || out.stderr).trim().slice(0, 300) || '(no message)'}`, 'Check that the credential helper works for this user (`docker-credential-<name> list`).');
async function helperStore(c, serverUrl, cred) {
    const input = JSON.stringify({ ServerURL: serverUrl, ...cred });
    const r = await call(c, 'store', input);
    if (r.exitCode !== 0)
        throw failure(c, 'store', r);
}
/** The stored credential, or undefined when the helper has none for serverUrl. */
async function helperGet(c, serverUrl) {
    const r = await call(c, 'get', serverUrl);
    if (r.exitCode !== 0) {
        if (NOT_FOUND.test(r.stdout))
            return undefined;
        throw failure(c, 'get', r);
    }
    const value = JSON.parse(r.stdout);
    return value.Secret ? { Username: value.Username ?? '', Secret: value.Secret } : undefined;
}
async function helperErase(c, serverUrl) {
    const r = await call(c, 'erase', serverUrl);
    if (r.exitCode !== 0 && !NOT_FOUND.test(r.stdout))
        throw failure(c, 'erase', r);
}

;// CONCATENATED MODULE: ./src/clients/docker.ts
// The docker kind: `docker` and `nerdctl` (nerdctl reads docker's config.json and its credential
// helpers the same way). The login written as docker's file store or its credential helper would
// write it; a helper that cannot hold the token (WinCred's 2,560 bytes, or any error) sends this
// registry, and only it, to config.json's `auths` (with `credHelpers[key] = ""`, which docker reads
// as "the file store for this registry").









const DOCKER_PROGRAMS = ['docker', 'nerdctl'];
const basicAuth = (username, password) => Buffer.from(`${username}:${password}`).toString('base64');
const setEntry = (key, entry, fileStore = false) => (json) => {
    const next = { ...json, auths: { ...json.auths, [key]: entry } };
    if (fileStore)
        next.credHelpers = { ...json.credHelpers, [key]: '' };
    return next;
};
async function writeDockerLogin(r) {
    const key = authKey(r.registry);
    const file = (0,external_node_path_.join)(r.configDir, 'config.json');
    const helper = configuredHelper(readConfig(r.configDir), key, r.registry);
    const auth = basicAuth(r.username, r.password);
    const edit = (change) => ({
        kind: 'docker',
        ...editAuthJson(file, key, change, { runnerTemp: r.runnerTemp, keep: r.keep }),
    });
    if (helper) {
        try {
            if (r.helperFailed)
                throw new Error(r.helperFailed);
            const stored = await storeInHelper(r, helper, key);
            // What docker's native store leaves in the file: an empty entry, the secret in the helper.
            return { writes: [edit(setEntry(key, {}))], helper: stored, plainInline: false };
        }
        catch (error) {
            r.warn(`The credential helper docker-credential-${helper} could not store the ${r.registry} login (${(0,errors/* describeError */.Uc)(error)}), so this login was written to ${file} instead, for ${r.registry} only; the post step restores the file. To keep it out of the file, use a helper that accepts the token's size, or \`docker-config: isolated\`.`);
            const write = edit(setEntry(key, { auth }, true));
            return { writes: [write], fingerprint: authFingerprint(auth), plainInline: false };
        }
    }
    return {
        writes: [edit(setEntry(key, { auth }))],
        fingerprint: authFingerprint(auth),
        plainInline: true,
    };
}
async function storeInHelper(r, helper, key) {
    const call = { exec: r.exec, helper, env: r.env, timeoutMs: r.timeoutMs };
    const previous = r.keep ? await helperGet(call, key) : undefined;
    await helperStore(call, key, { Username: r.username, Secret: r.password });
    let backup;
    if (previous) {
        backup = (0,external_node_path_.join)(r.runnerTemp || (0,external_node_os_.tmpdir)(), `ecr-public-login-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`);
        (0,external_node_fs_.writeFileSync)(backup, JSON.stringify(previous), { mode: 0o600 });
    }
    return { helper, serverUrl: key, fingerprint: authFingerprint(r.password), backup };
}

;// CONCATENATED MODULE: ./src/clients/containers.ts
// The containers kind: podman, buildah and skopeo (containers/image). They read, first file with
// an entry for the registry wins: REGISTRY_AUTH_FILE (their --authfile default), then
// $XDG_RUNTIME_DIR/containers/auth.json (else /run/containers/<uid>/auth.json), then
// $XDG_CONFIG_HOME/containers/auth.json (~/.config), then docker's config.json — whose
// credHelpers they honour but whose credsStore they ignore (docs/engines.md). So an entry of
// their own is written only when docker's config would not serve them: the login is held by a
// helper, or one of their earlier files holds a login for this registry that would win.






const CONTAINERS_PROGRAMS = ['podman', 'buildah', 'skopeo'];
/** The files they read before docker's, in their order, and the one we write when needed. */
function containersAuthFiles(env, uid = process.getuid?.() ?? 0) {
    const runtimeDir = env.XDG_RUNTIME_DIR || `/run/containers/${uid}`;
    const runtime = env.XDG_RUNTIME_DIR
        ? (0,external_node_path_.join)(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')
        : (0,external_node_path_.join)(runtimeDir, 'auth.json');
    const config = (0,external_node_path_.join)(env.XDG_CONFIG_HOME || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.config'), 'containers', 'auth.json');
    const lookup = [env.REGISTRY_AUTH_FILE, runtime, config].filter((f) => Boolean(f));
    // The first file all three read. podman and buildah skip the runtime file when DOCKER_CONFIG
    // is set (it replaces their --authfile default); a runtime folder exists only where a session made it.
    const useRuntime = !env.DOCKER_CONFIG && (0,external_node_fs_.existsSync)(runtimeDir);
    const primary = env.REGISTRY_AUTH_FILE || (useRuntime ? runtime : config);
    return { lookup, primary };
}
/** The key containers/image keeps a registry under (Docker Hub: `docker.io`). */
const containersKey = (registry) => registry_names/* DOCKER_HUB_ALIASES */.Kd.has(registry) ? registry_names/* DOCKER_HUB */.Xb : registry;
const LEGACY_HUB = ['https://index.docker.io/v1/', 'index.docker.io'];
/** Does the file hold a login (or helper) that would answer for this registry? */
function holdsLogin(file, registry) {
    let json;
    try {
        json = parseAuthJson(file, (0,external_node_fs_.existsSync)(file) ? (0,external_node_fs_.readFileSync)(file) : undefined);
    }
    catch {
        return true; // unreadable: do not count on docker's config being reached
    }
    const key = containersKey(registry);
    const names = key === registry_names/* DOCKER_HUB */.Xb ? [key, ...LEGACY_HUB] : [key];
    const keys = [...Object.keys(json.auths ?? {}), ...Object.keys(json.credHelpers ?? {})];
    return keys.some((k) => names.some((n) => k === n || k.startsWith(`${n}/`)));
}
/** Why they need an entry of their own; undefined when docker's config serves them. */
function containersNeed(registry, dockerPlainInline, env) {
    if (!dockerPlainInline) {
        return "docker's login for it is held by a credential helper or overridden, which they do not read";
    }
    const first = containersAuthFiles(env).lookup.find((f) => holdsLogin(f, registry));
    return first ? `${first} holds a login for it that they would read before docker's` : undefined;
}
function writeContainersLogin(r) {
    const { primary } = containersAuthFiles(r.env);
    const key = containersKey(r.registry);
    const auth = basicAuth(r.username, r.password);
    const write = editAuthJson(primary, key, (json) => ({ ...json, auths: { ...json.auths, [key]: { auth } } }), { runnerTemp: r.runnerTemp, keep: r.keep });
    return { kind: 'containers', ...write };
}
const containersFolder = (env) => dirname(containersAuthFiles(env).primary);

;// CONCATENATED MODULE: ./src/clients/kinds.ts



const CLIENT_KINDS = [
    {
        name: 'docker',
        programs: DOCKER_PROGRAMS,
        credentials: "docker's config.json (DOCKER_CONFIG, else ~/.docker): `auths`, or the credential helper it names",
        writes: '`docker login`, or the same entry written directly when that is provably identical (direct-rule.ts)',
        owns: (w) => w.kind === 'docker',
    },
    {
        name: 'containers',
        programs: CONTAINERS_PROGRAMS,
        credentials: "REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, then docker's config.json (not its credsStore)",
        writes: "an entry in their own auth file, only when docker's config would not serve them",
        owns: (w) => w.kind === 'containers',
    },
];
/** The programs of a kind found on PATH. */
const presentPrograms = (kind, env) => kind.programs.filter((p) => findOnPath(p, env));

;// CONCATENATED MODULE: ./src/clients/login.ts







async function loginClients(r, d) {
    const { record, plainInline } = await dockerSide(r, d);
    const present = CLIENT_KINDS.map((kind) => ({ kind, found: presentPrograms(kind, d.env) }));
    const containers = present.find((p) => p.kind.name === 'containers');
    if (containers.found.length) {
        const need = containersNeed(r.registry, plainInline, d.env);
        if (need) {
            d.log.debug(`${containers.found.join(', ')}: own entry for ${r.registry} (${need}).`);
            const write = writeContainersLogin({ ...r, keep: r.logout });
            record.writes = [...(record.writes ?? []), write];
        }
    }
    record.clients = present.flatMap((p) => p.found);
    return record;
}
async function dockerSide(r, d) {
    const key = authKey(r.registry);
    const config = readConfig(r.configDir); // an unreadable config stops here, as before
    if (d.docker) {
        const verdict = directVerdict({
            cliVersion: d.docker.version,
            config,
            key,
            registry: r.registry,
            env: d.env,
        });
        if (!verdict.direct) {
            d.log.debug(`${r.registry}: docker login (${verdict.why}).`);
            return viaCli(r, d);
        }
    }
    const checked = await checkCredential({
        ...r,
        agent: d.agentFor(r.registry),
        onToken: d.log.setSecret,
        origin: d.origin?.(r.registry),
    });
    // docker would store the refresh token as identitytoken: not the same as our entry.
    if (checked.refreshToken && d.docker)
        return viaCli(r, d);
    return direct(r, d);
}
async function direct(r, d, helperFailed) {
    const written = await writeDockerLogin({
        ...r,
        keep: r.restoreLater,
        exec: d.exec,
        warn: d.log.warning,
        helperFailed,
    });
    d.log.debug(`${r.registry}: written to ${r.configDir} directly${d.docker ? '' : ' (no docker CLI)'}.`);
    const record = {
        registry: r.registry,
        configDir: r.configDir,
        fingerprint: written.fingerprint,
        direct: true,
        writes: written.writes,
        helper: written.helper,
    };
    return { record, plainInline: written.plainInline };
}
/** `docker login`; when only its credential helper failed, the login goes to the file instead. */
async function viaCli(r, d) {
    let record;
    try {
        record = await loginToRegistry(d.exec, r);
    }
    catch (error) {
        // The registry accepted the credential; only storing it failed (WinCred's 2,560 bytes).
        if (!(error instanceof Error) || !/could not store the login/.test(error.message))
            throw error;
        return direct(r, d, error.message);
    }
    const after = readConfig(r.configDir);
    const key = authKey(r.registry);
    const plainInline = Boolean(after.auths?.[key]?.auth) && !configuredHelper(after, key, r.registry);
    return { record, plainInline };
}

;// CONCATENATED MODULE: ./src/clients/session.ts






const CHECK_TIMEOUT_MS = 10_000;
function findDocker(env) {
    const path = findOnPath('docker', env);
    return path ? { path, version: dockerCliVersion(path) } : undefined;
}
function openClients(o, d) {
    const docker = o.docker === null ? undefined : (o.docker ?? findDocker(d.env));
    const proxied = (0,proxy.proxyConfigured)(d.env, d.httpProxy);
    const agent = proxied
        ? (0,proxy.proxyAgents)(d.env, d.httpProxy, CHECK_TIMEOUT_MS).https
        : new preconnect.PreconnectingAgent();
    const { runtime } = d;
    const log = {
        warning: (m) => runtime.warning(m),
        debug: (m) => runtime.debug(m),
        setSecret: (s) => runtime.setSecret(s),
    };
    return {
        docker,
        warm(registry) {
            if (agent instanceof preconnect.PreconnectingAgent && !o.origin) {
                agent.preconnect(`https://${registry === registry_names/* DOCKER_HUB */.Xb ? registry_names/* DOCKER_HUB_API_HOST */.Tz : registry}`);
            }
        },
        login: (r) => loginClients(r, {
            ...d,
            log, // a loopback test registry speaks plain http: the default agent
            agentFor: (host) => (o.origin?.(host)?.startsWith('http:') ? undefined : agent),
            docker,
            origin: o.origin,
        }),
    };
}

;// CONCATENATED MODULE: ./src/common/timings.ts
// How long each phase of the step took, for the step summary: a small record any layer can feed.
class Timings {
    now;
    ms = new Map();
    constructor(now = () => performance.now()) {
        this.now = now;
    }
    async time(phase, fn) {
        const started = this.now();
        try {
            return await fn();
        }
        finally {
            this.ms.set(phase, (this.ms.get(phase) ?? 0) + this.now() - started);
        }
    }
    /** Phases in the order they first ran, with their total time in ms. */
    entries() {
        return [...this.ms.entries()];
    }
}

;// CONCATENATED MODULE: ./src/docker/daemon.ts
// Is the Docker daemon up? docker login (CLI 28) succeeds without one, and every pull after it
// would then fail, so main asks the daemon's /_ping the way the CLI would connect: its unix
// socket, or tcp:// with TLS and the client certificate when DOCKER_TLS_VERIFY is set.
// No extra process; about a millisecond.






const START_FIX = 'Start the Docker daemon on this runner (e.g. `sudo systemctl start docker`), or point DOCKER_HOST at a running one.';
/** The unix socket the CLI would use (kept for callers that only need that). */
function daemonSocket(env, currentContext, platform = process.platform) {
    const target = daemonTarget(env, currentContext, platform);
    return target && 'socketPath' in target ? target.socketPath : undefined;
}
function daemonTarget(env, currentContext, platform = process.platform) {
    if (platform === 'win32')
        return undefined; // a named pipe, not a socket path
    const context = env.DOCKER_CONTEXT || currentContext;
    if (context && context !== 'default')
        return undefined;
    const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    if (host.startsWith('unix://'))
        return { url: host, socketPath: host.slice('unix://'.length) };
    if (!host.startsWith('tcp://'))
        return undefined;
    // As the CLI: DOCKER_TLS_VERIFY (any value) verifies the daemon; DOCKER_TLS alone encrypts.
    const verify = Boolean(env.DOCKER_TLS_VERIFY);
    const secure = verify || Boolean(env.DOCKER_TLS);
    let url;
    try {
        url = new URL(host.replace(/^tcp:/, secure ? 'https:' : 'http:'));
    }
    catch {
        return undefined; // the CLI reports a malformed DOCKER_HOST itself
    }
    const certPath = env.DOCKER_CERT_PATH || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker');
    return {
        url: host,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port) || (secure ? 2376 : 2375),
        tls: secure ? { verify, certPath } : undefined,
    };
}
/** The CLI's files in DOCKER_CERT_PATH: ca.pem (when verifying), cert.pem and key.pem. */
function tlsOptions(target) {
    const read = (name, required) => {
        try {
            return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(target.tls.certPath, name));
        }
        catch (error) {
            if (!required)
                return undefined;
            throw new errors/* ActionError */.lZ(`Cannot reach the Docker daemon at ${target.url} over TLS: ${(0,external_node_path_.join)(target.tls.certPath, name)} could not be read (${(0,errors/* describeError */.Uc)(error)}).`, 'DOCKER_TLS_VERIFY is set: DOCKER_CERT_PATH (else ~/.docker) must hold ca.pem, cert.pem and key.pem, as the docker CLI needs them too.');
        }
    };
    const verify = target.tls.verify;
    return {
        ca: verify ? read('ca.pem', true) : undefined,
        cert: read('cert.pem', verify),
        key: read('key.pem', verify),
        rejectUnauthorized: verify,
    };
}
/** Pings the daemon behind a unix socket (undefined: nothing to check). */
const pingDaemon = (socketPath, timeoutMs) => pingDaemonAt(socketPath ? { url: `unix://${socketPath}`, socketPath } : undefined, timeoutMs);
function daemonRequest(target, path, timeoutMs) {
    const options = { path, timeout: timeoutMs, agent: false };
    if ('socketPath' in target)
        return external_node_http_default().get({ ...options, socketPath: target.socketPath });
    const where = { ...options, host: target.host, port: target.port };
    if (!target.tls)
        return external_node_http_default().get(where);
    return external_node_https_default().get({ ...where, ...tlsOptions({ ...target, tls: target.tls }) });
}
function pingDaemonAt(target, timeoutMs) {
    if (!target)
        return Promise.resolve();
    return new Promise((resolve, reject) => {
        const fail = (why) => reject(new errors/* ActionError */.lZ(`The Docker daemon is not running or not reachable at ${target.url} (${why}), so images could not be pulled after a login.`, START_FIX));
        const request = daemonRequest(target, '/_ping', timeoutMs); // throws (rejecting) when a TLS file is missing
        request.once('response', (response) => {
            response.resume();
            if (response.statusCode === 200)
                resolve();
            else
                fail(`/_ping answered HTTP ${response.statusCode}`);
        });
        request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.once('error', (error) => fail(error.code ?? error.message));
    });
}
/** The registry mirrors the daemon uses now (`docker info`'s RegistryConfig.Mirrors), from its socket. */
const daemonMirrors = (socketPath, timeoutMs) => daemonMirrorsAt({ url: `unix://${socketPath}`, socketPath }, timeoutMs);
/** The same over however the CLI reaches the daemon: its socket, tcp:// or TLS. */
function daemonMirrorsAt(target, timeoutMs) {
    return new Promise((resolve, reject) => {
        const request = daemonRequest(target, '/info', timeoutMs); // throws (rejecting) when a TLS file is missing
        request.once('response', (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.once('end', () => {
                try {
                    const info = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                    resolve(info?.RegistryConfig?.Mirrors ?? []);
                }
                catch (error) {
                    reject(error);
                }
            });
        });
        request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.once('error', reject);
    });
}

;// CONCATENATED MODULE: ./src/runner/state.ts
// What main hands to the post step (GITHUB_STATE): which logins to undo, and how. Never a secret.
const STATE_KEY = 'post';
const serializeState = (state) => JSON.stringify(state);
/** Tolerates a missing or damaged state: post must never fail the job. */
function parseState(raw) {
    try {
        const value = JSON.parse(raw);
        return {
            logout: value.logout !== false,
            isolatedDir: typeof value.isolatedDir === 'string' ? value.isolatedDir : undefined,
            logins: Array.isArray(value.logins)
                ? value.logins.filter((l) => typeof l?.registry === 'string' && typeof l?.configDir === 'string')
                : [],
        };
    }
    catch {
        return { logout: true, logins: [] };
    }
}

;// CONCATENATED MODULE: ./src/docker/step-logins.ts
// Where this step's logins go and how the post step finds them again: the docker config folder
// (shared or isolated), the post-step state saved right after each login, and the daemon check.






const DAEMON_PING_TIMEOUT_MS = 3000;
function isolatedDir(runnerTemp) {
    try {
        return createIsolatedDir(runnerTemp);
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`Could not create the job's docker config folder for 'docker-config: isolated' in ${runnerTemp || 'the temp folder'} (${(0,errors/* describeError */.Uc)(error)}).`, 'RUNNER_TEMP must be a writable folder; or use `docker-config: shared`.');
    }
}
const isOwnIsolatedDir = (env) => Boolean(env.DOCKER_CONFIG && env.RUNNER_TEMP && isIsolatedDir(env.DOCKER_CONFIG, env.RUNNER_TEMP)) && (0,external_node_fs_.existsSync)(env.DOCKER_CONFIG);
/** The docker config folder this step writes to, and whether this step made it (post removes it). */
function chooseConfigDir(settings, runtime, env) {
    const isolated = settings.dockerConfig === 'isolated';
    // An earlier isolated step of this job made the folder: reuse it, or its logins would vanish.
    const inherited = isolated && isOwnIsolatedDir(env);
    const ownFolder = isolated && !inherited;
    const dir = ownFolder ? isolatedDir(env.RUNNER_TEMP) : configDir(env);
    if (ownFolder)
        runtime.exportVariable('DOCKER_CONFIG', dir);
    if (inherited)
        runtime.info(`Reusing this job's isolated docker config ${dir}.`);
    // Tells the folder's maker (its post runs after ours) to leave the folder and our logins.
    const keep = isolated && !settings.logout;
    if (keep)
        markKept(dir);
    return { dir, ownFolder, keep };
}
function openStepLogins(settings, deps) {
    const { runtime, env, exec, clients } = deps;
    const { dir, ownFolder, keep } = chooseConfigDir(settings, runtime, env);
    // Only the step that made the folder removes it; its post runs last.
    const state = {
        logout: settings.logout,
        isolatedDir: ownFolder ? dir : undefined,
        logins: [],
    };
    const saveState = () => runtime.saveState(STATE_KEY, serializeState(state));
    saveState(); // before any login, so post can remove an isolated folder whatever happens next
    const context = readConfig(dir).currentContext;
    const daemon = daemonTarget(env, typeof context === 'string' ? context : undefined);
    const credentials = new Map();
    return {
        loggedIn: () => state.logins.map((l) => l.registry),
        credentials: (registry) => credentials.get(registry),
        clients: () => [...new Set(state.logins.flatMap((l) => l.clients ?? ['docker']))],
        login: async (request, timeoutMs) => {
            const { registry, username, password } = request;
            // Right before each login (about 1 ms): docker login itself succeeds without a daemon,
            // and the daemon may have stopped while AWS was being called.
            if (!clients || clients.dockerPresent)
                await pingDaemonAt(daemon, DAEMON_PING_TIMEOUT_MS);
            const full = {
                ...request,
                configDir: dir,
                // A folder of our own starts empty; a shared or inherited one may hold logins to put back.
                restoreLater: !ownFolder && settings.logout,
                runnerTemp: env.RUNNER_TEMP,
                env,
                timeoutMs,
            };
            const record = clients
                ? await clients.login({ ...full, logout: settings.logout })
                : await loginToRegistry(exec, full);
            state.logins.push(record);
            if (keep)
                markKept(dir, registry);
            credentials.set(registry, { username, password });
            saveState(); // at once, so a later failure still logs this one out
        },
    };
}

// EXTERNAL MODULE: ./src/registry/client.ts
var registry_client = __webpack_require__(2440);
;// CONCATENATED MODULE: ./src/hub/pull-limit.ts



const CHECK_REPOSITORY = 'ratelimitpreview/test';
const DOCKER_HUB_ORIGINS = {
    registry: 'https://registry-1.docker.io',
    realm: 'https://auth.docker.io/token',
};
/** The whole check, token and HEAD: about two round trips, never more than this (the step waits
 * for it at its end only when it is still out, so a slow Docker Hub costs at most this much). */
const CHECK_BUDGET_MS = 3_000;
/** One check, anonymous or with credentials; rejects on any failure or after the budget. */
async function checkPullLimit(credentials, deps) {
    const origins = deps.origins ?? DOCKER_HUB_ORIGINS;
    const budget = deps.budgetMs ?? CHECK_BUDGET_MS;
    const client = new registry_client/* RegistryClient */.bP({
        origin: origins.registry,
        credentials,
        timeoutMs: budget,
        agent: deps.agent,
        // Known in advance: no first 401 round trip.
        challenge: {
            scheme: 'bearer',
            params: { realm: origins.realm, service: 'registry.docker.io' },
        },
        onToken: deps.setSecret,
    });
    const head = client.request({
        method: 'HEAD',
        path: `/v2/${CHECK_REPOSITORY}/manifests/latest`,
        repository: CHECK_REPOSITORY,
        accept: registry_client/* MANIFEST_TYPES */._P,
        signal: AbortSignal.timeout(budget),
    });
    const response = await withinBudget(head, budget);
    response.resume();
    if (response.statusCode !== 200) {
        throw new Error(`the check's manifest HEAD answered HTTP ${response.statusCode}`);
    }
    return { account: credentials?.username ?? 'anonymous', ...readLimit(response.headers) };
}
/** `100;w=21600` → 100 and the window; absent headers → not limited. */
function readLimit(headers) {
    const first = (name) => [headers[name]].flat()[0] ?? '';
    const count = (value) => (/^\s*(\d+)/.exec(value) ? parseInt(value, 10) : undefined);
    const limit = count(first('ratelimit-limit'));
    const window = /;\s*w=(\d+)/.exec(first('ratelimit-limit'));
    if (limit === undefined)
        return {};
    return {
        limit,
        remaining: count(first('ratelimit-remaining')),
        windowSeconds: window ? Number(window[1]) : undefined,
    };
}
function withinBudget(work, ms) {
    let timer;
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
/** The checks of one step: anonymous from the start, the account's once it has logged in. */
class PullLimitChecks {
    deps;
    anonymous;
    account;
    constructor(deps) {
        this.deps = deps;
        // One turn later: the login's own requests go out first.
        const later = new Promise((resolve) => setImmediate(resolve));
        this.anonymous = this.quietly(later.then(() => checkPullLimit(undefined, deps)), 'anonymous');
    }
    withAccount(credentials) {
        const limit = this.quietly(checkPullLimit(credentials, this.deps), credentials.username);
        this.account = { name: credentials.username, limit };
    }
    async report() {
        const [anonymous, limit] = await Promise.all([this.anonymous, this.account?.limit]);
        return { anonymous, account: this.account && { name: this.account.name, limit } };
    }
    quietly(check, who) {
        return check.then((found) => {
            this.deps.debug(`Docker Hub pull limit (${who}): ${JSON.stringify(found)}`);
            return found;
        }, (error) => {
            this.deps.debug(`Docker Hub pull limit check (${who}) failed: ${(0,errors/* describeError */.Uc)(error)}`);
            return undefined;
        });
    }
}
/** The `docker-hub-pulls-remaining` output: the account's when it pulls, else the runner's. */
function pullsRemaining(report) {
    if (!report)
        return '';
    const limit = report.account ? report.account.limit : report.anonymous;
    return limit?.remaining === undefined ? '' : String(limit.remaining);
}
/** The step's checks over its proxy settings; undefined (a debug line) when the proxy is unusable. */
function startPullLimitChecks(network, env, deps) {
    const problem = (0,proxy.proxyEnvProblem)(env, network.httpProxy);
    if (problem) {
        deps.debug(`Docker Hub pull limit not checked: ${problem}`);
        return undefined;
    }
    const agent = (0,proxy.proxyConfigured)(env, network.httpProxy)
        ? (0,proxy.proxyAgents)(env, network.httpProxy, CHECK_BUDGET_MS).https
        : undefined;
    return new PullLimitChecks({ ...deps, agent });
}

;// CONCATENATED MODULE: ./src/images/pipeline.ts
// The image pipeline's door into the step (resolve the references, rewrite the files): nothing is loaded unless `images` or `rewrite` is set
// (the resolver, parsers and glob code live in a chunk of their own), and nothing here can fail
// the step: a failure is a warning and every reference stays where it was.


/** Resolves and rewrites, filling the image outputs in; the rows for the summary, if it ran. */
async function runImagePipeline(images, network, outputs, deps) {
    if (images.images.length === 0 && images.rewrite.length === 0)
        return undefined;
    try {
        const { runPipeline } = await Promise.all(/* import() */[__webpack_require__.e(955), __webpack_require__.e(581), __webpack_require__.e(568), __webpack_require__.e(223)]).then(__webpack_require__.bind(__webpack_require__, 4223));
        const { rows, ...values } = await deps.timing.time('image resolution', () => runPipeline(images, {
            runtime: deps.runtime,
            env: deps.env,
            libraryPrefix: outputs['library-prefix'],
            credentials: (host) => deps.logins.credentials((0,registry_names/* canonicalHost */.rQ)(host)),
            httpProxy: network.httpProxy,
            retryMaxAttempts: network.retryMaxAttempts,
            timeoutSeconds: network.timeoutSeconds,
        }));
        Object.assign(outputs, values);
        return rows;
    }
    catch (error) {
        deps.runtime.warning(`Image resolution failed (${(0,errors/* describeError */.Uc)(error)}); no file was rewritten and every image stays where it was.`, 'Image resolution');
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/engines/job.ts
function jobRef(parentPid, startOf) {
    const start = parentPid > 1 ? startOf(parentPid) : undefined;
    return start === undefined ? undefined : { pid: parentPid, start };
}
const jobAlive = (startOf) => (job) => startOf(job.pid) === job.start;
/** The step's id in file names: the job's pid and start, and this process (a job may run the step twice). */
const stepIdOf = (job, pid) => job ? `${job.pid}-${job.start}-${pid}` : `nojob-${pid}`;
/** The job in a step id, when it has one. */
function jobOfStepId(id) {
    const m = /^(\d+)-(\d+)-\d+$/.exec(id);
    return m ? { pid: Number(m[1]), start: m[2] } : undefined;
}

;// CONCATENATED MODULE: ./src/engines/containerd.ts
// containerd (nerdctl, ctr --hosts-dir, the CRI plugin when its config_path names the folder):
// docker.io/hosts.toml in the hosts directory, pointing at the library prefix with the path
// override a mirror with a path needs (docs/engines.md). Root's file: edited as root, with a
// ledger so two jobs share it and the last one out puts the original bytes back.
//
// Credentials: none written. containerd has no credential file (ctr takes --user for every
// host, Docker Hub included); the only way to give it one is a static Authorization header in
// this file: a live token in /etc that outlives a killed job, expires under long jobs, and on
// the stand-in covers one repository per token. So the mirror is used anonymously, which
// public.ecr.aws serves (at its anonymous rate); any other registry is declined with a warning,
// since its mirror would refuse every pull and containerd would fall back to Docker Hub unseen.




const CONTAINERD_STATE_KEY = 'mirror-containerd';
const DEFAULT_HOSTS_DIR = '/etc/containerd/certs.d';
/** The mirror as containerd asks it: `https://host/v2/<path without /library>` (names carry `library/`). */
function mirrorUrl(prefix) {
    const { host, path } = (0,registry_names/* splitPrefix */.vy)(prefix);
    if (!path.endsWith('library'))
        return undefined;
    const rest = path.replace(/\/?library$/, '');
    return `https://${host}/v2${rest ? `/${rest}` : ''}`;
}
function hostsToml(url) {
    return [
        '# ecr-public-login: Docker official images through the logged-in registry for the jobs in',
        '# hosts.toml.ecr-public-login.json; the last job out puts back what was here.',
        'server = "https://registry-1.docker.io"',
        '',
        `[host.${JSON.stringify(url)}]`,
        '  capabilities = ["pull", "resolve"]',
        '  override_path = true',
        '',
    ].join('\n');
}
const fileOf = (deps) => (0,external_node_path_.join)(deps.hostsDir, 'docker.io', 'hosts.toml');
const ownerOf = (deps) => ({
    id: deps.stepId,
    job: jobOfStepId(deps.stepId),
});
function urlFor(prefix) {
    const url = mirrorUrl(prefix);
    const { host } = (0,registry_names/* splitPrefix */.vy)(prefix);
    if (url && host === registry_names/* ECR_PUBLIC_REGISTRY */.Nt)
        return url;
    throw new errors/* ActionError */.lZ(`containerd would pull from ${prefix} without a credential (this step writes none into ${DEFAULT_HOSTS_DIR}: containerd can only hold one there, as a static header), and ${host} refuses anonymous pulls.`, 'Pull `${{ steps.<id>.outputs.library-prefix }}/<image>` with nerdctl instead (it reads the docker login), or log in to public.ecr.aws.');
}
async function setUp(source, deps) {
    const url = urlFor(source.prefix);
    const file = fileOf(deps);
    // Before the edit: post removes our entry whatever happens next.
    deps.runtime.saveState(CONTAINERD_STATE_KEY, JSON.stringify({ file, owner: ownerOf(deps) }));
    const result = await deps.hostsEdit({
        op: 'add',
        file,
        text: hostsToml(url),
        owner: ownerOf(deps),
    });
    if (result.pruned.length)
        deps.runtime.info(`mirror containerd: forgot jobs that are gone: ${result.pruned.join(', ')}.`);
    deps.runtime.info(`mirror containerd: nerdctl (and ctr --hosts-dir ${deps.hostsDir}) pull docker.io/library images from ${url} (${file}; anonymous pulls).`);
    return file;
}
const RESTORED = {
    exact: (file) => `${file} put back as it was`,
    shared: (file) => `left ${file} to the other jobs still using it (the last one puts it back)`,
    changed: (file) => `left ${file} as it is: it was rewritten during the job`,
    absent: (file) => `${file} no longer had this job's entry`,
};
async function undo(deps) {
    let record;
    try {
        record = JSON.parse(deps.runtime.getState(CONTAINERD_STATE_KEY) || 'null') ?? {};
    }
    catch {
        return [];
    }
    if (typeof record.file !== 'string' || !record.owner)
        return [];
    const result = await deps.hostsEdit({ op: 'remove', file: record.file, owner: record.owner });
    return [`mirror containerd: ${RESTORED[result.restored ?? 'absent'](record.file)}.`];
}
const containerdRow = {
    name: 'containerd',
    inAuto: true,
    present: (deps) => ['nerdctl', 'ctr', 'containerd'].some((c) => deps.onPath(c)) ||
        deps.fs.existsSync(deps.hostsDir),
    setUp,
    undo,
};

;// CONCATENATED MODULE: ./src/engines/files.ts
// The few file moves the rows share: folders made and later removed only if still empty, whole
// files replaced in one rename, and a fingerprint to recognise our own bytes at undo time.


const files_sha256 = (bytes) => (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
/** Makes `dir` and its missing parents; returns the folders it made, outermost first. */
function files_makeDirs(fs, dir) {
    const missing = [];
    for (let d = dir; !fs.existsSync(d) && (0,external_node_path_.dirname)(d) !== d; d = (0,external_node_path_.dirname)(d))
        missing.unshift(d);
    if (missing.length)
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    return missing;
}
/** Removes the folders we made, innermost first, where nothing else was put in them. */
function files_removeEmptyDirs(fs, dirs) {
    const removed = [];
    for (const dir of [...dirs].reverse()) {
        try {
            fs.rmdirSync(dir);
            removed.push(dir);
        }
        catch {
            return removed; // not empty (another job's file, the user's), or gone: its parents stay too
        }
    }
    return removed;
}
/** Replaces a file in one rename, so a client never reads half of it. */
function writeWhole(fs, file, bytes, mode) {
    const temp = `${file}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    fs.writeFileSync(temp, bytes, { mode });
    try {
        fs.renameSync(temp, file);
    }
    catch (error) {
        fs.unlinkSync(temp); // no half-done leftovers: the folder must be removable
        throw error;
    }
}
/** The file's bytes; undefined when there is no such file. */
function files_readBytes(fs, file) {
    try {
        return fs.readFileSync(file);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/engines/hosts-edit.ts
// containerd's docker.io/hosts.toml, edited as root for one job at a time: the first job records
// the original bytes (or that there was no file) and the folders it made in a ledger beside the
// file; every job adds itself; the last one out (or the next run, for jobs that are gone) puts
// the original bytes back, or removes the file and those folders. No secret passes through here.



const hosts_edit_LOCK_WAIT_MS = 5_000;
const STALE_LOCK_MS = 30_000;
const ledgerOf = (file) => `${file}.ecr-public-login.json`;
function editHostsFile(request, deps) {
    if (request.op === 'remove' && !deps.fs.existsSync(ledgerOf(request.file)))
        return { restored: 'absent', pruned: [] };
    const made = [];
    const makeFolder = () => {
        if (request.op === 'remove')
            throw new Error(`${(0,external_node_path_.dirname)(request.file)} went away meanwhile`);
        made.push(...files_makeDirs(deps.fs, (0,external_node_path_.dirname)(request.file)));
    };
    if (request.op === 'add')
        makeFolder();
    const done = withLock(request.file, deps, makeFolder, () => request.op === 'add' ? { result: add(request, made, deps) } : remove(request, deps));
    // After the lock is gone: it lives in the folder.
    if (done.removeDirs)
        files_removeEmptyDirs(deps.fs, done.removeDirs);
    return done.result;
}
function add(request, createdDirs, deps) {
    const { file, text, owner } = request;
    const ledger = readLedger(file, deps) ?? firstLedger(file, deps);
    const pruned = prune(ledger, deps);
    ledger.createdDirs = [...new Set([...ledger.createdDirs, ...createdDirs])];
    ledger.owners = [...ledger.owners.filter((o) => o.id !== owner.id), owner];
    ledger.written = files_sha256(text);
    writeLedger(file, ledger, deps); // first: whatever happens next, the original is on record
    writeWhole(deps.fs, file, text, 0o644);
    return { pruned };
}
function remove(request, deps) {
    const ledger = readLedger(request.file, deps);
    if (!ledger)
        return { result: { restored: 'absent', pruned: [] } };
    const pruned = prune(ledger, deps);
    const before = ledger.owners.length;
    ledger.owners = ledger.owners.filter((o) => o.id !== request.owner.id);
    const ours = ledger.owners.length < before;
    if (ledger.owners.length > 0) {
        writeLedger(request.file, ledger, deps);
        return { result: { restored: ours ? 'shared' : 'absent', pruned } };
    }
    const restored = restore(request.file, ledger, deps);
    return { result: { restored, pruned }, removeDirs: ledger.createdDirs };
}
/** The last owner is out: the original back, unless someone else rewrote the file meanwhile. */
function restore(file, ledger, deps) {
    const now = files_readBytes(deps.fs, file);
    const ours = now !== undefined && files_sha256(now) === ledger.written;
    if (ours && ledger.original === null)
        deps.fs.unlinkSync(file);
    if (ours && ledger.original !== null) {
        writeWhole(deps.fs, file, Buffer.from(ledger.original, 'base64'), ledger.mode ?? 0o644);
        if (ledger.mode !== undefined)
            deps.fs.chmodSync(file, ledger.mode);
    }
    deps.fs.unlinkSync(ledgerOf(file));
    return ours ? 'exact' : 'changed';
}
function prune(ledger, deps) {
    const gone = ledger.owners.filter((o) => o.job && !deps.isJobAlive(o.job));
    ledger.owners = ledger.owners.filter((o) => !gone.includes(o));
    return gone.map((o) => o.id);
}
function firstLedger(file, deps) {
    const bytes = files_readBytes(deps.fs, file);
    const mode = bytes ? deps.fs.statSync(file).mode & 0o7777 : undefined;
    return {
        original: bytes?.toString('base64') ?? null,
        mode,
        written: '',
        createdDirs: [],
        owners: [],
    };
}
function readLedger(file, deps) {
    const bytes = files_readBytes(deps.fs, ledgerOf(file));
    if (!bytes)
        return undefined;
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* ActionError */.lZ(`${ledgerOf(file)} is not the JSON this action writes, so ${file} was left as it is.`, `Put ${file} back as it should be and delete ${ledgerOf(file)}.`);
    }
}
const writeLedger = (file, ledger, deps) => writeWhole(deps.fs, ledgerOf(file), JSON.stringify(ledger), 0o600);
/** One editor at a time across jobs: an exclusive lock file, broken when it is older than any edit. */
function withLock(file, deps, makeFolder, fn) {
    const lock = `${ledgerOf(file)}.lock`;
    const until = deps.now() + hosts_edit_LOCK_WAIT_MS;
    for (;;) {
        try {
            deps.fs.closeSync(deps.fs.openSync(lock, 'wx', 0o600));
            break;
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT')
                makeFolder(); // the last job out removed the folder just now
            else if (code !== 'EEXIST')
                throw error;
            else if (lockAge(lock, deps) > STALE_LOCK_MS)
                unlinkQuietly(lock, deps);
            else if (deps.now() > until)
                throw new errors/* ActionError */.lZ(`${lock} stayed locked for ${hosts_edit_LOCK_WAIT_MS / 1000} s (another job editing ${file}).`, 'Run the job again; if the lock file is left from a crash, delete it.');
            else
                deps.sleep(50);
        }
    }
    try {
        return fn();
    }
    finally {
        deps.fs.unlinkSync(lock);
    }
}
/** How old the lock is; 0 when it went away meanwhile. */
function lockAge(lock, deps) {
    try {
        return deps.now() - deps.fs.statSync(lock).mtimeMs;
    }
    catch {
        return 0;
    }
}
function unlinkQuietly(file, deps) {
    try {
        deps.fs.unlinkSync(file);
    }
    catch {
        // another job broke the stale lock first
    }
}

;// CONCATENATED MODULE: ./src/engines/privileged.ts
// containerd's hosts directory is root's: the edit runs in this process when it is root, else in
// the mirror bundle under `sudo -n` (never a password prompt), as docker-mirror's daemon edit
// does. The request holds no secret (the file has none), so argv is fine.



const privileged_sleepSync = (ms) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};
const realHostsEditDeps = (isJobAlive) => ({
    fs: (external_node_fs_default()),
    isJobAlive,
    now: Date.now,
    sleep: privileged_sleepSync,
});
async function runHostsEdit(request, deps) {
    const { mirror } = deps;
    if (mirror?.isRoot)
        return editHostsFile(request, deps.editDeps);
    if (!mirror)
        throw new errors/* ActionError */.lZ(`editing ${request.file} needs root, and this runtime has no mirror bundle to run under sudo.`, 'Run the job as root.');
    const args = ['-n', mirror.execPath, mirror.mirrorBundle, 'hosts-file', JSON.stringify(request)];
    const result = await deps.exec('sudo', args, { timeoutMs: 20_000 }).catch((error) => {
        throw new errors/* ActionError */.lZ(`editing ${request.file} needs root, and sudo is not available (${error.message}).`, 'Run the job as root, or allow the runner user passwordless sudo.');
    });
    if (result.exitCode !== 0) {
        const why = result.stderr.trim().split('\n').pop() || `exit code ${result.exitCode}`;
        throw new errors/* ActionError */.lZ(`editing ${request.file} as root with \`sudo -n\` failed: ${why}`, /password is required|not in the sudoers|not allowed/i.test(result.stderr)
            ? 'Allow the runner user passwordless sudo (GitHub-hosted runners have it), or run the job as root.'
            : 'See the message above; the file and its ledger (*.ecr-public-login.json) are beside each other.');
    }
    return JSON.parse(result.stdout);
}

;// CONCATENATED MODULE: ./src/engines/deps.ts
// The real EngineDeps: this machine's files, PATH, job and root. Everything here is what tests
// replace; rows never reach for process or node:fs themselves.







/** A command on PATH (a file, so no process is started to find out). */
const onPathOf = (env) => (command) => (env.PATH ?? '')
    .split(external_node_path_.delimiter)
    .some((dir) => dir !== '' && external_node_fs_default().existsSync((0,external_node_path_.join)(dir, command)));
function engineDeps(host) {
    const { env } = host;
    const isJobAlive = host.engines?.isJobAlive ?? jobAlive(processStart);
    const job = 'job' in (host.engines ?? {}) ? host.engines?.job : jobRef(process.ppid, processStart);
    const editDeps = realHostsEditDeps(isJobAlive);
    return {
        runtime: host.runtime,
        env,
        exec: host.exec,
        now: host.now,
        mirror: host.mirror,
        fs: (external_node_fs_default()),
        home: env.HOME || (0,external_node_os_.homedir)(),
        hostsDir: DEFAULT_HOSTS_DIR,
        runnerTemp: env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
        onPath: onPathOf(env),
        job,
        isJobAlive,
        stepId: stepIdOf(job, process.pid),
        hostsEdit: (request) => runHostsEdit(request, { exec: host.exec, mirror: host.mirror, editDeps }),
        ...host.engines,
    };
}

;// CONCATENATED MODULE: ./src/images/buildkit.ts
// BuildKit's registry mirror for docker.io, from the logged-in registry's library prefix:
// `public.ecr.aws/docker/library` serves `docker.io/library/*`, so the mirror is
// `public.ecr.aws/docker` (BuildKit ≥ 0.12 accepts a mirror with a path).

/** TOML for setup-buildx-action's `buildkitd-config-inline`; '' when there is no mirror. */
function buildkitdConfig(libraryPrefix) {
    const mirror = libraryPrefix.replace(/\/library$/, '');
    if (!libraryPrefix || mirror === libraryPrefix || mirror === registry_names/* DOCKER_HUB */.Xb)
        return '';
    return `[registry."docker.io"]\n  mirrors = [${JSON.stringify(mirror)}]\n`;
}

;// CONCATENATED MODULE: ./src/engines/buildkit.ts
// BuildKit reads buildkitd.toml only when a builder starts, so the step cannot reconfigure a
// running one: it writes the `buildkitd-config` TOML to a file of the job (RUNNER_TEMP) for
// `docker buildx create --config` or setup-buildx-action's `config:`; post removes it.




const BUILDKIT_STATE_KEY = 'mirror-buildkit';
async function buildkit_setUp(source, deps) {
    const toml = buildkitdConfig(source.prefix);
    if (!toml)
        throw new errors/* ActionError */.lZ(`${source.prefix} is not a path BuildKit can mirror docker.io to (it must end in /library).`, 'Use the library-prefix output in FROM lines instead.');
    const file = (0,external_node_path_.join)(deps.runnerTemp, `ecr-public-login-buildkitd-${deps.stepId}.toml`);
    deps.runtime.saveState(BUILDKIT_STATE_KEY, JSON.stringify({ file, sha256: files_sha256(toml) }));
    writeWhole(deps.fs, file, toml, 0o644);
    deps.runtime.info(`mirror buildkit: ${file} (the buildkitd-config-file output) makes a new builder pull docker.io images from ${source.prefix}: pass it to \`docker buildx create --config\` or setup-buildx-action's \`config:\`.`);
    return file;
}
async function buildkit_undo(deps) {
    let record;
    try {
        record = JSON.parse(deps.runtime.getState(BUILDKIT_STATE_KEY) || 'null') ?? {};
    }
    catch {
        return [];
    }
    if (typeof record.file !== 'string')
        return [];
    const bytes = files_readBytes(deps.fs, record.file);
    if (!bytes)
        return [];
    if (files_sha256(bytes) !== record.sha256)
        return [`mirror buildkit: left ${record.file}: it was changed during the job.`];
    deps.fs.unlinkSync(record.file);
    return [`mirror buildkit: removed ${record.file}.`];
}
const buildkitRow = {
    name: 'buildkit',
    // A file under RUNNER_TEMP: free, and buildx is often installed by a later step.
    inAuto: true,
    present: () => true,
    setUp: buildkit_setUp,
    undo: buildkit_undo,
};

;// CONCATENATED MODULE: ./src/engines/containers.ts
// podman, buildah and skopeo (containers/image): a mirror for docker.io/library in a drop-in of
// the user's registries.conf.d, named for this step of this job. Never the user-level
// registries.conf itself: it would hide the system file and its short-name aliases
// (docs/engines.md). No reload: every command reads the files afresh.






const CONTAINERS_STATE_KEY = 'mirror-containers';
const NAME = /^zz-ecr-public-login-(.+)\.conf$/;
/** The user-level drop-in folder containers/image reads after the system one. */
const dropInDir = (home) => (0,external_node_path_.join)(home, '.config/containers/registries.conf.d');
/** `zz-`: read last, so our entry for docker.io/library wins over an earlier drop-in's. */
const dropInName = (stepId) => `zz-ecr-public-login-${stepId}.conf`;
function dropInText(prefix, stepId) {
    return [
        `# ecr-public-login, step ${stepId}: Docker official images through ${prefix}.`,
        '# The step removes this file after the job (or the next run does, once the job is gone).',
        '[[registry]]',
        'prefix = "docker.io/library"',
        'location = "docker.io/library"',
        '',
        '[[registry.mirror]]',
        `location = ${JSON.stringify(prefix)}`,
        '',
    ].join('\n');
}
/** Removes drop-ins of jobs that are gone (killed before their post step); returns them. */
function sweepDropIns(deps) {
    const dir = dropInDir(deps.home);
    if (!deps.fs.existsSync(dir))
        return [];
    const gone = deps.fs.readdirSync(dir).filter((name) => {
        const job = jobOfStepId(NAME.exec(name)?.[1] ?? '');
        return job !== undefined && !deps.isJobAlive(job);
    });
    for (const name of gone)
        deps.fs.unlinkSync((0,external_node_path_.join)(dir, name));
    return gone.map((name) => (0,external_node_path_.join)(dir, name));
}
/** Where podman, buildah and skopeo will find the mirror's credential, or why they will not. */
function credentialNote(source, deps) {
    const { host } = (0,registry_names/* splitPrefix */.vy)(source.prefix);
    const dir = configDir(deps.env);
    const config = readConfig(dir);
    if (config.auths?.[host]?.auth)
        return `credentials from ${(0,external_node_path_.join)(dir, 'config.json')}`;
    if (config.credHelpers?.[host])
        return `credentials from docker-credential-${config.credHelpers[host]}`;
    const why = config.credsStore
        ? `docker keeps the ${host} login in credsStore "${config.credsStore}", which they do not read`
        : `${(0,external_node_path_.join)(dir, 'config.json')} holds no ${host} login`;
    if (host === registry_names/* ECR_PUBLIC_REGISTRY */.Nt)
        return `anonymous pulls (${why})`;
    throw new errors/* ActionError */.lZ(`podman, buildah and skopeo would find no credential for ${host} (${why}), so the mirror would refuse them and they would pull from Docker Hub.`, 'Use `docker-config: isolated` (an inline login they read), or pull `${{ steps.<id>.outputs.library-prefix }}/<image>` after `podman login`.');
}
async function containers_setUp(source, deps) {
    const note = credentialNote(source, deps);
    const swept = sweepDropIns(deps);
    if (swept.length)
        deps.runtime.info(`Removed drop-ins of jobs that are gone: ${swept.join(', ')}.`);
    const dir = dropInDir(deps.home);
    const file = (0,external_node_path_.join)(dir, dropInName(deps.stepId));
    const text = dropInText(source.prefix, deps.stepId);
    const createdDirs = files_makeDirs(deps.fs, dir);
    const record = { file, sha256: files_sha256(text), createdDirs };
    deps.runtime.saveState(CONTAINERS_STATE_KEY, JSON.stringify(record)); // before the write
    writeWhole(deps.fs, file, text, 0o644);
    deps.runtime.info(`mirror containers: podman, buildah and skopeo pull docker.io/library images from ${source.prefix} (${file}; ${note}).`);
    return file;
}
function parseRecord(raw) {
    try {
        const r = JSON.parse(raw);
        const ok = typeof r.file === 'string' && typeof r.sha256 === 'string';
        return ok ? { ...r, createdDirs: r.createdDirs ?? [] } : undefined;
    }
    catch {
        return undefined;
    }
}
async function containers_undo(deps) {
    const record = parseRecord(deps.runtime.getState(CONTAINERS_STATE_KEY));
    if (!record)
        return [];
    const bytes = files_readBytes(deps.fs, record.file);
    const changed = bytes !== undefined && files_sha256(bytes) !== record.sha256;
    if (bytes !== undefined && !changed)
        deps.fs.unlinkSync(record.file);
    const dirs = files_removeEmptyDirs(deps.fs, record.createdDirs);
    const what = !bytes
        ? `${record.file} was already gone`
        : changed
            ? `left ${record.file} in place: it was changed during the job`
            : `removed ${record.file}`;
    return [
        `mirror containers: ${what}${dirs.length ? ` and the folders it needed (${dirs.join(', ')})` : ''}.`,
    ];
}
const containersRow = {
    name: 'containers',
    inAuto: true,
    present: (deps) => ['podman', 'buildah', 'skopeo'].some((c) => deps.onPath(c)),
    setUp: containers_setUp,
    undo: containers_undo,
};

;// CONCATENATED MODULE: ./src/mirror/daemon-config.ts
// The daemon's config file (daemon.json): add our mirror to `registry-mirrors` and take it out
// again, keeping every other key, the file's mode and owner, and, when nobody else changed the
// file meanwhile, its exact bytes. Jobs sharing a daemon take a lock around each edit, and a
// ledger beside the file (root-only, like the file) records which entries are ours: the pristine
// bytes, and each entry's mirror pid, so a later run can drop entries of runs that died.



const MIRRORS_KEY = 'registry-mirrors';
class DaemonConfigError extends Error {
    name = 'DaemonConfigError';
}
/** Parses daemon.json text (missing file = {}); throws DaemonConfigError when it is not an object. */
function parseDaemonConfig(text, file) {
    if (text === null || text.trim() === '')
        return {};
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        // Never the parser's message: it quotes the text, which can hold a proxy password.
        throw new DaemonConfigError(`${file} is not valid JSON${where(text, error)}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
        throw new DaemonConfigError(`${file} does not hold a JSON object`);
    }
    const mirrors = value[MIRRORS_KEY];
    if (mirrors !== undefined &&
        !(Array.isArray(mirrors) && mirrors.every((m) => typeof m === 'string'))) {
        throw new DaemonConfigError(`${file}: "${MIRRORS_KEY}" is not a list of URLs`);
    }
    return value;
}
/** " (line L, column C)" from the parser's position, or nothing when it gives none. */
function where(text, error) {
    const at = /at position (\d+)/.exec(error.message)?.[1];
    if (at === undefined)
        return '';
    const before = text.slice(0, Number(at)).split('\n');
    return ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}
const mirrorsOf = (config) => config[MIRRORS_KEY] ?? [];
/** Our mirror first (the daemon tries mirrors in order), the others kept; dead ones dropped. */
function withMirror(config, url, drop = []) {
    const others = mirrorsOf(config).filter((m) => m !== url && !drop.includes(m));
    return { ...config, [MIRRORS_KEY]: [url, ...others] };
}
/** The config without these mirrors; the key itself goes when it was not in the pristine file. */
function withoutMirrors(config, urls, pristine) {
    if (!(MIRRORS_KEY in config))
        return config;
    const left = mirrorsOf(config).filter((m) => !urls.includes(m));
    if (left.length > 0 || MIRRORS_KEY in pristine)
        return { ...config, [MIRRORS_KEY]: left };
    return Object.fromEntries(Object.entries(config).filter(([key]) => key !== MIRRORS_KEY));
}
const canonical = (value) => JSON.stringify(value, (_, v) => v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
    : v);
/** Same meaning, whatever the formatting or key order. */
const sameConfig = (a, b) => canonical(a) === canonical(b);
/** JSON in the original's indentation (tab, or its number of spaces; two by default). */
function render(config, original) {
    const indent = /\n(\t| +)"/.exec(original ?? '')?.[1] ?? '  ';
    return JSON.stringify(config, null, indent) + '\n';
}
// ------------------------------------------------------------------ files
const ledgerPath = (file) => (0,external_node_path_.join)((0,external_node_path_.dirname)(file), `.${(0,external_node_path_.basename)(file)}.ecr-public-login`);
function readText(file) {
    try {
        return external_node_fs_default().readFileSync(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return null;
        throw error;
    }
}
function daemon_config_readLedger(file) {
    const text = readText(ledgerPath(file));
    if (text === null)
        return undefined;
    try {
        const value = JSON.parse(text);
        if (Array.isArray(value.entries))
            return value;
    }
    catch {
        // a damaged ledger is treated as none: our entries in the file are then left alone
    }
    return undefined;
}
/** Where a write must land: a symlink's target (config management keeps daemon.json a link). */
function linkTarget(file) {
    try {
        return external_node_fs_default().realpathSync(file);
    }
    catch {
        return file; // no file yet
    }
}
/** Replaces `file` (through a symlink) in one rename with `text`, keeping the mode and owner of what was there. */
function writeAtomic(path, text, like, mode = 0o644) {
    const file = linkTarget(path);
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(file), `.${(0,external_node_path_.basename)(file)}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
    try {
        external_node_fs_default().writeFileSync(temp, text, { mode: like ? like.mode & 0o7777 : mode, flag: 'wx' });
        if (like) {
            external_node_fs_default().chmodSync(temp, like.mode & 0o7777);
            if (process.getuid?.() === 0)
                external_node_fs_default().chownSync(temp, like.uid, like.gid);
        }
        external_node_fs_default().renameSync(temp, file);
    }
    catch (error) {
        external_node_fs_default().rmSync(temp, { force: true });
        throw error;
    }
}
/** Writes the ledger; one with no entries is removed unless `keepEmpty` (its file is being restored). */
function daemon_config_writeLedger(file, ledger, keepEmpty = false) {
    if (ledger.entries.length === 0 && !keepEmpty)
        external_node_fs_default().rmSync(ledgerPath(file), { force: true });
    else
        writeAtomic(ledgerPath(file), JSON.stringify(ledger) + '\n', undefined, 0o600);
}

;// CONCATENATED MODULE: ./src/mirror/daemon-edit.ts
// The two edits of daemon.json, each under a lock and followed by SIGHUP to the daemon. They run
// in this process when it is root, else in `sudo -n node dist/mirror/index.js daemon-config …`.


const daemon_edit_LOCK_WAIT_MS = 10_000;
const daemon_edit_LOCK_STALE_MS = 30_000;
/** An exclusive lock file beside the config; a lock older than any edit takes is broken. */
function daemon_edit_withLock(file, deps, fn) {
    const lock = `${ledgerPath(file)}.lock`;
    const until = deps.now() + daemon_edit_LOCK_WAIT_MS;
    for (;;) {
        try {
            external_node_fs_default().writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
            break;
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
            if (!daemon_edit_breakIfStale(lock, deps.now())) {
                if (deps.now() > until)
                    throw new Error(`${lock} is held by another job`);
                deps.sleep(50);
            }
        }
    }
    try {
        return fn();
    }
    finally {
        external_node_fs_default().rmSync(lock, { force: true });
    }
}
/** Removes the lock only when it is old and still the same file; a lock that vanished is not stale (the next try takes it). */
function daemon_edit_breakIfStale(lock, now) {
    const seen = external_node_fs_default().lstatSync(lock, { throwIfNoEntry: false });
    if (!seen)
        return true;
    if (now - seen.mtimeMs <= daemon_edit_LOCK_STALE_MS)
        return false;
    const still = external_node_fs_default().lstatSync(lock, { throwIfNoEntry: false });
    if (still?.ino === seen.ino && still.mtimeMs === seen.mtimeMs)
        external_node_fs_default().rmSync(lock, { force: true });
    return true;
}
function daemon_edit_add(r, deps) {
    const text = readText(r.file);
    const config = parseDaemonConfig(text, r.file);
    const old = daemon_config_readLedger(r.file);
    const { live, dead, orphans } = sortEntries(old?.entries ?? [], r.url, deps);
    const gone = [...dead, ...orphans].map((e) => e.url);
    const ledger = { pristine: pristineOf(text, old, gone), entries: live };
    // Ledger first: a crash between the two writes leaves an entry post can still find.
    const ours = { url: r.url, pid: r.pid ?? 0, ...(r.job && { job: r.job }) };
    daemon_config_writeLedger(r.file, { ...ledger, entries: [...live, ours] });
    const stat = external_node_fs_default().statSync(r.file, { throwIfNoEntry: false });
    writeAtomic(r.file, render(withMirror(config, r.url, gone), text), stat);
    return {
        pruned: gone,
        orphans: orphans.map((e) => e.pid),
        orphanUrls: orphans.map((e) => e.url),
    };
}
/** live; dead (its mirror is gone: the entry goes); orphans (its job is gone: entry and mirror go). */
function sortEntries(entries, url, deps) {
    const others = entries.filter((e) => e.url !== url);
    const dead = others.filter((e) => !deps.isMirrorAlive(e.pid));
    const orphans = others.filter((e) => !dead.includes(e) && e.job !== undefined && !deps.isJobAlive(e.job));
    const live = others.filter((e) => !dead.includes(e) && !orphans.includes(e));
    return { live, dead, orphans };
}
/**
 * The file as it was before the first of our entries. A ledger that exists (entries, or an empty
 * one whose restore is pending) keeps its pristine bytes: the file now holds our re-rendered text.
 * Only a dead run's entry changes that: then its own removal is undone on the recorded bytes.
 */
function pristineOf(text, old, dead) {
    if (!old)
        return text;
    if (dead.length === 0)
        return old.pristine;
    const before = parseDaemonConfig(old.pristine, 'the recorded daemon config');
    const ours = [...old.entries.map((e) => e.url), ...dead];
    const cleaned = withoutMirrors(parseDaemonConfig(text, 'daemon config'), ours, before);
    return sameConfig(cleaned, before) ? old.pristine : render(cleaned, text);
}
/** Our entry out, the key kept (even empty: a reload ignores a key that is absent). */
function takeOut(r) {
    const text = readText(r.file);
    const ledger = daemon_config_readLedger(r.file);
    const config = parseDaemonConfig(text, r.file);
    const listed = config[MIRRORS_KEY]?.includes(r.url) ?? false;
    const entries = ledger?.entries.filter((e) => e.url !== r.url) ?? [];
    // An emptied ledger stays until restore() has used its pristine bytes.
    if (ledger)
        daemon_config_writeLedger(r.file, { ...ledger, entries }, listed);
    if (!listed)
        return false;
    const next = withoutMirrors(config, [r.url], { [MIRRORS_KEY]: [] });
    writeAtomic(r.file, render(next, text), external_node_fs_default().statSync(r.file));
    return true;
}
/** Once the daemon has let go: the pristine bytes back if the last of our entries is gone and nobody else changed the file. */
function daemon_edit_restore(r) {
    const ledger = daemon_config_readLedger(r.file);
    // Another job's mirror is still listed, or another job's post already restored.
    if (!ledger || ledger.entries.length > 0)
        return 'shared';
    const text = readText(r.file);
    const pristine = parseDaemonConfig(ledger.pristine, r.file);
    const current = parseDaemonConfig(text, r.file);
    const next = withoutMirrors(current, [], pristine);
    daemon_config_writeLedger(r.file, ledger);
    if (!sameConfig(next, pristine)) {
        // Someone else changed the file: only the empty key we left goes.
        if (MIRRORS_KEY in current && !(MIRRORS_KEY in next)) {
            writeAtomic(r.file, render(next, text), external_node_fs_default().statSync(r.file));
        }
        return 'entry';
    }
    if (ledger.pristine === null)
        external_node_fs_default().rmSync(r.file, { force: true });
    else
        writeAtomic(r.file, ledger.pristine, external_node_fs_default().statSync(r.file, { throwIfNoEntry: false }));
    return 'exact';
}
/** Entry out, reload, and the daemon's word that it let go; only then may the mirror stop. */
async function daemon_edit_remove(r, deps) {
    if (!daemon_edit_withLock(r.file, deps, () => takeOut(r)))
        return confirmAbsent(r, deps);
    const pid = deps.reload(r.daemonPid, r.socket);
    // No daemon runs: the file no longer names the port, so none will after a start.
    const reloaded = pid === undefined || (await deps.waitForMirror(r.socket ?? '', r.url, false));
    const restored = daemon_edit_withLock(r.file, deps, () => daemon_edit_restore(r));
    return {
        restored,
        reloaded,
        ...(pid !== undefined && pid !== r.daemonPid && { daemonPid: pid }),
    };
}
/** The file lacks the entry; the daemon too, unless it was never reloaded since (then reload). */
async function confirmAbsent(r, deps) {
    if (!r.socket || (await deps.listed(r.socket, r.url)) === false)
        return { restored: 'absent' };
    const pid = deps.reload(r.daemonPid, r.socket);
    const reloaded = pid === undefined || (await deps.waitForMirror(r.socket, r.url, false));
    return { restored: 'absent', reloaded };
}
async function editDaemonConfig(r, deps) {
    if (r.op === 'remove')
        return daemon_edit_remove(r, deps);
    const { orphanUrls, ...result } = daemon_edit_withLock(r.file, deps, () => daemon_edit_add(r, deps));
    deps.reload(r.daemonPid, r.socket);
    // An orphan's port is released only once the daemon no longer lists it.
    const stopped = [];
    for (const [i, pid] of (result.orphans ?? []).entries()) {
        if (r.socket && !(await deps.waitForMirror(r.socket, orphanUrls[i], false)))
            continue;
        await deps.stopMirror(pid);
        stopped.push(pid);
    }
    return { pruned: result.pruned, ...(stopped.length > 0 && { orphans: stopped }) };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/mirror/process.ts
// The mirror as a background process: started detached (its own process group, so the step's
// end does not take it down), told the credentials on stdin, and stopped by pid later.



const READY_TIMEOUT_MS = 10_000;
/** GitHub's longest job: the mirror exits by itself after it (a backstop to watching its job). */
const MIRROR_LIFETIME_MS = 6 * 60 * 60 * 1000;
/** The only variables the mirror gets: never the step's inputs, tokens or AWS keys. */
const PASSED_ENV = [
    'PATH',
    'HOME',
    'LANG',
    'TZ',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'RUNNER_TRACKING_ID',
];
/** Proxy variables the mirror needs for its upstream calls; sent on stdin, never in its env or argv. */
const PROXY_ENV = [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
];
/** The step's proxy settings: the `http-proxy` input (as the runner passes it) and the variables. */
const proxySettings = (env) => ({
    override: (env['INPUT_HTTP-PROXY'] ?? '').trim(),
    env: Object.fromEntries(PROXY_ENV.filter((k) => env[k]).map((k) => [k, env[k]])),
});
const tail = (file) => (external_node_fs_default().readFileSync(file, { encoding: 'utf8', flag: 'r' }).trim().split('\n').pop() ?? '').slice(0, 300);
function startMirrorProcess(o) {
    return spawnMirrorProcess(o).ready(o.credentials);
}
/** Spawns the mirror now (node's start-up then overlaps the AWS calls); it listens once told. */
function spawnMirrorProcess(o) {
    const log = external_node_fs_default().openSync(o.logFile, 'a', 0o600);
    const env = Object.fromEntries(PASSED_ENV.filter((k) => o.env[k] !== undefined).map((k) => [k, o.env[k]]));
    const options = JSON.stringify({
        libraryPrefix: o.libraryPrefix,
        port: o.port,
        life: { ...o.life, lifetimeMs: MIRROR_LIFETIME_MS },
    });
    const child = (o.spawn ?? external_node_child_process_.spawn)(o.execPath, [o.mirrorBundle, 'serve', options], {
        detached: true,
        stdio: ['pipe', 'pipe', log],
        env,
    });
    external_node_fs_default().closeSync(log);
    child.stdin?.on('error', () => { });
    const gone = exitedEarly(child, o.logFile);
    const cancel = () => {
        if (child.pid)
            killGroup(child.pid, 'SIGKILL');
        release(child);
    };
    return {
        cancel,
        ready: async ({ username, password }) => {
            child.stdin?.end(JSON.stringify({ username, password, proxy: proxySettings(o.env) }));
            try {
                const port = await Promise.race([readyPort(child, o.logFile), gone]);
                return { pid: child.pid, port };
            }
            catch (error) {
                cancel();
                throw error;
            }
            finally {
                release(child);
            }
        },
    };
}
/** Rejects when the child fails to start or exits while it waits for its credential. */
function exitedEarly(child, logFile) {
    const gone = new Promise((_, reject) => {
        child.on('error', reject);
        child.once('exit', (code) => reject(new Error(`it exited (code ${code}): ${tail(logFile)}`)));
    });
    gone.catch(() => undefined);
    return gone;
}
/** main no longer waits for it or reads it. */
function release(child) {
    child.removeAllListeners('exit');
    child.stdout?.destroy();
    child.unref();
}
/** The port from the mirror's "listening <port>" line; rejects when it exits or stalls first. */
function readyPort(child, logFile) {
    return new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        const settle = (error, port) => {
            clearTimeout(timer);
            if (error)
                reject(error);
            else
                resolve(port);
        };
        child.once('error', (error) => settle(error));
        child.once('exit', (code) => settle(new Error(`it exited (code ${code}): ${tail(logFile)}`)));
        child.stdout?.on('data', (chunk) => {
            const m = /listening (\d+)\n/.exec((out += chunk.toString()));
            if (m)
                settle(undefined, Number(m[1]));
        });
    });
}
function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        // already gone
    }
}
/** Stops the mirror if that pid is still it; true when it was running. */
async function stopMirrorProcess(pid, proc = procFs, sleep = (ms) => new Promise((r) => setTimeout(r, ms))) {
    if (!isMirrorProcess(pid, proc))
        return false;
    killGroup(pid, 'SIGTERM');
    for (let waited = 0; waited < 2000 && isMirrorProcess(pid, proc); waited += 20)
        await sleep(20);
    if (isMirrorProcess(pid, proc))
        killGroup(pid, 'SIGKILL');
    return true;
}

;// CONCATENATED MODULE: ./src/mirror/daemon-wait.ts
// Seeing a reload take effect: the daemon's own list of mirrors (what `docker info` shows).

const CONFIRM_TIMEOUT_MS = 5_000;
const sameUrl = (mirror, url) => mirror.replace(/\/+$/, '') === url;
/** Does the daemon list `url` among its mirrors now? undefined when it does not answer. */
const daemonLists = (socket, url) => daemonMirrors(socket, 2_000).then((mirrors) => mirrors.some((m) => sameUrl(m, url)), () => undefined);
/** Polls the daemon until `url` is (or is no longer) among its mirrors. */
async function waitForMirror(socket, url, listed, now = Date.now) {
    const until = now() + CONFIRM_TIMEOUT_MS;
    for (;;) {
        const mirrors = await daemonMirrors(socket, 2_000).catch(() => undefined);
        const has = mirrors?.some((m) => sameUrl(m, url)) ?? false;
        if (mirrors && has === listed)
            return true;
        if (now() > until)
            return false;
        await new Promise((r) => setTimeout(r, 25));
    }
}

;// CONCATENATED MODULE: ./src/mirror/privileged.ts
// Editing daemon.json and signalling dockerd need root: done in this process when it is root,
// else by the mirror bundle under `sudo -n` (never a password prompt; GitHub-hosted runners
// allow it). The request holds no secret.





const mirror_privileged_sleepSync = (ms) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};
/** SIGHUP to the daemon on our socket (found again if it restarted); undefined when none runs. */
function reloadDaemon(recorded, socket, proc = procFs, kill = process.kill) {
    // Never a pid that is no longer the daemon: it is looked up again from the socket.
    const pid = currentDaemonPid(recorded, socket, proc);
    if (pid !== undefined)
        kill(pid, 'SIGHUP');
    return pid;
}
const realEditDeps = {
    isMirrorAlive: (pid) => isMirrorProcess(pid),
    isJobAlive: (job) => processStart(job.pid) === job.start,
    stopMirror: async (pid) => void (await stopMirrorProcess(pid)),
    reload: (pid, socket) => reloadDaemon(pid, socket),
    waitForMirror: (socket, url, listed) => waitForMirror(socket, url, listed),
    listed: daemonLists,
    sleep: mirror_privileged_sleepSync,
    now: Date.now,
};
async function runEdit(request, deps) {
    if (deps.isRoot)
        return editDaemonConfig(request, deps.editDeps ?? realEditDeps);
    const args = ['-n', deps.execPath, deps.mirrorBundle, 'daemon-config', JSON.stringify(request)];
    let result;
    try {
        result = await deps.exec('sudo', args, { timeoutMs: 20_000 });
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`editing ${request.file} needs root, and sudo is not available (${error.message}).`, 'Run the job as root, or allow the runner user passwordless sudo.');
    }
    if (result.exitCode !== 0) {
        const why = result.stderr.trim().split('\n').pop() || `exit code ${result.exitCode}`;
        throw new errors/* ActionError */.lZ(`editing ${request.file} as root with \`sudo -n\` failed: ${why}`, /password is required|not in the sudoers|not allowed/i.test(result.stderr)
            ? 'Allow the runner user passwordless sudo (GitHub-hosted runners have it), or run the job as root.'
            : 'Check the file and the daemon; see the message above.');
    }
    return JSON.parse(result.stdout);
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/mirror/peer-uid.ts
// Who is on the other end of a loopback connection: the kernel lists every TCP socket of our
// network namespace in /proc/net/tcp and /proc/net/tcp6 with its owner's uid. The client's socket
// is the row whose local address is our remote one and whose remote address is our local one.

const ESTABLISHED = '01';
/** 16 bytes of an IPv6 address (`::1`, `::ffff:127.0.0.1`), or undefined. */
function ipv6Bytes(address) {
    let text = address;
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        const b = v4[1].split('.').map(Number);
        text = `${text.slice(0, v4.index)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
    }
    const halves = text.split('::');
    if (halves.length > 2)
        return undefined;
    const words = (part) => (part ? part.split(':') : []);
    const head = words(halves[0]);
    const tail = halves.length === 2 ? words(halves[1]) : [];
    const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
    const all = [...head, ...Array(fill).fill('0'), ...tail];
    if (all.length !== 8 || all.some((w) => !/^[0-9a-f]{1,4}$/i.test(w)))
        return undefined;
    return all.flatMap((w) => [parseInt(w, 16) >> 8, parseInt(w, 16) & 0xff]);
}
/**
 * An address as the kernel prints it: each 32-bit word as one %08X number, so on a
 * little-endian machine the bytes of each word come out reversed.
 */
function kernelHex(bytes, littleEndian) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 4) {
        const word = bytes.slice(i, i + 4);
        if (littleEndian)
            word.reverse();
        out += word.map((b) => b.toString(16).padStart(2, '0')).join('');
    }
    return out.toUpperCase();
}
const hexPort = (port) => port.toString(16).toUpperCase().padStart(4, '0');
/** The files and address spellings a connection can be listed under. */
function candidates(address) {
    const plain = /^\d+\.\d+\.\d+\.\d+$/.test(address)
        ? address
        : /^::ffff:([\d.]+)$/i.exec(address)?.[1];
    const v4 = plain?.split('.').map(Number);
    const v6 = ipv6Bytes(plain ? `::ffff:${plain}` : address);
    return [
        ...(v4 ? [{ file: '/proc/net/tcp', bytes: v4 }] : []),
        ...(v6 ? [{ file: '/proc/net/tcp6', bytes: v6 }] : []),
    ];
}
/**
 * The owner of the live socket listed as `local remote` in a /proc/net/tcp* text. Only a socket
 * still ESTABLISHED and held by a process (inode not 0) counts: a closed client's leftover
 * (an orphan, or a time-wait entry, which the kernel lists with uid 0) never does.
 */
function uidInTable(text, local, remote) {
    const at = text.indexOf(` ${local} ${remote} `);
    if (at < 0)
        return undefined;
    const end = text.indexOf('\n', at);
    const fields = text
        .slice(at, end < 0 ? undefined : end)
        .trim()
        .split(/\s+/);
    // local rem st tx:rx tr:when retrnsmt uid timeout inode
    const [, , state, , , , uid, , inode] = fields;
    if (state !== ESTABLISHED || !inode || inode === '0' || !/^\d+$/.test(uid ?? '')) {
        return undefined;
    }
    return Number(uid);
}
/** The uid owning the client end of a loopback connection, from the kernel's socket tables. */
async function peer_uid_peerUid(socket, read, littleEndian = os.endianness() === 'LE') {
    const { remoteAddress, remotePort, localAddress, localPort } = socket;
    const lookup = { read: [] };
    if (!remoteAddress || !localAddress || !remotePort || !localPort)
        return lookup;
    const ours = new Map(candidates(localAddress).map((c) => [c.file, c.bytes]));
    for (const peer of candidates(remoteAddress)) {
        const local = ours.get(peer.file);
        if (!local)
            continue;
        lookup.read.push(peer.file);
        const text = await read(peer.file);
        lookup.uid = uidInTable(text, `${kernelHex(peer.bytes, littleEndian)}:${hexPort(remotePort)}`, `${kernelHex(local, littleEndian)}:${hexPort(localPort)}`);
        if (lookup.uid !== undefined)
            return lookup;
    }
    return lookup;
}
/**
 * Lookups at the same time share one read per file (a read walks the kernel's whole hash table,
 * so it costs milliseconds whatever is open): a caller waits for the next read that starts after
 * its call, which lists every socket accepted before it.
 */
function peer_uid_sharedReads(read) {
    const running = new Map();
    const queued = new Map();
    const start = (file) => {
        queued.delete(file);
        const reading = read(file).finally(() => {
            if (running.get(file) === reading)
                running.delete(file);
        });
        running.set(file, reading);
        return reading;
    };
    return (file) => {
        const waiting = queued.get(file);
        if (waiting)
            return waiting;
        const prior = running.get(file);
        if (!prior)
            return start(file);
        const next = prior.then(() => start(file), () => start(file));
        queued.set(file, next);
        return next;
    };
}

;// CONCATENATED MODULE: ./src/mirror/admit.ts
// Who may pull through the mirror: the daemon, not every local user. A rootful dockerd is root;
// the job's own user already holds the credentials (its docker config), so it is let in too.
// The check runs once per connection (the daemon keeps its connections open).

function admit_admitByUid(o) {
    const verdicts = new WeakMap();
    const decide = async (socket) => {
        try {
            const { uid, read } = await peerUid(socket, o.read, o.littleEndian);
            if (uid === undefined) {
                return `no live socket of ${socket.remoteAddress}:${socket.remotePort} in ${read.join(', ') || 'the socket tables'}`;
            }
            return o.allowed.includes(uid) ? undefined : `uid ${uid} is not the Docker daemon's`;
        }
        catch (error) {
            // Without the socket tables nobody can be told apart: refuse rather than serve anyone.
            return `cannot tell who connected (${error.message})`;
        }
    };
    return (socket) => {
        let verdict = verdicts.get(socket);
        if (!verdict)
            verdicts.set(socket, (verdict = decide(socket)));
        return verdict;
    };
}

;// CONCATENATED MODULE: ./src/mirror/routes.ts
// Which requests the mirror answers, and where each goes upstream. The daemon asks a mirror for
// Docker Hub paths (/v2/library/<name>/...); the logged-in registry keeps the same images under
// its library prefix (public.ecr.aws/docker/library/<name>).

// Grammar of the distribution spec: one path component, a tag, a digest.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
/** A registry's library prefix (`host[:port]/path`, the `library-prefix` output) as an upstream. */
function routes_upstreamOf(libraryPrefix) {
    const { host, path } = (0,registry_names/* splitPrefix */.vy)(libraryPrefix);
    return host && path ? { origin: `https://${host}`, library: path } : undefined;
}
const notFound = (message) => ({
    kind: 'refuse',
    status: 404,
    code: 'NAME_UNKNOWN',
    message,
});
/** The route for one request line; `rawPath` is the request target as sent (query ignored). */
function routes_route(method, rawPath, up) {
    if (method !== 'GET' && method !== 'HEAD') {
        return { kind: 'refuse', status: 405, code: 'UNSUPPORTED', message: 'this mirror only pulls' };
    }
    const path = rawPath.split('?')[0];
    if (path === '/v2/' || path === '/v2')
        return { kind: 'ping' };
    // Split before decoding, so an encoded slash cannot smuggle in another repository.
    const parts = path.split('/');
    if (parts.length !== 6 || parts[0] !== '' || parts[1] !== 'v2')
        return notFound('not a pull');
    const [, , namespace, name, kind, reference] = parts;
    if (namespace !== 'library' || !COMPONENT.test(name)) {
        return notFound('only Docker official images (library/<name>) are mirrored');
    }
    const valid = kind === 'manifests'
        ? TAG.test(reference) || DIGEST.test(reference)
        : kind === 'blobs' && DIGEST.test(reference);
    if (!valid)
        return notFound('not a manifest or blob of an official image');
    const repository = `${up.library}/${name}`;
    return { kind: 'forward', repository, path: `/v2/${repository}/${kind}/${reference}` };
}

;// CONCATENATED MODULE: ./src/mirror/server.ts
// The mirror's HTTP server: answers the daemon's pulls by streaming the upstream registry's
// answers back (redirects included, so layers still come straight from the registry's CDN).



/** Headers a pull needs from the upstream answer; nothing else (no cookies, no auth) is passed. */
const PASSED_HEADERS = (/* unused pure expression or super */ null && ([
    'content-type',
    'content-length',
    'docker-content-digest',
    'location',
    'etag',
    'last-modified',
    'cache-control',
]));
/** The upstream did not answer within the bound, or the daemon hung up first. */
class Cut extends Error {
    byClient;
    constructor(message, byClient) {
        super(message);
        this.byClient = byClient;
    }
}
function sendError(res, status, code, message) {
    const body = JSON.stringify({ errors: [{ code, message }] });
    res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'docker-distribution-api-version': 'registry/2.0',
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
}
/**
 * The answer, or the abort's reason as soon as the signal fires: the client's token request
 * takes no signal, so it is raced rather than waited for (an answer that comes late is dropped).
 */
function bounded(pending, signal) {
    const aborted = new Promise((_, reject) => {
        if (signal.aborted)
            reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    pending.then((late) => signal.aborted && late.resume(), () => undefined);
    return Promise.race([pending, aborted]);
}
async function forward(req, res, target, o) {
    const abort = new AbortController();
    res.once('close', () => abort.abort(new Cut('the daemon hung up', true)));
    const timer = setTimeout(() => abort.abort(new Cut(`no answer within ${o.headerTimeoutMs} ms`, false)), o.headerTimeoutMs);
    const accept = req.headers.accept
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    const answer = await bounded(o.client.request({
        method: req.method,
        path: target.path,
        repository: target.repository,
        accept,
        signal: abort.signal,
    }), abort.signal).finally(() => clearTimeout(timer));
    const status = answer.statusCode ?? 502;
    if (status >= 400) {
        answer.resume();
        // 404: the daemon then pulls from Docker Hub itself. Anything else is our failure: 502.
        if (status === 404)
            sendError(res, 404, 'MANIFEST_UNKNOWN', 'not on the upstream registry');
        else
            sendError(res, 502, 'UNAVAILABLE', `upstream answered HTTP ${status}`);
        return `upstream ${status}`;
    }
    const headers = {
        'docker-distribution-api-version': 'registry/2.0',
    };
    for (const name of PASSED_HEADERS) {
        const value = answer.headers[name];
        if (value !== undefined)
            headers[name] = value;
    }
    res.writeHead(status, headers);
    answer.pipe(res);
    await new Promise((resolve) => res.once('close', resolve));
    return `upstream ${status}${answer.readableEnded ? '' : ' (cut short)'}`;
}
/** Forwards through the breaker: a failure opens it, an answer closes it. */
function forwardGuarded(req, res, target, o, done) {
    const waitMs = o.breaker.wait();
    if (waitMs > 0) {
        res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
        sendError(res, 503, 'UNAVAILABLE', 'the upstream registry failed just now; try Docker Hub');
        return done(`upstream failed recently, next try in ${waitMs} ms`);
    }
    forward(req, res, target, o).then((detail) => {
        if (res.statusCode >= 500)
            o.breaker.failed();
        else
            o.breaker.succeeded();
        done(detail);
    }, (error) => {
        if (error instanceof Cut && error.byClient)
            o.breaker.released();
        else
            o.breaker.failed();
        if (!res.headersSent)
            sendError(res, 502, 'UNAVAILABLE', 'upstream unreachable');
        else
            res.destroy();
        done(`upstream failed: ${describeError(error)}`);
    });
}
function handle(req, res, o, done) {
    const r = route(req.method, req.url ?? '/', o.upstream);
    if (r.kind === 'ping') {
        res.writeHead(200, {
            'content-type': 'application/json',
            'docker-distribution-api-version': 'registry/2.0',
        });
        res.end('{}');
        return done('ping');
    }
    if (r.kind === 'refuse') {
        sendError(res, r.status, r.code, r.message);
        return done(r.message);
    }
    forwardGuarded(req, res, r, o, done);
}
function server_createMirrorServer(o) {
    const now = o.now ?? Date.now;
    return http.createServer((req, res) => {
        const started = now();
        const done = (detail) => o.log(`${new Date(started).toISOString()} ${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${detail} ${now() - started} ms`);
        void o.admit(req.socket).then((refusal) => {
            if (!refusal)
                return handle(req, res, o, done);
            sendError(res, 403, 'DENIED', 'this mirror serves the local Docker daemon only');
            done(`refused: ${refusal}`);
        });
    });
}

;// CONCATENATED MODULE: ./src/mirror/serve.ts
// The mirror process itself (dist/mirror/index.js serve): credentials from stdin, a server on
// 127.0.0.1, "listening <port>" on stdout once ready, then one log line per request on stderr
// (a file under RUNNER_TEMP). When it ends is job-watch.ts's business, not this file's.









/**
 * Connect, TLS, token and headers: a pull waits at most this for a mirror that cannot answer
 * before the daemon falls back to Docker Hub.
 */
const HEADER_TIMEOUT_MS = 4_000;
/** A stream that stalls this long mid-body is cut. */
const IDLE_TIMEOUT_MS = 15_000;
/** After a failure, the mirror answers 503 at once for this long. */
const BREAKER_OPEN_MS = 30_000;
/** What setup looks for in the log to tell "taken" from any other failure to start. */
const PORT_TAKEN = 'port taken';
async function readInput(stdin) {
    const chunks = [];
    for await (const chunk of stdin)
        chunks.push(Buffer.from(chunk));
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value?.username !== 'string' || typeof value.password !== 'string') {
        throw new Error('expected {"username","password"} on stdin');
    }
    return value;
}
/** Root (a rootful daemon) and our own user (it holds the credentials already). */
const allowedUids = () => [...new Set([0, process.geteuid?.() ?? 0])];
/** Listens on 127.0.0.1 (never shared: a port another process holds is a refusal, not a retry). */
function listen(server, port = 0) {
    return new Promise((resolve, reject) => {
        server.once('error', (error) => reject(error.code === 'EADDRINUSE'
            ? new Error(`${PORT_TAKEN}: another process listens on 127.0.0.1:${port}`)
            : error));
        server.listen(port, '127.0.0.1', resolve);
    });
}
async function serve(o, io) {
    const upstream = upstreamOf(o.libraryPrefix);
    if (!upstream)
        throw new Error(`not a library prefix: ${o.libraryPrefix}`);
    const { proxy, ...credentials } = await readInput(io.stdin);
    const { override = '', env = {} } = proxy ?? {};
    const client = new RegistryClient({
        origin: upstream.origin,
        credentials,
        timeoutMs: IDLE_TIMEOUT_MS,
        agent: proxyConfigured(env, override)
            ? proxyAgents(env, override, HEADER_TIMEOUT_MS).https
            : undefined,
    });
    const log = (line) => io.log(plainLine(line.split(credentials.password).join('***')));
    const server = createMirrorServer({
        upstream,
        client,
        log,
        admit: admitByUid({ allowed: allowedUids(), read: sharedReads((f) => readFile(f, 'latin1')) }),
        breaker: new Breaker({ openMs: BREAKER_OPEN_MS }),
        headerTimeoutMs: HEADER_TIMEOUT_MS,
    });
    await listen(server, o.port);
    const { port } = server.address();
    const via = proxyFor(new URL(upstream.origin), env, override);
    log(`mirror of ${o.libraryPrefix} listening on http://127.0.0.1:${port} for uids ${allowedUids().join(', ')}${via ? ` (upstream through proxy ${via.host})` : ''}`);
    io.ready(`listening ${port}`);
    return server;
}

;// CONCATENATED MODULE: ./src/mirror/undo.ts
// Taking the mirror away (post, or main after a failed set-up): take our entry out of the
// daemon's config (its exact bytes back when nobody else changed it), reload, see the daemon let
// go, and only then stop the mirror: its port stays held while any daemon config names it.



const KEPT = 'so the mirror keeps running to hold its port; it takes its entry out itself when the job ends';
/** Post's side (and main's on failure): entry out, reload, confirm, then stop the mirror. */
async function undoDockerMirror(record, deps, report) {
    if (record.configured)
        return stopOnly(record, deps.proc, report);
    const result = await takeEntryOut(record, deps);
    const what = restoredText(record, result);
    if (result.reloaded === false)
        throw new errors/* ActionError */.lZ(`${what}, but the daemon still lists ${record.url} after reloading, ${KEPT}.`, "See the daemon's log for why it refused the reload, then reload it (`sudo kill -HUP $(pidof dockerd)`).");
    const stopped = await stopMirrorProcess(record.pid, deps.proc);
    const daemon = result.daemonPid
        ? `the daemon (restarted during the job, now pid ${result.daemonPid})`
        : 'the daemon';
    report(`docker-mirror: ${what}; ${daemon} reloaded without it; ${stopped ? `then stopped the mirror (pid ${record.pid})` : 'the mirror had already stopped'}.`);
}
/** `mirror-port` on a daemon configured once: its flags keep naming the port; only the process goes. */
async function stopOnly(record, proc, report) {
    const stopped = await stopMirrorProcess(record.pid, proc);
    report(`docker-mirror: ${stopped ? `stopped the mirror on ${record.url} (pid ${record.pid})` : `the mirror on ${record.url} had already stopped`}; no daemon config to restore (the daemon's own flags name this port, so until the next job's mirror starts there its pulls go to Docker Hub).`);
}
async function takeEntryOut(record, deps) {
    const request = {
        op: 'remove',
        file: record.configFile,
        url: record.url,
        daemonPid: record.daemonPid,
        socket: record.socket,
    };
    try {
        return await runEdit(request, deps);
    }
    catch (error) {
        const [what, fix] = error instanceof errors/* ActionError */.lZ ? [error.message, error.fix] : [(0,errors/* describeError */.Uc)(error)];
        throw new errors/* ActionError */.lZ(`${what} (${record.url} may still be listed, ${KEPT}).`, fix);
    }
}
function restoredText(record, { restored }) {
    return {
        exact: `${record.configFile} restored byte for byte`,
        shared: `${record.url} taken out of ${record.configFile} (another job's mirror is listed there too; the last job's post puts the original bytes back)`,
        entry: `${record.url} taken out of ${record.configFile} (the file was changed meanwhile; the rest kept)`,
        absent: `${record.configFile} did not list ${record.url}`,
    }[restored ?? 'absent'];
}

;// CONCATENATED MODULE: ./src/mirror/setup.ts
// Main's side of docker-mirror: start the mirror, add it to the daemon's registry-mirrors, reload
// the daemon and see it listed. Any failure is a warning that leaves nothing half-changed.














const HOW = 'Pull `${{ steps.<id>.outputs.library-prefix }}/<image>` instead, or see "No file changes: docker-mirror" in the README.';
/** Why the mirror cannot be set up here; undefined when it can be tried. */
function findLocalDaemon(deps) {
    if (deps.platform !== 'linux') {
        throw new errors/* ActionError */.lZ(`docker-mirror needs a Linux runner; this one runs ${deps.platform}.`, HOW);
    }
    const socket = daemonSocket(deps.env, readConfig(configDir(deps.env)).currentContext);
    const daemon = socket && findDaemon(socket, deps.proc);
    if (!socket || !daemon) {
        throw new errors/* ActionError */.lZ(`docker-mirror needs the Docker daemon to run on this machine, and ${socket ? `no dockerd here serves ${socket}` : `docker talks to ${deps.env.DOCKER_HOST || `context ${deps.env.DOCKER_CONTEXT}`}`} (a remote or rootless daemon's config cannot be changed by this step).`, HOW);
    }
    return { socket, ...daemon };
}
/** Starts the job's mirror and returns its URL, or undefined (with a warning saying why). */
async function startDockerMirror(registry, credentials, deps) {
    const { runtime } = deps;
    const prefix = (0,registry_names/* libraryPrefix */.GU)(registry);
    if (!routes_upstreamOf(prefix)) {
        runtime.notice(`docker-mirror is not active: ${registry.host} has no copy of the Docker official images.`);
        return undefined;
    }
    try {
        return await runtime.group('Start the docker mirror', () => setup_setUp(prefix, credentials, deps));
    }
    catch (error) {
        runtime.warning(`docker-mirror is not active (the login itself succeeded): ${(0,errors/* describeError */.Uc)(error)}`, 'docker-mirror not active');
        return undefined;
    }
}
async function setup_setUp(prefix, credentials, deps) {
    const named = deps.port === undefined ? undefined : await daemonNamingPort(deps.port, deps);
    if (named)
        return startConfigured(prefix, credentials, named, deps);
    return editDaemon(prefix, credentials, deps).catch((error) => {
        if (deps.port === undefined || !(error instanceof errors/* ActionError */.lZ))
            throw error;
        throw new errors/* ActionError */.lZ(error.message, `${error.fix ?? ''} ${flagFix(deps.port)}`.trim());
    });
}
const flagFix = (port) => `Or name the mirror in the daemon's own flags once: --registry-mirror=http://127.0.0.1:${port} (ARC: the dind container's args; a host: "registry-mirrors" in its daemon.json), then restart the daemon.`;
/** The daemon's address when its own mirrors list http://127.0.0.1:<port>; else undefined. */
async function daemonNamingPort(port, deps) {
    const context = readConfig(configDir(deps.env)).currentContext;
    const target = daemonTarget(deps.env, context, deps.platform);
    if (!target)
        return undefined;
    const mirrors = await daemonMirrorsAt(target, 2_000).catch(() => []);
    const url = `http://127.0.0.1:${port}`;
    return mirrors.some((m) => m.replace(/\/+$/, '') === url) ? target.url : undefined;
}
/** The daemon already names the port: start the mirror there; no edit, no signal, no root. */
async function startConfigured(prefix, credentials, daemonUrl, deps) {
    const started = (deps.now ?? Date.now)();
    const life = { configFile: '', daemonPid: 0, socket: '', job: jobOf(deps), configured: true };
    const record = await startMirror(prefix, credentials, life, deps);
    deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record));
    deps.runtime.info(`docker-mirror: the daemon at ${daemonUrl} already lists ${record.url} among its registry mirrors (its own flags), so this step only started the mirror there: no config edit, no reload. Docker official images now come from ${prefix} (log: ${record.logFile}); ready in ${(deps.now ?? Date.now)() - started} ms.`);
    return record.url;
}
/** Today's way: a mirror, then our entry in the local daemon's config and a reload. */
async function editDaemon(prefix, credentials, deps) {
    const now = deps.now ?? Date.now;
    const started = now();
    const { configFile, pid: daemonPid, socket } = findLocalDaemon(deps);
    const life = { configFile, daemonPid, socket, job: jobOf(deps) };
    const record = await startMirror(prefix, credentials, life, deps);
    deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record)); // before the edit, so post undoes it whatever happens
    const mirrorMs = now() - started;
    await addToDaemon(record, deps);
    const total = now() - started;
    deps.runtime.info(`docker-mirror: the daemon now pulls Docker official images through ${record.url} from ${prefix} (log: ${record.logFile}); ready in ${total} ms (mirror ${mirrorMs} ms, daemon config and reload ${total - mirrorMs} ms).`);
    return record.url;
}
/**
 * The process that started this step: on GitHub's runner, Runner.Worker, which runs every step
 * of the job and ends with it (the listener outlives jobs; a step's own processes end with it).
 */
function jobOf(deps) {
    const pid = deps.parentPid ?? process.ppid;
    const start = pid > 1 ? (deps.startOf ?? processStart)(pid) : undefined;
    return start === undefined ? undefined : { pid, start };
}
async function startMirror(prefix, credentials, life, deps) {
    const logFile = (0,external_node_path_.join)(deps.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), `ecr-public-login-mirror-${process.pid}.log`);
    const { pid, port } = await startMirrorProcess({
        ...deps,
        libraryPrefix: prefix,
        credentials,
        logFile,
        life,
    }).catch((error) => {
        throw notStarted(error, logFile, deps.port);
    });
    const { configFile, daemonPid, socket, job, configured } = life;
    const url = `http://127.0.0.1:${port}`;
    return {
        pid,
        url,
        logFile,
        configFile,
        daemonPid,
        socket,
        job,
        ...(configured && { configured }),
    };
}
/** A port someone else holds is named as such: pulls must never go to a process we do not know. */
function notStarted(error, logFile, port) {
    if (port !== undefined && (0,errors/* describeError */.Uc)(error).includes(PORT_TAKEN)) {
        return new errors/* ActionError */.lZ(`mirror-port ${port}: another process already listens on 127.0.0.1:${port}, and docker-mirror never shares its port with a process it does not know (pulls would go wherever that process sends them).`, `Find it (\`ss -ltnp 'sport = :${port}'\`) and stop it, or choose a free mirror-port and name that one in the daemon's --registry-mirror flag.`);
    }
    return new errors/* ActionError */.lZ(`the mirror process did not start (${(0,errors/* describeError */.Uc)(error)}); its log: ${logFile}.`, HOW);
}
/** Our entry in the daemon's config, the reload, and the daemon's word that it uses the mirror. */
async function addToDaemon(record, deps) {
    const { url, configFile, pid, daemonPid, socket, job } = record;
    const request = { op: 'add', file: configFile, url, pid, daemonPid, socket, job };
    const { pruned = [], orphans = [] } = await runEdit(request, deps).catch(async (error) => {
        // A failed add wrote nothing: no config names the port, so the mirror can simply stop.
        await stopMirrorProcess(pid, deps.proc);
        deps.runtime.saveState(MIRROR_STATE_KEY, '');
        throw error;
    });
    if (pruned.length)
        deps.runtime.info(`Removed mirror entries left by runs that died or whose job had ended: ${pruned.join(', ')}${orphans.length ? ` (and stopped their mirrors, pids ${orphans.join(', ')})` : ''}.`);
    if (!(await waitForMirror(socket, url, true, deps.now))) {
        const error = new errors/* ActionError */.lZ(`the daemon did not list ${url} among its mirrors within ${CONFIRM_TIMEOUT_MS / 1000} s of reloading ${configFile} (see the daemon's log: a key in the file that is also a dockerd flag makes it refuse the reload).`, HOW);
        // The first failure is the one to report. The state stays for post unless the undo is done.
        await undoDockerMirror(record, deps, () => undefined).then(() => deps.runtime.saveState(MIRROR_STATE_KEY, ''), () => undefined);
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/engines/docker.ts
// The docker row: today's docker-mirror (mirror/setup and mirror/undo, unchanged), its own state
// key and messages. Not part of `auto`: it starts a process and reloads the daemon, which every
// container on the machine shares, so it is only done when asked.





async function docker_setUp(source, deps) {
    // The runner's job-started hook runs one for the whole job: one mirror, owned by the hook.
    const hook = hookMirror(deps.env, deps.mirror?.proc);
    if (hook) {
        deps.runtime.info(`docker-mirror: the runner's job-started hook already runs this job's mirror (${hook.url}); this step uses it and leaves it to the job-completed hook.`);
        return hook.url;
    }
    if (!deps.mirror)
        throw new errors/* ActionError */.lZ('this runtime has no mirror bundle, so docker pulls Docker official images from Docker Hub as usual.', 'Run the action from its repository (dist/mirror/index.js must be beside dist/index.js).');
    return startDockerMirror(source.registry, source.credentials, {
        ...deps,
        ...deps.mirror,
        port: deps.dockerPort,
    });
}
async function docker_undo(deps) {
    const record = parseMirrorState(deps.runtime.getState(MIRROR_STATE_KEY));
    if (!record || !deps.mirror)
        return [];
    const lines = [];
    await undoDockerMirror(record, { ...deps.mirror, exec: deps.exec }, (line) => lines.push(line));
    return lines;
}
const dockerRow = {
    name: 'docker',
    inAuto: false,
    present: (deps) => deps.onPath('dockerd'),
    setUp: docker_setUp,
    undo: docker_undo,
};

;// CONCATENATED MODULE: ./src/engines/table.ts
// The engines table: which engines get the job's mirror (the `mirror` input, `auto`), each set up
// on its own so one that cannot be done is a warning naming it and the rest go on, and post
// undoing each from what main recorded. The login never depends on any of it.






/** docker first: post takes the daemon's mirror away before anything else, as it always has. */
const ENGINES = [dockerRow, containersRow, containerdRow, buildkitRow];
const label = (name) => name === 'docker' ? 'docker-mirror' : `mirror ${name}`;
/** The rows to set up: every one named, and with `auto` every one present that a file configures. */
function chooseRows(settings, deps, rows = ENGINES) {
    const chosen = rows.filter((row) => settings.engines.includes(row.name) || (settings.auto && row.inAuto && row.present(deps)));
    const left = settings.auto ? rows.filter((row) => !chosen.includes(row)) : [];
    return {
        chosen,
        skipped: left.map((row) => `${row.name}: ${row.inAuto ? 'not installed' : 'only when named'}`),
    };
}
/** Sets up each chosen engine; returns engine → what was configured. */
async function setUpMirrors(settings, source, why, deps, rows = ENGINES) {
    const { chosen, skipped } = chooseRows(settings, deps, rows);
    if (settings.auto)
        deps.runtime.info(`mirror auto: ${chosen.map((r) => r.name).join(', ') || 'no engine'}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}.`);
    if (chosen.length === 0)
        return {};
    if (!source || !servesLibrary(source.prefix)) {
        notConfigured(chosen, source
            ? `${source.registry.host} has no copy of the Docker official images`
            : `the ${why.failedHost} login failed`, deps);
        return {};
    }
    const mirrors = {};
    for (const row of chosen) {
        try {
            const what = await row.setUp(source, deps);
            if (what)
                mirrors[row.name] = what;
        }
        catch (error) {
            deps.runtime.warning(`${label(row.name)} is not configured (the login itself succeeded): ${(0,errors/* describeError */.Uc)(error)}`, `${label(row.name)} not configured`);
        }
    }
    return mirrors;
}
/** A prefix other than Docker Hub's own: mirroring docker.io to itself changes nothing. */
const servesLibrary = (prefix) => prefix !== '' && (0,registry_names/* canonicalHost */.rQ)((0,registry_names/* splitPrefix */.vy)(prefix).host) !== registry_names/* DOCKER_HUB */.Xb;
function notConfigured(rows, why, deps) {
    const others = rows.filter((r) => r.name !== 'docker').map((r) => r.name);
    if (rows.some((r) => r.name === 'docker'))
        deps.runtime.notice(`docker-mirror is not active: ${why}, so docker pulls Docker official images from Docker Hub as usual.`);
    if (others.length)
        deps.runtime.notice(`mirror ${others.join(', ')} not configured: ${why}, so ${others.length > 1 ? 'they pull' : 'it pulls'} Docker official images from Docker Hub as usual.`);
}
/** Post: undoes every row main recorded, docker first; a failure is a warning, never the job's. */
async function undoMirrors(deps, rows = ENGINES) {
    for (const row of rows) {
        try {
            for (const line of await row.undo(deps))
                deps.runtime.info(line);
        }
        catch (error) {
            deps.runtime.warning(`${label(row.name)}: ${(0,errors/* describeError */.Uc)(error)}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/outcome.ts
/** Whether to log in to the fallback, given the mode and how the first login went. */
function shouldUseFallback(fallback, targetFailed) {
    if (!fallback)
        return false;
    return fallback.mode === 'always' || targetFailed;
}
/** The step succeeds when the registries it was asked for are logged in. */
function outcome(r) {
    const fallbackHost = r.fallback?.target.host;
    // One cause for both (a stopped Docker daemon) is said once.
    const same = r.targetError !== undefined && r.targetError === r.fallbackError;
    const reasons = [
        r.targetError &&
            `${same ? `${r.label} and fallback ${fallbackHost}` : r.label}: ${r.targetError}`,
        !same && r.fallbackError && `Fallback ${fallbackHost}: ${r.fallbackError}`,
    ].filter((x) => Boolean(x));
    if (!r.targetError && !r.fallbackError)
        return { ok: true, fallbackUsed: false };
    // The first login failed and the fallback (always tried after a failure) got us in.
    if (r.targetError && r.fallback && !r.fallbackError)
        return { ok: true, fallbackUsed: true };
    return { ok: false, reasons };
}

;// CONCATENATED MODULE: ./src/report/outputs.ts
// The step's outputs, computed from what was logged in: the targets say their own library prefix.

function computeOutputs(r) {
    const targetIn = r.loggedIn.includes(r.target.host);
    const fallbackIn = r.fallback !== undefined && r.loggedIn.includes(r.fallback.host);
    const main = targetIn ? r.target : fallbackIn ? r.fallback : undefined;
    const prefix = main?.libraryPrefix ?? '';
    return {
        registry: main?.host ?? '',
        'library-prefix': prefix,
        'fallback-used': String(r.fallbackUsed),
        registries: r.loggedIn.join(','),
        'expires-at': targetIn ? (r.expiresAt?.toISOString() ?? '') : '',
        'docker-mirror': r.mirrors?.docker ?? '',
        mirrors: JSON.stringify(r.mirrors ?? {}),
        'buildkitd-config-file': r.mirrors?.buildkit ?? '',
        clients: JSON.stringify(r.loggedIn.length ? (r.clients ?? []) : []),
        // Filled in by the image resolution when `images` or `rewrite` is set.
        images: '{}',
        'images-not-mirrored': '[]',
        'rewritten-files': '[]',
        'buildkitd-config': buildkitdConfig(prefix),
        // Filled in by the pull-limit check when `docker-hub-limit` is on.
        'docker-hub-pulls-remaining': '',
    };
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/** Control and line-separator characters, shown escaped: a raw \r or \n would end the table row. */
const visible = (text) => text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => {
    const named = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
});
/** Text in a table cell: one line, no column break, no markdown or HTML of its own (file names). */
const cell = (text) => visible(text).replace(/[\\`*_[\]<>|!#~&]/g, (c) => `\\${c}`);
/** A code span that holds any text: a fence longer than any backtick run inside. */
function code(text) {
    if (!text)
        return '–';
    const inner = visible(text).replace(/\|/g, '\\|');
    const fence = '`'.repeat(Math.max(0, ...(inner.match(/`+/g) ?? []).map((r) => r.length)) + 1);
    const pad = /^`|`$/.test(inner) ? ' ' : '';
    return `${fence}${pad}${inner}${pad}${fence}`;
}
function stepSummary(s) {
    const o = s.outputs;
    const lines = [
        '### Registry login',
        '| registry | logged in with | library prefix | token expires |',
        '|---|---|---|---|',
        ...s.logins.map((l) => `| ${code(l.host)} | ${cell(l.via)} | ${code(l.libraryPrefix)} | ${l.expiresAt?.toISOString() ?? '–'} |`),
    ];
    const clients = JSON.parse(o.clients || '[]');
    if (clients.length)
        lines.push('', `Clients logged in: ${clients.map((c) => code(c)).join(', ')}`);
    if (o['fallback-used'] === 'true' && s.targetFailure) {
        const { label, error } = s.targetFailure;
        lines.push('', `The fallback was used because the ${label} login failed: ${cell(error)}`);
    }
    if (s.timings.length > 0) {
        lines.push('', `| ${s.timings.map(([phase]) => phase).join(' | ')} |`);
        lines.push(`|${s.timings.map(() => '---:|').join('')}`);
        lines.push(`| ${s.timings.map(([, ms]) => `${Math.round(ms)} ms`).join(' | ')} |`);
    }
    if (s.pullLimit)
        lines.push('', ...pullLimitTable(s.pullLimit));
    if (o.mirrors && o.mirrors !== '{}')
        lines.push('', ...mirrorTable(o.mirrors));
    if (s.images)
        lines.push('', ...imageTable(s.images));
    return lines.join('\n');
}
/** What the `mirror` input configured, engine by engine (the `mirrors` output). */
function mirrorTable(json) {
    const rows = Object.entries(JSON.parse(json));
    return [
        '### Mirrors: Docker official images through the logged-in registry',
        '| engine | configured (undone by the post step) |',
        '|---|---|',
        ...rows.map(([engine, what]) => `| ${cell(engine)} | ${code(what)} |`),
    ];
}
function imageTable(rows) {
    const mirrored = rows.filter((r) => r.mirrored).length;
    return [
        `### Images: ${mirrored} of ${rows.length} from the mirror`,
        '| reference | pulled as | why not the mirror | named in |',
        '|---|---|---|---|',
        ...rows.map((r) => `| ${code(r.reference)} | ${code(r.pull)} | ${r.mirrored ? '' : cell(r.reason ?? 'already on the mirror')} | ${cell(r.sources.join(', '))} |`),
    ];
}
function pullLimitTable(p) {
    const row = (who, found) => {
        if (!found)
            return `| ${who} | unknown (the check failed; see the debug log) | – |`;
        if (found.limit === undefined)
            return `| ${who} | not limited | – |`;
        const window = found.windowSeconds ? ` per ${windowText(found.windowSeconds)}` : '';
        return `| ${who} | ${found.limit}${window} | ${found.remaining ?? '–'} |`;
    };
    const lines = [
        '### Docker Hub pull limit',
        '| pulls as | limit | remaining |',
        '|---|---|---|',
        row("anonymous (this runner's address)", p.anonymous),
    ];
    if (p.account) {
        lines.push(row(code(p.account.name), p.account.limit));
        lines.push('', `The fallback logged in to Docker Hub as ${code(p.account.name)}: docker's pulls from Docker Hub in this job now count against that organization, not this runner's address.`);
    }
    return lines;
}
const windowText = (seconds) => seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;

;// CONCATENATED MODULE: ./src/common/text.ts
// How input values and URLs may be quoted in messages: short, and never with credentials.
const show = (value) => JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);
/** A URL with any user:password part replaced (a password may itself contain '@'). */
const hideUrlCredentials = (value) => value.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^]*@/i, (_, scheme = '') => `${scheme}***@`);
/** The user-info part of a URL-like value (up to its last '@'), however malformed the rest. */
const urlUserInfo = (value) => /^[a-z][a-z0-9+.-]*:\/*([^]*)@/i.exec(value)?.[1];

;// CONCATENATED MODULE: ./src/runner/input-reader.ts
// Reads `with:` values for the features that parse them: empty means action.yml's default,
// every problem is collected for one report, and a secret is masked before anything can print it.
// This folder is the runner protocol only: it knows no feature's settings.


const MAX_LENGTH = 4096;
const MAX_LIST_LENGTH = 65536;
/** How an input's value may be shown in an error: secrets never, URLs without credentials. */
const DISPLAY = {
    'fallback-token': 'secret',
    'http-proxy': 'url',
};
/** Masks every secret the inputs hold (a token, a proxy URL's password) before anything can print it. */
function maskSecretInputs(getInput, setSecret) {
    for (const [name, display] of Object.entries(DISPLAY)) {
        const value = getInput(name);
        if (display === 'secret')
            setSecret(value);
        const userInfo = display === 'url' ? urlUserInfo(value) : undefined;
        const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : '';
        if (!password)
            continue;
        setSecret(password);
        try {
            setSecret(decodeURIComponent(password));
        }
        catch {
            // a malformed escape: the input check reports it; the raw form is masked
        }
    }
}
/** Reads inputs (empty means action.yml's default) and collects every problem for one report. */
class InputReader {
    getInput;
    problems = [];
    notes = [];
    constructor(getInput) {
        this.getInput = getInput;
    }
    read(name) {
        const value = this.getInput(name);
        const display = DISPLAY[name] ?? 'plain';
        if (/[\x00-\x1f\x7f]/.test(value)) {
            this.problems.push(display === 'secret'
                ? `'${name}' contains a newline or control character (value not shown: it is a secret)`
                : `'${name}' contains a newline or control character: got ${show(display === 'url' ? hideUrlCredentials(value) : value)}`);
        }
        else if (value.length > MAX_LENGTH) {
            this.problems.push(`'${name}' is longer than ${MAX_LENGTH} characters (${value.length})`);
        }
        return value === '' ? INPUT_DEFAULTS[name] : value;
    }
    /** A list input: one item per line (or per `separator`), trimmed, empty items dropped. */
    list(name, separator = /\r?\n/) {
        const raw = this.getInput(name);
        if (raw.length > MAX_LIST_LENGTH) {
            this.problems.push(`'${name}' is longer than ${MAX_LIST_LENGTH} characters (${raw.length})`);
            return [];
        }
        const items = raw.split(separator).map((item) => item.trim());
        for (const item of items.filter((i) => /[\x00-\x1f\x7f]/.test(i))) {
            this.problems.push(`'${name}' contains a control character: got ${show(item)}`);
        }
        return items.filter((item) => item !== '');
    }
    integer(name, min, max) {
        const raw = this.read(name);
        const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
        if (!(value >= min && value <= max)) {
            this.problems.push(`'${name}' must be a whole number from ${min} to ${max}: got ${show(raw)}`);
        }
        return value;
    }
    choice(name, choices) {
        const raw = this.read(name);
        if (!choices.includes(raw)) {
            this.problems.push(`'${name}' must be one of ${choices.join(', ')}: got ${show(raw)}`);
        }
        return raw;
    }
    boolean(name) {
        const raw = this.read(name);
        if (/^(true|True|TRUE)$/.test(raw))
            return true;
        if (/^(false|False|FALSE)$/.test(raw))
            return false;
        this.problems.push(`'${name}' must be true or false: got ${show(raw)}`);
        return true;
    }
}

;// CONCATENATED MODULE: ./src/aws/settings.ts
// The AWS inputs: which role to assume with the job's OIDC token (or none: the environment's
// credentials), and how hard to try. Every ECR login target uses them.

/** Why a role ARN is wrong, in words a user can act on; undefined when it is valid. */
function roleArnProblem(arn) {
    const role = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
    const m = role.exec(arn);
    if (m) {
        const name = m[3].split('/').pop() ?? '';
        return name.length >= 1 && name.length <= 64 && !m[3].startsWith('/')
            ? undefined
            : `'role-to-assume' has an invalid role name (1-64 characters of [A-Za-z0-9+=,.@_-]): ${show(arn)}`;
    }
    const expected = 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/ecr-public-pull';
    if (!arn.startsWith('arn:')) {
        return `'role-to-assume' must be the role's full ARN, not a name: got ${show(arn)}; ${expected}`;
    }
    if (/:assumed-role\//.test(arn)) {
        return `'role-to-assume' is an assumed-role session ARN (${show(arn)}); give the role's own ARN: ${expected}`;
    }
    if (/^arn:[^:]+:iam::[^:]*:(user|group|policy)\//.test(arn)) {
        return `'role-to-assume' names an IAM ${arn.split(':')[5].split('/')[0]}, not a role: ${show(arn)}; ${expected}`;
    }
    if (/^arn:[^:]+:iam::[^:]*:role\//.test(arn) && !/^arn:[^:]+:iam::\d{12}:/.test(arn)) {
        return `'role-to-assume' must contain a 12-digit account ID: got ${show(arn)}`;
    }
    return `'role-to-assume' is not an IAM role ARN: got ${show(arn)}; ${expected}`;
}
function parseAwsSettings(inputs) {
    const roleToAssume = inputs.read('role-to-assume');
    const roleProblem = roleToAssume ? roleArnProblem(roleToAssume) : undefined;
    if (roleProblem)
        inputs.problems.push(roleProblem);
    const roleSessionName = inputs.read('role-session-name');
    if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
        inputs.problems.push(`'role-session-name' must be 2-64 characters of [A-Za-z0-9+=,.@_-]: got ${show(roleSessionName)}`);
    }
    return {
        roleToAssume,
        roleSessionName,
        roleDurationSeconds: inputs.integer('role-duration-seconds', 900, 43200),
        audience: inputs.read('audience'),
    };
}

;// CONCATENATED MODULE: ./src/mirror/settings.ts
// docker-mirror's own input besides the switch: `mirror-port`, the port a platform team named
// once in the daemon's flags (ARC's dind sidecar); empty means a free port, as before.

/** Below 1024 the runner user cannot listen; 65535 is the last port. */
const MIN_PORT = 1024;
const MAX_PORT = 65535;
/** The fixed port, or undefined for a free one; a bad value is one more problem of the report. */
function parseMirrorPort(inputs, dockerMirror) {
    const raw = inputs.read('mirror-port');
    if (raw === '')
        return undefined;
    const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
    if (!(port >= MIN_PORT && port <= MAX_PORT)) {
        inputs.problems.push(`'mirror-port' must be empty (a free port) or a port from ${MIN_PORT} to ${MAX_PORT}: got ${show(raw)}`);
        return undefined;
    }
    if (!dockerMirror)
        inputs.notes.push(`'mirror-port' is ignored: neither 'docker-mirror' nor 'mirror' asks for the docker engine.`);
    return port;
}

;// CONCATENATED MODULE: ./src/engines/settings.ts
// The `mirror` input (and its alias `docker-mirror: true`): which engines pull Docker official
// images through the logged-in registry for the rest of the job.


const ENGINE_NAMES = ['docker', 'containers', 'containerd', 'buildkit'];
const isEngine = (item) => ENGINE_NAMES.includes(item);
function parseMirrorSettings(inputs) {
    const named = new Set();
    let auto = false;
    for (const item of inputs.list('mirror', /[\s,]+/)) {
        const name = item.toLowerCase();
        if (name === 'auto')
            auto = true;
        else if (isEngine(name))
            named.add(name);
        else
            inputs.problems.push(`'mirror' lists engines: ${ENGINE_NAMES.join(', ')} or auto: got ${show(item)}`);
    }
    if (inputs.boolean('docker-mirror'))
        named.add('docker');
    const dockerPort = parseMirrorPort(inputs, named.has('docker'));
    return { engines: ENGINE_NAMES.filter((e) => named.has(e)), auto, dockerPort };
}

// EXTERNAL MODULE: ./src/images/reference.ts
var reference = __webpack_require__(4719);
;// CONCATENATED MODULE: ./src/images/settings.ts
// The image inputs (`images`, `rewrite`, `verify-digest`), checked before any network call like
// every other input.


function parseImagesSettings(inputs) {
    const images = [...new Set(inputs.list('images', /\r?\n|,/))];
    for (const image of images) {
        const problem = (0,reference/* referenceProblem */.te)(image);
        if (problem)
            inputs.problems.push(`'images' has an invalid reference ${show(image)}: ${problem}`);
    }
    const rewrite = inputs.list('rewrite').filter((line) => !line.startsWith('#'));
    for (const glob of rewrite) {
        const problem = globProblem(glob.replace(/^!/, ''));
        if (problem)
            inputs.problems.push(`'rewrite' has ${show(glob)}: ${problem}`);
    }
    return { images, rewrite, verifyDigest: inputs.boolean('verify-digest') };
}
/** Why a glob could reach outside the workspace; undefined when it cannot. */
function globProblem(glob) {
    if (/^([\\/]|[A-Za-z]:|~)/.test(glob)) {
        return 'globs are relative to GITHUB_WORKSPACE; an absolute path is refused';
    }
    if (glob.split(/[\\/]/).includes('..'))
        return 'a `..` segment would leave the workspace';
    return undefined;
}

// EXTERNAL MODULE: ./src/net/proxy-env.ts
var proxy_env = __webpack_require__(5605);
;// CONCATENATED MODULE: ./src/net/settings.ts
// How every network call of the step behaves (`retry-max-attempts`, `timeout-seconds`,
// `http-proxy`): the AWS calls, image resolution and the docker mirror alike.


function parseNetworkSettings(inputs) {
    const httpProxy = inputs.read('http-proxy');
    const proxyProblem = httpProxy ? (0,proxy_env/* proxyUrlProblem */.Xy)(httpProxy) : undefined;
    if (proxyProblem) {
        inputs.problems.push(`'http-proxy' must be a proxy URL such as http://proxy.example.com:3128 (${proxyProblem}): got ${show(hideUrlCredentials(httpProxy))}`);
    }
    return {
        retryMaxAttempts: inputs.integer('retry-max-attempts', 1, 20),
        timeoutSeconds: inputs.integer('timeout-seconds', 1, 3600),
        httpProxy,
    };
}

// EXTERNAL MODULE: ./src/net/retry.ts
var retry = __webpack_require__(7893);
;// CONCATENATED MODULE: ./src/aws/authorization-token.ts
// A registry password from ECR or ECR Public GetAuthorizationToken, decoded and checked.

const ECR_PUBLIC_REGION = 'us-east-1';
const RETRY_FIX = 'This is unexpected from AWS; retry the job, and report it if it persists.';
/** base64("AWS:<password>") → login; the password may itself contain colons. */
function decodeAuthorizationToken(data, now = new Date(), service = 'ECR Public') {
    const BAD_TOKEN = `${service} returned an authorization token that is not usable`;
    const token = data.authorizationToken ?? '';
    if (!token || !/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) {
        throw new errors/* ActionError */.lZ(`${BAD_TOKEN}: it is not base64.`, RETRY_FIX);
    }
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon > 0 ? decoded.slice(0, colon) : '';
    const password = colon > 0 ? decoded.slice(colon + 1) : '';
    if (username !== 'AWS') {
        throw new errors/* ActionError */.lZ(`${BAD_TOKEN}: it does not hold an "AWS:<password>" pair.`, RETRY_FIX);
    }
    if (!password)
        throw new errors/* ActionError */.lZ(`${BAD_TOKEN}: its password is empty.`, RETRY_FIX);
    const expiresAt = data.expiresAt;
    if (expiresAt && !(expiresAt.getTime() > now.getTime())) {
        throw new errors/* ActionError */.lZ(`${BAD_TOKEN}: it expired at ${expiresAt.toISOString()}.`, "Check the runner's clock; it must be within minutes of real time.");
    }
    return { username, password, expiresAt };
}

;// CONCATENATED MODULE: ./src/net/get-json.ts
class HttpError extends Error {
    status;
    body;
    retryAfterSeconds;
    constructor(status, message, 
    /** The answer's body (at most 2,000 characters), for callers that quote the server. */
    body = '', 
    /** `Retry-After` in seconds, when the server sent a number. */
    retryAfterSeconds) {
        super(message);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
        this.name = 'HttpError';
    }
}
function getJson(url, o) {
    return requestJson(url, 'GET', o);
}
/** POSTs an application/x-www-form-urlencoded body and reads a JSON answer. */
function postForm(url, form, o) {
    const body = form.toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...o.headers };
    return requestJson(url, 'POST', { ...o, headers }, body);
}
async function requestJson(url, method, o, body) {
    const secure = url.protocol === 'https:';
    // Only the stack the URL needs: tls is the largest part of node's networking to load.
    const { request: send } = secure ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    return new Promise((resolve, reject) => {
        const request = send(url, {
            method,
            headers: { accept: 'application/json', ...o.headers },
            agent: o.agents ? (secure ? o.agents.https : o.agents.http) : undefined,
            timeout: o.timeoutMs,
            signal: o.signal,
        });
        request.once('timeout', () => request.destroy(Object.assign(new Error(`no answer from ${url.host} within ${o.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
        })));
        request.once('error', reject);
        request.once('response', (response) => readJson(url, response).then(resolve, reject));
        request.end(body);
    });
}
function readJson(url, response) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299) {
                const after = Number(response.headers['retry-after']);
                const seconds = Number.isFinite(after) && after >= 0 ? after : undefined;
                const message = `HTTP ${status} from ${url.host}: ${text.slice(0, 200)}`;
                reject(new HttpError(status, message, text.slice(0, 2000), seconds));
                return;
            }
            try {
                resolve(JSON.parse(text));
            }
            catch {
                reject(new HttpError(status, `${url.host} answered with something that is not JSON`));
            }
        });
    });
}

// EXTERNAL MODULE: ./src/net/network-errors.ts
var network_errors = __webpack_require__(3641);
;// CONCATENATED MODULE: ./src/aws/explain-error.ts
// Classifies AWS and network failures (retry or not) and explains them in words a user can act on.




const RETRYABLE_CODES = new Set([
    'Throttling',
    'TooManyRequests',
    'RequestLimitExceeded',
    'RequestThrottled',
    'IDPCommunicationError',
    'ServiceUnavailable',
    'InternalFailure',
    'InternalError',
    'Server',
    'RequestTimeout',
    'TimeoutError',
]);
/** The service's own error code (the SDK keeps it in `Code`; its class name may add `Exception`). */
const wireCode = (error) => {
    const e = (error ?? {});
    return e.Code || (e.name && e.name !== 'Error' ? e.name : (e.code ?? ''));
};
/** The code without an `Exception` suffix, for matching: `ExpiredTokenException` → `ExpiredToken`. */
const codeOf = (error) => wireCode(error).replace(/(.)Exception$/, '$1');
/** Throttling, 5xx, connection trouble and STS's transient key-fetch failures; never AccessDenied or bad input. */
function isRetryable(error) {
    if (error instanceof errors/* ActionError */.lZ)
        return false;
    if (error instanceof HttpError)
        return error.status === 429 || error.status >= 500;
    if (error instanceof proxy_env/* ProxyError */.T6)
        return error.status === undefined || error.status >= 500;
    const e = (error ?? {});
    const code = codeOf(error);
    if (code === 'InvalidIdentityToken')
        return /retrieve verification key/i.test(e.message ?? '');
    if (RETRYABLE_CODES.has(code) || (0,network_errors/* isTransientNetworkError */.l)(error))
        return true;
    const status = e.$metadata?.httpStatusCode ?? 0;
    return status === 429 || status >= 500;
}
/** `repo:OWNER/REPO:*` for a sub of this repository, whatever its ref/environment/event part. */
const repositoryPattern = (sub) => {
    const m = /^(repo:[^:]+):/.exec(sub);
    return m ? `${m[1]}:*` : 'repo:OWNER/REPO:*';
};
const TRUST_FIX = (sub) => `The role's trust policy must allow this token: Principal {"Federated": "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"}, Action sts:AssumeRoleWithWebIdentity, Condition StringEquals "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" and StringLike "token.actions.githubusercontent.com:sub": "${repositoryPattern(sub)}" (or the exact sub).`;
/** "Code: message" as the service sent it. */
const explain_error_where = (error) => `${wireCode(error) || 'Error'}: ${error?.message ?? String(error)}`;
/** An ActionError for a failed AssumeRoleWithWebIdentity, keeping STS's code and message. */
function explainStsError(error, roleArn, claims) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = codeOf(error);
    const message = error?.message ?? '';
    const sub = claims.sub ?? '';
    const base = `STS AssumeRoleWithWebIdentity failed for ${roleArn} (${explain_error_where(error)}).`;
    switch (code) {
        case 'AccessDenied':
            return new errors/* ActionError */.lZ(`${base} The token's sub claim is "${sub}".`, TRUST_FIX(sub) +
                (sub.includes('@')
                    ? ' This repository uses the immutable sub form (OWNER@ID/REPO@ID): write the condition for that form.'
                    : ''), { cause: error });
        case 'InvalidIdentityToken':
            if (/audience/i.test(message)) {
                return new errors/* ActionError */.lZ(`${base} The token's audience is "${[claims.aud].flat().join(',')}".`, "The IAM OIDC provider for token.actions.githubusercontent.com must list this audience as a client ID; the usual value is sts.amazonaws.com (the `audience` input's default).", { cause: error });
            }
            if (/no openid ?connect provider/i.test(message)) {
                return new errors/* ActionError */.lZ(base, "Create the IAM OIDC identity provider https://token.actions.githubusercontent.com with audience sts.amazonaws.com in the role's account (see the README).", { cause: error });
            }
            return new errors/* ActionError */.lZ(base, "Check the IAM OIDC identity provider for token.actions.githubusercontent.com in the role's account.", { cause: error });
        case 'ExpiredToken':
            return new errors/* ActionError */.lZ(base, "The job's OIDC token expired before STS saw it: check the runner's clock, or lower `timeout-seconds`/`retry-max-attempts` so retries do not outlive a token.", { cause: error });
        case 'ValidationError':
            return new errors/* ActionError */.lZ(base, /duration/i.test(message)
                ? "`role-duration-seconds` is longer than the role's maximum session duration: lower it, or raise the role's MaxSessionDuration."
                : 'Check `role-to-assume`, `role-session-name` and `role-duration-seconds`.', { cause: error });
        case 'IDPRejectedClaim':
            return new errors/* ActionError */.lZ(base, TRUST_FIX(sub), { cause: error });
        case 'ENOTFOUND':
            return unresolvedStsHost(error, base);
        default:
            return new errors/* ActionError */.lZ(base, networkFix(error, 'STS'), { cause: error });
    }
}
/** STS's host does not resolve: almost always AWS_REGION naming no region (an AZ, a typo). */
function unresolvedStsHost(error, base) {
    const host = error.hostname ?? '';
    const region = /^sts\.([^.]+)\./.exec(host)?.[1];
    return new errors/* ActionError */.lZ(`${base} The STS endpoint ${host || '(unknown host)'} does not resolve${region ? `: "${region}" (from AWS_REGION or AWS_DEFAULT_REGION) is not an AWS region` : ''}.`, "Set AWS_REGION to a region such as eu-west-1 (not an Availability Zone such as eu-west-1a), or unset it to use us-east-1; if the region is right, check the runner's DNS.", { cause: error });
}
/** No credentials from the default chain; a named profile that does not exist is the usual cause. */
function noCredentials(error, env) {
    const profile = env.AWS_PROFILE;
    if (profile) {
        return new errors/* ActionError */.lZ(`No AWS credentials were found for AWS_PROFILE "${profile}" (${explain_error_where(error)}).`, `Define the profile "${profile}" in the AWS config or credentials file (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) before this step, unset AWS_PROFILE, or set \`role-to-assume\`.`, { cause: error });
    }
    return new errors/* ActionError */.lZ(`No AWS credentials were found (${explain_error_where(error)}).`, "Set `role-to-assume` to use the job's OIDC token, or provide AWS credentials before this step.", { cause: error });
}
/** An ActionError for a failed GetAuthorizationToken; the source says what its target needs. */
function explainEcrError(error, credentialsFrom, env, source) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = codeOf(error);
    const base = `${source.service} GetAuthorizationToken failed with ${credentialsFrom} (${explain_error_where(error)}).`;
    const fix = (text) => new errors/* ActionError */.lZ(base, text, { cause: error });
    if (code === 'CredentialsProviderError')
        return noCredentials(error, env);
    if (code === 'AccessDenied')
        return fix(source.accessFix);
    if (REJECTED_CREDENTIALS.includes(code)) {
        const rejected = 'the AWS credentials were rejected: check that they are current and complete (access key, secret key and session token).';
        return fix(source.rejectedFix
            ? source.rejectedFix + rejected
            : rejected[0].toUpperCase() + rejected.slice(1));
    }
    if (source.unresolvedFix && error?.code === 'ENOTFOUND') {
        return fix(source.unresolvedFix);
    }
    return fix(networkFix(error, source.service));
}
const REJECTED_CREDENTIALS = [
    'UnrecognizedClient',
    'InvalidSignature',
    'ExpiredToken',
    'InvalidClientTokenId',
];
function networkFix(error, service) {
    if (error instanceof proxy_env/* ProxyError */.T6) {
        return 'Check the proxy (HTTPS_PROXY / HTTP_PROXY, or the `http-proxy` input) and NO_PROXY.';
    }
    if (isRetryable(error)) {
        return `${service} looks unavailable or slow from this runner; it was retried. Check its status, the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY, \`http-proxy\`).`;
    }
    return `See the ${service} error above; the README's troubleshooting section lists the common causes.`;
}

;// CONCATENATED MODULE: ./src/net/oidc-token.ts
// The job's GitHub OIDC token, for whoever federates it: STS (AWS credentials), Docker's identity
// service (a Docker Hub token). Not AWS-specific, so it sits with the other network calls.



const NO_ID_TOKEN_FIX = 'Give the job `permissions: id-token: write` (with `contents: read`). Workflows triggered by pull requests from forks never get an OIDC token: set `fallback-username` and `fallback-token`, or skip this step for forks.';
/** Fetches one ID token from the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL). */
async function fetchIdToken(env, r) {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
        throw new errors/* ActionError */.lZ(`This job has no GitHub OIDC token (${url ? 'ACTIONS_ID_TOKEN_REQUEST_TOKEN' : 'ACTIONS_ID_TOKEN_REQUEST_URL'} is not set), so ${r.forWhat ?? "'role-to-assume'"} cannot be used.`, NO_ID_TOKEN_FIX);
    }
    const target = new URL(url);
    target.searchParams.set('audience', r.audience);
    let body;
    try {
        body = await getJson(target, {
            headers: { authorization: `Bearer ${bearer}` },
            timeoutMs: r.timeoutMs,
            signal: r.signal,
            agents: r.agents,
        });
    }
    catch (error) {
        if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
            throw new errors/* ActionError */.lZ(`GitHub refused the OIDC token request (HTTP ${error.status}).`, NO_ID_TOKEN_FIX, { cause: error });
        }
        throw error;
    }
    const value = body?.value;
    if (typeof value !== 'string' || value.split('.').length !== 3) {
        throw new errors/* ActionError */.lZ('The OIDC token service answered without a token (no "value" JWT in its JSON).');
    }
    return value;
}
/** A failure to get a token from GitHub's token service, after its retries. */
function explainOidcError(error) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    if (error instanceof proxy_env/* ProxyError */.T6) {
        return new errors/* ActionError */.lZ(`Could not reach GitHub's token service through the proxy (${(0,errors/* describeError */.Uc)(error)}).`, 'Check the proxy (HTTPS_PROXY / HTTP_PROXY, or the `http-proxy` input) and NO_PROXY.', { cause: error });
    }
    return new errors/* ActionError */.lZ(`Could not get the job's OIDC token from GitHub's token service (${(0,errors/* describeError */.Uc)(error)}).`, "GitHub's token service was unavailable or unreachable from this runner (it was retried): check githubstatus.com, the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY, `http-proxy`).", { cause: error });
}
/** Reads the (non-secret) claims of a JWT for error messages; no verification. */
function decodeClaims(jwt) {
    try {
        const payload = jwt.split('.')[1] ?? '';
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return claims && typeof claims === 'object' ? claims : {};
    }
    catch {
        return {};
    }
}

;// CONCATENATED MODULE: ./src/aws/credentials.ts



function maskCredentials(c, setSecret) {
    setSecret(c.accessKeyId);
    setSecret(c.secretAccessKey);
    if (c.sessionToken)
        setSecret(c.sessionToken);
    return c;
}
/** OIDC token → STS AssumeRoleWithWebIdentity, retried as one unit with a fresh token each time. */
async function assumeRoleWithIdToken(role, deps) {
    let claims = {};
    // Which half failed last, so the final error blames GitHub's token service or STS correctly.
    let stage = 'oidc';
    return (0,retry/* retry */.L5)(async () => {
        stage = 'oidc';
        const token = await deps.fetchIdToken();
        deps.setSecret(token);
        claims = decodeClaims(token);
        stage = 'sts';
        const credentials = await deps.assumeRole({ ...role, webIdentityToken: token });
        return { ...maskCredentials(credentials, deps.setSecret), claims };
    }, {
        what: 'Getting AWS credentials (GitHub OIDC token, then STS AssumeRoleWithWebIdentity)',
        maxAttempts: deps.maxAttempts,
        deadline: deps.deadline,
        isRetryable: isRetryable,
        onRetry: deps.onRetry,
        // Name the half that failed, so a deadline error says which call hung.
        onFailure: (error) => deps.onFailure?.(error, stage === 'oidc' ? 'GitHub OIDC token request' : 'STS AssumeRoleWithWebIdentity'),
        sleep: deps.sleep,
    }).catch((error) => {
        throw stage === 'oidc' ? explainOidcError(error) : explainStsError(error, role.roleArn, claims);
    });
}
/** Wraps a provider so whatever it resolves is masked before anything can log it. */
function maskingProvider(provider, setSecret) {
    return async (options) => maskCredentials(await provider(options), setSecret);
}

;// CONCATENATED MODULE: ./src/aws/registry-password.ts







/** Upper bound for one HTTP request; the phase deadline (`timeout-seconds`) bounds them all. */
const REQUEST_TIMEOUT_MS = 10_000;
const timed = (deps, phase, fn) => deps.timing ? deps.timing.time(phase, fn) : fn();
/** The registry password from AWS, within the deadline; names the proxy when it is misconfigured. */
function awsRegistryPassword(source, deps) {
    const { network } = deps;
    const proxyProblem = (0,proxy_env/* proxyEnvProblem */.tQ)(deps.env, network.httpProxy);
    if (proxyProblem) {
        return Promise.reject(new errors/* ActionError */.lZ(proxyProblem, 'Fix the proxy variable in the job or runner environment, or set the `http-proxy` input.'));
    }
    const run = (agents) => (0,retry/* withDeadline */.NE)(`Logging in to ${source.service}`, deps.deadline, network.timeoutSeconds, (signal, onFailure) => passwordFromAws(source, startPhase(source, deps, signal, onFailure, agents)));
    // The tunnelling agents (and tls) load only when a proxy is set: the OIDC request needs them.
    if (!(0,proxy_env/* proxyConfigured */.$o)(deps.env, network.httpProxy))
        return run();
    return Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 1987)).then((m) => run(m.proxyAgents(deps.env, network.httpProxy, REQUEST_TIMEOUT_MS)));
}
function startPhase(source, deps, signal, onFailure, agents) {
    const direct = agents ? undefined : registry_password_preconnect(source, deps);
    const requestHandler = Promise.all([deps.sdk, direct]).then(([sdk, agent]) => newRequestHandler(sdk, agents, agent));
    requestHandler.catch(() => undefined); // awaited later; a path that fails first must not crash on it
    const retry = {
        maxAttempts: deps.network.retryMaxAttempts,
        deadline: deps.deadline,
        isRetryable: isRetryable,
        onRetry: deps.runtime.info,
        onFailure,
        sleep: deps.sleep,
    };
    return { ...deps, signal, agents, retry, requestHandler };
}
/**
 * Without a proxy: once the OIDC request is out (next turn), load the TLS stack and connect to
 * STS and ECR Public while it is answered.
 */
async function registry_password_preconnect(source, deps) {
    await new Promise((resolve) => setImmediate(resolve));
    const { awsOrigins, PreconnectingAgent } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 7314));
    const agent = new PreconnectingAgent();
    const origins = awsOrigins(deps.env, stsRegion(deps.env));
    if (deps.aws.roleToAssume)
        agent.preconnect(origins.sts);
    // A pull-through cache's ECR endpoint is not preconnected (yet): only ECR Public's.
    if (source.endpoint.kind === 'ecr-public')
        agent.preconnect(origins.ecrPublic);
    return agent;
}
/** One handler (time-outs, proxy-aware or preconnecting agents) for the STS and ECR clients. */
const newRequestHandler = (sdk, agents, direct) => new sdk.NodeHttpHandler({
    connectionTimeout: Math.min(REQUEST_TIMEOUT_MS, 5000),
    requestTimeout: REQUEST_TIMEOUT_MS,
    httpAgent: agents?.http,
    httpsAgent: agents?.https ?? direct,
});
async function passwordFromAws(source, phase) {
    const { credentials, via } = phase.aws.roleToAssume
        ? await assumeRole(phase.aws, phase)
        : await environmentCredentials(phase);
    const { endpoint } = source;
    try {
        const login = await timed(phase, source.service, () => endpoint.kind === 'ecr-public'
            ? ecrPublicPassword(phase, credentials)
            : ecrPrivatePassword(endpoint, phase, credentials));
        return { ...login, via };
    }
    catch (error) {
        throw explainEcrError(error, via, phase.env, source);
    }
}
const stsRegion = (env) => env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
/** `role-to-assume`: a fresh OIDC token per STS attempt, then AssumeRoleWithWebIdentity. */
async function assumeRole(settings, phase) {
    const region = stsRegion(phase.env);
    const assumed = await assumeRoleWithIdToken({
        roleArn: settings.roleToAssume,
        roleSessionName: settings.roleSessionName,
        durationSeconds: settings.roleDurationSeconds,
    }, {
        ...phase.retry,
        setSecret: phase.runtime.setSecret,
        fetchIdToken: () => timed(phase, 'OIDC', () => fetchIdToken(phase.env, {
            audience: settings.audience,
            timeoutMs: REQUEST_TIMEOUT_MS,
            signal: phase.signal,
            agents: phase.agents,
        })),
        assumeRole: (params) => timed(phase, 'STS', async () => (await phase.sdk).fromWebToken({
            ...params,
            clientConfig: { region, maxAttempts: 1, requestHandler: await phase.requestHandler },
        })()),
    });
    phase.runtime.info(`Assumed ${settings.roleToAssume} as ${assumed.claims.sub ?? 'this job'} (STS in ${region}).`);
    const { sub, aud, repository, ref } = assumed.claims;
    phase.runtime.debug(`OIDC token claims: ${JSON.stringify({ sub, aud, repository, ref })}; AWS session expires ${assumed.expiration?.toISOString() ?? '(not given)'}`);
    return { credentials: assumed, via: `role ${settings.roleToAssume}` };
}
/** No role: whatever the SDK's default chain finds (env, profile, web identity file, instance). */
async function environmentCredentials(phase) {
    const sdk = await phase.sdk;
    const credentials = maskingProvider(sdk.fromNodeProviderChain(), phase.runtime.setSecret);
    return { credentials: credentials, via: 'the AWS credentials in the environment' };
}
/** ECR Public GetAuthorizationToken (us-east-1 only). */
async function ecrPublicPassword(phase, credentials) {
    const sdk = await phase.sdk;
    const client = new sdk.ECRPUBLICClient({
        region: ECR_PUBLIC_REGION,
        credentials,
        maxAttempts: 1,
        requestHandler: await phase.requestHandler,
    });
    return tokenLogin(phase, 'ECR Public', client, async (signal) => {
        const command = new sdk.GetAuthorizationTokenCommand({});
        return (await client.send(command, { abortSignal: signal })).authorizationData;
    });
}
/** ECR GetAuthorizationToken in the registry's region, on the endpoint its host form implies. */
async function ecrPrivatePassword(target, phase, credentials) {
    const ecr = await (await phase.sdk).loadEcrSdk();
    // An endpoint override (a VPC endpoint, the sandbox) is the endpoint: the SDK refuses FIPS or
    // dual-stack flags next to one.
    const overridden = Boolean(phase.env.AWS_ENDPOINT_URL_ECR || phase.env.AWS_ENDPOINT_URL);
    const client = new ecr.ECRClient({
        region: target.region,
        useFipsEndpoint: target.fips && !overridden,
        useDualstackEndpoint: target.dualStack && !overridden,
        credentials,
        maxAttempts: 1,
        requestHandler: await phase.requestHandler,
    });
    return tokenLogin(phase, `ECR (${target.region})`, client, async (signal) => {
        const command = new ecr.GetAuthorizationTokenCommand({});
        return (await client.send(command, { abortSignal: signal })).authorizationData?.[0];
    });
}
/** One GetAuthorizationToken, retried; the token is masked on arrival, then decoded. */
async function tokenLogin(phase, service, client, send) {
    try {
        const data = await (0,retry/* retry */.L5)(async () => {
            const authorizationData = await send(phase.signal);
            // Mask before anything else touches it: the token and the password inside it.
            if (authorizationData?.authorizationToken)
                phase.runtime.setSecret(authorizationData.authorizationToken);
            return authorizationData ?? {};
        }, { ...phase.retry, what: `${service} GetAuthorizationToken` });
        const login = decodeAuthorizationToken(data, new Date(), service);
        phase.runtime.setSecret(login.password);
        phase.runtime.debug(`${service} token: user ${login.username}, expires ${login.expiresAt?.toISOString() ?? '(not given)'}`);
        return login;
    }
    finally {
        client.destroy();
    }
}

;// CONCATENATED MODULE: ./src/aws/regions.ts
// Generated from the AWS SDK partition data by scripts/aws-regions.mjs (npm run build). Do not edit.
/** Every region the SDK knows, with its partition DNS suffix. */
const REGION_DNS = {
    'af-south-1': 'amazonaws.com',
    'ap-east-1': 'amazonaws.com',
    'ap-east-2': 'amazonaws.com',
    'ap-northeast-1': 'amazonaws.com',
    'ap-northeast-2': 'amazonaws.com',
    'ap-northeast-3': 'amazonaws.com',
    'ap-south-1': 'amazonaws.com',
    'ap-south-2': 'amazonaws.com',
    'ap-southeast-1': 'amazonaws.com',
    'ap-southeast-2': 'amazonaws.com',
    'ap-southeast-3': 'amazonaws.com',
    'ap-southeast-4': 'amazonaws.com',
    'ap-southeast-5': 'amazonaws.com',
    'ap-southeast-6': 'amazonaws.com',
    'ap-southeast-7': 'amazonaws.com',
    'ca-central-1': 'amazonaws.com',
    'ca-west-1': 'amazonaws.com',
    'eu-central-1': 'amazonaws.com',
    'eu-central-2': 'amazonaws.com',
    'eu-north-1': 'amazonaws.com',
    'eu-south-1': 'amazonaws.com',
    'eu-south-2': 'amazonaws.com',
    'eu-west-1': 'amazonaws.com',
    'eu-west-2': 'amazonaws.com',
    'eu-west-3': 'amazonaws.com',
    'il-central-1': 'amazonaws.com',
    'me-central-1': 'amazonaws.com',
    'me-south-1': 'amazonaws.com',
    'me-west-1': 'amazonaws.com',
    'mx-central-1': 'amazonaws.com',
    'sa-east-1': 'amazonaws.com',
    'sa-west-1': 'amazonaws.com',
    'us-east-1': 'amazonaws.com',
    'us-east-2': 'amazonaws.com',
    'us-west-1': 'amazonaws.com',
    'us-west-2': 'amazonaws.com',
    'cn-north-1': 'amazonaws.com.cn',
    'cn-northwest-1': 'amazonaws.com.cn',
    'eusc-de-east-1': 'amazonaws.eu',
    'us-iso-east-1': 'c2s.ic.gov',
    'us-iso-west-1': 'c2s.ic.gov',
    'us-isob-east-1': 'sc2s.sgov.gov',
    'us-isob-west-1': 'sc2s.sgov.gov',
    'eu-isoe-west-1': 'cloud.adc-e.uk',
    'us-isof-east-1': 'csp.hci.ic.gov',
    'us-isof-south-1': 'csp.hci.ic.gov',
    'us-gov-east-1': 'amazonaws.com',
    'us-gov-west-1': 'amazonaws.com',
};
/** Each partition region-name pattern (a region newer than the SDK still matches one). */
const REGION_PATTERNS = [
    [/^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, 'amazonaws.com'],
    [/^cn-\w+-\d+$/, 'amazonaws.com.cn'],
    [/^eusc-(de)-\w+-\d+$/, 'amazonaws.eu'],
    [/^us-iso-\w+-\d+$/, 'c2s.ic.gov'],
    [/^us-isob-\w+-\d+$/, 'sc2s.sgov.gov'],
    [/^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk'],
    [/^us-isof-\w+-\d+$/, 'csp.hci.ic.gov'],
    [/^us-gov-\w+-\d+$/, 'amazonaws.com'],
];

;// CONCATENATED MODULE: ./src/targets/ecr-host.ts
// The parts of an ECR private registry's host and cache namespace, checked as ECR checks them:
// <account>.dkr.ecr[-fips].<region>.<dns suffix>, or dual-stack <account>.dkr-ecr[-fips].<region>.on.aws.



const EXAMPLE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public';
// ECR's rule for a pull-through cache repository prefix (2-30 characters).
const NAMESPACE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PRIVATE_HOST = /^([^.]*)\.(dkr\.ecr|dkr-ecr)(-fips)?\.([^.]+)\.(.+)$/;
/** Whether a host is an ECR private registry's (any region, any form). */
const isEcrPrivateHost = (host) => /\.dkr[.-]ecr(-fips)?\./.test(host);
/** Why a host is not an ECR private registry host; region remarks go to `notes`. */
function privateHostProblem(host, notes) {
    const m = PRIVATE_HOST.exec(host);
    if (!m) {
        return `must be ${registry_names/* ECR_PUBLIC_REGISTRY */.Nt} or an ECR private registry with its pull-through cache namespace, such as ${EXAMPLE}`;
    }
    const [, account, form, , region, suffix] = m;
    if (!/^\d{12}$/.test(account))
        return `must start with the registry's 12-digit AWS account ID`;
    const known = REGION_DNS[region];
    const dns = known ?? REGION_PATTERNS.find(([pattern]) => pattern.test(region))?.[1];
    if (!dns)
        return `names no AWS region (${show(region)})`;
    if (!known) {
        const near = nearRegion(region);
        if (near)
            return `names the region ${show(region)}; did you mean ${near}?`;
        notes.push(`'registry' names the region ${region}, which this action's AWS SDK does not know yet; if it is mistyped, the login will fail.`);
    }
    const expected = form === 'dkr-ecr' ? (dns === 'amazonaws.com' ? 'on.aws' : '') : dns;
    if (suffix !== expected) {
        return expected
            ? `must end in .${expected} for the region ${region}`
            : `has no dual-stack form in the region ${region}`;
    }
    return undefined;
}
function namespaceProblem(namespace) {
    if (namespace.length >= 2 && namespace.length <= 30 && NAMESPACE.test(namespace))
        return undefined;
    return `has an invalid pull-through cache namespace ${show(namespace)} (2-30 characters: lower-case letters, digits and . _ - /, as ECR allows)`;
}
/**
 * A known region the unknown one looks like a typo of: its area (the part before the number) is
 * unknown but close to a known one. A known area with a new number may be a new region.
 */
function nearRegion(region) {
    const area = (name) => name.replace(/\d+$/, '');
    const names = Object.keys(REGION_DNS);
    if (names.some((name) => area(name) === area(region)))
        return undefined;
    const near = names.filter((name) => editDistance(area(name), area(region)) <= 2);
    return near.find((name) => name.endsWith(region.slice(area(region).length))) ?? near[0];
}
/** Levenshtein distance, for "did you mean" on a mistyped region. */
function editDistance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) {
            next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        row = next;
    }
    return row[b.length];
}

;// CONCATENATED MODULE: ./src/targets/ecr-private.ts
// An ECR private registry's pull-through cache (`registry: <account>.dkr.ecr.<region>.amazonaws.com/<namespace>`):
// the password from ECR's GetAuthorizationToken in the registry's region, on the endpoint its
// host form implies (FIPS, dual-stack).




/** `registry` names an ECR private host: check it, and its namespace, as ECR would. */
function parseEcrPrivate(inputs, raw, upstream) {
    const value = raw.replace(/^https:\/\//i, '').replace(/\/+$/, '');
    const slash = value.indexOf('/');
    const host = (slash < 0 ? value : value.slice(0, slash)).toLowerCase();
    // Without a namespace: the rule's usual prefix, the upstream's name (as iam/ creates it).
    const namespace = slash < 0 ? upstream : value.slice(slash + 1);
    const problem = privateHostProblem(host, inputs.notes) ?? namespaceProblem(namespace);
    if (problem)
        inputs.problems.push(`'registry' ${problem}: got ${show(raw)}`);
    const m = PRIVATE_HOST.exec(host) ?? [];
    return ecrPrivateTarget({
        host,
        account: m[1] ?? '',
        region: m[4] ?? '',
        fips: Boolean(m[3]),
        dualStack: m[2] === 'dkr-ecr',
        cache: { namespace, upstream },
    });
}
function ecrPrivateTarget(registry) {
    const source = tokenSource(registry);
    return {
        ...registry,
        kind: 'ecr-private',
        host: registry.host,
        label: 'ECR pull-through cache',
        libraryPrefix: (0,registry_names/* libraryPrefix */.GU)(registry),
        cache: registry.cache,
        usesAws: true,
        credential: (deps) => awsRegistryPassword(source, deps),
        refusedFix: "The ECR token was refused; retry the job. A token opens only the registry of the role's account and the region it was asked in: check the `registry` input.",
    };
}
function tokenSource(registry) {
    const { host, region, account, cache } = registry;
    const repositories = `arn:aws:ecr:${region}:${account}:repository/${cache.namespace}/*`;
    return {
        service: `ECR in ${region}`,
        endpoint: { kind: 'ecr', region, fips: registry.fips, dualStack: registry.dualStack },
        accessFix: `Allow "ecr:GetAuthorizationToken" on "*" in the role's permission policy; pulls through the cache also need "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage" and "ecr:CreateRepository" on "${repositories}" (see the README).`,
        // An opt-in region that is not enabled rejects every credential as unknown.
        rejectedFix: `If ${region} (the region in the \`registry\` input, ${host}) is an opt-in region, enable it for the account (AWS console: Account, AWS Regions) or use the registry of an enabled region. Otherwise, `,
        unresolvedFix: `No ECR endpoint answers for the region ${region} from this runner: check the region in the \`registry\` input (${host}), and on a private network the ECR API VPC endpoint's private DNS (or set AWS_ENDPOINT_URL_ECR).`,
    };
}

;// CONCATENATED MODULE: ./src/targets/ecr-public.ts
// ECR Public (`registry: public.ecr.aws`): the Gallery's mirror of Docker official images, with a
// password from ECR Public's GetAuthorizationToken in us-east-1.



const ECR_PUBLIC_SOURCE = {
    service: 'ECR Public',
    endpoint: { kind: 'ecr-public' },
    accessFix: 'Allow "ecr-public:GetAuthorizationToken" and "sts:GetServiceBearerToken" on "*" in the role\'s permission policy (see the README).',
};
const ECR_PUBLIC_TARGET = {
    kind: 'ecr-public',
    host: registry_names/* ECR_PUBLIC_REGISTRY */.Nt,
    label: 'ECR Public',
    libraryPrefix: (0,registry_names/* libraryPrefix */.GU)(registry_names/* ECR_PUBLIC_REGISTRY */.Nt),
    usesAws: true,
    credential: (deps) => awsRegistryPassword(ECR_PUBLIC_SOURCE, deps),
    refusedFix: 'The ECR Public token was refused; retry the job, and check the role has ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.',
};
/** `registry: public.ecr.aws`: no namespace, and the official images are its own. */
function parseEcrPublic(inputs, raw, upstream) {
    if (raw
        .replace(/^https:\/\//i, '')
        .replace(/\/+$/, '')
        .includes('/')) {
        inputs.problems.push(`'registry' ${registry_names/* ECR_PUBLIC_REGISTRY */.Nt} takes no namespace: got ${show(raw)}`);
    }
    if (upstream === 'docker-hub') {
        inputs.problems.push(`'registry-upstream: docker-hub' is for an ECR private registry's pull-through cache; ${registry_names/* ECR_PUBLIC_REGISTRY */.Nt} serves the official images itself`);
    }
    return ECR_PUBLIC_TARGET;
}

;// CONCATENATED MODULE: ./src/targets/registry-token.ts
// A registry logged in to with a username and a token from the inputs (`fallback-registry`,
// `fallback-username`, `fallback-token`): Docker Hub with an organization access token, or any
// registry with a robot account. Official images live where `fallback-library-prefix` says,
// or at Docker Hub's own `docker.io/library`.


function registryTokenTarget(host, username, token, prefix) {
    return {
        kind: 'registry-token',
        host,
        label: host === registry_names/* DOCKER_HUB */.Xb ? 'Docker Hub' : host,
        libraryPrefix: (0,registry_names/* libraryPrefix */.GU)(host) || prefix,
        usesAws: false,
        credential: async () => ({ username, password: token, via: 'the fallback credentials' }),
        refusedFix: 'Check `fallback-username` (for a Docker Hub organization access token: the organization name) and `fallback-token`.',
    };
}
/** The fallback's registry and library prefix; problems go to the reader. */
function parseFallbackRegistry(inputs) {
    const raw = inputs.read('fallback-registry');
    const host = (0,registry_names/* normalizeRegistry */.l5)(raw);
    if (!host) {
        inputs.problems.push(`'fallback-registry' must be a registry host such as docker.io: got ${show(raw)}`);
    }
    else if (host === registry_names/* ECR_PUBLIC_REGISTRY */.Nt) {
        inputs.problems.push(`'fallback-registry' cannot be ${registry_names/* ECR_PUBLIC_REGISTRY */.Nt}: it is the registry the fallback stands in for`);
    }
    const prefix = inputs.read('fallback-library-prefix').replace(/\/+$/, '');
    const problem = prefix && (0,registry_names/* libraryPrefixProblem */.RH)(prefix);
    if (problem)
        inputs.problems.push(`'fallback-library-prefix' ${problem}`);
    return { host, prefix };
}
/** `fallback-username` + `fallback-token`; undefined (with a note) when the token is missing. */
function parseRegistryToken(inputs) {
    const { host, prefix } = parseFallbackRegistry(inputs);
    const username = inputs.read('fallback-username');
    const token = inputs.read('fallback-token');
    if (token && !username) {
        inputs.problems.push(`'fallback-token' is set but 'fallback-username' is empty; for a Docker Hub organization access token the username is the organization name`);
    }
    if (username && !token) {
        inputs.notes.push(`'fallback-username' is set but 'fallback-token' is empty, so there is no fallback (secrets are not passed to workflows run from forks).`);
    }
    if (!(token && username && host))
        return undefined;
    if (prefix && host === registry_names/* DOCKER_HUB */.Xb)
        inputs.notes.push(ignoredPrefix(prefix));
    return registryTokenTarget(host, username, token, prefix);
}
/** Docker Hub keeps its own official images: a prefix elsewhere would be a mistake to use. */
const ignoredPrefix = (prefix) => `'fallback-library-prefix' (${prefix}) is ignored: 'fallback-registry' is Docker Hub, where official images are docker.io/library. Set 'fallback-registry' to the registry that prefix is on, or remove 'fallback-library-prefix'.`;

;// CONCATENATED MODULE: ./src/targets/docker-hub-oidc.ts
// Docker Hub with an OIDC connection (`fallback-oidc-connection-id`): a second GitHub ID token,
// asked for with Docker's audience, exchanged (RFC 8693) at Docker's identity service for a
// short-lived token that logs in as the organization. Wire format and its sources, and what is
// not public (error bodies above all): docs/docker-hub-oidc.md.









/** The exchange's origin, and the audience of the GitHub token it accepts. */
const DOCKER_IDENTITY = 'https://identity.docker.com';
/** Another origin for the exchange (the sandbox; a test double); the audience stays Docker's. */
const IDENTITY_URL_ENV = 'DOCKER_IDENTITY_URL';
/** The variable docker/login-action reads, so a workflow can switch actions as it is. */
const CONNECTION_ENV = 'DOCKERHUB_OIDC_CONNECTIONID';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const docker_hub_oidc_REQUEST_TIMEOUT_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
/** The connection ID from the input or the step's env; undefined when neither is set. */
function parseDockerHubOidc(inputs, env) {
    const input = inputs.read('fallback-oidc-connection-id').trim();
    const expiresIn = inputs.integer('fallback-oidc-expires-in', 300, 21600);
    const connectionId = input || (env[CONNECTION_ENV] ?? '').trim();
    if (!connectionId)
        return undefined;
    const where = input ? `'fallback-oidc-connection-id'` : CONNECTION_ENV;
    const organization = inputs.read('fallback-username');
    const token = inputs.read('fallback-token');
    if (!input && !organization && !token) {
        // A job-wide variable meant for another step must not break a step without a fallback.
        inputs.notes.push(`${CONNECTION_ENV} is set but 'fallback-username' is empty, so there is no fallback.`);
        return undefined;
    }
    connectionProblems(inputs, { where, connectionId, organization, token });
    return dockerHubOidcTarget({ organization, connectionId, expiresIn });
}
function connectionProblems(inputs, c) {
    if (!UUID.test(c.connectionId)) {
        inputs.problems.push(`${c.where} must be a Docker OIDC connection ID, a UUID such as 5f0c2a6e-8d1b-4c3a-9e7f-2b6d4a1c8e90 (Docker Home: your organization, OIDC connections): got ${show(c.connectionId)}`);
    }
    if (!c.organization) {
        inputs.problems.push(`${c.where} is set but 'fallback-username' is empty: it must be the Docker organization the connection belongs to`);
    }
    if (c.token) {
        inputs.problems.push(`'fallback-token' and ${c.where} are both set: log in to Docker Hub one way, with an organization access token or with the OIDC connection`);
    }
    const { host } = parseFallbackRegistry(inputs);
    if (host && host !== registry_names/* DOCKER_HUB */.Xb) {
        inputs.problems.push(`${c.where} logs in to Docker Hub only, but 'fallback-registry' is ${host}: leave 'fallback-registry' at docker.io`);
    }
}
function dockerHubOidcTarget(c) {
    return {
        kind: 'docker-hub-oidc',
        host: registry_names/* DOCKER_HUB */.Xb,
        label: 'Docker Hub',
        libraryPrefix: (0,registry_names/* libraryPrefix */.GU)(registry_names/* DOCKER_HUB */.Xb),
        usesAws: false,
        credential: (deps) => exchangeCredential(c, deps),
        refusedFix: `Docker Hub refused the token exchanged through OIDC connection ${c.connectionId}: check that 'fallback-username' (${c.organization}) is the organization that owns the connection.`,
    };
}
/** GitHub ID token → Docker's exchange, retried as one unit, within the deadline. */
async function exchangeCredential(c, deps) {
    const proxyProblem = (0,proxy.proxyEnvProblem)(deps.env, deps.network.httpProxy);
    if (proxyProblem) {
        throw new errors/* ActionError */.lZ(proxyProblem, 'Fix the proxy variable in the job or runner environment, or set the `http-proxy` input.');
    }
    const agents = (0,proxy.proxyConfigured)(deps.env, deps.network.httpProxy)
        ? (0,proxy.proxyAgents)(deps.env, deps.network.httpProxy, docker_hub_oidc_REQUEST_TIMEOUT_MS)
        : undefined;
    const { token, sentAt, sub } = await (0,retry/* withDeadline */.NE)("Getting a Docker Hub token (GitHub OIDC token, then Docker's token exchange)", deps.deadline, deps.network.timeoutSeconds, (signal, failed) => exchangeWithRetries(c, { ...deps, signal, agents, failed }));
    return {
        username: c.organization,
        password: token,
        // Only `access_token` is read: the lifetime is the one asked for, counted from the request.
        expiresAt: new Date(sentAt + c.expiresIn * 1000),
        via: `OIDC connection ${c.connectionId} (organization ${c.organization}, as ${sub || 'this job'})`,
    };
}
async function exchangeWithRetries(c, x) {
    let stage = 'oidc';
    let claims = {};
    try {
        return await (0,retry/* retry */.L5)(async () => {
            stage = 'oidc';
            const idToken = await fetchIdToken(x.env, {
                audience: DOCKER_IDENTITY,
                timeoutMs: docker_hub_oidc_REQUEST_TIMEOUT_MS,
                signal: x.signal,
                agents: x.agents,
                forWhat: 'the Docker Hub OIDC connection',
            });
            x.runtime.setSecret(idToken);
            claims = decodeClaims(idToken);
            stage = 'docker';
            const timed = () => exchange(c, idToken, x);
            const answer = await (x.timing ? x.timing.time('Docker exchange', timed) : timed());
            return { ...answer, sub: claims.sub ?? '' };
        }, {
            what: "Docker's OIDC token exchange",
            maxAttempts: x.network.retryMaxAttempts,
            deadline: x.deadline,
            isRetryable: isRetryableExchange,
            serverDelayMs: (e) => e instanceof HttpError && e.retryAfterSeconds !== undefined
                ? e.retryAfterSeconds * 1000
                : undefined,
            onRetry: x.runtime.info,
            onFailure: (e) => x.failed(e, stage === 'oidc' ? 'GitHub OIDC token request' : "Docker's token exchange"),
            sleep: x.sleep,
        });
    }
    catch (error) {
        throw stage === 'oidc' ? explainOidcError(error) : explainExchangeError(error, c, claims);
    }
}
/** One POST of the exchange; the token is masked before anything else sees it. */
async function exchange(c, idToken, x) {
    const form = new URLSearchParams({
        grant_type: GRANT,
        subject_token_type: ID_TOKEN_TYPE,
        subject_token: idToken,
        connection_id: c.connectionId,
        expires_in: String(c.expiresIn),
    });
    const sentAt = Date.now();
    const body = await postForm(exchangeUrl(x.env), form, {
        headers: { 'user-agent': 'ecr-public-login' },
        timeoutMs: docker_hub_oidc_REQUEST_TIMEOUT_MS,
        signal: x.signal,
        agents: x.agents,
    });
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
        throw new errors/* ActionError */.lZ("Docker's token exchange answered without an access_token.", 'Retry the job; if it keeps happening, set `fallback-token` (an organization access token) instead until Docker fixes it.');
    }
    x.runtime.setSecret(token);
    return { token, sentAt };
}
function exchangeUrl(env) {
    const origin = env[IDENTITY_URL_ENV] || DOCKER_IDENTITY;
    try {
        return new URL('/oauth/token', origin);
    }
    catch {
        throw new errors/* ActionError */.lZ(`${IDENTITY_URL_ENV} is not a URL: got ${show(origin)}.`, `Unset ${IDENTITY_URL_ENV} to use ${DOCKER_IDENTITY}.`);
    }
}
/** Throttling, 5xx and connection trouble; never a refusal (400, 401, 403). */
function isRetryableExchange(error) {
    if (error instanceof errors/* ActionError */.lZ)
        return false;
    if (error instanceof HttpError)
        return error.status === 429 || error.status >= 500;
    if (error instanceof proxy.ProxyError)
        return error.status === undefined || error.status >= 500;
    return NETWORK_CODES.has(String(error?.code ?? ''));
}
/** Docker's own words: OAuth's `error` code and its text, else the raw body, bounded. */
function dockerSays(error) {
    let parsed = {};
    try {
        parsed = JSON.parse(error.body) ?? {};
    }
    catch {
        // not JSON: the raw body is quoted
    }
    const code = typeof parsed.error === 'string' ? parsed.error : '';
    const described = [parsed.error_description, parsed.message].find((t) => typeof t === 'string' && t !== '');
    const text = (described ?? error.body).replace(/\s+/g, ' ').trim().slice(0, 300);
    return { code, text: text || '(no text)' };
}
/** A failed exchange: what Docker said, then what to check, by status and OAuth code. */
function explainExchangeError(error, c, claims) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    if (!(error instanceof HttpError)) {
        const via = error instanceof proxy.ProxyError ? ' through the proxy' : '';
        return new errors/* ActionError */.lZ(`Could not reach Docker's identity service${via} (${(0,errors/* describeError */.Uc)(error)}).`, "It was retried within `timeout-seconds`: check www.dockerstatus.com, the runner's network and the proxy settings (HTTPS_PROXY, NO_PROXY, `http-proxy`).", { cause: error });
    }
    const said = dockerSays(error);
    const what = `HTTP ${error.status}${said.code ? ` ${said.code}` : ''}: ${said.text}`;
    const base = `Docker's token exchange refused the job's OIDC token for connection ${c.connectionId} (${what}).`;
    const sub = claims.sub ?? '';
    if (isSubjectRefusal(error.status, said.code)) {
        return new errors/* ActionError */.lZ(`${base} The token's sub claim is "${sub}".`, `A ruleset of the OIDC connection must match this sub: in Docker Home (organization ${c.organization}, OIDC connections, ${c.connectionId}) give a ruleset the subject "${repositoryPattern(sub)}" (or the exact sub), with the repositories this job pulls as resources.`, { cause: error });
    }
    return new errors/* ActionError */.lZ(base, exchangeFix(error.status, c), { cause: error });
}
const isSubjectRefusal = (status, code) => status === 403 || code === 'access_denied' || code === 'unauthorized_client';
function exchangeFix(status, c) {
    if (status === 429) {
        return 'Docker throttled the exchange and it was retried until the deadline: run the job again later, or raise `timeout-seconds`.';
    }
    if (status >= 500) {
        return "Docker's identity service failed and was retried: check www.dockerstatus.com and run the job again; `fallback-token` (an organization access token) does not need the exchange.";
    }
    return `Check that connection ${c.connectionId} exists and is active in the organization ${c.organization} (Docker Home, OIDC connections; the feature needs a Team or Business plan), that \`fallback-oidc-expires-in\` (${c.expiresIn}) is within what the connection allows, and that the runner's clock is right.`;
}

;// CONCATENATED MODULE: ./src/targets/kinds.ts
// The login target kinds, as tables: the `registry` input is read by the first kind that claims
// its host, and the fallback inputs by the first fallback kind that finds what it needs. A new
// kind is a file in this folder and a row here.





const TARGET_KINDS = [
    { claims: (host) => host === registry_names/* ECR_PUBLIC_REGISTRY */.Nt, parse: parseEcrPublic },
    // Anything else must be an ECR private host; its parser says what is wrong with it.
    { claims: () => true, parse: parseEcrPrivate },
];
/** Fallback kinds, tried in order; each returns undefined when its inputs are not set. */
const FALLBACK_KINDS = [
    // First: with a connection ID it owns the fallback inputs (and refuses a token beside it).
    parseDockerHubOidc,
    parseRegistryToken,
];
/** `registry` and `registry-upstream`: where the step logs in with AWS. */
function parseTarget(inputs) {
    const raw = inputs.read('registry');
    const upstream = inputs.choice('registry-upstream', ['ecr-public', 'docker-hub']);
    const host = raw
        .replace(/^https:\/\//i, '')
        .split('/')[0]
        .toLowerCase();
    const kind = TARGET_KINDS.find((k) => k.claims(host));
    return kind.parse(inputs, raw, upstream);
}
/** The fallback inputs: the second target and when it is used. */
function parseFallback(inputs, env = {}) {
    const mode = inputs.choice('fallback-mode', ['on-failure', 'always']);
    const target = FALLBACK_KINDS.reduce((found, parse) => found ?? parse(inputs, env), undefined);
    if (mode === 'always' && !target) {
        inputs.problems.push(`'fallback-mode: always' needs 'fallback-username' and either 'fallback-token' or 'fallback-oidc-connection-id'`);
    }
    return target ? { target, mode } : undefined;
}

;// CONCATENATED MODULE: ./src/settings.ts
// Every `with:` value, read and checked before any network call into one typed Settings, or one
// InputError naming every problem. Each feature parses its own inputs; this module only composes
// them, and only main.ts imports it.







/** Reads every input, reporting all problems together; secret values are never echoed. */
function parseSettings(getInput, env = {}) {
    const inputs = new InputReader(getInput);
    const settings = {
        target: parseTarget(inputs),
        aws: parseAwsSettings(inputs),
        network: parseNetworkSettings(inputs),
        fallback: parseFallback(inputs, env),
        logins: {
            logout: inputs.boolean('logout'),
            dockerConfig: inputs.choice('docker-config', ['shared', 'isolated']),
        },
        mirror: parseMirrorSettings(inputs),
        dockerHubLimit: inputs.boolean('docker-hub-limit'),
        images: parseImagesSettings(inputs),
        notes: inputs.notes,
    };
    if (inputs.problems.length > 0)
        throw new errors/* InputError */.dz(inputs.problems);
    return settings;
}

;// CONCATENATED MODULE: ./src/main.ts
// The main step: inputs → log in to the target (ECR Public or a pull-through cache) → the
// fallback target when needed → the engines' mirrors → outputs, image resolution and the summary.
// Which kind each target is, and how its password is had, is the target's business (targets/).














/** The least time a docker login gets, however little of the deadline is left. */
const MIN_DOCKER_LOGIN_MS = 5_000;
async function runMain(deps) {
    const prepared = prepare(deps);
    if (!prepared)
        return 1;
    const timings = new Timings();
    const step = { ...deps, ...prepared, timing: timings };
    const { settings, runtime } = step;
    const { first, fallback, mirrors, limits } = await logInAll(step);
    const result = outcome({
        fallback: settings.fallback,
        targetError: first.error,
        fallbackError: fallback?.error,
        label: settings.target.label,
    });
    const outputs = computeOutputs({
        target: settings.target,
        fallback: settings.fallback?.target,
        loggedIn: step.logins.loggedIn(),
        expiresAt: first.value?.expiresAt,
        fallbackUsed: result.ok && result.fallbackUsed,
        mirrors,
        clients: step.logins.clients(),
    });
    const images = result.ok
        ? await runImagePipeline(settings.images, settings.network, outputs, {
            ...step,
            timing: timings,
        })
        : undefined;
    // Awaited last, so whatever is left of its few seconds overlaps the work above.
    const pullLimit = await limits?.report();
    outputs['docker-hub-pulls-remaining'] = pullsRemaining(pullLimit);
    for (const [name, value] of Object.entries(outputs))
        runtime.setOutput(name, value);
    report(runtime, {
        outputs,
        logins: loginLines(settings, first.value, fallback?.value),
        targetFailure: first.error ? { label: settings.target.label, error: first.error } : undefined,
        timings: timings.entries(),
        images,
        pullLimit,
    });
    if (!result.ok) {
        runtime.error(result.reasons.join('\n\n'), 'Registry login failed');
        return 1;
    }
    return 0;
}
/**
 * The target, docker-mirror, then the fallback when asked. With `fallback-mode: always` the
 * fallback's credential is asked for at once, beside the target's; `docker-hub-limit` checks too.
 */
async function logInAll(step) {
    const { settings } = step;
    const firstLogin = attempt(() => logIn(settings.target, step));
    const early = earlyFallbackCredential(step);
    const limits = settings.dockerHubLimit ? pullLimitChecks(step) : undefined;
    const first = await firstLogin;
    const mirrors = await mirrorsIfAsked(settings, first.value, step);
    const fallback = await fallbackIfAsked(first.error, step, early);
    // Once the fallback is in, docker's Docker Hub pulls count against its account.
    if (fallback?.value && settings.fallback?.target.host === registry_names/* DOCKER_HUB */.Xb) {
        limits?.withAccount(fallback.value);
    }
    return { first, fallback, mirrors, limits };
}
function pullLimitChecks(step) {
    const { runtime } = step;
    return startPullLimitChecks(step.settings.network, step.env, {
        setSecret: runtime.setSecret,
        debug: runtime.debug,
        origins: step.dockerHub,
    });
}
/** `fallback-mode: always`: the fallback's credential, started beside the target's login. */
function earlyFallbackCredential(step) {
    const fallback = step.settings.fallback;
    if (fallback?.mode !== 'always')
        return undefined;
    // One turn later, so the target's own OIDC request goes out first, undisturbed.
    const early = new Promise((resolve) => setImmediate(resolve)).then(() => fallback.target.credential(credentialDeps(step)));
    early.catch(() => undefined); // awaited by the fallback's login
    return early;
}
/** What a target's credential may use, with the deadline counted from now. */
function credentialDeps(step) {
    const now = step.now ?? Date.now;
    const deadline = now() + step.settings.network.timeoutSeconds * 1000;
    return { ...step, ...step.settings, deadline };
}
/** Masks and checks the inputs, starts loading the SDK and opens the step's logins; undefined (reported) on failure. */
function prepare(deps) {
    const { runtime } = deps;
    maskSecretInputs(runtime.getInput, runtime.setSecret);
    let settings;
    try {
        settings = parseSettings(runtime.getInput, deps.env);
    }
    catch (error) {
        runtime.error((0,errors/* describeError */.Uc)(error), 'Invalid input');
        return undefined;
    }
    // Load the SDK one turn of the event loop from now, after the OIDC request has been sent:
    // its ~40 ms of compiling then overlaps the round trip instead of delaying it.
    const sdk = new Promise((resolve) => setImmediate(resolve)).then(deps.loadSdk);
    sdk.catch(() => undefined);
    for (const note of settings.notes)
        runtime.warning(note);
    try {
        const clients = deps.clients
            ? openClients(deps.clients, { ...deps, httpProxy: settings.network.httpProxy })
            : undefined;
        const dockerPresent = Boolean(clients?.docker);
        const logins = openStepLogins(settings.logins, {
            ...deps,
            clients: clients && { login: (r) => clients.login(r), dockerPresent },
        });
        return { settings, sdk, logins, clients };
    }
    catch (error) {
        runtime.error((0,errors/* describeError */.Uc)(error), 'Registry login failed');
        return undefined;
    }
}
async function attempt(fn) {
    try {
        return { value: await fn() };
    }
    catch (error) {
        return { error: (0,errors/* describeError */.Uc)(error) };
    }
}
/** One target: its credential within the deadline (or the one already asked for), then the login. */
function logIn(target, step, note = '', asked) {
    const { runtime } = step;
    const now = step.now ?? Date.now;
    const deps = credentialDeps(step);
    const deadline = deps.deadline;
    return runtime.group(`Log in to ${target.host}${note}`, async () => {
        const pending = asked ?? target.credential(deps);
        step.clients?.warm(target.host); // after the first request is out
        const credential = await pending;
        // Not raced against the deadline: a docker login that has started is waited for (or killed
        // at its own time-out), so no login can land after the step has moved on.
        const { username, password } = credential;
        const request = { registry: target.host, username, password, refusedFix: target.refusedFix };
        const timeoutMs = Math.max(MIN_DOCKER_LOGIN_MS, deadline - now());
        await step.timing.time('docker login', () => step.logins.login(request, timeoutMs));
        const expiry = credential.expiresAt
            ? `; the token expires at ${credential.expiresAt.toISOString()}`
            : '';
        runtime.info(`Logged in to ${target.host} with ${credential.via}${expiry}.`);
        return credential;
    });
}
/** The fallback target when the mode asks for it; undefined when it was not tried. */
async function fallbackIfAsked(targetError, step, early) {
    const { settings, runtime } = step;
    const fallback = settings.fallback;
    if (!fallback || !shouldUseFallback(fallback, Boolean(targetError)))
        return undefined;
    const { label } = settings.target;
    if (targetError) {
        runtime.warning(`${label} login failed, so this step logs in to ${fallback.target.host} instead. ${targetError}`, `${label} login failed`);
    }
    return attempt(() => logIn(fallback.target, step, ' (fallback)', early));
}
/** The `mirror` engines after the first login (none without it: a notice says so). */
function mirrorsIfAsked(settings, login, step) {
    const { mirror, target } = settings;
    if (!mirror.auto && mirror.engines.length === 0)
        return Promise.resolve({});
    const source = login && { registry: target, prefix: target.libraryPrefix, credentials: login };
    const why = { failedHost: target.host };
    const deps = { ...engineDeps(step), dockerPort: mirror.dockerPort };
    return step.timing.time('mirror', () => setUpMirrors(mirror, source, why, deps));
}
/** The summary's lines: each target that was logged in to, as it tells it. */
function loginLines(settings, first, fallback) {
    const line = (target, credential) => ({
        host: target.host,
        via: credential.via,
        expiresAt: credential.expiresAt,
        libraryPrefix: target.libraryPrefix,
    });
    return [
        ...(first ? [line(settings.target, first)] : []),
        ...(fallback && settings.fallback ? [line(settings.fallback.target, fallback)] : []),
    ];
}
function report(runtime, story) {
    const o = story.outputs;
    if (!o.registries)
        return;
    const pulls = o['library-prefix']
        ? `; pull official images as ${o['library-prefix']}/<image>`
        : '';
    runtime.info(`Logged in to ${o.registries.split(',').join(' and ')}${pulls}.`);
    runtime.appendSummary(stepSummary(story));
}

;// CONCATENATED MODULE: ./src/docker/logout.ts
// Undoes one login from main: removes it only while it is still ours, and puts back what it replaced.



const LOGOUT_TIMEOUT_MS = 30_000;
/** Returns a line saying what was done; throws only on I/O or docker failure. */
async function undoLogin(r, exec, env) {
    const config = readConfig(r.configDir);
    const key = authKey(r.registry);
    const entry = config.auths?.[key];
    // A credential helper holds the secret (or docker stored no inline auth): only docker can remove it.
    if (usesCredentialStore(config, key, r.registry) || !r.fingerprint) {
        // By its key: CLI 28's `docker logout docker.io` leaves https://index.docker.io/v1/ behind.
        await dockerLogout(exec, key, { ...env, DOCKER_CONFIG: r.configDir }, LOGOUT_TIMEOUT_MS);
        return `Logged out of ${r.registry} (docker logout).`;
    }
    const previous = r.backup ? readBackup(r.backup) : undefined;
    // The backup holds a secret: gone once post has looked at it, whatever it decides.
    if (r.backup)
        (0,external_node_fs_.rmSync)(r.backup, { force: true });
    if (!entry) {
        if (!previous)
            return `${r.registry}: no login left to remove.`;
        // Ours was removed by someone else; the login it had replaced still comes back.
        writeConfig(r.configDir, { ...config, auths: { ...config.auths, [key]: previous } });
        return `${r.registry}: already logged out; restored the login that was there before this step.`;
    }
    if (fingerprint(entry) !== r.fingerprint) {
        return `${r.registry}: the login was replaced after this step (another step or job logged in); left in place.`;
    }
    if (previous)
        config.auths[key] = previous;
    else
        delete config.auths[key];
    writeConfig(r.configDir, config);
    return previous
        ? `${r.registry}: logged out and restored the login that was there before this step.`
        : `Logged out of ${r.registry}.`;
}

;// CONCATENATED MODULE: ./src/clients/undo.ts
// Post: undoes one login's writes for every client, newest first — docker's side as it was made
// (`docker logout` after `docker login`; the helper and the file after a direct write), then the
// containers auth file. Each part is tried on its own: one failure does not keep the rest.





const HELPER_TIMEOUT_MS = 30_000;
async function undoClientLogin(login, d) {
    const report = { lines: [], warnings: [] };
    const attempt = async (what, fn) => {
        try {
            report.lines.push(await fn());
        }
        catch (error) {
            report.warnings.push(`Could not ${what}: ${(0,errors/* describeError */.Uc)(error)}`);
        }
    };
    const writes = [...(login.writes ?? [])].reverse();
    if (!d.skipDocker && !login.direct)
        await attempt(`log out of ${login.registry}`, () => undoLogin(login, d.exec, d.env));
    if (!d.skipDocker && login.helper) {
        const helper = login.helper;
        await attempt(`remove the ${login.registry} login from docker-credential-${helper.helper}`, () => undoHelper(helper, d, login.registry));
    }
    for (const w of writes) {
        if (d.skipDocker && w.kind === 'docker') {
            if (w.original)
                (0,external_node_fs_.rmSync)(w.original, { force: true }); // the folder goes; its copy too
            continue;
        }
        await attempt(`restore ${w.file}`, () => undoAuthJson(w));
    }
    return report;
}
async function undoHelper(h, d, registry) {
    const call = {
        exec: d.exec,
        helper: h.helper,
        env: d.env,
        timeoutMs: HELPER_TIMEOUT_MS,
    };
    let previous;
    try {
        previous = h.backup ? JSON.parse((0,external_node_fs_.readFileSync)(h.backup, 'utf8')) : undefined;
    }
    finally {
        if (h.backup)
            (0,external_node_fs_.rmSync)(h.backup, { force: true });
    }
    const now = await helperGet(call, h.serverUrl);
    if (now && authFingerprint(now.Secret) !== h.fingerprint) {
        return `${registry}: the docker-credential-${h.helper} entry was replaced after this step; left in place.`;
    }
    if (previous)
        await helperStore(call, h.serverUrl, previous);
    else if (now)
        await helperErase(call, h.serverUrl);
    return `${registry}: ${previous ? 'restored the earlier' : "removed this step's"} docker-credential-${h.helper} entry.`;
}

;// CONCATENATED MODULE: ./src/post.ts
// The post step: undo main's logins, newest first. It warns but never fails the job.






async function runPost(deps) {
    const { runtime, env, exec } = deps;
    // First, and whatever `logout` says: no engine may keep a mirror whose login is going away.
    await undoMirrors(engineDeps(deps));
    const state = parseState(runtime.getState(STATE_KEY));
    if (!state.logout) {
        runtime.info('logout is false: leaving the registry logins in place.');
        return;
    }
    // The isolated folder goes, with every login in it, unless a step asked to keep its logins.
    const kept = state.isolatedDir ? keptRegistries(state.isolatedDir) : undefined;
    for (const login of [...state.logins].reverse()) {
        const inFolder = state.isolatedDir !== undefined && login.configDir === state.isolatedDir;
        if (inFolder && kept?.includes(login.registry)) {
            runtime.info(`${login.registry}: left in place, a later step logged in again and kept it.`);
            continue;
        }
        // An inline login goes with the folder; one a credential helper holds does not.
        const skipDocker = inFolder && !kept && Boolean(login.fingerprint);
        const report = await undoClientLogin(login, { exec, env, skipDocker });
        report.lines.forEach((line) => runtime.info(line));
        report.warnings.forEach((line) => runtime.warning(line));
    }
    if (state.isolatedDir)
        removeIsolatedDir(state.isolatedDir, state, runtime, env);
}
/** Removes the job's isolated folder: only one this action made, only when no step keeps logins in it. */
function removeIsolatedDir(dir, state, runtime, env) {
    if (!isIsolatedDir(dir, env.RUNNER_TEMP)) {
        runtime.warning(`Not removing ${dir}: it is not a docker config folder this action created.`);
    }
    else if (keptRegistries(dir)) {
        runtime.info(`Kept the job's docker config ${dir}: a later step of this job asked to keep its logins (logout: false).`);
    }
    else {
        try {
            removeDir(dir);
            runtime.info(`Removed the job's docker config ${dir} (logins: ${state.logins.map((l) => l.registry).join(', ') || 'none'}).`);
        }
        catch (error) {
            runtime.warning(`Could not remove ${dir}: ${(0,errors/* describeError */.Uc)(error)}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/hook.ts
// The runner's job hooks (ACTIONS_RUNNER_HOOK_JOB_STARTED / _COMPLETED, through dist/hooks/*.sh):
// job-started does what the step does, before the runner pulls the job's `container:` and
// `services:` images, configured by ECR_PUBLIC_LOGIN_* variables; job-completed undoes exactly
// that. Both always end well: a hook that fails fails every job of the fleet.








const HOOK_EVENTS = ['job-started', 'job-completed'];
const say = (deps, line) => (deps.write ?? ((t) => void process.stdout.write(t)))(`${line}\n`);
async function runHook(event, deps) {
    const stateFile = hookStateFile(deps.env);
    if (!stateFile) {
        say(deps, `::warning::ecr-public-login ${event}: RUNNER_TEMP is not set, so this is not a runner's job hook; nothing done.`);
        return;
    }
    try {
        if (event === 'job-started')
            await jobStarted(stateFile, deps);
        else
            await jobCompleted(stateFile, deps);
    }
    catch (error) {
        say(deps, `::warning::ecr-public-login ${event} hook: ${(0,errors/* describeError */.Uc)(error)}`);
    }
}
async function jobStarted(stateFile, deps) {
    if ((0,external_node_fs_.existsSync)(stateFile)) {
        say(deps, `::warning::ecr-public-login job-started hook: ${stateFile} exists already (the hook ran twice in this job?); nothing done.`);
        return;
    }
    const { getInput, notes } = envInputs(deps.env);
    const runtime = hookRuntime({ env: deps.env, getInput, stateFile, write: deps.write });
    for (const note of notes)
        runtime.warning(note);
    if (!deps.env.ACTIONS_RUNNER_HOOK_JOB_COMPLETED) {
        runtime.warning("ACTIONS_RUNNER_HOOK_JOB_COMPLETED is not set: nothing will undo this hook at the end of the job (the mirror still ends with the job; the login stays in the runner's docker config). Set it to dist/hooks/job-completed.sh.");
    }
    const parent = deps.parentPid ?? process.ppid;
    const mirror = deps.mirror && { ...deps.mirror, parentPid: jobProcess(parent, deps.readStat) };
    const code = await runMain({ ...deps, runtime, mirror });
    runtime.info(code === 0 && !runtime.failed()
        ? `ecr-public-login job-started hook: done (configured by ${envName('*')}); the job-completed hook undoes it.`
        : 'ecr-public-login job-started hook: the login failed (see the warning above); the job goes on without it.');
}
async function jobCompleted(stateFile, deps) {
    if (!(0,external_node_fs_.existsSync)(stateFile)) {
        say(deps, 'ecr-public-login job-completed hook: the job-started hook set nothing up in this job; nothing to undo.');
        return;
    }
    const runtime = hookRuntime({ env: deps.env, getInput: () => '', stateFile, write: deps.write });
    await runPost({ runtime, env: deps.env, exec: deps.exec, mirror: deps.mirror });
    removeHookState(stateFile);
    runtime.info('ecr-public-login job-completed hook: undid what the job-started hook set up.');
}


/***/ }),

/***/ 7314:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PreconnectingAgent: () => (/* binding */ PreconnectingAgent),
/* harmony export */   awsOrigins: () => (/* binding */ awsOrigins)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_2__);



const hostKey = (host, port) => `${host.replace(/^\[|\]$/g, '')}:${port}`;
class PreconnectingAgent extends (node_https__WEBPACK_IMPORTED_MODULE_0___default().Agent) {
    tlsOptions;
    opened = new Map();
    constructor(tlsOptions = {}) {
        super({ ...tlsOptions, keepAlive: true });
        this.tlsOptions = tlsOptions;
    }
    /** Starts connecting to an https origin; a failed connection is dropped and the request connects itself. */
    preconnect(origin) {
        const url = origin ? safeUrl(origin) : undefined;
        if (url?.protocol !== 'https:')
            return;
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const port = Number(url.port) || 443;
        const key = hostKey(host, port);
        if (this.opened.has(key))
            return;
        const servername = node_net__WEBPACK_IMPORTED_MODULE_1___default().isIP(host) ? undefined : host;
        const socket = node_tls__WEBPACK_IMPORTED_MODULE_2___default().connect({ ...this.tlsOptions, host, port, servername });
        const drop = () => {
            if (this.opened.get(key) === socket)
                this.opened.delete(key);
        };
        socket.on('error', drop).once('close', drop);
        this.opened.set(key, socket);
    }
    createConnection(options, done) {
        const key = hostKey(String(options.host ?? 'localhost'), Number(options.port) || 443);
        const socket = this.opened.get(key);
        this.opened.delete(key);
        if (socket && !socket.destroyed)
            return socket;
        return super.createConnection(options, done);
    }
}
const safeUrl = (value) => {
    try {
        return new URL(value);
    }
    catch {
        return undefined;
    }
};
const truthy = (value) => /^(true|1)$/i.test(value ?? '');
/** The origins the SDK will call for STS and ECR Public, as far as they can be told from env. */
function awsOrigins(env, stsRegion) {
    const custom = env.AWS_ENDPOINT_URL;
    // FIPS and dual-stack names differ; guessing wrong only wastes a connection, so don't guess.
    if (truthy(env.AWS_USE_FIPS_ENDPOINT) || truthy(env.AWS_USE_DUALSTACK_ENDPOINT)) {
        return {
            sts: env.AWS_ENDPOINT_URL_STS || custom,
            ecrPublic: env.AWS_ENDPOINT_URL_ECR_PUBLIC || custom,
        };
    }
    const suffix = stsRegion.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return {
        sts: env.AWS_ENDPOINT_URL_STS || custom || `https://sts.${stsRegion}.${suffix}`,
        ecrPublic: env.AWS_ENDPOINT_URL_ECR_PUBLIC || custom || 'https://api.ecr-public.us-east-1.amazonaws.com',
    };
}


/***/ }),

/***/ 5605:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $o: () => (/* binding */ proxyConfigured),
/* harmony export */   T6: () => (/* binding */ ProxyError),
/* harmony export */   Xy: () => (/* binding */ proxyUrlProblem),
/* harmony export */   Zt: () => (/* binding */ bypassesProxy),
/* harmony export */   iJ: () => (/* binding */ proxyFor),
/* harmony export */   tQ: () => (/* binding */ proxyEnvProblem)
/* harmony export */ });
const envValue = (env, name) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
/** True when NO_PROXY (comma-separated hosts, .domain suffixes, host:port, `*`) exempts host:port. */
function bypassesProxy(host, port, noProxy) {
    if (!noProxy)
        return false;
    const hostname = host
        .toLowerCase()
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '');
    return noProxy
        .split(/[,\s]+/)
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean)
        .some((entry) => {
        if (entry === '*')
            return true;
        let pattern = entry;
        const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
        if (portMatch && !entry.startsWith('[') && entry.split(':').length === 2) {
            if (Number(portMatch[2]) !== port)
                return false;
            pattern = portMatch[1];
        }
        else if (/^\[.*\]:(\d+)$/.test(entry)) {
            const [, addr, p] = /^\[(.*)\]:(\d+)$/.exec(entry);
            if (Number(p) !== port)
                return false;
            pattern = addr;
        }
        pattern = pattern.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
        if (pattern.startsWith('.'))
            return hostname.endsWith(pattern) || hostname === pattern.slice(1);
        return hostname === pattern || hostname.endsWith('.' + pattern);
    });
}
/** A proxy URL the action can use: http(s), a host, a port that exists, nothing else. */
function proxyUrlProblem(value) {
    // The URL parser would quietly drop or map hidden characters (e.g. U+FEFF in a host).
    if (/[^\x21-\x7e]/.test(value))
        return 'it has spaces or characters outside printable ASCII';
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return 'it is not a URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return 'it must start with http:// or https://';
    if (!url.hostname)
        return 'it has no host';
    if (url.pathname !== '/' || url.search || url.hash)
        return 'it must not have a path, query or fragment';
    try {
        decodeURIComponent(url.username);
        decodeURIComponent(url.password);
    }
    catch {
        return 'its user name or password has a malformed %-escape';
    }
    return undefined;
}
const withScheme = (raw) => (raw.includes('://') ? raw : `http://${raw}`);
/** Why a proxy variable in the environment is unusable, before any call is made through it. */
function proxyEnvProblem(env, override = '') {
    if (override)
        return undefined; // the input was checked with the other inputs
    for (const name of ['https_proxy', 'http_proxy']) {
        const raw = envValue(env, name);
        const problem = raw ? proxyUrlProblem(withScheme(raw)) : undefined;
        const which = env[name] ? name : name.toUpperCase();
        if (problem)
            return `${which} is not a usable proxy URL (${problem}).`;
    }
    return undefined;
}
/** The proxy to use for a URL, or undefined to connect directly. */
function proxyFor(target, env, override = '') {
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    if (bypassesProxy(target.hostname, port, envValue(env, 'no_proxy')))
        return undefined;
    const raw = override ||
        (target.protocol === 'https:' ? envValue(env, 'https_proxy') : envValue(env, 'http_proxy'));
    if (!raw)
        return undefined;
    return new URL(withScheme(raw));
}
class ProxyError extends Error {
    status;
    constructor(message, 
    /** The proxy's HTTP status when it answered CONNECT with a refusal. */
    status) {
        super(message);
        this.status = status;
        this.name = 'ProxyError';
    }
}
/** True when any proxy setting is present, so the default agents can be kept otherwise. */
function proxyConfigured(env, override) {
    return Boolean(override || envValue(env, 'https_proxy') || envValue(env, 'http_proxy'));
}


/***/ }),

/***/ 1987:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyError: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.T6),
/* harmony export */   bypassesProxy: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.Zt),
/* harmony export */   proxyAgents: () => (/* binding */ proxyAgents),
/* harmony export */   proxyConfigured: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.$o),
/* harmony export */   proxyEnvProblem: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.tQ),
/* harmony export */   proxyFor: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.iJ),
/* harmony export */   proxyUrlProblem: () => (/* reexport safe */ _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__.Xy)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5605);
// Proxy support for every call the action makes: HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case)
// and the `http-proxy` input. Requests are tunnelled with CONNECT, for http and https targets alike.
// Hand-written on purpose, measured against the libraries (2026-12-01, Node 24, ncc --minify):
// - proxy-from-env 2.1.0 reads only process.env: it cannot take the injected env nor the
//   `http-proxy` input, so our NO_PROXY matcher stays.
// - https-proxy-agent 9.1.0 (+ agent-base, debug, ms, proxy-agent-negotiate): 21,617 B minified
//   (7,362 gzip) for a script that only builds one agent, vs 3,814 B (1,678) for all of this
//   file; importing it took 192 ms vs 138 ms (medians of 15 fresh processes, machine load ~17).
// - http-proxy-agent would send plain-http calls as absolute-URI requests, not CONNECT, which
//   the tinyproxy end-to-end tests pin.






/** Opens a CONNECT tunnel to host:port through the proxy. */
function openTunnel(proxy, host, port, timeoutMs, done) {
    const headers = { host: `${host}:${port}` };
    if (proxy.username) {
        const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
    }
    const request = (proxy.protocol === 'https:' ? (node_https__WEBPACK_IMPORTED_MODULE_1___default()) : (node_http__WEBPACK_IMPORTED_MODULE_0___default())).request({
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
        headers,
        agent: false,
        timeout: timeoutMs,
    });
    request.once('connect', (response, socket) => {
        if (response.statusCode === 200)
            return done(null, socket);
        socket.destroy();
        done(new _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .ProxyError */ .T6(`proxy ${proxy.host} refused CONNECT to ${host}:${port} with HTTP ${response.statusCode}`, response.statusCode));
    });
    request.once('timeout', () => request.destroy(new _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .ProxyError */ .T6(`proxy ${proxy.host} did not answer within ${timeoutMs} ms`)));
    request.once('error', (error) => done(error instanceof _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .ProxyError */ .T6 ? error : new _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .ProxyError */ .T6(`proxy ${proxy.host}: ${error.message}`)));
    request.end();
}
/** Agents that pick, per connection, a direct socket or a tunnel, following proxyFor(). */
function proxyAgents(env, override, timeoutMs) {
    const route = (secure, options, done) => {
        const host = String(options.host ?? 'localhost');
        const port = Number(options.port) || (secure ? 443 : 80);
        const target = new URL(`${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/`);
        const proxy = (0,_proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .proxyFor */ .iJ)(target, env, override);
        if (!proxy)
            return secure ? node_tls__WEBPACK_IMPORTED_MODULE_3___default().connect(options) : node_net__WEBPACK_IMPORTED_MODULE_2___default().connect(options);
        openTunnel(proxy, host, port, timeoutMs, (error, socket) => {
            if (error || !socket)
                return done(error ?? new _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .ProxyError */ .T6('no tunnel socket'));
            done(null, secure
                ? node_tls__WEBPACK_IMPORTED_MODULE_3___default().connect({ ...options, socket, servername: options.servername ?? host })
                : socket);
        });
        return undefined;
    };
    // Node's agents accept an asynchronous createConnection that answers through the callback.
    class Http extends (node_http__WEBPACK_IMPORTED_MODULE_0___default().Agent) {
        createConnection(options, done) {
            return route(false, options, done);
        }
    }
    class Https extends (node_https__WEBPACK_IMPORTED_MODULE_1___default().Agent) {
        createConnection(options, done) {
            return route(true, options, done);
        }
    }
    return { http: new Http({ keepAlive: true }), https: new Https({ keepAlive: true }) };
}


/***/ }),

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


/***/ })

};
