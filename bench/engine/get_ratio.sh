#!/usr/bin/env bash
# How GetItem's cost grows with the table: engine_bench's GetItem at 10^4 and 10^6 items of
# ~1 KB, both sizes in one process, their ratio per run, and the median over many runs,
# with ordinary 4 KB pages and with glibc's malloc asking for transparent huge pages
# (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), the two alternating run by run.
#
#   bench/engine/get_ratio.sh [build dir] [runs]
#
# On a shared or virtual machine the cost of the small table moves by tens of percent from
# one process to the next (which memory it got, what else fills the cache), so a single
# ratio says little; the median of the runs is the figure. docs/performance.md records
# results.
#
# Each run also times the machine's own cost of one dependent load at a random place in
# 12 MB and in 1 GB (BM_MemoryLatency, the sizes of the two tables), and prints what the
# large table adds to a GetItem beside what two such loads add: a lookup reads the hash
# slot, then the partition with the item's block beside it, one after the other.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
runs=${2:-7}
bench=$build/bench/engine/engine_bench
if [[ ! -x $bench ]]; then
  echo "get_ratio.sh: $bench not found; build it with: ninja -C $build engine_bench" >&2
  exit 1
fi
if [[ $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) == *"[never]"* ]]; then
  echo "get_ratio.sh: transparent huge pages are disabled here; the huge-page column equals the other" >&2
fi

# one_run <tunables>: prints "<10^4 ns> <10^6 ns> <load in 12 MB ns> <load in 1 GB ns>",
# GetItem's CPU time, medians of 10 repetitions. The repetitions run in a random order,
# interleaved, so that whatever else the machine does in that minute weighs on all.
one_run() {
  GLIBC_TUNABLES=$1 "$bench" \
    --benchmark_filter='^BM_GetItem/(10000|1000000)/real_time/threads:1$|^BM_MemoryLatency/' \
    --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true 2>/dev/null |
    awk '/GetItem\/10000\/.*_median/ {small = $4} /GetItem\/1000000\/.*_median/ {large = $4}
         /MemoryLatency\/12582912\/.*_median/ {near = $NF} /MemoryLatency\/1073741824\/.*_median/ {far = $NF}
         END {
           sub(/^ns_per_load=/, "", near); sub(/ns$/, "", near); sub(/^ns_per_load=/, "", far); sub(/ns$/, "", far)
           if (small == "" || large == "" || near == "" || far == "") exit 1
           print small, large, near, far
         }'
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A ratios
printf '%-5s %-6s %9s %9s %7s %12s %16s\n' run pages '10^4 ns' '10^6 ns' ratio 'added ns' 'two loads add'
for ((run = 1; run <= runs; ++run)); do
  for pages in 4k huge; do
    tunables=""
    [[ $pages == huge ]] && tunables=glibc.malloc.hugetlb=1
    read -r small large near far < <(one_run "$tunables")
    ratio=$(awk -v a="$small" -v b="$large" 'BEGIN {printf "%.2f", b / a}')
    ratios[$pages]+="$ratio "$'\n'
    printf '%-5s %-6s %9s %9s %7s %12s %16.0f\n' "$run" "$pages" "$small" "$large" "$ratio" \
      "$((large - small))" "$(awk -v a="$near" -v b="$far" 'BEGIN {print 2 * (b - a)}')"
  done
done
for pages in 4k huge; do
  printf 'median ratio, %s pages: %s\n' "$pages" "$(printf '%s' "${ratios[$pages]}" | grep . | median)"
done
