#!/usr/bin/env bash
# Installs the Debian packages the local sandbox (sandbox/infra.mjs,
# sandbox/in-namespace.sh) needs, if any are missing. Fast when all are there:
# no apt-get update then.
#
#   docker.io        dockerd 20.10 (the CLI used is whatever `docker` is first on PATH)
#   docker-registry  the registry that plays public.ecr.aws and Docker Hub
#   busybox-static   /bin/busybox for the seeded busybox image
#   openssl          the per-run CA, server certificate and token-signing key
#   util-linux       unshare and setpriv (essential, listed to be sure)
#   skopeo           1.9: containers/image's auth files and registries.conf, no storage needed
#   podman           4.3: the same library through containers/common, with local storage
#   buildah          1.28: the same, `buildah from` (engines-harness.test.ts)
#   containerd       1.6: containerd and ctr (`ctr images pull --hosts-dir`); docker.io pulls it in
set -euo pipefail

PACKAGES=(docker.io docker-registry busybox-static openssl util-linux iproute2 tinyproxy
  skopeo podman buildah containerd)

die() {
  echo "ensure-packages.sh: $*" >&2
  exit 1
}

missing_packages() {
  local pkg status
  for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || echo "$pkg"
  done
}

command -v dpkg-query >/dev/null || die "dpkg-query not found: this script needs Debian or Ubuntu"
mapfile -t missing < <(missing_packages)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "ensure-packages.sh: all sandbox packages present (${PACKAGES[*]})"
  exit 0
fi

[[ "$(id -u)" == 0 ]] || die "missing ${missing[*]}; run as root (or: sudo $0) to install them"
command -v apt-get >/dev/null || die "missing ${missing[*]} and apt-get is not available to install them"
if [[ ! -x /usr/sbin/policy-rc.d ]]; then
  echo "ensure-packages.sh: note: no /usr/sbin/policy-rc.d, so installing docker.io/docker-registry may start their system services" >&2
fi

echo "ensure-packages.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed (is the Debian mirror reachable?)"
apt-get install -y -qq --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"

mapfile -t still < <(missing_packages)
[[ ${#still[@]} -eq 0 ]] || die "still missing after install: ${still[*]}"
echo "ensure-packages.sh: installed ${missing[*]}"
