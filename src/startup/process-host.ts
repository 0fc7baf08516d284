// What the entries tell the steps about this process: where the mirror bundle is (beside the
// running bundle), the node running it, and whether it runs as root.
import { dirname, join } from 'node:path';

/** @param mirrorBundle the mirror bundle, relative to the running bundle's folder. */
export const processHost = (mirrorBundle: string) => ({
  execPath: process.execPath,
  mirrorBundle: join(dirname(process.argv[1]), mirrorBundle),
  isRoot: process.getuid?.() === 0,
  platform: process.platform,
});
