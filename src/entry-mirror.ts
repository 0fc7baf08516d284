// Mirror bundle entry (dist/mirror/index.js): `serve` runs the job's registry mirror; `daemon-config`
// is the one edit of daemon.json that main or post run under `sudo -n` when they are not root;
// `hosts-file` the same for containerd's hosts.toml (mirror: containerd).
import { describeError } from './common/errors.js';
import { editHostsFile, type HostsEditRequest } from './engines/hosts-edit.js';
import { jobAlive } from './engines/job.js';
import { realHostsEditDeps } from './engines/privileged.js';
import { processStart } from './mirror/daemon-process.js';
import { editDaemonConfig, type EditRequest } from './mirror/daemon-edit.js';
import { realEditDeps } from './mirror/privileged.js';
import type { MirrorLife } from './mirror/job-watch.js';
import { startJobWatch } from './mirror/mirror-life.js';
import { serve } from './mirror/serve.js';

const [command, json] = process.argv.slice(2);
const fail = (error: unknown) => {
  process.stderr.write(`${command}: ${describeError(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);

if (command === 'serve') {
  const options = JSON.parse(json) as { libraryPrefix: string; port?: number; life: MirrorLife };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  serve(options, {
    stdin: process.stdin,
    ready: (line) => process.stdout.write(`${line}\n`, () => process.stdout.destroy()),
    log,
    exit: (code) => process.exit(code),
  }).then((server) => startJobWatch(options.life, server, log), fail);
} else if (command === 'daemon-config') {
  editDaemonConfig(JSON.parse(json) as EditRequest, realEditDeps).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    fail,
  );
} else if (command === 'hosts-file') {
  const result = editHostsFile(
    JSON.parse(json) as HostsEditRequest,
    realHostsEditDeps(jobAlive(processStart)),
  );
  process.stdout.write(JSON.stringify(result));
} else {
  fail(new Error('usage: index.js serve OPTIONS | daemon-config REQUEST | hosts-file REQUEST'));
}
