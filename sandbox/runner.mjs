// @ts-check
// Runner emulator: runs a JavaScript action's `main`/`post` the way the GitHub runner does
// (env, inputs, file commands, stdout/stderr workflow commands, masks, post-if), and records
// what a test needs to judge it: outputs, state, annotations, docker calls and secret leaks.
// Semantics follow actions/runner (ActionRunner, NodeScriptActionHandler, ActionCommand,
// ActionCommandManager, FileCommandManager); deliberate differences are listed on runStep.
// Cost: no process besides the action's node; each docker call goes through one dash script.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
// Sync fs on purpose: a step touches ~15 tiny files, and sync calls cost a third of the
// promise API's thread-pool round trips (≈1 ms vs ≈3 ms per step, measured).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseYaml } from 'yaml';

/**
 * @typedef {{ requestUrl: string, requestToken: string }} IdToken
 * @typedef {Record<string, string | number | boolean | undefined>} Inputs
 * @typedef {{
 *   actionDir: string,
 *   phase: 'main' | 'post',
 *   with?: Inputs,
 *   env?: Record<string, string | undefined>,
 *   idToken?: IdToken,
 *   state?: Record<string, string>,
 *   debug?: boolean,
 *   nodePath?: string,
 *   workDir?: string,
 *   keepWorkDir?: boolean,
 *   secrets?: string[],
 *   recordDocker?: boolean,
 *   measureRss?: boolean,
 *   timeoutMs?: number,
 *   toolCache?: string,
 * }} StepOptions
 * @typedef {{ message: string, properties: Record<string, string> }} Annotation
 * @typedef {{ error: Annotation[], warning: Annotation[], notice: Annotation[] }} Annotations
 * @typedef {{ argv: string[], stdinBytes: number | null, exitCode: number | null }} DockerCall
 * @typedef {{ where: string, secret: string, kind: string, detail: string }} Leak
 * @typedef {{
 *   phase: 'main' | 'post', exitCode: number, signal: string | null, timedOut: boolean,
 *   durationMs: number, peakRssKb?: number, stdout: string, stderr: string,
 *   lines: string[], stderrLines: string[], outputs: Record<string, string>,
 *   state: Record<string, string>, exportedEnv: Record<string, string>, path: string[],
 *   summary: string, annotations: Annotations, debugLines: string[], groups: string[],
 *   masks: string[], failed: boolean, dockerCalls: DockerCall[], leaks: Leak[],
 *   env: Record<string, string>, workDir: string,
 * }} StepResult
 * @typedef {{
 *   using: string, main: string, post?: string, postIf: string,
 *   inputs: { name: string, default?: unknown, deprecationMessage?: string }[],
 * }} ActionDef
 */

const DEFAULT_TIMEOUT_MS = 60_000;
// Grace for stdio to close after the process exits (a grandchild may still hold the pipes).
const CLOSE_GRACE_MS = 1_000;
const DEPRECATED_COMMAND =
  'The `%s` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const DISABLED_COMMAND =
  'The `%s` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';
/** Every workflow command the runner knows (exported for the e2e injection checks). */
export const REGISTERED_COMMANDS = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
];
// File command name (as in the runner's error messages) → file name prefix.
const FILE_COMMANDS = {
  path: 'add_path_',
  env: 'set_env_',
  step_summary: 'step_summary_',
  state: 'save_state_',
  output: 'set_output_',
};
// Env the runner derives from the github/runner contexts; options.env may override these.
const CONTEXT_ENV = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'octo-org/app',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_RUN_ID: '1658821493',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'ci',
  GITHUB_JOB: 'build',
  GITHUB_ACTION: '__octo-org_ecr-public-login',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: 'GitHub Actions 1',
  RUNNER_ENVIRONMENT: 'github-hosted',
};

// ---------------------------------------------------------------------------------------------
// action.yml

/** @type {Map<string, { mtimeMs: number, action: ActionDef }>} */
const actionCache = new Map();

/**
 * Reads action.yml (or action.yaml) the way ActionManifestManager does for node actions.
 * Parsed manifests are cached per file and modification time.
 * @param {string} actionDir
 * @returns {ActionDef}
 */
export function loadAction(actionDir) {
  let file = join(actionDir, 'action.yml');
  let stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    file = join(actionDir, 'action.yaml');
    stat = statSync(file);
  }
  const cached = actionCache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.action;
  const action = parseAction(readFileSync(file, 'utf8'));
  actionCache.set(file, { mtimeMs: stat.mtimeMs, action });
  return action;
}

/**
 * @param {string} text
 * @returns {ActionDef}
 */
