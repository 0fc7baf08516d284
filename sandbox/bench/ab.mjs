#!/usr/bin/env node
// @ts-check
// Two builds of the action in one sandbox run, for a change's effect on one feature's added main
// time: `node -e 0`, then for each build main alone and main with the feature (post after each
// main, as the bench's features phase does), rotating the order every round. Prints, per build,
// the median of the per-round differences as ms and as a multiple of `node -e 0`, and the load.
//
//   sandbox/in-namespace.sh node sandbox/bench/ab.mjs [--rounds N] [--feature F] [--rtt MS] A B
//
// A and B hold an action.yml and its dist/ (a checkout, or `git archive <ref> action.yml dist`
// unpacked); F is docker-mirror (default), images or rewrite; --rtt runs every main in WAN mode.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { featureMain } from './features.mjs';
import { stats, timeProcess } from './measure.mjs';

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {string[]} */
  const dirs = [];
  const o = { rounds: 12, feature: 'docker-mirror', rttMs: -1, dirs };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') o.rounds = Number(argv[++i]);
    else if (argv[i] === '--feature') o.feature = argv[++i];
    else if (argv[i] === '--rtt') o.rttMs = Number(argv[++i]);
    else o.dirs.push(path.resolve(argv[i]));
  }
  const features = ['docker-mirror', 'images', 'rewrite'];
  if (o.dirs.length !== 2 || !features.includes(o.feature) || !(o.rounds >= 1))
    throw new Error('usage: ab.mjs [--rounds N] [--feature F] [--rtt MS] DIR_A DIR_B');
  return o;
}

async function main() {
  if (process.env.SANDBOX_NS !== '1') throw new Error('run it under sandbox/in-namespace.sh');
  const o = parseArgs(process.argv.slice(2));
  const feature = /** @type {'docker-mirror' | 'images' | 'rewrite'} */ (o.feature);
  const { startSandbox } = await import('../sandbox.mjs');
  const loadBefore = os.loadavg()[0];
  const sb = await startSandbox({ actionDir: o.dirs[0], wan: o.rttMs >= 0, recordDocker: false });
  const scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'ab-'));
  const rssProbe = path.join(scratch, 'rss-probe.cjs');
  writeFileSync(
    rssProbe, // the bench's baseline probe, so `node -e 0` is the same spawn as there
    "process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
  const b = { sb, role: { 'role-to-assume': sb.roleArn } };
  if (o.rttMs >= 0) sb.wan?.setRtt(o.rttMs);
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const node = async () =>
    (await timeProcess(sb.node, ['-e', '0'], { env, rssProbe, rssFile: path.join(scratch, 'rss') }))
      .durationMs;
  /** @type {{ name: string, run: () => Promise<number> }[]} */
  const kinds = [{ name: 'node', run: node }];
  for (const actionDir of o.dirs) {
    const step = { actionDir, wan: o.rttMs >= 0 };
    kinds.push({ name: `${actionDir} alone`, run: () => featureMain(b, 'plain', scratch, step) });
    kinds.push({ name: `${actionDir} +`, run: () => featureMain(b, feature, scratch, step) });
  }
  /** @type {Record<string, number[]>} */
  const ms = Object.fromEntries(kinds.map((k) => [k.name, []]));
  try {
    for (const k of kinds) await k.run(); // warm-up
    for (let i = 0; i < o.rounds; i++) {
      const order = [...kinds.slice(i % kinds.length), ...kinds.slice(0, i % kinds.length)];
      for (const k of order) ms[k.name].push(await k.run());
    }
  } finally {
    await sb.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const nodeMs = stats(ms.node).median;
  const mode = o.rttMs >= 0 ? `WAN mode, ${o.rttMs} ms RTT` : 'plain sandbox';
  console.log(
    `${feature}, ${o.rounds} rounds, ${mode}; 1-minute load ${loadBefore.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)}; node -e 0 ${nodeMs.toFixed(1)} ms`,
  );
  for (const dir of o.dirs) {
    const added = stats(ms[`${dir} +`].map((x, i) => x - ms[`${dir} alone`][i])).median;
    console.log(
      `  ${dir}: main alone ${stats(ms[`${dir} alone`]).median.toFixed(1)} ms; ${feature} added ${added.toFixed(1)} ms = ${(added / nodeMs).toFixed(2)}× node -e 0 (median of per-round differences)`,
    );
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
