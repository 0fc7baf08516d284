// The `docker-mirror` input, parsed apart from the other inputs so this feature stays in its folder.
import type { InputReader } from '../runner/inputs.js';

export interface MirrorSettings {
  /** Start a job-scoped registry mirror and add it to the local daemon's registry-mirrors. */
  dockerMirror: boolean;
}

export const parseMirrorInputs = (r: InputReader): MirrorSettings => ({
  dockerMirror: r.boolean('docker-mirror'),
});