function parseAction(text) {
  const doc = parseYaml(text) ?? {};
  const runs = doc.runs ?? {};
  if (!/^node\d+$/i.test(String(runs.using ?? ''))) {
    throw new Error(`runner.mjs runs only JavaScript actions, got runs.using '${runs.using}'`);
  }
  if (!runs.main) throw new Error('Entry javascript file is not provided.');
  /** @type {[string, any][]} */
  const entries = Object.entries(doc.inputs ?? {});
  const inputs = entries.map(([name, meta]) => ({
    name,
    default: meta && 'default' in meta ? meta.default : undefined,
    deprecationMessage: meta?.deprecationMessage,
  }));
  return {
    using: String(runs.using),
    main: String(runs.main),
    post: runs.post ? String(runs.post) : undefined,
    postIf: runs['post-if'] ? String(runs['post-if']) : 'always()',
    inputs,
  };
}

/**
 * A `with:` value or a manifest default as the runner stringifies it (YAML null → '').
 * @param {unknown} value
 */
function inputString(value) {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * INPUT_* env plus the runner's warnings. Every declared input is set (to '' when it has no
 * default: ActionManifestManager gives such inputs an empty default), like the real runner.
 * @param {ActionDef} action
 * @param {Inputs} given
 */
export function resolveInputs(action, given) {
  /** @type {Record<string, string>} */
  const values = {};
  const seen = new Set();
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    values[name] = inputString(value);
    seen.add(name.toLowerCase());
  }
  const declared = new Set(action.inputs.map((i) => i.name.toLowerCase()));
  const warnings = [];
  for (const input of action.inputs) {
    if (seen.has(input.name.toLowerCase())) {
      if (input.deprecationMessage) {
        warnings.push(
          `Input '${input.name}' has been deprecated with message: ${input.deprecationMessage}`,
        );
      }
      continue;
    }
    values[input.name] = inputString(input.default);
  }
  const unexpected = Object.keys(values).filter((n) => !declared.has(n.toLowerCase()));
  if (unexpected.length > 0) {
    const valid = action.inputs.map((i) => i.name).join("', '");
    warnings.push(
      `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${valid}']`,
    );
  }
  /** @type {Record<string, string>} */
  const env = {};
  for (const [name, value] of Object.entries(values)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return { env, warnings };
}

// ---------------------------------------------------------------------------------------------
// Workflow commands on stdout/stderr

/**
 * Sequential replace, in the runner's order: `%250A` decodes to `%0A`, not to a newline.
 * @param {string} s
 * @param {[string, string][]} mappings
 */
function unescapeWith(s, mappings) {
  let out = s;
  for (const [from, to] of mappings) out = out.split(from).join(to);
  return out;
}
/** @type {[string, string][]} */
const DATA_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
/** @type {[string, string][]} */
const PROPERTY_ESCAPES = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
/** @type {[string, string][]} */
const V1_ESCAPES = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

/**
 * Parses one output line as a workflow command (`::cmd k=v::data`, or the legacy
 * `##[cmd k=v;]data` anywhere in the line). Command names match case-insensitively.
 * @param {string} line
 * @param {Set<string>} registered lower-cased command names
 * @returns {{ name: string, properties: Record<string, string>, data: string } | null}
 */
export function parseWorkflowCommand(line, registered) {
  return parseV2(line, registered) ?? parseV1(line, registered);
}

/**
 * @param {string} line
 * @param {Set<string>} registered
 */
function parseV2(line, registered) {
  const message = line.trimStart();
  if (!message.startsWith('::')) return null;
  const end = message.indexOf('::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return null;
  const properties = space > 0 ? splitProperties(info.slice(space + 1).trim(), ',') : {};
  for (const key of Object.keys(properties)) {
    properties[key] = unescapeWith(properties[key], PROPERTY_ESCAPES);
  }
  return { name, properties, data: unescapeWith(message.slice(end + 2), DATA_ESCAPES) };
}

/**
 * @param {string} line
 * @param {Set<string>} registered
 */
function parseV1(line, registered) {
  const start = line.indexOf('##[');
  if (start < 0) return null;
  const close = line.indexOf(']', start);
  if (close < 0) return null;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return null;
  const properties = space > 0 ? splitProperties(info.slice(space + 1), ';') : {};
  for (const key of Object.keys(properties)) {
    properties[key] = unescapeWith(properties[key], V1_ESCAPES);
  }
  return { name, properties, data: unescapeWith(line.slice(close + 1), V1_ESCAPES) };
}

/**
 * `a=1,b=2` → {a:'1',b:'2'}; like .NET Split with RemoveEmptyEntries, so `k=` is dropped.
 * @param {string} text
 * @param {string} separator
 */
function splitProperties(text, separator) {
  /** @type {Record<string, string>} */
  const props = {};
  for (const part of text.split(separator)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key && value) props[key] = value;
  }
  return props;
}

