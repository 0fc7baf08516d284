// Runs a program with its input on stdin, capturing its output; no shell, so nothing is interpolated.
import { spawn } from 'node:child_process';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to stdin, then stdin is closed: the only way a password reaches docker. */
  input?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<ExecResult>;

/** Rejects only when the program cannot start (error.code ENOENT when it is not on PATH). */
export const exec: Exec = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr:
          Buffer.concat(err).toString('utf8') +
          (signal
            ? `\n(killed by ${signal}${options.timeoutMs ? ` after ${options.timeoutMs} ms` : ''})`
            : ''),
      }),
    );
    child.stdin.on('error', () => {}); // a program that exits without reading stdin is reported by its exit code
    child.stdin.end(options.input ?? '');
  });
