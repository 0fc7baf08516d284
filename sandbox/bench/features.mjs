// @ts-check
// What each opt-in feature adds to main, and docker-mirror's throughput, in the same run:
// main alone alternating with main + docker-mirror, + `images` (20 references) and + `rewrite`
// (5 Dockerfiles); then a large official image pulled directly from the public.ecr.aws stand-in
// and through the mirror, alternating, with the mirror's CPU time from /proc/<pid>/stat.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, stats } from './measure.mjs';

/** 7 seeded references (on ECR Public, on Docker Hub only) and 13 that neither serves. */
export const IMAGE_REFS = [
  'busybox:latest',
  'busybox:1.36',
  'busybox:stable',
  'nginx:1.27',
  'busybox:1.37',
  'nginx:1.27-alpine',
  'bitnami/redis:7.4',
  ...Array.from({ length: 13 }, (_, i) => `busybox:1.${i}.0`),
];
const DOCKERFILE = (/** @type {number} */ i) =>
  `FROM busybox:1.36 AS build\nRUN echo ${i}\nFROM nginx:1.27\nCOPY --from=build /bin/sh /sh\nCOPY --from=busybox:1.37 /bin/busybox /bb\n`;
export const FEATURES = /** @type {const} */ (['plain', 'docker-mirror', 'images', 'rewrite']);

/**
 * @typedef {import('./phases.mjs').Bench} Bench
 * @typedef {Record<(typeof FEATURES)[number], number[]>} FeatureRuns
 */

/** Main with each feature in turn (rotating the order), `pairs` times; post after each. @param {Bench} b @param {number} pairs @param {string} scratch */
export async function featureMains(b, pairs, scratch) {
  /** @type {FeatureRuns} */
  const runs = { plain: [], 'docker-mirror': [], images: [], rewrite: [] };
  for (let i = 0; i < pairs; i++) {
    const order = [...FEATURES.slice(i % 4), ...FEATURES.slice(0, i % 4)];
    for (const feature of order) runs[feature].push(await featureMain(b, feature, scratch));
  }
  return runs;
}

/**
 * Main with one feature (or none: 'plain'), then post; main's wall time. `o`: another build of
 * the action (sandbox/bench/ab.mjs), WAN mode.
 * @param {Pick<Bench, 'sb' | 'role'>} b @param {(typeof FEATURES)[number]} feature
 * @param {string} scratch @param {{ actionDir?: string, wan?: boolean }} [o]
 */
export async function featureMain(b, feature, scratch, o = {}) {
  const workDir = mkdtempSync(path.join(scratch, 'feature-job-'));
  /** @type {Record<string, string>} */
  const extra = {};
  if (feature === 'docker-mirror') extra['docker-mirror'] = 'true';
  if (feature === 'images') extra.images = IMAGE_REFS.join('\n');
  if (feature === 'rewrite') {
    for (let i = 1; i <= 5; i++) {
      mkdirSync(path.join(workDir, 'workspace', `svc${i}`), { recursive: true });
      writeFileSync(path.join(workDir, 'workspace', `svc${i}`, 'Dockerfile'), DOCKERFILE(i));
    }
    extra.rewrite = '**/Dockerfile';
  }
  mkdirSync(path.join(workDir, 'workspace'), { recursive: true });
  const env = { NODE_EXTRA_CA_CERTS: b.sb.infra.caCertPath };
  const main = await b.sb.step('main', {
    with: { ...b.role, ...extra },
    debug: false,
    workDir,
    env,
    ...o,
  });
  check(!main.failed, `main with ${feature}`, main);
  if (feature === 'docker-mirror') check(Boolean(main.outputs['docker-mirror']), 'no mirror', main);
  if (feature === 'rewrite') {
    const text = readFileSync(path.join(workDir, 'workspace', 'svc1', 'Dockerfile'), 'utf8');
    check(text.includes('public.ecr.aws/docker/library/nginx:1.27'), 'rewrite changed nothing');
  }
  const post = await b.sb.step('post', {
    state: main.state,
    dockerConfig: main.dockerConfig,
    actionDir: o.actionDir,
  });
  check(!post.failed, `post after main with ${feature}`, post);
  rmSync(workDir, { recursive: true, force: true });
  return main.durationMs;
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). @param {number} pid */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const TICKS_PER_S = 100; // USER_HZ on Linux

/**
 * A `docker pull` of a large official image, directly and through the mirror, alternating.
 * @param {Bench} b @param {number} pairs @param {number} layerBytes
 */