/**
 * One step's command processor, shared by stdout and stderr like the runner's single
 * ActionCommandManager (stop-commands and echo state span both streams).
 * @param {{ debug: boolean, allowUnsecure: boolean }} opts
 */
function createCommandProcessor(opts) {
  const registered = new Set(REGISTERED_COMMANDS);
  const ctx = {
    /** @type {string | null} */
    stopToken: null,
    echo: opts.debug,
    failed: false,
    /** @type {{ stdout: string[], stderr: string[] }} */
    lines: { stdout: [], stderr: [] },
    /**
     * Every line as printed by the process, for the leak scan; add-mask lines are flagged.
     * @type {{ stream: 'stdout' | 'stderr', text: string, addMask: boolean }[]}
     */
    raw: [],
    /** @type {Annotations} */
    annotations: { error: [], warning: [], notice: [] },
    /** @type {string[]} */
    debugLines: [],
    /** @type {string[]} */
    groups: [],
    /** @type {string[]} */
    masks: [],
    /** @type {Record<string, string>} */
    outputs: {},
    /** @type {Record<string, string>} */
    state: {},
  };

  /**
   * A message the runner itself logs as an annotation (not from the action's output).
   * @param {'error' | 'warning' | 'notice'} level
   * @param {string} message
   */
  function annotate(level, message) {
    ctx.annotations[level].push({ message, properties: {} });
    ctx.lines.stdout.push(`##[${level}]${message}`);
  }

  /**
   * @param {'stdout' | 'stderr'} stream
   * @param {string} text
   */
  function handle(stream, text) {
    const record = { stream, text, addMask: false };
    ctx.raw.push(record);
    const out = ctx.lines[stream];
    const cmd = parseWorkflowCommand(text, registered);
    if (!cmd) return void out.push(text);
    const name = cmd.name.toLowerCase();
    if (ctx.stopToken !== null) {
      // While stopped only the token is a command; everything else prints verbatim.
      if (ctx.stopToken !== '' && name === ctx.stopToken.toLowerCase()) {
        registered.delete(ctx.stopToken.toLowerCase());
        ctx.stopToken = null;
      }
      return void out.push(text);
    }
    if (name === 'stop-commands') {
      out.push(text);
      ctx.stopToken = cmd.data;
      registered.add(cmd.data.toLowerCase());
      return;
    }
    if (name === 'add-mask') record.addMask = true;
    if (ctx.echo && name !== 'add-mask') out.push(text);
    try {
      run(name, cmd, out);
    } catch (err) {
      const info = name === 'add-mask' ? 'add-mask' : text;
      annotate('error', `Unable to process command '${info}' successfully.`);
      annotate('error', /** @type {Error} */ (err).message);
      ctx.failed = true;
    }
  }

  /**
   * @param {string} name lower-cased command
   * @param {{ properties: Record<string, string>, data: string }} cmd
   * @param {string[]} out
   */
  function run(name, cmd, out) {
    const { data } = cmd;
    const props = lowerKeys(cmd.properties);
    switch (name) {
      case 'add-mask':
        if (data.trim() === '') {
          annotate('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
        } else {
          ctx.masks.push(data);
          if (ctx.echo) out.push('::add-mask::***');
        }
        return;
      case 'set-output':
      case 'save-state': {
        if (!props.name)
          throw new Error(`Required field 'name' is missing in ##[${name}] command.`);
        (name === 'set-output' ? ctx.outputs : ctx.state)[props.name] = data;
        annotate('warning', DEPRECATED_COMMAND.replace('%s', name));
        return;
      }
      case 'set-env':
      case 'add-path':
        if (!opts.allowUnsecure) throw new Error(DISABLED_COMMAND.replace('%s', name));
        return; // opted-in legacy commands are accepted but not emulated
      case 'warning':
      case 'error':
      case 'notice':
        ctx.annotations[name].push({ message: data, properties: cmd.properties });
        out.push(`##[${name}]${data}`);
        return;
      case 'debug':
        ctx.debugLines.push(data);
        if (opts.debug) out.push(`##[debug]${data}`);
        return;
      case 'group':
        ctx.groups.push(data);
        out.push(`##[group]${data}`);
        return;
      case 'endgroup':
        out.push('##[endgroup]');
        return;
      case 'echo':
        ctx.echo = echoValue(data);
        return;
      default:
        return; // add-matcher / remove-matcher: problem matchers are not emulated
    }
  }

  return { ctx, handle, annotate };
}

/** @param {Record<string, string>} props */
function lowerKeys(props) {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k.toLowerCase(), v]));
}

