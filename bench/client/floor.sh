#!/usr/bin/env bash
# The client's CPU per call against wrk's, in one run: the same GetItem (and PutItem) of a
# ~1 KB item sent to one dynamo-server by wrk (bench/server/get_put.lua) and by
# dynamo::Connection (client_cpu), sequentially on one connection and with 64 calls in
# flight over 64 connections (waiting on futures, and with completion handlers).
#
#   bench/client/floor.sh [build dir] [seconds per run] [rounds]
#
# wrk is a minimal HTTP/1.1 load generator (Debian package `wrk`): its CPU per request is
# what any client must spend to send a request and read the answer on this machine, so it
# is the floor the client is held against. Each figure is the client process's own CPU
# time (user + system; wrk's from /usr/bin/time, client_cpu's from getrusage) divided by
# the calls it made; the server runs in its own process (one serving thread). Each round
# measures all pairs in turn; each row is the round with the median CPU per call.
# docs/performance.md records results.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
seconds=${2:-5}
rounds=${3:-3}
server_binary=$build/src/server/dynamo-server
client_binary=$build/bench/client/client_cpu
script=$root/bench/server/get_put.lua
export BENCH_PAYLOAD_BYTES=1000
export no_proxy=127.0.0.1,localhost

# shellcheck source=bench/server/common.sh
source "$root/bench/server/common.sh"
require_wrk_and "dynamo-server and client_cpu" "$server_binary" "$client_binary"

# measure_wrk <operation> <connections>: appends "wrk operation connections total user system calls".
measure_wrk() {
  local operation=$1 connections=$2 times line
  times=$( { BENCH_OPERATION=$operation /usr/bin/time -f "TIME %U %S" wrk -t1 -c"$connections" -d"${seconds}s" \
               --timeout 10s -s "$script" "$url" >"$results.wrk"; } 2>&1 | grep '^TIME')
  line=$(grep '^RESULT' "$results.wrk")
  local rps requests errors non200 p50_us p90_us p99_us max_us
  eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
  [[ $((errors + non200)) == 0 ]] || { echo "wrk saw $errors errors and $non200 non-200 answers" >&2; exit 1; }
  read -r _ user system <<<"$times"
  awk -v o="$operation" -v c="$connections" -v u="$user" -v s="$system" -v n="$requests" \
    'BEGIN { printf "wrk %s %d %.2f %.2f %.2f %d\n", o, c, (u + s) * 1e6 / n, u * 1e6 / n, s * 1e6 / n, n }' >>"$results"
}

# measure_client <operation> <in flight> <futures|handlers>: appends
# "dynamo[-handlers] operation in_flight total user system calls".
measure_client() {
  local operation=$1 in_flight=$2 waiting=$3 line client=dynamo
  [[ $waiting == handlers ]] && client=dynamo-handlers
  line=$("$client_binary" "$url" "$operation" "$seconds" "$in_flight" "$waiting" | grep '^RESULT')
  local calls seconds_taken user_us system_us errors
  eval "$(echo "${line#RESULT }" | sed 's/seconds=/seconds_taken=/' | tr ' ' '\n')"
  awk -v k="$client" -v o="$operation" -v c="$in_flight" -v u="$user_us" -v s="$system_us" -v n="$calls" \
    'BEGIN { printf "%s %s %d %.2f %.2f %.2f %d\n", k, o, c, u + s, u, s, n }' >>"$results"
}

# The clients measured at <in flight>: sequential calls have no handler form of their own.
clients_at() { if [[ $1 == 1 ]]; then echo "wrk dynamo"; else echo "wrk dynamo dynamo-handlers"; fi; }

results=$(mktemp)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "${seconds}s per run, median of $rounds rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

port=$(free_port)
"$server_binary" --port "$port" --quiet --ttl-sweep-ms 0 --threads 1 &
pids+=($!)
wait_for_port "$port"
url="http://127.0.0.1:$port/"
python3 "$root/bench/server/load_table.py" "http://127.0.0.1:$port" 1000
BENCH_OPERATION=GetItem wrk -t1 -c8 -d1s -s "$script" "$url" >/dev/null  # warm-up

for _ in $(seq 1 "$rounds"); do
  for operation in GetItem PutItem; do
    for connections in 1 64; do
      measure_wrk "$operation" "$connections"
      measure_client "$operation" "$connections" futures
      [[ $connections == 1 ]] || measure_client "$operation" "$connections" handlers
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# median <client> <operation> <connections>: the round with the median CPU per call.
median() {
  awk -v k="$1" -v o="$2" -v c="$3" '$1==k && $2==o && $3==c' "$results" | sort -g -k4,4 |
    awk '{line[NR]=$0} END{print line[int((NR+1)/2)]}'
}

echo
echo "| operation | in flight | client | CPU µs/call | user µs | system µs | calls |"
echo "|---|---|---|---|---|---|---|"
for operation in GetItem PutItem; do
  for connections in 1 64; do
    for client in $(clients_at "$connections"); do
      read -r _ _ _ total user system calls < <(median "$client" "$operation" "$connections")
      printf '| %s | %d | %s | %s | %s | %s | %d |\n' "$operation" "$connections" "$client" "$total" "$user" "$system" "$calls"
    done
  done
done
echo
for operation in GetItem PutItem; do
  for connections in 1 64; do
    read -r _ _ _ floor _ < <(median wrk "$operation" "$connections")
    for client in $(clients_at "$connections"); do
      [[ $client == wrk ]] && continue
      read -r _ _ _ total user _ < <(median "$client" "$operation" "$connections")
      echo "$operation, $connections in flight, $client: client CPU per call $(awk "BEGIN{printf \"%.2f\", $total/$floor}")x wrk's (user $user µs)"
    done
  done
done
rm -f "$results" "$results.wrk"
