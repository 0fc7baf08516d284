// The docker row: docker-mirror (mirror/setup, begun while the login is out, and mirror/undo),
// its own state key and messages. Not part of `auto`: it starts a process and reloads the daemon,
// which every container on the machine shares, so it is only done when asked.
import { ActionError } from '../common/errors.js';
import { hookMirror } from '../hooks/state-file.js';
import { MIRROR_STATE_KEY, parseMirrorState } from '../mirror/record.js';
import { beginDockerMirror } from '../mirror/setup.js';
import { undoDockerMirror } from '../mirror/undo.js';
import type { BegunRow, EngineDeps, EngineRow, MirrorPlace } from './engine.js';

/** The hook's mirror if one runs; else the job's own, its process spawned now (mirror/setup). */
function begin(place: MirrorPlace, deps: EngineDeps): BegunRow {
  const cancel = async () => undefined;
  // The runner's job-started hook runs one for the whole job: one mirror, owned by the hook.
  const hook = hookMirror(deps.env, deps.mirror?.proc);
  if (hook) {
    const setUp = async () => {
      deps.runtime.info(
        `docker-mirror: the runner's job-started hook already runs this job's mirror (${hook.url}); this step uses it and leaves it to the job-completed hook.`,
      );
      return hook.url;
    };
    return { setUp, cancel };
  }
  if (!deps.mirror) return { setUp: () => Promise.reject(noBundle()), cancel };
  const mirror = { ...deps, ...deps.mirror, port: deps.dockerPort };
  const begun = beginDockerMirror(place.registry, mirror);
  return {
    handOver: (credentials) => begun.handOver(credentials),
    setUp: (credentials) => begun.start(credentials),
    cancel: () => begun.cancel(),
  };
}

const noBundle = () =>
  new ActionError(
    'this runtime has no mirror bundle, so docker pulls Docker official images from Docker Hub as usual.',
    'Run the action from its repository (dist/mirror/index.js must be beside dist/index.js).',
  );

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
  setUp: (source, deps) => begin(source, deps).setUp(source.credentials),
  begin,
  undo,
};
