// @ts-check
// Docker recorder: a `docker` shim on PATH that logs each call's argv, exit code and stdin size.
import { readText } from './file-commands.mjs';

/**
 * @typedef {import('./types.mjs').DockerCall} DockerCall
 */

/** @param {string} s */
const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A dash script named `docker` that logs its argv and exit code to `log` (NUL-separated, one
 * printf per record so concurrent calls don't interleave) and runs the first other `docker`
 * on PATH. stdin is inherited untouched, except for `--password-stdin` calls where it is read
 * with builtins to count its bytes and piped on (text only: a NUL byte would be lost).
 * @param {string} dir
 * @param {string} log
 */
export function recorderScript(dir, log) {
  return `#!/bin/sh
# docker recorder written by sandbox/runner.mjs for one step
log=${shellQuote(log)}
self=${shellQuote(dir)}
real=''
set -f
saved_ifs=$IFS
IFS=:
for d in $PATH; do
  [ "$d" = "$self" ] && continue
  if [ -f "\${d:-.}/docker" ] && [ -x "\${d:-.}/docker" ]; then real="\${d:-.}/docker"; break; fi
done
IFS=$saved_ifs
set +f
printf '%s\\0' S "$$" "$#" "$@" >>"$log"
count=''
for a do
  case $a in --password-stdin|--password-stdin=*) count=1 ;; esac
done
bytes=''
if [ -z "$real" ]; then
  echo 'docker: not found (runner.mjs recorder: no real docker on PATH)' >&2
  rc=127
elif [ -n "$count" ]; then
  nl='
'
  data=''
  while IFS= read -r line; do data=$data$line$nl; done
  data=$data$line
  bytes=\${#data}
  printf '%s' "$data" | "$real" "$@"
  rc=$?
else
  "$real" "$@"
  rc=$?
fi
printf '%s\\0' E "$$" "$rc" "$bytes" >>"$log"
exit "$rc"
`;
}

/**
 * Reads the recorder log: `S pid argc args…` when a call starts, `E pid rc bytes` when it ends.
 * @param {string} log
 * @returns {DockerCall[]}
 */
export function readDockerCalls(log) {
  const parts = readText(log).split('\0');
  /** @type {DockerCall[]} */
  const calls = [];
  /** @type {Map<string, DockerCall>} */
  const open = new Map();
  let i = 0;
  while (i < parts.length - 1) {
    const [tag, pid] = [parts[i], parts[i + 1]];
    if (tag === 'S') {
      const argc = Number(parts[i + 2]);
      const call = { argv: parts.slice(i + 3, i + 3 + argc), stdinBytes: null, exitCode: null };
      calls.push(call);
      open.set(pid, call);
      i += 3 + argc;
    } else {
      const call = open.get(pid);
      if (call) {
        call.exitCode = Number(parts[i + 2]);
        call.stdinBytes = parts[i + 3] === '' ? null : Number(parts[i + 3]);
        open.delete(pid);
      }
      i += 4;
    }
  }
  return calls;
}
