// The step's log goes to stdout with fs.writeSync: process.stdout on a pipe loads node's net and
// stream modules (~3 ms, a tenth of a post step that loads nothing else). Should the pipe refuse
// a write (non-blocking and full, or closed), that write and every later one go through
// process.stdout, which queues them, so the lines keep their order.
import { writeSync } from 'node:fs';

type Sink = (bytes: Buffer) => void;

export function createStdoutWriter(
  fd = 1,
  fallback: Sink = (bytes) => void process.stdout.write(bytes),
): (text: string) => void {
  let viaStream = false;
  return (text) => {
    let bytes = Buffer.from(text);
    if (!viaStream) {
      try {
        while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
        return;
      } catch {
        viaStream = true;
      }
    }
    fallback(bytes);
  };
}

/** Writes text to this process's stdout. */
export const writeStdout = createStdoutWriter();
