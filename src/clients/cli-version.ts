// The docker CLI's version without running it: Go records the build's -ldflags in the binary's
// `.go.buildinfo` section, and docker/cli's builds set `cli/version.Version` there. Three small
// reads of the ELF file (header, section table, section); anything else is "unknown".
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';

const VERSION = /github\.com\/docker\/cli\/cli\/version\.Version=v?(\d+\.\d+\.\d+)/;
const SECTION = '.go.buildinfo';
/** Enough of the section for the build settings (the -ldflags line comes early). */
const READ_BYTES = 16 * 1024;

function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, offset);
  return buffer.subarray(0, n);
}

/** [offset, size] of a named section of a 64-bit little-endian ELF file. */
function elfSection(fd: number, name: string): [number, number] | undefined {
  const h = readAt(fd, 0, 64);
  if (h.length < 64 || h.toString('latin1', 0, 4) !== '\x7fELF' || h[4] !== 2 || h[5] !== 1) {
    return undefined;
  }
  const shoff = Number(h.readBigUInt64LE(0x28));
  const [size, count, strIndex] = [
    h.readUInt16LE(0x3a),
    h.readUInt16LE(0x3c),
    h.readUInt16LE(0x3e),
  ];
  const table = readAt(fd, shoff, size * count);
  const field = (i: number, at: number) => Number(table.readBigUInt64LE(i * size + at));
  const names = readAt(fd, field(strIndex, 0x18), field(strIndex, 0x20));
  for (let i = 0; i < count; i++) {
    const start = table.readUInt32LE(i * size);
    if (names.toString('latin1', start, start + name.length + 1) === `${name}\0`) {
      return [field(i, 0x18), field(i, 0x20)];
    }
  }
  return undefined;
}

/** `28.2.2` for the docker binary at path; undefined when it cannot be told this way. */
export function dockerCliVersion(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(realpathSync(path), 'r');
    const section = elfSection(fd, SECTION);
    if (!section) return undefined;
    const text = readAt(fd, section[0], READ_BYTES).toString('latin1');
    return VERSION.exec(text)?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