/** @param {string} data */
function echoValue(data) {
  const value = data.trim().toUpperCase();
  if (value === 'ON') return true;
  if (value === 'OFF') return false;
  throw new Error(
    `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`,
  );
}

/**
 * Splits a stream into lines like .NET's StreamReader.ReadLine (\r\n, \r or \n end a line).
 * @param {(line: string) => void} onLine
 */
function createLineSplitter(onLine) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  /** @param {boolean} final */
  function drain(final) {
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = re.exec(pending); m; m = re.exec(pending)) {
      // A trailing \r may be the first half of \r\n split across chunks.
      if (!final && m[0] === '\r' && re.lastIndex === pending.length) break;
      onLine(pending.slice(start, m.index));
      start = re.lastIndex;
    }
    pending = pending.slice(start);
    if (final && pending) onLine(pending);
  }
  return {
    /** @param {Buffer} chunk */
    push(chunk) {
      pending += decoder.write(chunk);
      drain(false);
    },
    end() {
      pending += decoder.end();
      drain(true);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// File commands

/**
 * Parses GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV content like the runner on Linux: lines end
 * at \n only (a \r stays in the value), `NAME=VALUE`, or `NAME<<DELIM` … `DELIM` where the
 * value excludes the newline before the delimiter line. Calls onEntry for each pair before a
 * later error, since the runner applies pairs as it goes.
 * @param {string} text
 * @param {(name: string, value: string) => void} onEntry
 */
export function parseKeyValueFile(text, onEntry) {
  let index = 0;
  /** @returns {{ line: string, newline: boolean } | null} */
  function readLine() {
    if (index >= text.length) return null;
    const lf = text.indexOf('\n', index);
    const start = index;
    index = lf < 0 ? text.length : lf + 1;
    return { line: text.slice(start, lf < 0 ? text.length : lf), newline: lf >= 0 };
  }
  for (let next = readLine(); next; next = readLine()) {
    const { line } = next;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      if (eq === 0) throw new Error(`Invalid format '${line}'. Name must not be empty`);
      onEntry(line.slice(0, eq), line.slice(eq + 1));
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter) {
        throw new Error(
          `Invalid format '${line}'. Name must not be empty and delimiter must not be empty`,
        );
      }
      onEntry(name, readHeredoc(delimiter));
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }

  /** @param {string} delimiter */
  function readHeredoc(delimiter) {
    const start = index;
    let end = index;
    for (let next = readLine(); ; next = readLine()) {
      if (!next) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
      if (next.line === delimiter) break;
      if (!next.newline) throw new Error('Invalid value. EOF marker missing new line.');
      end = index - 1;
    }
    return text.slice(start, end);
  }
}

/**
 * GITHUB_PATH: .NET ReadAllLines, empty lines skipped, a repeated entry moves to the end
 * (the runner then puts the last entry first in PATH).
 * @param {string} text
 */
function parsePathFile(text) {
  /** @type {string[]} */
  const list = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    const at = list.indexOf(line);
    if (at >= 0) list.splice(at, 1);
    list.push(line);
  }
  return list;
}

/**
 * A file's text without a UTF-8 BOM, or '' when it is missing (the action may delete it).
 * @param {string} file
 */
