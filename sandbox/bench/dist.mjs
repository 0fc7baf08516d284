// @ts-check
// What the benchmark reads from dist/: file sizes (raw and gzip), where the AWS SDK is, and what
// the SDK shim needs to load the SDK chunk alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Strings only the AWS SDK puts in a bundle (our own code names none of them). */
const SDK_MARKERS = ['@aws-sdk/', '@smithy/', 'smithy', 'SignatureV4', 'ECRPUBLICClient'];

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

/** Sizes of every file in dist/, raw and gzip (zlib default level), and the SDK check. */
/** @param {string} actionDir */
export function distReport(actionDir) {
  const dist = path.join(actionDir, 'dist');
  const files = walk(dist)
    .sort()
    .map((file) => {
      const data = readFileSync(file);
      const text = data.toString('latin1');
      return {
        file: path.relative(actionDir, file),
        bytes: statSync(file).size,
        gzipBytes: gzipSync(data).length,
        sdkMarkers: SDK_MARKERS.filter((m) => text.includes(m)),
      };
    });
  const total = {
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0),
  };
  const post = files.filter((f) => f.file.startsWith('dist/post/'));
  const chunks = files.filter((f) => /^dist\/\d+\.index\.js$/.test(f.file));
  return {
    files,
    total,
    postCarriesSdk: post.some((f) => f.sdkMarkers.length > 0),
    postSdkMarkers: [...new Set(post.flatMap((f) => f.sdkMarkers))],
    // The markers must find the SDK where it is, or their absence in post proves nothing.
    markersFoundInSdkChunk: chunks.some((f) => f.sdkMarkers.length >= 3),
  };
}

/**
 * What the SDK shim needs from the bundle: the chunk files, the module id of aws-sdk.ts (the
 * one that re-exports ECRPUBLICClient) and the node built-ins the main bundle maps by id.
 */
/** @param {string} actionDir */
export function shimConfig(actionDir) {
  const dist = path.join(actionDir, 'dist');
  const main = readFileSync(path.join(dist, 'index.js'), 'utf8');
  /** @type {Record<string, string>} */
  const builtins = {};
  for (const m of main.matchAll(
    /(\d+):([\w$]+)=>\{\2\.exports=[\w$]+\(import\.meta\.url\)\("([^"]+)"\)\}/g,
  )) {
    builtins[m[1]] = m[3];
  }
  const chunks = readdirSync(dist)
    .filter((f) => /^\d+\.index\.js$/.test(f))
    .map((f) => path.join(dist, f));
  /** @type {string[]} */
  const entries = [];
  for (const file of chunks) {
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('ECRPUBLICClient:');
    if (at < 0) continue;
    const starts = [...text.slice(0, at).matchAll(/[{,](\d+):\(/g)];
    if (starts.length) entries.push(starts[starts.length - 1][1]);
  }
  return { dist, chunks: chunks.map((c) => pathToFileURL(c).href), entries, builtins };
}
