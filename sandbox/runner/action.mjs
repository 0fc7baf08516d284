// @ts-check
// action.yml: the manifest the runner reads before a step (inputs, defaults, runs.*).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * @typedef {import('./types.mjs').ActionDef} ActionDef
 * @typedef {import('./types.mjs').Inputs} Inputs
 */

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
