#!/usr/bin/env bash
# Runs CMD in private mount and network namespaces where the registry names resolve to ::1
# and /etc/docker, /etc/containers, /etc/containerd, /run and /var/lib are private, so the
# sandbox never touches the machine's own files.
#
#   sandbox/in-namespace.sh CMD [ARGS...]
#
# Inside, CMD sees:
#   /etc/hosts           the machine's hosts plus "::1 public.ecr.aws registry-1.docker.io ..."
#   /etc/docker          an empty private directory (for certs.d/<host>/ca.crt)
#   /etc/containers      a private copy of the machine's (podman, buildah, skopeo read it),
#                        or an empty directory; engines.mjs adds storage.conf and containers.conf
#   /etc/containerd      an empty private directory (for certs.d/<host>/hosts.toml)
#   /var/lib             an overlay like /run (root podman writes /var/lib/containers/cache
#                        whatever its --root)
#   /run                 an overlay: the machine's /run, but writes stay private
#                        (dockerd creates /run/docker/plugins whatever its flags)
#   SANDBOX_NS=1         so nested calls and infra.mjs know where they are
#   SANDBOX_ETC_DOCKER   the real path of the private /etc/docker
#   SANDBOX_ETC_CONTAINERS, SANDBOX_ETC_CONTAINERD  the same for those two
#   SANDBOX_TMP          a scratch directory removed when CMD ends, however it ends
# CMD's exit code is passed through.
set -euo pipefail

REGISTRY_NAMES='public.ecr.aws registry-1.docker.io index.docker.io auth.docker.io 123456789012.dkr.ecr.us-east-1.amazonaws.com'

die() {
  echo "in-namespace.sh: $*" >&2
  exit 125
}

[[ $# -gt 0 ]] || die "usage: sandbox/in-namespace.sh CMD [ARGS...]"

# Already inside: nothing to set up.
if [[ "${SANDBOX_NS:-}" == 1 ]]; then
  exec "$@"
fi

outer() {
  [[ "$(id -u)" == 0 ]] || die "must run as root (it mounts over /etc/hosts, /etc/docker and /run in a private namespace)"
  command -v unshare >/dev/null || die "unshare not found (Debian package util-linux)"
  [[ -d /etc/docker ]] || die "/etc/docker is missing: run sandbox/ensure-packages.sh (docker-registry creates it)"
  command -v ip >/dev/null || die "ip not found (Debian package iproute2)"
  unshare --mount --net --propagation private true 2>/dev/null ||
    die "'unshare --mount --net' is not permitted here (needs CAP_SYS_ADMIN; in a container, run it with --privileged or on the host)"
  SANDBOX_NS_SETUP=1 exec unshare --mount --net --propagation private -- "$0" "$@"
}

# mount -n: don't record these mounts in /run/mount/utab (a machine-wide file).
private_run() {
  local dir=$1
  mkdir -p "$dir/run-upper" "$dir/run-work"
  if ! mount -n -t overlay overlay -o "lowerdir=/run,upperdir=$dir/run-upper,workdir=$dir/run-work" /run; then
    echo "in-namespace.sh: warning: could not overlay /run; dockerd may create /run/docker" >&2
  fi
}

private_var_lib() {
  local dir=$1
  mkdir -p "$dir/var-lib-upper" "$dir/var-lib-work"
  if ! mount -n -t overlay overlay -o "lowerdir=/var/lib,upperdir=$dir/var-lib-upper,workdir=$dir/var-lib-work" /var/lib; then
    echo "in-namespace.sh: warning: could not overlay /var/lib; root podman may create /var/lib/containers" >&2
  fi
}

private_hosts() {
  local dir=$1
  { cat /etc/hosts; echo "::1 $REGISTRY_NAMES"; } >"$dir/hosts"
  mount -n --bind "$dir/hosts" /etc/hosts
}

private_etc_docker() {
  local dir=$1
  mkdir -p "$dir/etc-docker"
  mount -n --bind "$dir/etc-docker" /etc/docker
}

# A copy, not an empty directory: the clients need policy.json, and the short-name aliases in
# registries.conf.d are part of how a fresh install behaves. Skipped where the machine has no such
# directory (the engines are not installed): we never create one outside the namespace.
private_etc_copy() {
  local dir=$1 name=$2 copy=$3
  [[ -d "/etc/$name" ]] || return 0
  mkdir -p "$dir/etc-$name"
  [[ "$copy" == copy ]] && cp -a "/etc/$name/." "$dir/etc-$name/"
  mount -n --bind "$dir/etc-$name" "/etc/$name"
}

# Our own mounts vanish with the namespace, but a killed dockerd leaves its data-root mounted
# on itself under SANDBOX_TMP, and rm cannot remove a mount point.
cleanup() {
  local dir=$1 mountpoint
  awk -v d="$dir/tmp/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mountpoint; do umount -n -l "$mountpoint" || true; done
  rm -rf "$dir"
}

inner() {
  local dir rc child r
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-ns.XXXXXX")
  trap 'cleanup "$dir"' EXIT
  # A network namespace of our own: its loopback is ours alone, so sandboxes can run side by side
  # and nothing in here can reach beyond this machine.
  ip link set lo up
  private_run "$dir"
  private_hosts "$dir"
  private_etc_docker "$dir"
  private_etc_copy "$dir" containers copy
  private_etc_copy "$dir" containerd empty
  private_var_lib "$dir"
  # infra.mjs puts its work dirs here, so they go with this directory even if CMD is killed.
  mkdir -p "$dir/tmp"
  export SANDBOX_NS=1 SANDBOX_ETC_DOCKER="$dir/etc-docker" SANDBOX_TMP="$dir/tmp"
  export SANDBOX_ETC_CONTAINERS="$dir/etc-containers" SANDBOX_ETC_CONTAINERD="$dir/etc-containerd"
  unset SANDBOX_NS_SETUP

  # Run CMD in the background so a TERM sent to this script reaches it too;
  # env restores SIGINT and SIGQUIT, which bash ignores in background jobs.
  env --default-signal=INT,QUIT "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM HUP
  trap 'kill -INT "$child" 2>/dev/null || true' INT
  rc=0
  while true; do
    wait "$child" && rc=0 || rc=$?
    # wait also returns (>128) when a trapped signal arrives: keep waiting.
    kill -0 "$child" 2>/dev/null || break
  done
  # If a signal cut the last wait short, the child's own status is still pending.
  wait "$child" 2>/dev/null && rc=0 || { r=$?; [[ $r == 127 ]] || rc=$r; }
  exit "$rc"
}

if [[ "${SANDBOX_NS_SETUP:-}" == 1 ]]; then
  inner "$@"
else
  outer "$@"
fi
