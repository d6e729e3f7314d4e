#!/usr/bin/env bash
# Runs model examples against dynamo-server instead of the embedded engine, the way a user
# would: start the server, point the examples at it with DYNAMO_ENDPOINT, stop it.
#   examples_against_server.sh <dynamo-server> <example>...
set -euo pipefail
server=$1
shift
log=$(mktemp)
"$server" --port 0 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
endpoint=""
for _ in $(seq 1 200); do
  endpoint=$(sed -n 's/^dynamo-server listening on \(http[^ ]*\).*/\1/p' "$log")
  [ -n "$endpoint" ] && break
  sleep 0.05
done
[ -n "$endpoint" ] || { echo "dynamo-server did not start:"; cat "$log"; exit 1; }
for example in "$@"; do
  echo "== $(basename "$example") against $endpoint"
  DYNAMO_ENDPOINT="$endpoint" "$example" >/dev/null
done
echo "all examples passed against dynamo-server"