function readText(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // missing: treated as empty, like the runner
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Applies the step's file commands after it exits, in the runner's order, with its errors.
 * @param {Record<string, string>} files file command name → path
 * @param {ReturnType<typeof createCommandProcessor>} processor
 */
function processFileCommands(files, processor) {
  const { ctx, annotate } = processor;
  const [pathText, envText, summary, stateText, outputText] = Object.keys(FILE_COMMANDS).map(
    (name) => readText(files[name]),
  );
  /** @type {Record<string, string>} */
  const exportedEnv = {};
  /**
   * @param {string} name
   * @param {string} text
   * @param {(k: string, v: string) => void} apply
   */
  const guarded = (name, text, apply) => {
    try {
      parseKeyValueFile(text, apply);
    } catch (err) {
      annotate('error', `Unable to process file command '${name}' successfully.`);
      annotate('error', /** @type {Error} */ (err).message);
      ctx.failed = true;
    }
  };
  guarded('env', envText, (k, v) => {
    if (k.toUpperCase() === 'NODE_OPTIONS') {
      annotate('error', "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.");
    } else exportedEnv[k] = v;
  });
  guarded('state', stateText, (k, v) => void (ctx.state[k] = v));
  guarded('output', outputText, (k, v) => void (ctx.outputs[k] = v));
  return { exportedEnv, path: parsePathFile(pathText), summary };
}

// ---------------------------------------------------------------------------------------------
// Docker recorder

/** @param {string} s */
const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A dash script named `docker` that logs its argv and exit code to `log` (NUL-separated, one
 * printf per record so concurrent calls don't interleave) and runs the first other `docker`
 * on PATH. stdin is inherited untouched, except for `--password-stdin` calls where it is read
 * with builtins to count its bytes and piped on (text only: a NUL byte would be lost).
 * @param {string} dir
 * @param {string} log
 */
function recorderScript(dir, log) {
  return `#!/bin/sh
# docker recorder written by sandbox/runner.mjs for one step
log=${shellQuote(log)}
self=${shellQuote(dir)}
real=''
set -f
saved_ifs=$IFS
IFS=:
for d in $PATH; do
  [ "$d" = "$self" ] && continue
  if [ -f "\${d:-.}/docker" ] && [ -x "\${d:-.}/docker" ]; then real="\${d:-.}/docker"; break; fi
done
IFS=$saved_ifs
set +f
printf '%s\\0' S "$$" "$#" "$@" >>"$log"
count=''
for a do
  case $a in --password-stdin|--password-stdin=*) count=1 ;; esac
done
bytes=''
if [ -z "$real" ]; then
  echo 'docker: not found (runner.mjs recorder: no real docker on PATH)' >&2
  rc=127
elif [ -n "$count" ]; then
  nl='
'
  data=''
  while IFS= read -r line; do data=$data$line$nl; done
  data=$data$line
  bytes=\${#data}
  printf '%s' "$data" | "$real" "$@"
  rc=$?
else
  "$real" "$@"
  rc=$?
fi
printf '%s\\0' E "$$" "$rc" "$bytes" >>"$log"
exit "$rc"
`;
}

/**
 * Reads the recorder log: `S pid argc args…` when a call starts, `E pid rc bytes` when it ends.
 * @param {string} log
 * @returns {DockerCall[]}
 */
function readDockerCalls(log) {
  const parts = readText(log).split('\0');
  /** @type {DockerCall[]} */
  const calls = [];
  /** @type {Map<string, DockerCall>} */
  const open = new Map();
  let i = 0;
  while (i < parts.length - 1) {
    const [tag, pid] = [parts[i], parts[i + 1]];
    if (tag === 'S') {
      const argc = Number(parts[i + 2]);
      const call = { argv: parts.slice(i + 3, i + 3 + argc), stdinBytes: null, exitCode: null };
      calls.push(call);
      open.set(pid, call);
      i += 3 + argc;
    } else {
      const call = open.get(pid);
      if (call) {
        call.exitCode = Number(parts[i + 2]);
        call.stdinBytes = parts[i + 3] === '' ? null : Number(parts[i + 3]);
        open.delete(pid);
      }
      i += 4;
    }
  }
  return calls;
}

// ---------------------------------------------------------------------------------------------
// Leaks

/**
 * Forms of a secret worth searching for: the value itself, and (for values long enough not to
 * match by chance) its JSON/URI escapes and base64 at the three byte alignments, trimmed to the
 * characters that don't depend on neighbouring bytes — e.g. inside a docker `auth` field.
 * @param {string} secret
 * @returns {{ text: string, kind: string }[]}
 */
function secretForms(secret) {
  const forms = [{ text: secret, kind: 'raw' }];
  if (secret.length < 8) return forms;
  const json = JSON.stringify(secret).slice(1, -1);
  if (json !== secret) forms.push({ text: json, kind: 'json' });
  const uri = encodeURIComponent(secret);
  if (uri !== secret) forms.push({ text: uri, kind: 'uri' });
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const text = b64.slice(
      Math.ceil((8 * shift) / 6),
      Math.floor((8 * (shift + bytes.length)) / 6),
    );
    if (text.length < 8) continue;
    forms.push({ text, kind: 'base64' });
    const url = text.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== text) forms.push({ text: url, kind: 'base64url' });
  }
  return forms;
}

