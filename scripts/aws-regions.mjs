// The AWS regions the pinned SDK knows, with the DNS suffix of each one's partition, rendered
// from the SDK's own partition data as src/aws/regions.ts: input parsing checks the `registry`
// input's region against it without loading the SDK. A unit test fails when it is out of date.
//   node scripts/aws-regions.mjs          write the module
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MODULE_PATH = 'src/aws/regions.ts';
const PARTITIONS = new URL(
  '../node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
  import.meta.url,
);

/** The module's text for the SDK's partitions. */
export async function renderAwsRegions() {
  const { partitionsInfo } = await import(PARTITIONS.href);
  const regions = [];
  const patterns = [];
  let standard = '';
  for (const p of partitionsInfo.partitions) {
    if (p.id === 'aws') standard = p.regionRegex.replace(/\\-/g, '-');
    const dns = p.outputs.dnsSuffix;
    for (const region of Object.keys(p.regions)
      .filter((r) => !r.endsWith('-global'))
      .sort()) {
      regions.push(`  '${region}': '${dns}',`);
    }
    patterns.push(`  [/${p.regionRegex.replace(/\\-/g, '-')}/, '${dns}'],`);
  }
  return [
    '// Generated from the AWS SDK partition data by scripts/aws-regions.mjs (npm run build). Do not edit.',
    '',
    '/** Every region the SDK knows, with its partition DNS suffix. */',
    'export const REGION_DNS: Readonly<Record<string, string>> = {',
    ...regions,
    '};',
    '',
    '/** Each partition region-name pattern (a region newer than the SDK still matches one). */',
    'export const REGION_PATTERNS: readonly (readonly [RegExp, string])[] = [',
    ...patterns,
    '];',
    '',
    "/** The standard `aws` partition's region pattern. */",
    `export const AWS_PARTITION_REGION = /${standard}/;`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(MODULE_PATH, await renderAwsRegions());
}
