// What the docker-mirror e2e files share: a scratch folder, and the mirrors a test started,
// killed at the end should a test fail before its post step (or hook) stopped them.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

export function mirrorLeftovers(label: string) {
  const started = new Set<number>();
  const scratch = mkdtempSync(path.join(process.env.SANDBOX_TMP || '/tmp', `${label}-`));
  return {
    started,
    scratch,
    cleanUp() {
      for (const pid of started) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // stopped by its post step or hook
        }
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
