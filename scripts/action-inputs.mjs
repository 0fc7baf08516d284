// action.yml is the one place input names, defaults and output names are written. This script
// renders them as a TypeScript module (src/runner/action-inputs.ts) that the build and the
// tests use; a unit test fails when the module is out of date.
//   node scripts/action-inputs.mjs          write the module
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const MODULE_PATH = 'src/runner/action-inputs.ts';

// Written the way prettier writes them, so the generated file passes the format check.
const quote = (text) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name));

/** The module's text for an action.yml's text. */
export function renderActionInputs(actionYml) {
  const action = parse(actionYml);
  const defaults = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) => `  ${key(name)}: ${quote(String(spec?.default ?? ''))},`,
  );
  const outputs = Object.keys(action.outputs ?? {}).map((name) => `  ${quote(name)},`);
  return [
    '// Generated from action.yml by scripts/action-inputs.mjs (npm run build). Do not edit.',
    '',
    '/** Every input of action.yml with its default (what an empty `with:` value means). */',
    'export const INPUT_DEFAULTS = {',
    ...defaults,
    '} as const;',
    '',
    'export type InputName = keyof typeof INPUT_DEFAULTS;',
    '',
    '/** Every output of action.yml. */',
    'export const OUTPUT_NAMES = [',
    ...outputs,
    '] as const;',
    '',
    'export type OutputName = (typeof OUTPUT_NAMES)[number];',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(MODULE_PATH, renderActionInputs(readFileSync('action.yml', 'utf8')));
}
