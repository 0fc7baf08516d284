// @ts-check
// The performance table of docs/performance.md, from a bench run (`npm run bench`): what of the
// run the table quotes (kept in figures/bench.json) and the table itself. Used by
// scripts/readme-figures.mjs.

/** @typedef {Record<string, any>} BenchResult bench-results/bench.json */

/**
 * What the table quotes from a bench run: the machine, the settings, the same-run comparison,
 * the medians it cites and the targets.
 * @param {BenchResult} run
 */
export function benchRecordOf(run) {
  const { machine: m, config, comparison, summary, dist, targets } = run;
  return {
    machine: {
      date: m.date,
      cpu: m.cpu,
      nproc: m.nproc,
      memGiB: m.memGiB,
      kernel: m.kernel,
      node: m.bundleNode,
      docker: m.docker,
      load: [m.loadAvgBefore[0], m.loadAvgAfter[0]],
      git: m.git,
    },
    config: { runs: config.runs, pairs: config.pairs, rttMs: config.rttMs },
    comparison,
    medians: {
      mainMs: summary.mainWallMs.median,
      floorMs: summary.floorWallMs?.median,
      mainRssMiB: summary.mainRssKb.median / 1024,
      nodeRssMiB: summary.baselineRssKb.median / 1024,
    },
    distBytes: dist.total.bytes,
    targets: /** @type {{ name: string, met: boolean }[]} */ (targets).map((/** @type {{ name: string, met: boolean }} */ t) => ({
      name: t.name,
      met: t.met,
    })),
  };
}

const ms = (/** @type {number} */ x) => `${Math.round(x)} ms`;
const times = (/** @type {number} */ x) => `${x.toFixed(2)}×`;
/** For the ratios with a two-decimal goal: 0.423 must not print as a met 0.42. */
const times3 = (/** @type {number} */ x) => `${x.toFixed(3)}×`;

/**
 * The intro line and the table rows.
 * @param {ReturnType<typeof benchRecordOf>} r
 * @returns {{ intro: string, header: string[], rows: string[][] }}
 */
export function performanceTable(r) {
  const { comparison: c, machine: m } = r;
  const node = c.nodeMs;
  const x = (/** @type {number} */ v) => times(v / node);
  const met = (/** @type {string} */ prefix) =>
    r.targets.find((t) => t.name.startsWith(prefix))?.met ? 'met' : '**not met**';
  const side = (/** @type {any} */ s) =>
    `${ms(s.ours.totalMs)} vs ${ms(s.chain.totalMs)}; steps ${ms(s.ours.stepsMs)} vs ${ms(s.chain.stepsMs)}`;
  const intro = [
    `One run of \`npm run bench\` on ${m.date.slice(0, 10)} (${m.cpu} × ${m.nproc}, ${m.memGiB} GiB, ${m.kernel}; bundles on Node ${m.node.replace(/^v/, '')}; ${m.docker.replace(/, build .*/, '')}; git ${m.git}),`,
    `${r.config.runs} counted runs and ${r.config.pairs} alternating job pairs, with other work on the machine (1-minute load ${m.load[0].toFixed(1)} before, ${m.load[1].toFixed(1)} after),`,
    `which inflates every millisecond: read the ratios. \`node -e 0\` took ${ms(node)} in this run.`,
  ].join('\n');
  const { plain, wan, cache } = c;
  const rows = [
    ['main step', ms(r.medians.mainMs), x(r.medians.mainMs), `≤ 2.5×: ${met('main vs')}`],
    ...(r.medians.floorMs === undefined
      ? []
      : [
          [
            'the floor: main\'s work done plainly (`sandbox/bench/floor-action`)',
            ms(r.medians.floorMs),
            x(r.medians.floorMs),
            '–',
          ],
        ]),
    ['post step', ms(c.postMs), x(c.postMs), `≤ 1.4× \`node -e 0\`: ${met('post step')}`],
    [
      'job (login, `docker pull`, logout) vs the two-action chain',
      side(plain),
      `job ${times3(plain.jobRatio.median)}, steps ${times3(plain.stepsRatio.median)} the chain`,
      `job ≤ 0.42×: ${met('job wall')}; steps ≤ 0.30×: ${met('action steps')}`,
    ],
    [
      `the same in WAN mode (${wan.rttMs} ms RTT, TLS)`,
      side(wan),
      `job ${times(wan.jobRatio.median)}, steps ${times(wan.stepsRatio.median)} the chain`,
      '–',
    ],
    [
      `main in WAN mode (${wan.rttMs} ms RTT)`,
      `${ms(wan.mainWanMs)}; without the delay ${ms(wan.mainNoDelayMs)}`,
      x(wan.mainWanMs),
      `≤ that + 5 RTT + \`docker login\`'s own ${ms(wan.loginDelayMs)} = ${ms(wan.floorMs)}: ${met('main in WAN')}`,
    ],
    [
      'main, compile cache off / cold / warm (self-hosted)',
      `${ms(cache.off.main.median)} / ${ms(cache.cold.main.median)} / ${ms(cache.warm.main.median)}`,
      `${x(cache.off.main.median)} / ${x(cache.cold.main.median)} / ${x(cache.warm.main.median)}`,
      '–',
    ],
    [
      'peak RSS, main',
      `${r.medians.mainRssMiB.toFixed(1)} MiB (\`node -e 0\`: ${r.medians.nodeRssMiB.toFixed(1)})`,
      times(r.medians.mainRssMiB / r.medians.nodeRssMiB),
      `≤ 60 MiB: ${met('peak RSS')}`,
    ],
    ['dist/ total', `${(r.distBytes / 1e6).toFixed(3)} MB`, '–', `≤ 1.3 MB: ${met('dist/')}`],
  ];
  return { intro, header: ['figure (medians)', 'measured', 'ratio', 'target'], rows };
}
