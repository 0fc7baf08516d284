// docker-mirror's own input besides the switch: `mirror-port`, the port a platform team named
// once in the daemon's flags (ARC's dind sidecar); empty means a free port, as before.
import { show } from '../common/text.js';
import type { InputReader } from '../runner/input-reader.js';

/** Below 1024 the runner user cannot listen; 65535 is the last port. */
const MIN_PORT = 1024;
const MAX_PORT = 65535;

/** The fixed port, or undefined for a free one; a bad value is one more problem of the report. */
export function parseMirrorPort(inputs: InputReader, dockerMirror: boolean): number | undefined {
  const raw = inputs.read('mirror-port');
  if (raw === '') return undefined;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= MIN_PORT && port <= MAX_PORT)) {
    inputs.problems.push(
      `'mirror-port' must be empty (a free port) or a port from ${MIN_PORT} to ${MAX_PORT}: got ${show(raw)}`,
    );
    return undefined;
  }
  if (!dockerMirror)
    inputs.notes.push(
      `'mirror-port' is ignored: neither 'docker-mirror' nor 'mirror' asks for the docker engine.`,
    );
  return port;
}
