// Runs a program with its input on stdin, capturing its output; no shell, so nothing is interpolated.
// The program gets a process group of its own: a time-out kills the whole group, so a wrapper
// script's children (`docker` as a shell script) cannot keep the step waiting. Being its own group,
// it would not get the SIGINT/SIGTERM the runner sends the step on cancel: those are forwarded.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { childEnv } from './child-env.js';

// node:child_process (with the stream modules it brings, ~2 ms) loads with the first program run:
// most steps run none.
const require = createRequire(import.meta.url);
const childProcess = () => require('node:child_process') as typeof import('node:child_process');

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to stdin, then stdin is closed: the only way a password reaches docker. */
  input?: string;
  /** Filtered by childEnv whatever it holds (default: this process's environment). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<ExecResult>;

/** How long output may keep flowing after the program exits (a child it left may hold the pipes). */
export const EXIT_GRACE_MS = 200;

const killGroup = (child: ChildProcess): void => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone already, or this platform has none
  }
};

/** Collects a child's output and resolves once it exits (and its pipes close, or a grace ends). */
function whenExited(
  child: ChildProcess,
  killedAfter: () => number | undefined,
  resolve: (result: ExecResult) => void,
): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  child.once('exit', (code, signal) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      // A grandchild may still hold the pipes open: stop reading them.
      child.stdout!.destroy();
      child.stderr!.destroy();
      const after = killedAfter();
      const note = signal
        ? `\n(killed by ${signal}${after !== undefined ? ` after ${after} ms` : ''})`
        : '';
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + note,
      });
    };
    const grace = setTimeout(finish, EXIT_GRACE_MS);
    child.once('close', () => (clearTimeout(grace), finish()));
  });
}

/** Where the step's signals arrive (the process; a stand-in in tests). */
export interface SignalTarget {
  pid: number;
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  listenerCount(signal: NodeJS.Signals): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * While the child runs, a cancel signal to the step goes to the child's group as well; then the
 * step ends as it would have: the signal is raised again once no other handler wants it.
 * Returns the function that stops forwarding.
 */
function forwardSignals(child: ChildProcess, target: SignalTarget): () => void {
  const listeners = FORWARDED.map((signal) => {
    const listener = () => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        child.kill(signal); // no group (exited, or no groups here)
      }
      release();
      if (target.listenerCount(signal) === 0) target.kill(target.pid, signal);
    };
    target.on(signal, listener);
    return [signal, listener] as const;
  });
  const release = () => listeners.forEach(([signal, l]) => target.off(signal, l));
  return release;
}

/** An Exec whose children get the step's cancel signals from target. */
export const createExec =
  (target: SignalTarget = process): Exec =>
  (command, args, options = {}) =>
    run(command, args, options, target);

/** Rejects only when the program cannot start (error.code ENOENT when it is not on PATH). */
export const exec: Exec = createExec();

const run = (command: string, args: string[], options: ExecOptions, target: SignalTarget) =>
  new Promise<ExecResult>((resolve, reject) => {
    const child = childProcess().spawn(command, args, {
      env: childEnv(options.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // its own process group
    });
    let killedAfter: number | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            killedAfter = options.timeoutMs;
            killGroup(child);
          }, options.timeoutMs);
    const release = child.pid === undefined ? () => {} : forwardSignals(child, target);
    child.once('exit', () => (clearTimeout(timer), release()));
    whenExited(child, () => killedAfter, resolve);
    child.once('error', (error) => {
      clearTimeout(timer);
      release();
      reject(error);
    });
    child.stdin!.on('error', () => {}); // a program that exits without reading stdin is reported by its exit code
    child.stdin!.end(options.input ?? '');
  });
