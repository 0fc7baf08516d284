import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCliVersion } from '../../../src/clients/cli-version.js';

test('a script or a missing file: unknown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  writeFileSync(join(dir, 'docker'), '#!/bin/sh\nexec real-docker "$@"\n');
  expect(dockerCliVersion(join(dir, 'docker'))).toBeUndefined();
  expect(dockerCliVersion(join(dir, 'none'))).toBeUndefined();
});

// The real binary, where the machine has one (the sandbox does: 28.2.2 in /usr/local/bin).
const real = ['/usr/local/bin/docker', '/usr/bin/docker'].find((f) => existsSync(f));
(real ? test : test.skip)('the real docker CLI: its version from the Go build info', () => {
  expect(dockerCliVersion(real!)).toMatch(/^\d+\.\d+\.\d+$/);
});
