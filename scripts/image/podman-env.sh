#!/usr/bin/env bash
# Source this: makes rootful podman usable on a bare Debian machine without changing any file in /etc.
# Installs podman (with runc, debootstrap for the base image and catatonit for `--init`) when missing, and points
# podman at a containers.conf of our own: crun refuses these VMs' hybrid cgroups, and podman's default ulimits
# exceed what root may set here (FACTS §5).
_ttp_image_tmp="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tmp/image"
_ttp_missing=()
for _ttp_tool in podman runc debootstrap catatonit; do
  command -v "$_ttp_tool" >/dev/null 2>&1 || _ttp_missing+=("$_ttp_tool")
done
if [ ${#_ttp_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The image test needs root on Debian (apt-get) to install: ${_ttp_missing[*]}" >&2
    return 1
  fi
  echo "Installing Debian packages for the image test: ${_ttp_missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_ttp_missing[@]}" >/dev/null
fi
mkdir -p "$_ttp_image_tmp"
cat >"$_ttp_image_tmp/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$_ttp_image_tmp/containers.conf"
unset _ttp_image_tmp _ttp_missing _ttp_tool