/** @param {string} secret */
const hint = (secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`;

/**
 * Everything to search for: each mask and test secret, plus each line of multi-line ones
 * (the runner masks lines separately; lines under 4 chars would match by chance).
 * @param {string[]} values
 */
function leakPatterns(values) {
  /** @type {Map<string, { text: string, kind: string, secret: string }>} */
  const patterns = new Map();
  /** @param {string} v @param {string} secret */
  const add = (v, secret) => {
    for (const form of secretForms(v)) patterns.set(form.text, { ...form, secret });
  };
  for (const value of values) {
    if (value.trim() === '') continue;
    add(value, value);
    for (const line of value.split(/\r?\n/)) {
      if (line !== value && line.trim().length >= 4) add(line, value);
    }
  }
  return [...patterns.values()];
}

/**
 * @param {{ where: string, detail: string, text: string }[]} places
 * @param {string[]} secrets
 * @returns {Leak[]}
 */
export function findLeaks(places, secrets) {
  const patterns = leakPatterns(secrets);
  /** @type {Map<string, Leak>} */
  const leaks = new Map();
  for (const place of places) {
    for (const p of patterns) {
      if (!place.text.includes(p.text)) continue;
      const leak = {
        where: place.where,
        secret: hint(p.secret),
        kind: p.kind,
        detail: place.detail,
      };
      leaks.set(`${leak.where}\0${leak.detail}\0${p.secret}\0${p.kind}`, leak);
    }
  }
  return [...leaks.values()];
}

/**
 * Where a secret must never appear. add-mask lines are the registration itself and the runner
 * never prints them; any other line counts, before or after the mask was registered.
 * @param {ReturnType<typeof createCommandProcessor>['ctx']} ctx
 * @param {{ exportedEnv: Record<string, string>, path: string[], summary: string }} files
 * @param {DockerCall[]} calls
 */
function leakPlaces(ctx, files, calls) {
  const places = [];
  const lineNo = { stdout: 0, stderr: 0 };
  for (const r of ctx.raw) {
    lineNo[r.stream]++;
    if (!r.addMask)
      places.push({ where: r.stream, detail: `line ${lineNo[r.stream]}`, text: r.text });
  }
  calls.forEach((call, i) => {
    call.argv.forEach((arg, j) =>
      places.push({ where: 'argv', detail: `call ${i} arg ${j}`, text: arg }),
    );
  });
  /** @param {string} where @param {Record<string, string>} map */
  const addMap = (where, map) => {
    for (const [k, v] of Object.entries(map)) places.push({ where, detail: k, text: `${k}=${v}` });
  };
  addMap('outputs', ctx.outputs);
  addMap('state', ctx.state);
  addMap('env', files.exportedEnv);
  files.path.forEach((p, i) => places.push({ where: 'env', detail: `GITHUB_PATH ${i}`, text: p }));
  places.push({ where: 'summary', detail: 'summary', text: files.summary });
  return places;
}

// ---------------------------------------------------------------------------------------------
// Running the process

/**
 * Spawns node in its own process group, feeding output lines to the processor as they come.
 * On timeout the whole group gets SIGKILL (the runner would send SIGINT then SIGTERM first).
 * After a normal exit, processes the action left behind in its group are killed (the runner
 * does that at job end).
 * @param {{ nodePath: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number }} spec
 * @param {ReturnType<typeof createCommandProcessor>['handle']} handle
 */
function runProcess(spec, handle) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(spec.nodePath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    const outLines = createLineSplitter((l) => handle('stdout', l));
    const errLines = createLineSplitter((l) => handle('stderr', l));
    child.stdout.on('data', (b) => {
      out.push(b);
      outLines.push(b);
    });
    child.stderr.on('data', (b) => {
      err.push(b);
      errLines.push(b);
    });
    let timedOut = false;
    let durationMs = 0;
    const killGroup = () => {
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        // group already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, spec.timeoutMs);
    /** @type {NodeJS.Timeout | undefined} */
    let grace;
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      killGroup();
      grace = setTimeout(() => (child.stdout.destroy(), child.stderr.destroy()), CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      clearTimeout(grace);
      outLines.end();
      errLines.end();
      resolvePromise({
        // Like .NET's Process.ExitCode on Linux: a signal death reads as 128 + signal number.
        exitCode: code ?? 128 + signalNumber(signal),
        signal,
        timedOut,
        durationMs,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** @param {NodeJS.Signals | null} signal */
function signalNumber(signal) {
  return signal ? (osConstants.signals[signal] ?? 0) : 0;
}

// ---------------------------------------------------------------------------------------------
// Step and job

/**
 * Creates the job-wide folders once and this step's fresh file-command files and helpers.
 * @param {string} workDir
 * @param {{ recordDocker: boolean, measureRss: boolean }} opts
 */
function prepareStep(workDir, opts) {
  const id = randomUUID();
  const commandsDir = join(workDir, '_runner_file_commands');
  const stepDir = join(workDir, '_steps', id);
  const dirs = {
    temp: join(workDir, '_temp'),
    tool: join(workDir, '_tool'),
    workspace: join(workDir, 'workspace'),
  };
  for (const dir of [...Object.values(dirs), commandsDir, stepDir]) {
    mkdirSync(dir, { recursive: true });
  }
  /** @type {Record<string, string>} */
  const files = {};
  for (const [name, prefix] of Object.entries(FILE_COMMANDS))
    files[name] = join(commandsDir, prefix + id);
  const dockerLog = join(stepDir, 'docker-calls');
  const rssFile = join(stepDir, 'peak-rss');
  const rssProbe = join(stepDir, 'rss-probe.cjs');
  for (const file of Object.values(files)) writeFileSync(file, '');
  if (opts.recordDocker) {
    writeFileSync(join(stepDir, 'docker'), recorderScript(stepDir, dockerLog), { mode: 0o755 });
  }
  if (opts.measureRss) {
    // Peak RSS of node itself (getrusage RUSAGE_SELF), written at exit; a wrapper like
    // /usr/bin/time would also count the docker children it reaps.
    const write = `require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS))`;
    writeFileSync(rssProbe, `process.on('exit', () => ${write});\n`);
  }
  return { dirs, files, stepDir, dockerLog, rssFile, rssProbe };
}

/**
 * The step's environment, built from scratch (nothing leaks in from the test process but
 * PATH and HOME). Precedence, lowest first: github/runner context defaults, GITHUB_ENV from
 * earlier steps, options.env, STATE_*, INPUT_*, then paths and tokens the runner owns.
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @param {ReturnType<typeof prepareStep>} step
 * @param {Record<string, string>} inputEnv
 */
function buildEnv(options, step, inputEnv) {
  const given = options.env ?? {};
  if (Object.keys(given).some((k) => k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'))) {
    throw new Error('runner.mjs: pass idToken instead of ACTIONS_ID_TOKEN_REQUEST_* in env');
  }
  /** @type {Record<string, string | undefined>} */
  const env = { HOME: process.env.HOME, ...CONTEXT_ENV, ...options.priorEnv, ...given };
  for (const [k, v] of Object.entries(options.state ?? {})) env[`STATE_${k}`] = v;
  Object.assign(env, inputEnv);
  const basePath = 'PATH' in given ? given.PATH : process.env.PATH;
  const prepend = [...(options.priorPath ?? [])].reverse();
  if (options.recordDocker !== false) prepend.unshift(step.stepDir);
  env.PATH = [...prepend, basePath].filter((p) => p !== undefined).join(':');
  Object.assign(env, {
    RUNNER_TEMP: step.dirs.temp,
    RUNNER_TOOL_CACHE: options.toolCache ?? step.dirs.tool,
    GITHUB_WORKSPACE: step.dirs.workspace,
    GITHUB_OUTPUT: step.files.output,
    GITHUB_STATE: step.files.state,
    GITHUB_ENV: step.files.env,
    GITHUB_PATH: step.files.path,
    GITHUB_STEP_SUMMARY: step.files.step_summary,
  });
  if (options.debug) env.RUNNER_DEBUG = '1';
  if (options.idToken) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = options.idToken.requestUrl;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = options.idToken.requestToken;
  }
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = String(v);
  return clean;
}

/**
 * Runs one phase of a JavaScript action like the GitHub runner and reports what happened.
 *
 * As in the runner: every declared input is set, to '' when it has no default and isn't in
 * `with`; commands on stderr count too; GITHUB_* files are fresh per step; a malformed file
 * command or workflow command fails the step even with exit code 0.
 * `lines`/`stderrLines` are the step log as the runner writes it (commands consumed,
 * annotations as `##[error]…`, `##[debug]…` only with `debug`, runner warnings included).
 * `leaks` lists every place a masked value or `secrets` entry (raw, JSON/URI-escaped or
 * base64) appears: any output line but the add-mask line itself, docker argv, outputs, state,
 * GITHUB_ENV/GITHUB_PATH and the summary. `dockerCalls[].stdinBytes` is counted only for
 * `--password-stdin` calls (null otherwise). `peakRssKb` only with `measureRss`: a preloaded
 * exit hook reads node's own getrusage maxRSS.
 *
 * Deliberate differences: `${{ }}` defaults are passed through unevaluated; problem matchers
 * and opted-in set-env/add-path are not emulated; a timeout is an immediate SIGKILL of the
 * process group (the runner sends SIGINT, then SIGTERM); processes the action leaves in its
 * group are killed when the step ends rather than at job end; a secret printed before its
 * add-mask counts as a leak (the runner would show it in clear).
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @returns {Promise<StepResult>}
 */