export async function mirrorThroughput(b, pairs, layerBytes) {
  const { sb } = b;
  const image = await sb.infra.seedLargeImage(layerBytes);
  const viaMirror = `${image.name}:${image.tag}`;
  const direct = `public.ecr.aws/docker/library/${viaMirror}`;
  const main = await sb.step('main', {
    with: { ...b.role, 'docker-mirror': 'true' },
    debug: false,
    env: { NODE_EXTRA_CA_CERTS: sb.infra.caCertPath }, // the mirror reaches the TLS front
  });
  check(!main.failed && Boolean(main.outputs['docker-mirror']), 'main with docker-mirror', main);
  const pid = JSON.parse(main.state.mirror ?? '{}').pid;
  check(Number.isInteger(pid), 'no mirror pid in the state', main);
  const pull = async (/** @type {string} */ ref) => {
    await sb.forget(direct);
    await sb.forget(viaMirror);
    const ticks = cpuTicks(pid);
    const started = process.hrtime.bigint();
    const r = await sb.docker(['pull', ref], { dockerConfig: main.dockerConfig });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    check(r.ok, `docker pull ${ref}: ${r.stderr}`);
    return { ms, mirrorCpuMs: ((cpuTicks(pid) - ticks) * 1000) / TICKS_PER_S };
  };
  /** @type {{ direct: number, mirror: number, mirrorCpuMs: number }[]} */
  const runs = [];
  try {
    // Pair -1 warms up, unrecorded: the first pulls of a fresh layer read the registry's files
    // from disk and start the mirror's upstream connection, whichever side goes first.
    for (let i = -1; i < pairs; i++) {
      const first = i % 2 === 0 ? direct : viaMirror;
      const a = await pull(first);
      const c = await pull(first === direct ? viaMirror : direct);
      const [d, m] = first === direct ? [a, c] : [c, a];
      if (i >= 0) runs.push({ direct: d.ms, mirror: m.ms, mirrorCpuMs: m.mirrorCpuMs });
    }
  } finally {
    await sb.forget(direct);
    await sb.forget(viaMirror);
    await sb.step('post', { state: main.state, dockerConfig: main.dockerConfig, debug: false });
  }
  return { layerBytes: image.layerBytes, runs };
}

/** @param {number[]} xs */
const med = (xs) => stats(xs).median;

/**
 * @param {FeatureRuns} features
 * @param {Awaited<ReturnType<typeof mirrorThroughput>>} pulls
 * @param {number} nodeMs
 */
export function featureSummary(features, pulls, nodeMs) {
  const plain = med(features.plain);
  const added = Object.fromEntries(
    FEATURES.filter((f) => f !== 'plain').map((f) => {
      const ms = med(features[f]) - plain;
      return [f, { mainMs: med(features[f]), addedMs: ms, overNode: ms / nodeMs }];
    }),
  );
  const mib = pulls.layerBytes / 2 ** 20;
  const ratio = stats(pulls.runs.map((r) => r.direct / r.mirror)).median;
  const cpuPerGiB = med(pulls.runs.map((r) => r.mirrorCpuMs)) / (pulls.layerBytes / 2 ** 30);
  return {
    n: features.plain.length,
    plainMs: plain,
    added,
    pull: {
      n: pulls.runs.length,
      layerMiB: mib,
      directMiBs: mib / (med(pulls.runs.map((r) => r.direct)) / 1000),
      mirrorMiBs: mib / (med(pulls.runs.map((r) => r.mirror)) / 1000),
      throughputRatio: ratio,
      mirrorCpuMsPerGiB: cpuPerGiB,
    },
  };
}

/** @param {ReturnType<typeof featureSummary>} f @param {number} nodeMs */
export function formatFeatures(f, nodeMs) {
  const rows = Object.entries(f.added).map(
    ([name, a]) =>
      `  + ${name.padEnd(14)} main ${a.mainMs.toFixed(1).padStart(7)} ms, added ${a.addedMs.toFixed(1).padStart(6)} ms = ${a.overNode.toFixed(2)}× node -e 0`,
  );
  const p = f.pull;
  return [
    `Features, same run (${f.n} rotations; main alone ${f.plainMs.toFixed(1)} ms; node -e 0 ${nodeMs.toFixed(1)} ms)`,
    ...rows,
    `docker-mirror throughput: ${p.layerMiB.toFixed(0)} MiB layer, ${p.n} alternating pairs: direct ${p.directMiBs.toFixed(0)} MiB/s, through the mirror ${p.mirrorMiBs.toFixed(0)} MiB/s; ratio ${p.throughputRatio.toFixed(2)}× (median of pairs); mirror CPU ${p.mirrorCpuMsPerGiB.toFixed(0)} ms per GiB pulled`,
  ].join('\n');
}

/** Goals of issue 20, as ratios of the same run. */
export const FEATURE_TARGET = { mainOverNode: 2.5, mirrorOverNode: 1.5, throughput: 0.95 };

/**
 * @param {ReturnType<typeof featureSummary>} f
 * @param {Record<string, import('./report.mjs').Stats>} summary
 * @returns {import('./report.mjs').Target[]}
 */
export function featureTargets(f, summary) {
  const node = summary.baselineWallMs.median;
  const main = summary.mainWallMs.median / node;
  const mirror = f.added['docker-mirror'].overNode;
  return [
    {
      name: 'main vs `node -e 0` (medians)',
      goal: `≤ ${FEATURE_TARGET.mainOverNode}×`,
      value: `${main.toFixed(2)}× (${summary.mainWallMs.median.toFixed(1)} vs ${node.toFixed(1)} ms; the floor ${(summary.floorWallMs.median / node).toFixed(2)}×)`,
      met: main <= FEATURE_TARGET.mainOverNode,
    },
    {
      name: "docker-mirror's added main time vs `node -e 0`",
      goal: `≤ ${FEATURE_TARGET.mirrorOverNode}×`,
      value: `${mirror.toFixed(2)}× (+${f.added['docker-mirror'].addedMs.toFixed(1)} ms)`,
      met: mirror <= FEATURE_TARGET.mirrorOverNode,
    },
    {
      name: 'docker pull through the mirror vs direct (throughput)',
      goal: `≥ ${FEATURE_TARGET.throughput}×`,
      value: `${f.pull.throughputRatio.toFixed(2)}× (${f.pull.layerMiB.toFixed(0)} MiB layer, ${f.pull.n} pairs)`,
      met: f.pull.throughputRatio >= FEATURE_TARGET.throughput,
    },
  ];
}
