// @ts-check
// The benchmark's measuring tools: timed processes with a peak-RSS probe, statistics, and the
// check that fails the bench on a broken run (never on timing).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

/** A run that did not do what it should: the bench fails on this (never on timing). */
export class BrokenRun extends Error {}

/**
 * @param {boolean} ok
 * @param {string} what
 * @param {{ stdout?: string, stderr?: string, exitCode?: number } | undefined} [r]
 */
export function check(ok, what, r) {
  if (ok) return;
  const detail = r
    ? `\n  exit code ${r.exitCode}\n  stdout: ${(r.stdout ?? '').slice(-1500)}\n  stderr: ${(r.stderr ?? '').slice(-1500)}`
    : '';
  throw new BrokenRun(`broken run: ${what}${detail}`);
}

/** @param {number[]} xs */
export function stats(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0, min: NaN, median: NaN, max: NaN };
  const m = Math.floor(n / 2);
  return { n, min: s[0], median: n % 2 ? s[m] : (s[m - 1] + s[m]) / 2, max: s[n - 1] };
}

/** @param {string} file */
export const readIfThere = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Runs a process the way runner.mjs does (own process group, stdio piped, wall time from
 * spawn() to the 'exit' event), with `rssProbe` preloaded so its peak RSS is comparable.
 * @param {string} node
 * @param {string[]} args
 * @param {{ env: Record<string, string>, rssProbe: string, rssFile: string }} o
 */
export function timeProcess(node, args, o) {
  return new Promise((resolve, reject) => {
    rmSync(o.rssFile, { force: true });
    const started = process.hrtime.bigint();
    let durationMs = 0;
    const child = spawn(node, ['--require', o.rssProbe, ...args], {
      env: { ...o.env, BENCH_RSS_FILE: o.rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    /** @type {Buffer[]} */ const out = [];
    /** @type {Buffer[]} */ const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.once('error', reject);
    child.once('exit', () => {
      durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    });
    child.once('close', (code) =>
      resolve({
        exitCode: code ?? 1,
        durationMs,
        peakRssKb: Number(readIfThere(o.rssFile)) || NaN,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Counters of the fakes after minus before: requests per endpoint. */
/** @param {{ oidc: number, sts: number, ecr: number }} a @param {{ oidc: number, sts: number, ecr: number }} b */
export const delta = (a, b) => ({ oidc: b.oidc - a.oidc, sts: b.sts - a.sts, ecr: b.ecr - a.ecr });
