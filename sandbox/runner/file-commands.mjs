// @ts-check
// File commands: GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH and the step summary,
// read back after the step exits like the runner's FileCommandManager.
import { readFileSync } from 'node:fs';

// File command name (as in the runner's error messages) → file name prefix.
export const FILE_COMMANDS = {
  path: 'add_path_',
  env: 'set_env_',
  step_summary: 'step_summary_',
  state: 'save_state_',
  output: 'set_output_',
};

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
export function readText(file) {
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
 * @param {ReturnType<typeof import("./workflow-commands.mjs").createCommandProcessor>} processor
 */
export function processFileCommands(files, processor) {
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

/**
 * A GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file as the runner reads it, in order ([] when
 * missing): for tests that check what the real runtime wrote.
 * @param {string} file
 * @returns {[string, string][]}
 */
export function readKeyValueFile(file) {
  /** @type {[string, string][]} */
  const entries = [];
  parseKeyValueFile(readText(file), (name, value) => entries.push([name, value]));
  return entries;
}
