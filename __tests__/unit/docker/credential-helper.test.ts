// A credential helper named in the docker config but not installed: the message says which, and
// that `docker-config: isolated` (or installing/removing the helper) fixes it.
import { explainDockerFailure } from '../../../src/docker/cli.js';

test.each([
  // docker CLI 28's own words, for credsStore and for a credHelpers entry
  'Error saving credentials: error storing credentials - err: exec: "docker-credential-desktop": executable file not found in $PATH, out: ``',
  'error getting credentials - err: exec: "docker-credential-ecr-login": executable file not found in $PATH, out: ``',
])('%s', (stderr) => {
  const error = explainDockerFailure('login', 'public.ecr.aws', 1, stderr);
  const helper = /"(docker-credential-[^"]+)"/.exec(stderr)![1];
  expect(error.message).toContain(`the credential helper ${helper}`);
  expect(error.message).toContain('is not installed');
  expect(error.fix).toContain('docker-config: isolated');
  expect(error.fix).toContain(`install ${helper}`);
});
