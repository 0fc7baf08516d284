// The `mirror` input (and its alias `docker-mirror: true`): which engines pull Docker official
// images through the logged-in registry for the rest of the job.
import { show } from '../common/text.js';
import { parseMirrorPort } from '../mirror/settings.js';
import type { InputReader } from '../runner/input-reader.js';

export const ENGINE_NAMES = ['docker', 'containers', 'containerd', 'buildkit'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface MirrorSettings {
  /** Engines named in `mirror` (docker also by `docker-mirror: true`), in table order. */
  engines: EngineName[];
  /** `auto`: every engine present that a file write configures (see engines/table). */
  auto: boolean;
  /** docker's fixed mirror port (`mirror-port`); undefined: a free one. */
  dockerPort?: number;
}

const isEngine = (item: string): item is EngineName =>
  (ENGINE_NAMES as readonly string[]).includes(item);

export function parseMirrorSettings(inputs: InputReader): MirrorSettings {
  const named = new Set<EngineName>();
  let auto = false;
  for (const item of inputs.list('mirror', /[\s,]+/)) {
    const name = item.toLowerCase();
    if (name === 'auto') auto = true;
    else if (isEngine(name)) named.add(name);
    else
      inputs.problems.push(
        `'mirror' lists engines: ${ENGINE_NAMES.join(', ')} or auto: got ${show(item)}`,
      );
  }
  if (inputs.boolean('docker-mirror')) named.add('docker');
  const dockerPort = parseMirrorPort(inputs, named.has('docker'));
  return { engines: ENGINE_NAMES.filter((e) => named.has(e)), auto, dockerPort };
}
