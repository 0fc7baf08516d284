// @ts-check
// Reads iam/cloudformation.yaml with CloudFormation's short-form tags (!Ref, !Sub, !If, ...) and
// renders it for given parameters the way CloudFormation would: parameter checks, Rules,
// Conditions, then the intrinsic functions in resources and outputs. Only the intrinsics the
// template uses are implemented; any other one throws.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * @typedef {Record<string, any>} Template
 * @typedef {object} Rendered
 * @property {Record<string, { Type: string, Properties: Record<string, any> }>} resources those whose Condition holds
 * @property {Record<string, unknown>} outputs
 */

const NO_VALUE = Symbol('AWS::NoValue');
const SHORT_FORMS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Transform',
];

/**
 * The YAML tags CloudFormation defines, each as its long (JSON) form, for scalars, sequences and maps.
 * @type {import('yaml').Tags}
 */
export const CLOUDFORMATION_TAGS = [
  ...SHORT_FORMS.flatMap((name) => tagForms(`!${name}`, (v) => ({ [`Fn::${name}`]: v }))),
  ...tagForms('!Ref', (v) => ({ Ref: v })),
  ...tagForms('!Condition', (v) => ({ Condition: v })),
  ...tagForms('!GetAtt', (v) => ({
    'Fn::GetAtt': typeof v === 'string' ? v.split(/\.(.*)/s, 2) : v,
  })),
];

/**
 * @param {string} tag
 * @param {(value: any) => unknown} build
 * @returns {import('yaml').Tags}
 */
function tagForms(tag, build) {
  return [
    { tag, resolve: (/** @type {string} */ str) => build(str) },
    { tag, collection: 'seq', resolve: (seq) => build(/** @type {any} */ (seq).toJSON()) },
    { tag, collection: 'map', resolve: (map) => build(/** @type {any} */ (map).toJSON()) },
  ];
}

/**
 * @param {string} file
 * @returns {Promise<Template>}
 */
export async function readTemplate(file) {
  return parse(await readFile(file, 'utf8'), { customTags: CLOUDFORMATION_TAGS, strict: true });
}

/**
 * @param {Template} template
 * @param {object} input
 * @param {Record<string, string>} input.parameters
 * @param {Record<string, string>} input.pseudo e.g. `{ 'AWS::AccountId': '123456789012', 'AWS::Region': ... }`
 * @param {Record<string, unknown>} input.known `Ref` of created resources and `Resource.Attribute` values
 * @returns {Rendered}
 */
export function renderTemplate(template, { parameters, pseudo, known }) {
  const params = resolveParameters(template.Parameters ?? {}, parameters);
  /** @type {Record<string, boolean>} */
  const conditions = {};
  const ctx = { params, pseudo, known, conditions };
  for (const [name, expression] of Object.entries(template.Conditions ?? {})) {
    conditions[name] = Boolean(resolve(expression, ctx));
  }
  for (const [name, rule] of Object.entries(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && !resolve(rule.RuleCondition, ctx)) continue;
    for (const assertion of rule.Assertions) {
      if (!resolve(assertion.Assert, ctx))
        throw new Error(`rule ${name}: ${assertion.AssertDescription}`);
    }
  }
  const holds = (/** @type {{ Condition?: string }} */ item) =>
    item.Condition === undefined || conditions[item.Condition];
  const resources = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => holds(r))
      .map(([name, r]) => [name, { Type: r.Type, Properties: resolve(r.Properties ?? {}, ctx) }]),
  );
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs ?? {})
      .filter(([, o]) => holds(o))
      .map(([name, o]) => [name, resolve(o.Value, ctx)]),
  );
  return { resources, outputs };
}

/**
 * Defaults, AllowedValues and AllowedPattern, as CloudFormation checks them before anything runs.
 * @param {Record<string, any>} declared
 * @param {Record<string, string>} given
 */
