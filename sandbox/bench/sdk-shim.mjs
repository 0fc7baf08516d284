// @ts-check
// The SDK chunk alone, for the benchmark's start-up figures: `node sandbox/bench/sdk-shim.mjs`
// with BENCH_SHIM = JSON of shimConfig() (bench/dist.mjs). Loads the chunk(s) in a bare node with
// a minimal copy of ncc's webpack runtime, evaluates the aws-sdk.ts module (what main's loadSdk()
// resolves to), then every other module of the chunk (what the first STS/ECR calls evaluate
// lazily), and prints the stage times as JSON.
import { createRequire } from 'node:module';

/**
 * @typedef {{ dist: string, chunks: string[], entries: string[], builtins: Record<string, string> }} ShimConfig
 * @typedef {{ exports: any }} Module
 * @typedef {(this: any, m: Module, e: any, r: WebpackRequire) => void} ModuleFactory
 * @typedef {((id: string) => any) & Record<string, any>} WebpackRequire
 */

/** @type {ShimConfig} */
const cfg = JSON.parse(process.env.BENCH_SHIM ?? '{}');
const nodeRequire = createRequire(cfg.dist + '/index.js');
const t0 = performance.now();
/** @type {Record<string, ModuleFactory>} */
const modules = {};
for (const [id, name] of Object.entries(cfg.builtins)) {
  modules[id] = (m) => void (m.exports = nodeRequire(name));
}
for (const url of cfg.chunks) Object.assign(modules, (await import(url)).modules);
const t1 = performance.now();
const req = webpackRequire(modules, cfg.dist);
if (!cfg.entries.length)
  throw new Error('no module re-exporting ECRPUBLICClient found in the chunks');
for (const id of cfg.entries) req(id);
const t2 = performance.now();
let failures = 0;
for (const id of Object.keys(modules)) {
  try {
    req(id);
  } catch {
    failures++;
  }
}
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({
    importMs: t1 - t0,
    entryMs: t2 - t1,
    restMs: t3 - t2,
    modules: Object.keys(modules).length,
    failures,
  }),
);

/**
 * The parts of ncc's webpack runtime the SDK chunk calls (`__webpack_require__` and helpers).
 * @param {Record<string, ModuleFactory>} modules
 * @param {string} dist
 * @returns {WebpackRequire}
 */
function webpackRequire(modules, dist) {
  /** @type {Record<string, Module>} */
  const cache = {};
  /** @type {WebpackRequire} */
  const req = (id) => {
    const hit = cache[id];
    if (hit) return hit.exports;
    const m = (cache[id] = { exports: {} });
    // A module of main's own bundle (our code the SDK chunk shares, e.g. net/request's time-out
    // error) is not in any chunk: an empty stand-in, since evaluating the SDK never calls it.
    if (!modules[id]) return m.exports;
    let failed = true;
    try {
      modules[id].call(m.exports, m, m.exports, req);
      failed = false;
    } finally {
      if (failed) delete cache[id];
    }
    return m.exports;
  };
  /** @param {object} o @param {PropertyKey} k */
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  req.m = modules;
  req.ab = dist + '/';
  req.o = own;
  /** @param {any} e @param {Record<string, () => unknown>} t */
  req.d = (e, t) => {
    for (const k in t) {
      if (own(t, k) && !own(e, k)) Object.defineProperty(e, k, { enumerable: true, get: t[k] });
    }
  };
  /** @param {object} e */
  req.r = (e) => {
    Object.defineProperty(e, Symbol.toStringTag, { value: 'Module' });
    Object.defineProperty(e, '__esModule', { value: true });
  };
  /** @param {any} e */
  req.n = (e) => {
    const g = e && e.__esModule ? () => e.default : () => e;
    req.d(g, { a: g });
    return g;
  };
  req.t = namespaceOf;
  req.e = () => Promise.resolve();
  /** @param {string} id */
  req.u = (id) => id + '.index.js';
  return req;
}

/**
 * webpack's `__webpack_require__.t`: a module value as a namespace object, by mode bits.
 * @this {WebpackRequire}
 * @param {any} r
 * @param {number} n
 */
function namespaceOf(r, n) {
  if (n & 1) r = this(r);
  if (n & 8) return r;
  if (typeof r === 'object' && r) {
    if (n & 4 && r.__esModule) return r;
    if (n & 16 && typeof r.then === 'function') return r;
  }
  const ns = Object.create(null);
  this.r(ns);
  /** @type {Record<string, () => unknown>} */
  const defs = {};
  for (
    let cur = n & 2 && r;
    typeof cur == 'object' && cur && cur !== Object.prototype;
    cur = Object.getPrototypeOf(cur)
  ) {
    Object.getOwnPropertyNames(cur).forEach((k) => (defs[k] = () => r[k]));
  }
  defs.default = () => r;
  this.d(ns, defs);
  return ns;
}
