// BuildKit reads buildkitd.toml only when a builder starts, so the step cannot reconfigure a
// running one: it writes the `buildkitd-config` TOML to a file of the job (RUNNER_TEMP) for
// `docker buildx create --config` or setup-buildx-action's `config:`; post removes it.
import { ENGINE_STATE_KEYS } from './state-keys.js';
import { join } from 'node:path';
import { ActionError } from '../common/errors.js';
import { buildkitdConfig } from '../images/buildkit.js';
import type { EngineDeps, EngineRow, MirrorSource } from './engine.js';
import { readBytes, sha256, writeWhole } from './files.js';

export const BUILDKIT_STATE_KEY = ENGINE_STATE_KEYS.buildkit;

async function setUp(source: MirrorSource, deps: EngineDeps): Promise<string> {
  const toml = buildkitdConfig(source.prefix);
  if (!toml)
    throw new ActionError(
      `${source.prefix} is not a path BuildKit can mirror docker.io to (it must end in /library).`,
      'Use the library-prefix output in FROM lines instead.',
    );
  const file = join(deps.runnerTemp, `ecr-public-login-buildkitd-${deps.stepId}.toml`);
  deps.runtime.saveState(BUILDKIT_STATE_KEY, JSON.stringify({ file, sha256: sha256(toml) }));
  writeWhole(deps.fs, file, toml, 0o644);
  deps.runtime.info(
    `mirror buildkit: ${file} (the buildkitd-config-file output) makes a new builder pull docker.io images from ${source.prefix}: pass it to \`docker buildx create --config\` or setup-buildx-action's \`config:\`.`,
  );
  return file;
}

async function undo(deps: EngineDeps): Promise<string[]> {
  let record: { file?: unknown; sha256?: unknown };
  try {
    record = JSON.parse(deps.runtime.getState(BUILDKIT_STATE_KEY) || 'null') ?? {};
  } catch {
    return [];
  }
  if (typeof record.file !== 'string') return [];
  const bytes = readBytes(deps.fs, record.file);
  if (!bytes) return [];
  if (sha256(bytes) !== record.sha256)
    return [`mirror buildkit: left ${record.file}: it was changed during the job.`];
  deps.fs.unlinkSync(record.file);
  return [`mirror buildkit: removed ${record.file}.`];
}

export const buildkitRow: EngineRow = {
  name: 'buildkit',
  // A file under RUNNER_TEMP: free, and buildx is often installed by a later step.
  inAuto: true,
  present: () => true,
  setUp,
  undo,
};