function resolveParameters(declared, given) {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) throw new Error(`the template has no parameter ${name}`);
  }
  return Object.fromEntries(
    Object.entries(declared).map(([name, spec]) => {
      const value = given[name] ?? spec.Default;
      if (value === undefined) throw new Error(`parameter ${name} needs a value`);
      const text = String(value);
      if (spec.AllowedValues && !spec.AllowedValues.includes(text))
        throw new Error(`${name}: not an allowed value`);
      if (spec.AllowedPattern && !new RegExp(spec.AllowedPattern).test(text)) {
        throw new Error(`${name}: '${text}' does not match ${spec.AllowedPattern}`);
      }
      return [name, spec.Type === 'CommaDelimitedList' ? text.split(',') : text];
    }),
  );
}

/**
 * @typedef {{ params: Record<string, unknown>, pseudo: Record<string, string>,
 *   known: Record<string, unknown>, conditions: Record<string, boolean> }} Context
 * @param {unknown} node
 * @param {Context} ctx
 * @returns {any}
 */
function resolve(node, ctx) {
  if (Array.isArray(node)) return node.map((n) => resolve(n, ctx)).filter((v) => v !== NO_VALUE);
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  const [key] = keys;
  if (keys.length === 1 && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) {
    return intrinsic(key, /** @type {Record<string, any>} */ (node)[key], ctx);
  }
  return Object.fromEntries(
    Object.entries(node)
      .map(([k, v]) => [k, resolve(v, ctx)])
      .filter(([, v]) => v !== NO_VALUE),
  );
}

/**
 * @param {string} name
 * @param {any} arg
 * @param {Context} ctx
 */
function intrinsic(name, arg, ctx) {
  const r = (/** @type {unknown} */ v) => resolve(v, ctx);
  switch (name) {
    case 'Ref':
      return reference(arg, ctx);
    case 'Condition':
      return condition(arg, ctx);
    case 'Fn::If':
      return condition(arg[0], ctx) ? r(arg[1]) : r(arg[2]);
    case 'Fn::Equals':
      return String(r(arg[0])) === String(r(arg[1]));
    case 'Fn::Not':
      return !r(arg[0]);
    case 'Fn::And':
      return arg.every(r);
    case 'Fn::Or':
      return arg.some(r);
    case 'Fn::Join':
      return r(arg[1]).join(arg[0]);
    case 'Fn::Split':
      return String(r(arg[1])).split(arg[0]);
    case 'Fn::Select':
      return r(arg[1])[Number(r(arg[0]))];
    case 'Fn::GetAtt':
      return known(`${arg[0]}.${arg[1]}`, ctx);
    case 'Fn::Sub':
      return substitute(arg, ctx);
    default:
      throw new Error(`${name} is not supported by this renderer`);
  }
}

/**
 * @param {string} name
 * @param {Context} ctx
 */
function reference(name, ctx) {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (Object.hasOwn(ctx.params, name)) return ctx.params[name];
  if (Object.hasOwn(ctx.pseudo, name)) return ctx.pseudo[name];
  return known(name, ctx);
}

/**
 * @param {string} name
 * @param {Context} ctx
 */
function condition(name, ctx) {
  if (!Object.hasOwn(ctx.conditions, name)) throw new Error(`unknown condition ${name}`);
  return ctx.conditions[name];
}

/**
 * @param {string} name
 * @param {Context} ctx
 */
function known(name, ctx) {
  if (!Object.hasOwn(ctx.known, name)) throw new Error(`no value known for ${name}`);
  return ctx.known[name];
}

/**
 * `${Name}` is a parameter, pseudo parameter, resource Ref or `${Resource.Attribute}`; `${!x}` is literal.
 * @param {string | [string, Record<string, unknown>]} arg
 * @param {Context} ctx
 */
function substitute(arg, ctx) {
  const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
  return text.replace(/\$\{(!?)([^}]*)\}/g, (_, bang, name) => {
    if (bang) return `\${${name}}`;
    if (Object.hasOwn(vars, name)) return String(resolve(vars[name], ctx));
    return String(name.includes('.') ? known(name, ctx) : reference(name, ctx));
  });
}
