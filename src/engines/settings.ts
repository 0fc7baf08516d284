// The `mirror` input (and its alias `docker-mirror: true`): which engines pull Docker official
// images through the logged-in registry for the rest of the job.
import { show } from '../common/text.js';
import type { InputReader } from '../runner/input-reader.js';

export const ENGINE_NAMES = ['docker', 'containers', 'containerd', 'buildkit'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface MirrorSettings {
  /** Engines named in `mirror` (docker also by `docker-mirror: true`), in table order. */
  engines: EngineName[];
  /** `auto`: every engine present that a file write configures (see engines/table). */
  auto: boolean;
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
  return { engines: ENGINE_NAMES.filter((e) => named.has(e)), auto };
}
