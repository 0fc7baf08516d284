// Decides, per image reference, whether the logged-in mirror serves that exact tag or digest:
// one HEAD on its manifest (plus one on Docker Hub's with verify-digest), checked in parallel,
// retried on throttling and server errors. A reference is pointed at the mirror only on proof.
import { describeError } from '../common/errors.js';
import { DOCKER_HUB, DOCKER_HUB_API_HOST, splitPrefix } from '../registry/names.js';
import { retry } from '../net/retry.js';
import { MANIFEST_TYPES } from '../registry/client.js';
import type http from 'node:http';
import { isTransientNetworkError } from '../net/network-errors.js';
import { HostHealth } from './hosts.js';
import {
  manifestReference,
  officialName,
  parseReference,
  qualified,
  referenceSuffix,
  type ImageReference,
} from './reference.js';

/** What a reference resolved to. */
export interface Resolution {
  /** The reference to pull: the mirror's, or the fully qualified original. */
  pull: string;
  mirrored: boolean;
  /** Why it stays on its registry; undefined when mirrored or already on the mirror. */
  reason?: string;
  /** True when a registry could not answer, so whether it is mirrored is not known. */
  unchecked?: boolean;
}

/** The part of RegistryClient the resolver needs. */
export interface ManifestClient {
  request(r: {
    method: 'HEAD';
    path: string;
    repository: string;
    accept: string[];
    signal?: AbortSignal;
  }): Promise<http.IncomingMessage>;
}

export interface ResolveOptions {
  /** The logged-in registry's library prefix (`public.ecr.aws/docker/library`); '' for none. */
  libraryPrefix: string;
  verifyDigest: boolean;
  /**
   * A client for a registry host (`public.ecr.aws`, `registry-1.docker.io`); the mirror's is
   * asked for first, with every repository it will be asked about (for a one-token scope).
   */
  clientFor: (host: string, repositories?: string[]) => ManifestClient;
  maxAttempts?: number;
  /** The phase's bound: a reference not checked within it stays where it is. None: unbounded. */
  boundMs?: number;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  warn?: (message: string) => void;
}

const DEFAULT_CONCURRENCY = 8;

/** Resolves each distinct reference once, at most `concurrency` at a time; keyed as written. */
export async function resolveReferences(
  references: readonly string[],
  options: ResolveOptions,
): Promise<Map<string, Resolution>> {
  const distinct = [...new Set(references)];
  const mirror = options.libraryPrefix ? splitPrefix(options.libraryPrefix) : undefined;
  const names = distinct.map((text) => officialName(parseReference(text)));
  if (mirror && mirror.host !== DOCKER_HUB) {
    const repositories = [...new Set(names.filter((n) => n !== undefined))];
    options.clientFor(
      mirror.host,
      repositories.map((name) => `${mirror.path}/${name}`),
    );
  }
  const results = new Map<string, Resolution>();
  const run = startRun(options);
  let next = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const text = distinct[next++];
      results.set(text, await resolveOne(text, options, run));
    }
  };
  const workers = Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, distinct.length);
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    run.stop();
  }
  return new Map(distinct.map((text) => [text, results.get(text) as Resolution]));
}

/** What the references of one resolution share: the phase's bound and the hosts' health. */
interface Run {
  signal: AbortSignal;
  deadline: number;
  /** Why nothing more is asked: the bound has passed. */
  overdue: string;
  hosts: HostHealth;
  stop: () => void;
}

function startRun(options: ResolveOptions): Run {
  const controller = new AbortController();
  const bound = options.boundMs ?? Infinity;
  const timer = Number.isFinite(bound) ? setTimeout(() => controller.abort(), bound) : undefined;
  return {
    signal: controller.signal,
    deadline: Date.now() + bound,
    overdue: `not checked within image resolution's ${Math.round(bound / 1000)} s bound`,
    hosts: new HostHealth(),
    stop: () => clearTimeout(timer),
  };
}

