#!/usr/bin/env bash
# Throughput and latency of dynamo-server against dynalite on this machine, in one run:
# a 50/50 GetItem/PutItem mix (get_put.lua) over 1, 8 and 64 keep-alive connections, with
# wrk as the load generator (Debian package `wrk`).
#
#   bench/server/compare.sh [path/to/dynamo-server] [seconds per run]
#
# Both servers start empty and get the same 1000 items (load_table.py) and a 1 s warm-up.
# wrk runs on the same machine with one thread. dynamo-server runs with one serving thread
# (DYNAMO_SERVER_THREADS overrides), the same budget as dynalite, which is single-threaded
# Node.js; on a 2-core machine that leaves wrk the other core. Besides each server's CPU per
# request, the table gives wrk's: one core running wrk cannot drive more than
# 1e6 / (wrk µs per request) requests/s, whatever the server. docs/server.md records results.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
server_binary=${1:-$root/build/src/server/dynamo-server}
seconds=${2:-5}
server_threads=${DYNAMO_SERVER_THREADS:-1}
dynalite=$root/tests/peers/node_modules/dynalite/cli.js
script=$root/bench/server/get_put.lua
export no_proxy=127.0.0.1,localhost

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[[ -x $server_binary ]] || { echo "no dynamo-server at $server_binary (build it, or pass its path)" >&2; exit 1; }
[[ -f $dynalite ]] || { echo "dynalite is not installed (scripts/install-deps --test-peers)" >&2; exit 1; }

# shellcheck source=bench/server/common.sh
source "$root/bench/server/common.sh"

# CPU time (user + system) the process has used so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run_suite <name> <port> <pid>: prints one markdown row per connection count.
run_suite() {
  local name=$1 port=$2 pid=$3 url="http://127.0.0.1:$2/"
  python3 "$root/bench/server/load_table.py" "http://127.0.0.1:$port"
  wrk -t1 -c8 -d1s -s "$script" "$url" >/dev/null  # warm-up
  for connections in 1 8 64; do
    local line before after
    before=$(cpu_ticks "$pid")
    # wrk's own CPU (user + system seconds), from bash's `time`.
    local TIMEFORMAT='%U %S' wrk_times
    wrk_times=$( { time wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$script" "$url" \
                   >"$results.wrk"; } 2>&1 )
    line=$(grep '^RESULT' "$results.wrk")
    # RESULT rps=... p50_us=... p90_us=... p99_us=... max_us=... requests=... errors=... non200=...
    after=$(cpu_ticks "$pid")
    eval "$(echo "${line#RESULT }" | tr ' ' '\n' | sed 's/^/local /')"
    # Server CPU per request: robust against other load on the machine, unlike requests/s.
    local cpu_us wrk_us
    cpu_us=$(awk "BEGIN{printf \"%.1f\", ($after - $before) * 1e6 / $ticks_per_second / $requests}")
    wrk_us=$(echo "$wrk_times" | awk -v n="$requests" '{printf "%.1f", ($1 + $2) * 1e6 / n}')
    printf '| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$connections" "$rps" \
      "$(awk "BEGIN{printf \"%.3f\", $p50_us/1000}")" "$(awk "BEGIN{printf \"%.3f\", $p90_us/1000}")" \
      "$(awk "BEGIN{printf \"%.3f\", $p99_us/1000}")" "$cpu_us" "$wrk_us" "$((errors + non200))"
    echo "$name $connections $rps $cpu_us $wrk_us" >> "$results"
  done
}

results=$(mktemp)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "dynamo-server: $server_binary ($server_threads serving thread(s)); dynalite: node $(node --version), in memory; ${seconds}s per run"
echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| server | connections | requests/s | p50 ms | p90 ms | p99 ms | server CPU µs/request | wrk CPU µs/request | errors |"
echo "|---|---|---|---|---|---|---|---|---|"

port=$(free_port)
"$server_binary" --port "$port" --quiet --ttl-sweep-ms 0 --threads "$server_threads" &
pids+=($!)
wait_for_port "$port"
run_suite dynamo-server "$port" "${pids[0]}"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

port=$(free_port)
node "$dynalite" --port "$port" --createTableMs 0 >/dev/null &
pids+=($!)
wait_for_port "$port"
run_suite dynalite "$port" "${pids[1]}"

echo
for connections in 1 8 64; do
  read -r ours ours_cpu ours_wrk < <(awk -v c="$connections" '$1=="dynamo-server" && $2==c {print $3, $4, $5}' "$results")
  read -r theirs theirs_cpu theirs_wrk < <(awk -v c="$connections" '$1=="dynalite" && $2==c {print $3, $4, $5}' "$results")
  echo "$connections connections: throughput $(awk "BEGIN{printf \"%.1f\", $ours/$theirs}")x dynalite's;" \
       "CPU per request $(awk "BEGIN{printf \"%.1f\", $theirs_cpu/$ours_cpu}")x less;" \
       "wrk's ceiling on one core $(awk "BEGIN{printf \"%.0f\", 1e6/$ours_wrk}") requests/s" \
       "= $(awk "BEGIN{printf \"%.1f\", 1e6/$ours_wrk/$theirs}")x dynalite's"
done
rm -f "$results" "$results.wrk"
