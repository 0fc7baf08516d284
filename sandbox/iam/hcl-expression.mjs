// @ts-check
// Evaluates the HCL expressions `@cdktf/hcl2json` leaves as strings ("${...}"), for the slice of
// the language iam/terraform uses: literals, quoted templates, lists, objects, references with
// .attr and [index], ! - && || == != < > <= >=, `a ? b : c`, `[for k, v in x : body if cond]`
// and a few functions. Anything else (object for expressions, splats, heredocs, template
// directives, other functions) throws, so a module
// change this evaluator cannot follow fails the tests instead of being misread.

/**
 * @typedef {(name: string) => unknown} Scope resolves a root name (var, local, data, a resource type)
 * @typedef {{ kind: string, [key: string]: any }} Node
 */

const FUNCTIONS = /** @type {Record<string, (...args: any[]) => unknown>} */ ({
  jsonencode: (value) => JSON.stringify(value),
  concat: (...lists) => lists.flat(1),
  length: (value) => (typeof value === 'string' ? [...value].length : Object.keys(value).length),
  contains: (list, value) => list.some((/** @type {unknown} */ item) => deepEqual(item, value)),
  regex: (pattern, text) => {
    const match = new RegExp(pattern).exec(text);
    if (!match) throw new Error(`regex: "${text}" does not match ${pattern}`);
    return match[0];
  },
});

/**
 * Evaluates an attribute value as hcl2json gives it: a string is a template, lists and objects
 * (from nested blocks) are evaluated member by member, other JSON values are themselves.
 * @param {unknown} value
 * @param {Scope} scope
 * @returns {unknown}
 */
export function evaluateAttribute(value, scope) {
  if (typeof value === 'string') return evaluate(new Parser(value).wholeTemplate(), scope);
  if (Array.isArray(value)) return value.map((v) => evaluateAttribute(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, evaluateAttribute(v, scope)]),
    );
  }
  return value;
}

/**
 * @param {Node} node
 * @param {Scope} scope
 * @returns {unknown}
 */
function evaluate(node, scope) {
  const ev = (/** @type {Node} */ n) => evaluate(n, scope);
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'template': {
      const parts = node.parts.map((/** @type {string | Node} */ p) =>
        typeof p === 'string' ? p : ev(p),
      );
      if (parts.length === 1 && typeof node.parts[0] !== 'string') return parts[0];
      return parts.map(toText).join('');
    }
    case 'list':
      return node.items.map(ev);
    case 'object':
      return Object.fromEntries(
        node.items.map((/** @type {[Node, Node]} */ [k, v]) => [String(ev(k)), ev(v)]),
      );
    case 'root':
      return scope(node.name);
    case 'get':
      return get(ev(node.target), ev(node.key));
    case 'call':
      return call(node, scope);
    case 'unary':
      return node.op === '!' ? !truth(ev(node.operand)) : -Number(ev(node.operand));
    case 'binary':
      return binary(
        node.op,
        () => ev(node.left),
        () => ev(node.right),
      );
    case 'conditional':
      return truth(ev(node.test)) ? ev(node.then) : ev(node.else);
    case 'for':
      return forList(node, scope);
    default:
      throw new Error(`cannot evaluate ${node.kind}`);
  }
}

/**
 * A list for expression; an object is walked in its keys' lexical order, as Terraform does.
 * @param {Node} node
 * @param {Scope} scope
 */
function forList(node, scope) {
  const collection = /** @type {any} */ (evaluate(node.collection, scope));
  const entries = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : Object.keys(collection)
        .sort()
        .map((k) => [k, collection[k]]);
  const out = [];
  for (const [key, value] of entries) {
    /** @type {Scope} */
    const inner = (name) => (name === node.value ? value : name === node.key ? key : scope(name));
    if (node.cond && !truth(evaluate(node.cond, inner))) continue;
    out.push(evaluate(node.body, inner));
  }
  return out;
}

/**
 * @param {Node} node
 * @param {Scope} scope
 */
