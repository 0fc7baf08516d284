// @ts-check
// Plans iam/terraform the way `terraform plan` would for the resources' known attributes:
// parses every .tf file with @cdktf/hcl2json (HashiCorp's HCL parser, compiled to wasm), checks
// the variables' validations, and evaluates locals, counts and attributes with hcl-expression.mjs.
// Data sources and other resources' computed attributes come from `known`, as AWS would fill them.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { evaluateAttribute } from './hcl-expression.mjs';

// Loaded with require so TypeScript does not read the package's types: they pull in lib "dom",
// whose fetch() types then clash with Node's in the rest of the project.
/** @type {{ parse: (file: string, text: string) => Promise<Record<string, any>> }} */
const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json');

/**
 * HashiCorp's HCL parser: the file as hcl2json's JSON, or a rejection on a syntax error.
 * @param {string} file
 * @param {string} text
 */
export function parseHcl(file, text) {
  return hcl2json.parse(file, text);
}

/**
 * @typedef {Record<string, any>} HclJson what hcl2json returns for the module's files, merged
 * @typedef {object} Plan
 * @property {Record<string, Record<string, Record<string, unknown>[]>>} resources type -> name -> instances
 * @property {Record<string, unknown>} outputs
 */

/**
 * @param {string} dir
 * @returns {Promise<HclJson>}
 */
export async function parseModule(dir) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  /** @type {HclJson} */
  const merged = { variable: {}, locals: [], data: {}, resource: {}, output: {} };
  for (const file of files) {
    const parsed = await parseHcl(file, await readFile(path.join(dir, file), 'utf8'));
    for (const [block, body] of Object.entries(parsed)) {
      if (Array.isArray(body)) merged[block] = [...(merged[block] ?? []), ...body];
      else merged[block] = mergeTypes(merged[block] ?? {}, body);
    }
  }
  return merged;
}

/**
 * @param {HclJson} module
 * @param {object} input
 * @param {Record<string, unknown>} input.variables
 * @param {Record<string, unknown>} input.known e.g. `{ 'data.aws_region.current': { region: 'us-east-1' } }`,
 *   `{ 'aws_iam_role.this': { arn: ... } }`, and a list of instances for a counted resource
 * @returns {Plan}
 */
export function planModule(module, { variables, known }) {
  const vars = resolveVariables(module.variable, variables);
  /** @type {Record<string, unknown>} */
  const localValues = {};
  const localSources = Object.assign({}, ...module.locals);
  /** @type {import('./hcl-expression.mjs').Scope} */
  const scope = (name) => {
    if (name === 'var') return vars;
    if (name === 'local') return lazyLocals(localSources, localValues, scope);
    if (name === 'data') return addresses(known, 'data.');
    const resources = addresses(known, `${name}.`);
    if (Object.keys(resources).length === 0) throw new Error(`unknown reference ${name}`);
    return resources;
  };
  for (const [name, [declaration]] of Object.entries(module.variable)) {
    for (const rule of declaration.validation ?? []) {
      if (evaluateAttribute(rule.condition, scope) !== true) {
        throw new Error(`variable ${name}: ${String(rule.error_message)}`);
      }
    }
  }
  /** @type {Plan['resources']} */
  const resources = {};
  for (const [type, byName] of Object.entries(module.resource)) {
    for (const [name, [body]] of Object.entries(/** @type {Record<string, any[]>} */ (byName))) {
      const { count = 1, ...attributes } = body;
      const n = Number(evaluateAttribute(count, scope));
      (resources[type] ??= {})[name] = Array.from({ length: n }, () =>
        dropNulls(/** @type {Record<string, unknown>} */ (evaluateAttribute(attributes, scope))),
      );
    }
  }
  const outputs = Object.fromEntries(
    Object.entries(module.output).map(([name, [body]]) => [
      name,
      evaluateAttribute(body.value, scope),
    ]),
  );
  return { resources, outputs };
}

/**
 * @param {Record<string, any[]>} declared
 * @param {Record<string, unknown>} given
 */
function resolveVariables(declared, given) {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) throw new Error(`the module has no variable ${name}`);
  }
  return Object.fromEntries(
    Object.entries(declared).map(([name, [declaration]]) => {
      if (Object.hasOwn(given, name)) return [name, given[name]];
      if (!('default' in declaration)) throw new Error(`variable ${name} is required`);
      return [name, declaration.default];
    }),
  );
}

/**
 * Locals are evaluated when first read, so their order in the file does not matter.
 * @param {Record<string, unknown>} sources
 * @param {Record<string, unknown>} values
 * @param {import('./hcl-expression.mjs').Scope} scope
 */
function lazyLocals(sources, values, scope) {
  const view = {};
  for (const name of Object.keys(sources)) {
    Object.defineProperty(view, name, {
      enumerable: true,
      get: () => {
        if (!Object.hasOwn(values, name)) values[name] = evaluateAttribute(sources[name], scope);
        return values[name];
      },
    });
  }
  return view;
}

/**
 * `{ 'data.aws_region.current': {...} }` as `{ aws_region: { current: {...} } }` under a prefix.
 * @param {Record<string, unknown>} known
 * @param {string} prefix
 */
function addresses(known, prefix) {
  /** @type {Record<string, Record<string, unknown>>} */
  const tree = {};
  for (const [address, attributes] of Object.entries(known)) {
    if (!address.startsWith(prefix)) continue;
    const [first, second] = address.slice(prefix.length).split('.');
    if (second === undefined) tree[first] = /** @type {Record<string, unknown>} */ (attributes);
    else (tree[first] ??= {})[second] = attributes;
  }
  return tree;
}

/**
 * Terraform omits an argument set to null.
 * @param {Record<string, unknown>} attributes
 */
function dropNulls(attributes) {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null));
}

/**
 * @param {Record<string, any>} into
 * @param {Record<string, any>} from
 */
function mergeTypes(into, from) {
  for (const [key, value] of Object.entries(from)) {
    into[key] = key in into && !Array.isArray(value) ? { ...into[key], ...value } : value;
  }
  return into;
}
