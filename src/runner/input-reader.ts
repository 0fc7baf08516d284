// Reads `with:` values for the features that parse them: empty means action.yml's default,
// every problem is collected for one report, and a secret is masked before anything can print it.
// This folder is the runner protocol only: it knows no feature's settings.
import { hideUrlCredentials, show, urlUserInfo } from '../common/text.js';
import { INPUT_DEFAULTS, type InputName } from './action-inputs.js';

export type GetInput = (name: string) => string;

const MAX_LENGTH = 4096;
const MAX_LIST_LENGTH = 65536;

type Display = 'plain' | 'secret' | 'url';

/** How an input's value may be shown in an error: secrets never, URLs without credentials. */
const DISPLAY: Partial<Record<InputName, Display>> = {
  'fallback-token': 'secret',
  'http-proxy': 'url',
};

/** Masks every secret the inputs hold (a token, a proxy URL's password) before anything can print it. */
export function maskSecretInputs(getInput: GetInput, setSecret: (value: string) => void): void {
  for (const [name, display] of Object.entries(DISPLAY)) {
    const value = getInput(name);
    if (display === 'secret') setSecret(value);
    const userInfo = display === 'url' ? urlUserInfo(value) : undefined;
    const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : '';
    if (!password) continue;
    setSecret(password);
    try {
      setSecret(decodeURIComponent(password));
    } catch {
      // a malformed escape: the input check reports it; the raw form is masked
    }
  }
}

/** Reads inputs (empty means action.yml's default) and collects every problem for one report. */
export class InputReader {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  constructor(private readonly getInput: GetInput) {}

  read(name: InputName): string {
    const value = this.getInput(name);
    const display = DISPLAY[name] ?? 'plain';
    if (/[\x00-\x1f\x7f]/.test(value)) {
      this.problems.push(
        display === 'secret'
          ? `'${name}' contains a newline or control character (value not shown: it is a secret)`
          : `'${name}' contains a newline or control character: got ${show(display === 'url' ? hideUrlCredentials(value) : value)}`,
      );
    } else if (value.length > MAX_LENGTH) {
      this.problems.push(`'${name}' is longer than ${MAX_LENGTH} characters (${value.length})`);
    }
    return value === '' ? INPUT_DEFAULTS[name] : value;
  }

  /** A list input: one item per line (or per `separator`), trimmed, empty items dropped. */
  list(name: InputName, separator = /\r?\n/): string[] {
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

  integer(name: InputName, min: number, max: number): number {
    const raw = this.read(name);
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      this.problems.push(
        `'${name}' must be a whole number from ${min} to ${max}: got ${show(raw)}`,
      );
    }
    return value;
  }

  choice<T extends string>(name: InputName, choices: readonly T[]): T {
    const raw = this.read(name);
    if (!(choices as readonly string[]).includes(raw)) {
      this.problems.push(`'${name}' must be one of ${choices.join(', ')}: got ${show(raw)}`);
    }
    return raw as T;
  }

  boolean(name: InputName): boolean {
    const raw = this.read(name);
    if (/^(true|True|TRUE)$/.test(raw)) return true;
    if (/^(false|False|FALSE)$/.test(raw)) return false;
    this.problems.push(`'${name}' must be true or false: got ${show(raw)}`);
    return true;
  }
}
