// A file replaced in one rename, so no reader sees half of it. The temporary name needs no
// node:crypto (see node-crypto.ts): it is created exclusively (O_EXCL, no symlink followed), so a
// name someone guessed ahead fails the write instead of redirecting it.
import fs from 'node:fs';

/** Writes bytes to file in one rename, with mode (set again after the umask). */
export function replaceFile(file: string, bytes: Buffer | string, mode: number): void {
  const suffix = Math.floor(Math.random() * 0x100000000).toString(16);
  const temp = `${file}.${process.pid}.${suffix}`;
  fs.writeFileSync(temp, bytes, { mode, flag: 'wx' });
  try {
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
