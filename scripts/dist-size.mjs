// Sizes of built bundle folders, raw and gzip (zlib default level):
//   node scripts/dist-size.mjs dist [other-dir ...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const files = (dir) =>
  readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
  );

for (const dir of process.argv.slice(2)) {
  const sizes = { bytes: 0, gzipBytes: 0, mapBytes: 0, licenseBytes: 0 };
  for (const file of files(dir)) {
    const data = readFileSync(file);
    sizes.bytes += data.length;
    sizes.gzipBytes += gzipSync(data).length;
    if (file.endsWith('.map')) sizes.mapBytes += data.length;
    if (file.endsWith('licenses.txt')) sizes.licenseBytes += data.length;
  }
  console.log(JSON.stringify({ dir, ...sizes }));
}