async function resolveOne(text: string, options: ResolveOptions, run: Run): Promise<Resolution> {
  const ref = parseReference(text);
  const name = officialName(ref);
  const stays = (reason?: string, unchecked?: boolean): Resolution => ({
    pull: qualified(ref),
    mirrored: false,
    reason,
    ...(unchecked ? { unchecked } : {}),
  });
  const mirror = options.libraryPrefix ? splitPrefix(options.libraryPrefix) : undefined;
  const hasMirror = mirror !== undefined && mirror.host !== DOCKER_HUB;
  if (hasMirror && qualified(ref).startsWith(`${options.libraryPrefix}/`)) return stays();
  if (ref.registry !== DOCKER_HUB) return stays('not a Docker Hub image');
  if (!name) return stays('not an official image');
  if (!hasMirror) return stays('no mirror logged in');
  const problem = await mirrorProblem(ref, `${mirror.path}/${name}`, mirror.host, options, run);
  if (problem) return stays(problem.reason, problem.unchecked);
  return { pull: `${options.libraryPrefix}/${name}${referenceSuffix(ref)}`, mirrored: true };
}

interface Problem {
  reason: string;
  unchecked?: boolean;
}

/** Undefined when the mirror serves this tag or digest (with the same digest, if asked). */
async function mirrorProblem(
  ref: ImageReference,
  repository: string,
  host: string,
  options: ResolveOptions,
  run: Run,
): Promise<Problem | undefined> {
  const compareDigests = options.verifyDigest && !ref.digest;
  const [onMirror, onHub] = await Promise.all([
    headManifest(options, run, host, repository, manifestReference(ref)),
    compareDigests
      ? headManifest(options, run, DOCKER_HUB_API_HOST, ref.repository, manifestReference(ref))
      : ({ found: false } as Head),
  ]);
  if ('failure' in onMirror) {
    const reason = `mirror check failed: ${onMirror.failure}`;
    options.warn?.(`${qualified(ref)} stays on Docker Hub: ${reason}`);
    return { reason, unchecked: true };
  }
  if (!onMirror.found) {
    return { reason: ref.digest ? 'digest not on the mirror' : 'tag not on the mirror' };
  }
  if (!compareDigests) return undefined;
  if ('failure' in onHub) {
    return { reason: `Docker Hub check failed: ${onHub.failure}`, unchecked: true };
  }
  if (!onHub.digest || onHub.digest !== onMirror.digest) return { reason: 'digest differs' };
  return undefined;
}

type Head = { found: boolean; digest?: string } | { failure: string };

class RetryableStatus extends Error {}

/** One HEAD on a manifest, retried on 429, 5xx and network errors; 200 and 404 are answers. */
async function headManifest(
  options: ResolveOptions,
  run: Run,
  host: string,
  repository: string,
  reference: string,
): Promise<Head> {
  const path = `/v2/${repository}/manifests/${reference}`;
  try {
    return await retry(() => headOnce(options.clientFor(host), run, host, repository, path), {
      what: `HEAD ${host}${path}`,
      maxAttempts: options.maxAttempts ?? 3,
      deadline: run.deadline,
      isRetryable: (error) => error instanceof RetryableStatus || isTransientNetworkError(error),
      sleep: options.sleep,
    });
  } catch (error) {
    return { failure: run.signal.aborted ? run.overdue : describeError(error) };
  }
}

class Skipped extends Error {}

/** One attempt, unless the bound has passed or the host is known dead. */
async function headOnce(
  client: ManifestClient,
  run: Run,
  host: string,
  repository: string,
  path: string,
): Promise<Head> {
  const dead = run.hosts.deadReason(host);
  if (run.signal.aborted || dead) throw new Skipped(run.signal.aborted ? run.overdue : dead);
  const response = await client
    .request({ method: 'HEAD', path, repository, accept: MANIFEST_TYPES, signal: run.signal })
    .catch((error: unknown) => {
      run.hosts.record(host, error);
      throw error;
    });
  run.hosts.record(host);
  response.resume();
  const status = response.statusCode ?? 0;
  if (status === 200) return { found: true, digest: digestHeader(response) };
  if (status === 404) return { found: false };
  const message = `HTTP ${status} from ${host}`;
  throw status === 429 || status >= 500 ? new RetryableStatus(message) : new Error(message);
}

const digestHeader = (response: http.IncomingMessage): string | undefined => {
  const value = response.headers['docker-content-digest'];
  return typeof value === 'string' ? value : undefined;
};
