#!/usr/bin/env bash
# dynamo-server's CPU per request against the floor of a trivial HTTP server, in one run:
# GetItem and PutItem of a ~1 KB item (get_put.lua, one operation a run) against dynamo-server, and the same
# GetItem requests against echo_server (bench/server/echo_server.cpp: frames each request
# and answers it with a fixed ~1 KB response), over 8 and 64 keep-alive connections, with
# wrk as the load generator (Debian package `wrk`).
#
#   bench/server/floor.sh [build dir] [seconds per run] [rounds]
#
# Both servers serve on one thread (dynamo-server --threads 1; DYNAMO_SERVER_THREADS
# overrides), so on a 2-core machine wrk has the other core. The figure compared is each
# server's CPU time (user + system, from /proc/<pid>/stat) per request, which other load on
# the machine disturbs much less than requests/s; it is split into user and system time
# because the kernel's share (the socket calls) is nearly the same for any server. Each
# round measures the three in turn; with several rounds (3 by default) each row is the
# round with the median CPU per request, so that a burst of other work on a shared machine
# during one run does not decide the ratio.
# docs/performance.md records results.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
seconds=${2:-5}
rounds=${3:-3}
server_threads=${DYNAMO_SERVER_THREADS:-1}
server_binary=$build/src/server/dynamo-server
echo_binary=$build/bench/server/echo_server
script=$root/bench/server/get_put.lua
export BENCH_PAYLOAD_BYTES=1000
export no_proxy=127.0.0.1,localhost

# shellcheck source=bench/server/common.sh
source "$root/bench/server/common.sh"
require_wrk_and "dynamo-server and echo_server" "$server_binary" "$echo_binary"

# User and system CPU time the process has used so far, in clock ticks.
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# measure <label> <port> <pid> <operation> <connections>: appends
# "label connections total_us user_us system_us rps errors" to $results.
measure() {
  local label=$1 port=$2 pid=$3 operation=$4 connections=$5
  local user_before system_before user_after system_after line
  read -r user_before system_before < <(cpu_ticks "$pid")
  BENCH_OPERATION=$operation wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$script" \
    "http://127.0.0.1:$port/" >"$results.wrk"
  read -r user_after system_after < <(cpu_ticks "$pid")
  line=$(grep '^RESULT' "$results.wrk")
  local rps requests errors non200 p50_us p90_us p99_us max_us
  eval "$(echo "${line#RESULT }" | tr ' ' '\n')"
  local per="* 1e6 / $ticks_per_second / $requests"
  local user_us system_us total_us
  user_us=$(awk "BEGIN{printf \"%.2f\", ($user_after - $user_before) $per}")
  system_us=$(awk "BEGIN{printf \"%.2f\", ($system_after - $system_before) $per}")
  total_us=$(awk "BEGIN{printf \"%.2f\", $user_us + $system_us}")
  echo "$label $connections $total_us $user_us $system_us $rps $((errors + non200))" >>"$results"
}

results=$(mktemp)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "dynamo-server: $server_binary ($server_threads serving thread(s)); ${seconds}s per run, median of $rounds rounds"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo_port=$(free_port)
"$echo_binary" "$echo_port" &
pids+=($!)
echo_pid=$!
wait_for_port "$echo_port"

server_port=$(free_port)
"$server_binary" --port "$server_port" --quiet --ttl-sweep-ms 0 --threads "$server_threads" &
pids+=($!)
server_pid=$!
wait_for_port "$server_port"
python3 "$root/bench/server/load_table.py" "http://127.0.0.1:$server_port" 1000
# Warm-up: the allocator's pools, the caches, the table's pages.
BENCH_OPERATION=PutItem wrk -t1 -c8 -d1s -s "$script" "http://127.0.0.1:$server_port/" >/dev/null
BENCH_OPERATION=GetItem wrk -t1 -c8 -d1s -s "$script" "http://127.0.0.1:$server_port/" >/dev/null
BENCH_OPERATION=GetItem wrk -t1 -c8 -d1s -s "$script" "http://127.0.0.1:$echo_port/" >/dev/null

for _ in $(seq 1 "$rounds"); do
  for connections in 8 64; do
    measure echo "$echo_port" "$echo_pid" GetItem "$connections"
    measure GetItem "$server_port" "$server_pid" GetItem "$connections"
    measure PutItem "$server_port" "$server_pid" PutItem "$connections"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# median <label> <connections>: the line of the round with the median CPU per request.
median() {
  awk -v l="$1" -v c="$2" '$1==l && $2==c' "$results" | sort -g -k3,3 | awk '{line[NR]=$0} END{print line[int((NR+1)/2)]}'
}

echo
echo "| server | connections | requests/s | CPU µs/request | user µs | system µs | errors |"
echo "|---|---|---|---|---|---|---|"
for connections in 8 64; do
  for label in echo GetItem PutItem; do
    read -r _ _ total user system rps errors < <(median "$label" "$connections")
    printf '| %s | %d | %s | %s | %s | %s | %d |\n' "$label" "$connections" "$rps" "$total" "$user" "$system" "$errors"
  done
done

echo
for connections in 8 64; do
  read -r _ _ floor floor_user _ < <(median echo "$connections")
  for operation in GetItem PutItem; do
    read -r _ _ total user _ < <(median "$operation" "$connections")
    echo "$connections connections, $operation: CPU per request $(awk "BEGIN{printf \"%.2f\", $total/$floor}")x" \
         "the echo floor (user time $(awk "BEGIN{printf \"%.2f\", $user}") µs against $(awk "BEGIN{printf \"%.2f\", $floor_user}") µs)"
  done
done
rm -f "$results" "$results.wrk"
