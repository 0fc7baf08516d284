// The HCL expression slice sandbox/iam/terraform.mjs evaluates, and what it refuses.
import { evaluateAttribute } from '../../sandbox/iam/hcl-expression.mjs';

const scope = (name: string): unknown => {
  const roots: Record<string, unknown> = {
    var: { org: 'octo-org', empty: '', list: ['a', 'b'], n: 2 },
    aws_iam_role: { this: [{ arn: 'arn:role' }] },
  };
  if (!(name in roots)) throw new Error(`unknown ${name}`);
  return roots[name];
};
const ev = (text: string) => evaluateAttribute(text, scope);

test('templates, references, indexes and literals', () => {
  expect(ev('repo:${var.org}/app:*')).toBe('repo:octo-org/app:*');
  expect(ev('${var.list}')).toEqual(['a', 'b']);
  expect(ev('${aws_iam_role.this[0].arn}')).toBe('arn:role');
  expect(ev('${["x", 1, true, null]}')).toEqual(['x', 1, true, null]);
  expect(ev('literal $${not} interpolated')).toBe('literal ${not} interpolated');
  expect(ev('${"a \\"quoted\\" ${var.org}"}')).toBe('a "quoted" octo-org');
});

test('operators and the conditional', () => {
  expect(ev('${var.empty == "" && var.n > 1}')).toBe(true);
  expect(ev('${var.empty != "" || !(var.n >= 3)}')).toBe(true);
  expect(ev('${var.empty == "" ? [var.org] : []}')).toEqual(['octo-org']);
  expect(ev('${var.n <= 1 ? "low" : "high"}')).toBe('high');
});

test('list for expressions over lists and objects (keys in lexical order), with if', () => {
  expect(ev('${[for s in var.list : "${s}!"]}')).toEqual(['a!', 'b!']);
  expect(ev('${[for i, s in var.list : i if s != "a"]}')).toEqual([1]);
  expect(ev('${[for k, v in { b = 2, a = 1, c = 3 } : "${k}=${v}" if v > 1]}')).toEqual([
    'b=2',
    'c=3',
  ]);
});

test('objects (newline or comma separated, comments allowed) and functions', () => {
  const text =
    '${jsonencode({\n  Version = "2012-10-17" # why\n  "a:b" = concat(var.list, ["c"]), Len = length(var.list)\n})}';
  expect(JSON.parse(ev(text) as string)).toEqual({
    Version: '2012-10-17',
    'a:b': ['a', 'b', 'c'],
    Len: 2,
  });
  expect(ev('${can(regex("^[a-z-]+$", var.org))}')).toBe(true);
  expect(ev('${can(regex("^[0-9]+$", var.org))}')).toBe(false);
  expect(ev('${contains(["a"], var.list[0])}')).toBe(true);
});

test.each([
  ['${{for s in var.list : s => s}}', /object for expressions/],
  ['${var.list[*]}', /splat/],
  ['%{ if true }x%{ endif }', /directives/],
  ['${upper(var.org)}', /upper\(\) is not supported/],
  ['${var.missing}', /unknown attribute/],
  ['${nowhere.x}', /unknown nowhere/],
  ['${var.org ? 1 : 2}', /expected a bool/],
  ['${var.org', /expected '}'/],
])('refuses %s', (text, message) => {
  expect(() => ev(text)).toThrow(message);
});
