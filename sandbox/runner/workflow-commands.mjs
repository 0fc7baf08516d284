// @ts-check
// Workflow commands on stdout/stderr (`::cmd k=v::data`, legacy `##[cmd]`), as the runner's
// ActionCommandManager processes them. The parser follows actions/runner's
// src/Runner.Common/ActionCommand.cs (TryParseV2, TryParse) step by step, with .NET's string
// semantics (dotnet-text.mjs): TrimStart's whitespace set, culture-sensitive `::` / `##[`
// searches, and OrdinalIgnoreCase command names.
import {
  containsIgnoreCase,
  cultureIndexOf,
  cultureStartsWith,
  trim,
  trimStart,
} from './dotnet-text.mjs';

/**
 * @typedef {import('./types.mjs').Annotations} Annotations
 */

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
  const message = trimStart(line);
  if (!cultureStartsWith(message, '::')) return null;
  const end = cultureIndexOf(message, '::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!containsIgnoreCase(registered, name)) return null;
  const properties = space > 0 ? splitProperties(trim(info.slice(space + 1)), ',') : {};
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
  const start = cultureIndexOf(line, '##[');
  if (start < 0) return null;
  const close = line.indexOf(']', start);
  if (close < 0) return null;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!containsIgnoreCase(registered, name)) return null;
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
 * @typedef {{ properties: Record<string, string>, data: string }} Command
 * @typedef {ReturnType<typeof newContext>} CommandContext
 * @typedef {{
 *   ctx: CommandContext,
 *   opts: { debug: boolean, allowUnsecure: boolean },
 *   annotate: (level: 'error' | 'warning' | 'notice', message: string) => void,
 *   out: string[],
 * }} Step
 * @typedef {(name: string, cmd: Command, props: Record<string, string>, step: Step) => void} Handler
 */

/** @param {boolean} echo */
function newContext(echo) {
  return {
    /** @type {string | null} */
    stopToken: null,
    echo,
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
}

/** @type {Handler} */
const annotation = (name, cmd, _props, { ctx, out }) => {
  const level = /** @type {'error' | 'warning' | 'notice'} */ (name);
  ctx.annotations[level].push({ message: cmd.data, properties: cmd.properties });
  out.push(`##[${name}]${cmd.data}`);
};

/** @type {Handler} */
const deprecatedSave = (name, { data }, props, { ctx, annotate }) => {
  if (!props.name) throw new Error(`Required field 'name' is missing in ##[${name}] command.`);
  (name === 'set-output' ? ctx.outputs : ctx.state)[props.name] = data;
  annotate('warning', DEPRECATED_COMMAND.replace('%s', name));
};

/** @type {Handler} */
const unsecure = (name, _cmd, _props, { opts }) => {
  if (!opts.allowUnsecure) throw new Error(DISABLED_COMMAND.replace('%s', name));
  // opted-in legacy commands are accepted but not emulated
};

/** What each registered command does (stop-commands is handled before this table). */
/** @type {Record<string, Handler>} */
const HANDLERS = {
  'add-mask': (_name, { data }, _props, { ctx, annotate, out }) => {
    if (data.trim() === '') {
      annotate('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
    } else {
      ctx.masks.push(data);
      if (ctx.echo) out.push('::add-mask::***');
    }
  },
  'set-output': deprecatedSave,
  'save-state': deprecatedSave,
  'set-env': unsecure,
  'add-path': unsecure,
  warning: annotation,
  error: annotation,
  notice: annotation,
  debug: (_name, { data }, _props, { ctx, opts, out }) => {
    ctx.debugLines.push(data);
    if (opts.debug) out.push(`##[debug]${data}`);
  },
  group: (_name, { data }, _props, { ctx, out }) => {
    ctx.groups.push(data);
    out.push(`##[group]${data}`);
  },
  endgroup: (_name, _cmd, _props, { out }) => void out.push('##[endgroup]'),
  echo: (_name, { data }, _props, { ctx }) => void (ctx.echo = echoValue(data)),
  // add-matcher / remove-matcher: problem matchers are not emulated
};

/**
 * One step's command processor, shared by stdout and stderr like the runner's single
 * ActionCommandManager (stop-commands and echo state span both streams).
 * @param {{ debug: boolean, allowUnsecure: boolean }} opts
 */
export function createCommandProcessor(opts) {
  const registered = new Set(REGISTERED_COMMANDS);
  const ctx = newContext(opts.debug);

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
   * While stopped only the token is a command; everything else prints verbatim.
   * @param {string} name lower-cased command
   * @param {{ data: string }} cmd
   * @returns {boolean} whether the line is taken as printed text
   */
  function stopped(name, cmd) {
    if (ctx.stopToken !== null) {
      if (ctx.stopToken !== '' && name === ctx.stopToken.toLowerCase()) {
        registered.delete(ctx.stopToken.toLowerCase());
        ctx.stopToken = null;
      }
      return true;
    }
    if (name !== 'stop-commands') return false;
    ctx.stopToken = cmd.data;
    registered.add(cmd.data.toLowerCase());
    return true;
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
    if (stopped(name, cmd)) return void out.push(text);
    if (name === 'add-mask') record.addMask = true;
    if (ctx.echo && name !== 'add-mask') out.push(text);
    try {
      HANDLERS[name]?.(name, cmd, lowerKeys(cmd.properties), { ctx, opts, annotate, out });
    } catch (err) {
      const info = name === 'add-mask' ? 'add-mask' : text;
      annotate('error', `Unable to process command '${info}' successfully.`);
      annotate('error', /** @type {Error} */ (err).message);
      ctx.failed = true;
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