export async function runStep(options) {
  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-'));
  try {
    return await runStepIn(workDir, options);
  } finally {
    if (ownWorkDir && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * @param {string} workDir
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @returns {Promise<StepResult>}
 */
async function runStepIn(workDir, options) {
  const actionDir = resolve(options.actionDir);
  const action = loadAction(actionDir);
  const script = options.phase === 'post' ? action.post : action.main;
  if (!script) throw new Error(`action at ${actionDir} has no runs.${options.phase}`);
  const recordDocker = options.recordDocker !== false;
  const measureRss = options.measureRss === true;
  const step = prepareStep(workDir, { recordDocker, measureRss });
  const inputs = resolveInputs(action, options.with ?? {});
  const env = buildEnv(options, step, inputs.env);
  const processor = createCommandProcessor({
    debug: options.debug === true,
    allowUnsecure: env.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true',
  });
  // The runner validates inputs again for the post step, so post repeats these warnings.
  inputs.warnings.forEach((w) => processor.annotate('warning', w));

  const args = [...(measureRss ? ['--require', step.rssProbe] : []), join(actionDir, script)];
  const proc = await runProcess(
    {
      nodePath: options.nodePath ?? process.execPath,
      args,
      env,
      cwd: step.dirs.workspace,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
    processor.handle,
  );
  const files = processFileCommands(step.files, processor);
  const dockerCalls = recordDocker ? readDockerCalls(step.dockerLog) : [];
  const { ctx } = processor;
  const secrets = [...ctx.masks, ...(options.secrets ?? [])];
  if (options.idToken) secrets.push(options.idToken.requestToken);
  const peak = measureRss ? Number(readText(step.rssFile) || NaN) : NaN;
  return {
    phase: options.phase,
    exitCode: proc.exitCode,
    signal: proc.signal,
    timedOut: proc.timedOut,
    durationMs: proc.durationMs,
    ...(Number.isFinite(peak) ? { peakRssKb: peak } : {}),
    stdout: proc.stdout,
    stderr: proc.stderr,
    lines: ctx.lines.stdout,
    stderrLines: ctx.lines.stderr,
    outputs: ctx.outputs,
    state: ctx.state,
    exportedEnv: files.exportedEnv,
    path: files.path,
    summary: files.summary,
    annotations: ctx.annotations,
    debugLines: ctx.debugLines,
    groups: ctx.groups,
    masks: ctx.masks,
    failed: proc.exitCode !== 0 || proc.timedOut || ctx.failed,
    dockerCalls,
    leaks: findLeaks(leakPlaces(ctx, files, dockerCalls), secrets),
    env,
    workDir,
  };
}

/**
 * Evaluates a post-if condition: always(), success(), failure(), cancelled(), !, &&, ||, ( ),
 * optionally wrapped in ${{ }}. success()/failure() read the job status after main.
 * @param {string} expression
 * @param {{ failed: boolean }} job
 */
export function evaluatePostIf(expression, job) {
  const source = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const tokens =
    source.match(/\s*(always\(\)|success\(\)|failure\(\)|cancelled\(\)|&&|\|\||!|\(|\)|\S+)/g) ??
    [];
  let pos = 0;
  const peek = () => tokens[pos]?.trim();
  const take = () => tokens[pos++]?.trim();
  /** @returns {boolean} */
  const or = () => {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = value || right;
    }
    return value;
  };
  /** @returns {boolean} */
  const and = () => {
    let value = unary();
    while (peek() === '&&') {
      take();
      const right = unary();
      value = value && right;
    }
    return value;
  };
  /** @returns {boolean} */
  const unary = () => {
    const token = take();
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      if (take() !== ')') throw new Error(`runner.mjs: unbalanced post-if '${expression}'`);
      return value;
    }
    if (token === 'always()') return true;
    if (token === 'success()') return !job.failed;
    if (token === 'failure()') return job.failed;
    if (token === 'cancelled()') return false;
    throw new Error(`runner.mjs: unsupported post-if '${expression}'`);
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`runner.mjs: unsupported post-if '${expression}'`);
  return value;
}

/**
 * Runs main, then post (when the action has one and post-if holds) with main's state, in one
 * job folder: RUNNER_TEMP and the workspace are shared, and main's GITHUB_ENV / GITHUB_PATH
 * apply to post like to any later step.
 * @param {Omit<StepOptions, 'phase' | 'state'>} options
 * @returns {Promise<{ main: StepResult, post: StepResult | null }>}
 */
export async function runJob(options) {
  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-job-'));
  try {
    const main = await runStepIn(workDir, { ...options, phase: 'main' });
    const action = loadAction(resolve(options.actionDir));
    if (!action.post || !evaluatePostIf(action.postIf, main)) return { main, post: null };
    const post = await runStepIn(workDir, {
      ...options,
      phase: 'post',
      state: main.state,
      priorEnv: main.exportedEnv,
      priorPath: main.path,
    });
    return { main, post };
  } finally {
    if (ownWorkDir && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}
