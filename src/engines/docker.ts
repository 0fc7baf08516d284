// The docker row: today's docker-mirror (mirror/setup and mirror/undo, unchanged), its own state
// key and messages. Not part of `auto`: it starts a process and reloads the daemon, which every
// container on the machine shares, so it is only done when asked.
import { ActionError } from '../common/errors.js';
import { hookMirror } from '../hooks/state-file.js';
import { MIRROR_STATE_KEY, parseMirrorState } from '../mirror/record.js';
import { startDockerMirror } from '../mirror/setup.js';
import { undoDockerMirror } from '../mirror/undo.js';
import type { EngineDeps, EngineRow, MirrorSource } from './engine.js';

async function setUp(source: MirrorSource, deps: EngineDeps): Promise<string | undefined> {
  // The runner's job-started hook runs one for the whole job: one mirror, owned by the hook.
  const hook = hookMirror(deps.env, deps.mirror?.proc);
  if (hook) {
    deps.runtime.info(
      `docker-mirror: the runner's job-started hook already runs this job's mirror (${hook.url}); this step uses it and leaves it to the job-completed hook.`,
    );
    return hook.url;
  }
  if (!deps.mirror)
    throw new ActionError(
      'this runtime has no mirror bundle, so docker pulls Docker official images from Docker Hub as usual.',
      'Run the action from its repository (dist/mirror/index.js must be beside dist/index.js).',
    );
  return startDockerMirror(source.registry, source.credentials, {
    ...deps,
    ...deps.mirror,
    port: deps.dockerPort,
  });
}

async function undo(deps: EngineDeps): Promise<string[]> {
  const record = parseMirrorState(deps.runtime.getState(MIRROR_STATE_KEY));
  if (!record || !deps.mirror) return [];
  const lines: string[] = [];
  await undoDockerMirror(record, { ...deps.mirror, exec: deps.exec }, (line) => lines.push(line));
  return lines;
}

export const dockerRow: EngineRow = {
  name: 'docker',
  inAuto: false,
  present: (deps) => deps.onPath('dockerd'),
  setUp,
  undo,
};