function call(node, scope) {
  // can() turns an error in its argument into false, so it must see the error, not a value.
  if (node.name === 'can') {
    try {
      evaluate(node.args[0], scope);
      return true;
    } catch {
      return false;
    }
  }
  const fn = FUNCTIONS[node.name];
  if (!fn) throw new Error(`function ${node.name}() is not supported`);
  return fn(...node.args.map((/** @type {Node} */ a) => evaluate(a, scope)));
}

/**
 * @param {string} op
 * @param {() => unknown} left
 * @param {() => unknown} right
 */
function binary(op, left, right) {
  if (op === '&&') return truth(left()) && truth(right());
  if (op === '||') return truth(left()) || truth(right());
  const [a, b] = [left(), right()];
  if (op === '==') return deepEqual(a, b);
  if (op === '!=') return !deepEqual(a, b);
  const [x, y] = [Number(a), Number(b)];
  return { '<': x < y, '>': x > y, '<=': x <= y, '>=': x >= y }[op];
}

/**
 * @param {unknown} target
 * @param {unknown} key
 */
function get(target, key) {
  if (target === null || typeof target !== 'object' || !Object.hasOwn(target, String(key))) {
    throw new Error(`unknown attribute or index ${String(key)}`);
  }
  return /** @type {Record<string, unknown>} */ (target)[String(key)];
}

/** @param {unknown} value */
function truth(value) {
  if (typeof value !== 'boolean') throw new Error(`expected a bool, got ${JSON.stringify(value)}`);
  return value;
}

/** @param {unknown} value */
function toText(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`cannot interpolate ${JSON.stringify(value)} into a string`);
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A scannerless recursive-descent parser over one expression source. */
class Parser {
  /** @param {string} src */
  constructor(src) {
    this.src = src;
    this.pos = 0;
  }

  /** The whole text is a template (hcl2json's strings); it must all be consumed. */
  wholeTemplate() {
    const node = this.template('');
    if (this.pos !== this.src.length) this.fail('unexpected text');
    return node;
  }

  /**
   * Literal text and ${...} parts up to `end` (`"` inside expressions, '' for the whole text).
   * @param {string} end
   */
  template(end) {
    /** @type {(string | Node)[]} */
    const parts = [];
    let text = '';
    while (this.pos < this.src.length && !(end && this.src[this.pos] === end)) {
      if (this.src.startsWith('%{', this.pos)) this.fail('template directives are not supported');
      if (this.src.startsWith('$${', this.pos)) {
        text += '${';
        this.pos += 3;
      } else if (this.src.startsWith('${', this.pos)) {
        if (text) parts.push(text);
        text = '';
        this.pos += 2;
        parts.push(this.expression());
        this.expect('}');
      } else if (end && this.src[this.pos] === '\\') {
        text += unescape(this.src[this.pos + 1]);
        this.pos += 2;
      } else {
        text += this.src[this.pos++];
      }
    }
    if (text || parts.length === 0) parts.push(text);
    return { kind: 'template', parts };
  }

  /** @returns {Node} */
  expression() {
    const test = this.binary(0);
    if (!this.eat('?')) return test;
    const then = this.expression();
    this.expect(':');
    return { kind: 'conditional', test, then, else: this.expression() };
  }

