// Is a program on PATH? Looked up the way a later step's shell would, without spawning anything.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

type Env = Record<string, string | undefined>;

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The program's path on PATH (PATHEXT on Windows), or undefined. */
export function findOnPath(name: string, env: Env, isExecutable = executable): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = join(dir, name + ext.toLowerCase());
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}
