// @ts-check
// Process control: the action's node in its own process group, output fed line by line.
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';

// Grace for stdio to close after the process exits (a grandchild may still hold the pipes).
const CLOSE_GRACE_MS = 1_000;

/**
 * Splits a stream into lines like .NET's StreamReader.ReadLine (\r\n, \r or \n end a line).
 * @param {(line: string) => void} onLine
 */
function createLineSplitter(onLine) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  /** @param {boolean} final */
  function drain(final) {
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = re.exec(pending); m; m = re.exec(pending)) {
      // A trailing \r may be the first half of \r\n split across chunks.
      if (!final && m[0] === '\r' && re.lastIndex === pending.length) break;
      onLine(pending.slice(start, m.index));
      start = re.lastIndex;
    }
    pending = pending.slice(start);
    if (final && pending) onLine(pending);
  }
  return {
    /** @param {Buffer} chunk */
    push(chunk) {
      pending += decoder.write(chunk);
      drain(false);
    },
    end() {
      pending += decoder.end();
      drain(true);
    },
  };
}

/**
 * Spawns node in its own process group, feeding output lines to the processor as they come.
 * On timeout the whole group gets SIGKILL (the runner would send SIGINT then SIGTERM first).
 * After a normal exit, processes the action left behind in its group are killed (the runner
 * does that at job end).
 * @param {{ nodePath: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number }} spec
 * @param {ReturnType<typeof import('./workflow-commands.mjs').createCommandProcessor>['handle']} handle
 */
export function runProcess(spec, handle) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(spec.nodePath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out = collect(child.stdout, (l) => handle('stdout', l));
    const err = collect(child.stderr, (l) => handle('stderr', l));
    let timedOut = false;
    let durationMs = 0;
    const killGroup = () => killProcessGroup(/** @type {number} */ (child.pid));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, spec.timeoutMs);
    /** @type {NodeJS.Timeout | undefined} */
    let grace;
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      killGroup();
      grace = setTimeout(() => (child.stdout.destroy(), child.stderr.destroy()), CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      clearTimeout(grace);
      resolvePromise({
        // Like .NET's Process.ExitCode on Linux: a signal death reads as 128 + signal number.
        exitCode: code ?? 128 + signalNumber(signal),
        signal,
        timedOut,
        durationMs,
        stdout: out.text(),
        stderr: err.text(),
      });
    });
  });
}

/**
 * Keeps a stream's bytes and feeds its lines to onLine as they come.
 * @param {import('node:stream').Readable} stream
 * @param {(line: string) => void} onLine
 */
function collect(stream, onLine) {
  /** @type {Buffer[]} */
  const chunks = [];
  const lines = createLineSplitter(onLine);
  stream.on('data', (b) => {
    chunks.push(b);
    lines.push(b);
  });
  return {
    /** Flushes the last line, then the whole text. */
    text() {
      lines.end();
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** @param {number} pid */
function killProcessGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // group already gone
  }
}

/** @param {NodeJS.Signals | null} signal */
function signalNumber(signal) {
  return signal ? (osConstants.signals[signal] ?? 0) : 0;
}