  /**
   * Precedence climbing over HCL's binary operators (arithmetic is not supported).
   * @param {number} level
   * @returns {Node}
   */
  binary(level) {
    const levels = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>']];
    if (level === levels.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = levels[level].find((o) => this.eat(o));
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.binary(level + 1) };
    }
  }

  /** @returns {Node} */
  unary() {
    if (this.eat('!')) return { kind: 'unary', op: '!', operand: this.unary() };
    if (this.eat('-')) return { kind: 'unary', op: '-', operand: this.unary() };
    let node = this.primary();
    for (;;) {
      if (this.eat('[*]') || this.eat('.*')) this.fail('splat expressions are not supported');
      if (this.eat('.')) node = { kind: 'get', target: node, key: this.literal(this.identifier()) };
      else if (this.eat('[')) {
        node = { kind: 'get', target: node, key: this.expression() };
        this.expect(']');
      } else return node;
    }
  }

  /** @returns {Node} */
  primary() {
    this.skip();
    const ch = this.src[this.pos];
    if (ch === '"') {
      this.pos++;
      const node = this.template('"');
      this.expect('"');
      return node;
    }
    if (ch === '(') {
      this.pos++;
      const node = this.expression();
      this.expect(')');
      return node;
    }
    if (ch === '[' && /^\[\s*for\s/.test(this.src.slice(this.pos))) return this.forList();
    if (ch === '{' && /^\{\s*for\s/.test(this.src.slice(this.pos))) {
      this.fail('object for expressions are not supported');
    }
    if (ch === '[') return this.sequence('[', ']', () => this.expression(), 'list');
    if (ch === '{') return this.sequence('{', '}', () => this.objectItem(), 'object');
    if (/[0-9]/.test(ch ?? '')) return this.literal(Number(this.match(/[0-9]+(\.[0-9]+)?/)));
    if (this.src.startsWith('<<', this.pos)) this.fail('heredocs are not supported');
    const name = this.identifier();
    if (name === 'for') this.fail('for expressions are not supported');
    if (name === 'true' || name === 'false') return this.literal(name === 'true');
    if (name === 'null') return this.literal(null);
    if (!this.eat('(')) return { kind: 'root', name };
    /** @type {Node[]} */
    const args = [];
    while (!this.eat(')')) {
      args.push(this.expression());
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return { kind: 'call', name, args };
  }

  /** `[for [key,] value in collection : body [if cond]]` */
  forList() {
    this.expect('[');
    this.identifier(); // for
    let key = null;
    let value = this.identifier();
    if (this.eat(',')) {
      key = value;
      value = this.identifier();
    }
    if (this.identifier() !== 'in') this.fail("expected 'in'");
    const collection = this.expression();
    this.expect(':');
    const body = this.expression();
    this.skip();
    const cond =
      /^if\s/.test(this.src.slice(this.pos)) && this.identifier() ? this.expression() : null;
    this.expect(']');
    return { kind: 'for', key, value, collection, body, cond };
  }

  /**
   * A list or object body: items separated by commas or newlines, a trailing comma allowed.
   * @param {string} open
   * @param {string} close
   * @param {() => any} item
   * @param {string} kind
   * @returns {Node}
   */
  sequence(open, close, item, kind) {
    this.expect(open);
    const items = [];
    while (!this.eat(close)) {
      items.push(item());
      this.eat(',');
    }
    return { kind, items };
  }

  /** `key = value` or `key: value`; a bare identifier key is its own name, as in HCL. */
  objectItem() {
    this.skip();
    const key = /[A-Za-z_]/.test(this.src[this.pos])
      ? this.literal(this.identifier())
      : this.expression();
    if (!this.eat('=')) this.expect(':');
    return [key, this.expression()];
  }

  identifier() {
    this.skip();
    return this.match(/[A-Za-z_][A-Za-z0-9_-]*/);
  }

  /** @param {unknown} value */
  literal(value) {
    return { kind: 'literal', value };
  }

  /** @param {RegExp} re */
  match(re) {
    const m = new RegExp(re.source, 'y');
    m.lastIndex = this.pos;
    const found = m.exec(this.src);
    if (!found) this.fail(`expected ${re.source}`);
    this.pos = m.lastIndex;
    return /** @type {RegExpExecArray} */ (found)[0];
  }

  /** @param {string} token */
  eat(token) {
    this.skip();
    if (!this.src.startsWith(token, this.pos)) return false;
    // `=` must not swallow `==`, nor `!` swallow `!=`, nor `<`/`>` their `=` forms.
    if (
      (token === '=' || token === '!' || token === '<' || token === '>') &&
      this.src[this.pos + 1] === '='
    ) {
      return false;
    }
    this.pos += token.length;
    return true;
  }

  /** @param {string} token */
  expect(token) {
    if (!this.eat(token)) this.fail(`expected '${token}'`);
  }

  skip() {
    while (/\s/.test(this.src[this.pos] ?? '') || this.src.startsWith('#', this.pos)) {
      if (this.src[this.pos] === '#')
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      else this.pos++;
    }
  }

  /** @param {string} what */
  fail(what) {
    throw new Error(`HCL: ${what} at ${this.pos} in ${JSON.stringify(this.src.slice(0, 120))}`);
  }
}

/** @param {string} ch */
function unescape(ch) {
  return { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }[ch] ?? `\\${ch}`;
}
