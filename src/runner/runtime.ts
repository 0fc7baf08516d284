// The runner side of an action: inputs, outputs, state, masks and log commands.
// We speak the runner's documented file/stdout protocol directly instead of importing
// @actions/core: core 3.x loads an HTTP stack (undici) at import time, which costs ~45 ms
// and ~0.5 MB on every step, post steps included.
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { randomUUID } from '../common/node-crypto.js';
import { writeStdout } from './stdout.js';

const delimiter = () => `ghadelimiter_${randomUUID()}`;

export interface Runtime {
  getInput(name: string): string;
  getState(name: string): string;
  /** Every output in one append to GITHUB_OUTPUT. */
  setOutputs(outputs: Record<string, string>): void;
  saveState(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  /** Registers a value with the runner's masker and with our own redactor. */
  setSecret(value: string): void;
  /** Replaces every registered secret in text with ***. */
  redact(text: string): string;
  isDebug(): boolean;
  debug(message: string): void;
  info(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  appendSummary(markdown: string): void;
}

type Env = Record<string, string | undefined>;
type Write = (text: string) => void;

const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string =>
  escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

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
export const plainLine = (text: string): string =>
  text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(LEADING_COLON, '$1:\u200b')
    .replace(/##\[/g, '## [');

/** The heredoc form the runner parses from GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV. */
export function fileCommandEntry(name: string, value: string, delimiter: string): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Unexpected delimiter collision while writing '${name}'`);
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** The values to hide: each registered with the runner's masker and replaced by our redactor. */
function createMasker(write: Write) {
  const secrets: string[] = [];
  const redact = (text: string): string =>
    secrets.reduce((acc, secret) => acc.split(secret).join('***'), text);
  const setSecret = (value: string): void => {
    if (!value || secrets.includes(value)) return;
    secrets.push(value);
    secrets.sort((a, b) => b.length - a.length); // longest first, so a secret inside another is covered
    // The runner masks per line; register each line of a multi-line value too.
    for (const line of value.split(/\r?\n/)) {
      if (line) write(`::add-mask::${escapeData(line)}${EOL}`);
    }
  };
  return { redact, setSecret };
}

type Command = (name: string, message: string, props?: Record<string, string>) => void;

/**
 * Entries for GITHUB_OUTPUT or GITHUB_STATE, in one append (one open, write, close): main sets
 * about fifteen outputs. Without the file, the legacy stdout command.
 */
const fileCommands =
  (env: Env, command: Command) =>
  (fileVar: string, legacy: string, entries: Record<string, string>): void => {
    const file = env[fileVar];
    const pairs = Object.entries(entries);
    if (!file) {
      for (const [name, value] of pairs) command(legacy, value, { name });
    } else if (pairs.length > 0) {
      appendFileSync(file, pairs.map(([n, v]) => fileCommandEntry(n, v, delimiter())).join(''));
    }
  };

export function createRuntime(env: Env = process.env, write: Write = writeStdout): Runtime {
  const { redact, setSecret } = createMasker(write);
  const command: Command = (name, message, props = {}) => {
    const p = Object.entries(props)
      .map(([k, v]) => `${k}=${escapeProperty(v)}`)
      .join(',');
    write(`::${name}${p ? ' ' + p : ''}::${escapeData(redact(message))}${EOL}`);
  };
  const toFile = fileCommands(env, command);
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    getState: (name) => env[`STATE_${name}`] ?? '',
    setOutputs: (outputs) => toFile('GITHUB_OUTPUT', 'set-output', outputs),
    saveState: (name, value) => toFile('GITHUB_STATE', 'save-state', { [name]: value }),
    exportVariable: (name, value) => {
      env[name] = value;
      const file = env.GITHUB_ENV;
      if (file) appendFileSync(file, fileCommandEntry(name, value, delimiter()));
    },
    setSecret,
    redact,
    isDebug: () => env.RUNNER_DEBUG === '1',
    debug: (message) => command('debug', message),
    info: (message) => write(plainLine(redact(message)) + EOL),
    notice: (message, title) => command('notice', message, title ? { title } : {}),
    warning: (message, title) => command('warning', message, title ? { title } : {}),
    error: (message, title) => command('error', message, title ? { title } : {}),
    group: async (name, fn) => {
      write(`::group::${escapeData(name)}${EOL}`);
      try {
        return await fn();
      } finally {
        write(`::endgroup::${EOL}`);
      }
    },
    appendSummary: (markdown) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file) appendFileSync(file, redact(markdown) + EOL);
    },
  };
}
