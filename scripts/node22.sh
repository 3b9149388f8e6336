#!/usr/bin/env bash
# Source this file: it makes sure a Node 22 binary exists in .node22/ (from the npm package
# `node@22`, which ships the binary) and puts it first on PATH. The system node is untouched.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_bin="$_root/.node22/node_modules/node/bin"
if [ ! -x "$_bin/node" ] || ! "$_bin/node" --version 2>/dev/null | grep -q '^v22\.'; then
  mkdir -p "$_root/.node22"
  [ -f "$_root/.node22/package.json" ] || echo '{"name":"node22-bootstrap","private":true}' > "$_root/.node22/package.json"
  npm install --prefix "$_root/.node22" --no-audit --no-fund --loglevel=error node@22 >&2
fi
export PATH="$_bin:$_root/.node22/node_modules/.bin:$PATH"
unset _root _bin
