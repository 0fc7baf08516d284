// Decides, per image reference, whether the logged-in mirror serves that exact tag or digest:
// one HEAD on its manifest (plus one on Docker Hub's with verify-digest), checked in parallel,
// retried on throttling and server errors. A reference is pointed at the mirror only on proof.
import { describeError } from '../errors.js';
import { DOCKER_HUB } from '../docker/registries.js';
import { retry } from '../net/retry.js';
import { MANIFEST_TYPES } from '../registry/client.js';
import type http from 'node:http';
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
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  warn?: (message: string) => void;
}

export const DOCKER_HUB_HOST = 'registry-1.docker.io';
const DEFAULT_CONCURRENCY = 8;

/** Resolves each distinct reference once, at most `concurrency` at a time; keyed as written. */
export async function resolveReferences(
  references: readonly string[],
  o: ResolveOptions,
): Promise<Map<string, Resolution>> {
  const distinct = [...new Set(references)];
  const mirror = o.libraryPrefix ? splitPrefix(o.libraryPrefix) : undefined;
  const names = distinct.map((text) => officialName(parseReference(text)));
  if (mirror && mirror.host !== DOCKER_HUB) {
    const repositories = [...new Set(names.filter((n) => n !== undefined))];
    o.clientFor(
      mirror.host,
      repositories.map((name) => `${mirror.path}/${name}`),
    );
  }
  const results = new Map<string, Resolution>();
  let next = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const text = distinct[next++];
      results.set(text, await resolveOne(text, o));
    }
  };
  const workers = Math.min(o.concurrency ?? DEFAULT_CONCURRENCY, distinct.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return new Map(distinct.map((text) => [text, results.get(text) as Resolution]));
}

/** `host/path` of a library prefix, split at the first slash. */
export function splitPrefix(prefix: string): { host: string; path: string } {
  const slash = prefix.indexOf('/');
  return { host: prefix.slice(0, slash), path: prefix.slice(slash + 1) };
}

async function resolveOne(text: string, o: ResolveOptions): Promise<Resolution> {
  const ref = parseReference(text);
  const name = officialName(ref);
  const stays = (reason?: string, unchecked?: boolean): Resolution => ({
    pull: qualified(ref),
    mirrored: false,
    reason,
    ...(unchecked ? { unchecked } : {}),
  });
  const mirror = o.libraryPrefix ? splitPrefix(o.libraryPrefix) : undefined;
  const hasMirror = mirror !== undefined && mirror.host !== DOCKER_HUB;
  if (hasMirror && qualified(ref).startsWith(`${o.libraryPrefix}/`)) return stays();
  if (ref.registry !== DOCKER_HUB) return stays('not a Docker Hub image');
  if (!name) return stays('not an official image');
  if (!hasMirror) return stays('no mirror logged in');
  const problem = await mirrorProblem(ref, `${mirror.path}/${name}`, mirror.host, o);
  if (problem) return stays(problem.reason, problem.unchecked);
  return { pull: `${o.libraryPrefix}/${name}${referenceSuffix(ref)}`, mirrored: true };
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
  o: ResolveOptions,
): Promise<Problem | undefined> {
  const compareDigests = o.verifyDigest && !ref.digest;
  const [onMirror, onHub] = await Promise.all([
    headManifest(o, host, repository, manifestReference(ref)),
    compareDigests
      ? headManifest(o, DOCKER_HUB_HOST, ref.repository, manifestReference(ref))
      : ({ found: false } as Head),
  ]);
  if ('failure' in onMirror) {
    const reason = `mirror check failed: ${onMirror.failure}`;
    o.warn?.(`${qualified(ref)} stays on Docker Hub: ${reason}`);
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
  o: ResolveOptions,
  host: string,
  repository: string,
  reference: string,
): Promise<Head> {
  const client = o.clientFor(host);
  const path = `/v2/${repository}/manifests/${reference}`;
  try {
    return await retry(
      async () => {
        const response = await client.request({
          method: 'HEAD',
          path,
          repository,
          accept: MANIFEST_TYPES,
        });
        response.resume();
        const status = response.statusCode ?? 0;
        if (status === 200) return { found: true, digest: digestHeader(response) };
        if (status === 404) return { found: false };
        const message = `HTTP ${status} from ${host}`;
        throw status === 429 || status >= 500 ? new RetryableStatus(message) : new Error(message);
      },
      {
        what: `HEAD ${host}${path}`,
        maxAttempts: o.maxAttempts ?? 3,
        deadline: Infinity,
        isRetryable: (error) => error instanceof RetryableStatus || isNetworkError(error),
        sleep: o.sleep,
      },
    );
  } catch (error) {
    return { failure: describeError(error) };
  }
}

const digestHeader = (response: http.IncomingMessage): string | undefined => {
  const value = response.headers['docker-content-digest'];
  return typeof value === 'string' ? value : undefined;
};

const isNetworkError = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE|ENOTFOUND)$/.test(
    (error as { code: string }).code,
  );
