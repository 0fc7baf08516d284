#!/bin/sh
# ecr-public-login's job-completed runner hook: ACTIONS_RUNNER_HOOK_JOB_COMPLETED=<this file>.
# Settings: the runner's ECR_PUBLIC_LOGIN_* variables (README: ARC and fleet set-up). Always exits 0.
here=$(dirname "$0")
node=${ECR_PUBLIC_LOGIN_NODE:-$(command -v node)}
if [ -z "$node" ]; then
  bin=$(dirname "$(readlink "/proc/$PPID/exe" 2>/dev/null)")
  for v in node24 node20; do [ -x "$bin/../externals/$v/bin/node" ] && node="$bin/../externals/$v/bin/node" && break; done
fi
if [ -z "$node" ]; then
  echo "::warning::ecr-public-login job-completed hook: no node found (set ECR_PUBLIC_LOGIN_NODE); nothing done."
  exit 0
fi
"$node" "$here/../index.js" hook job-completed
exit 0
