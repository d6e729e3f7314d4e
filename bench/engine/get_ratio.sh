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

# one_run <tunables>: prints "<10^4 ns> <10^6 ns>", CPU time, medians of 5 repetitions.
one_run() {
  GLIBC_TUNABLES=$1 "$bench" --benchmark_filter='^BM_GetItem/(10000|1000000)/real_time/threads:1$' \
    --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null |
    awk '/_median/ {cpu[++n] = $4} END {if (n != 2) exit 1; print cpu[1], cpu[2]}'
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A ratios
printf '%-5s %-12s %10s %10s %7s\n' run pages '10^4 ns' '10^6 ns' ratio
for ((run = 1; run <= runs; ++run)); do
  for pages in 4k huge; do
    tunables=""
    [[ $pages == huge ]] && tunables=glibc.malloc.hugetlb=1
    read -r small large < <(one_run "$tunables")
    ratio=$(awk -v a="$small" -v b="$large" 'BEGIN {printf "%.2f", b / a}')
    ratios[$pages]+="$ratio "$'\n'
    printf '%-5s %-12s %10s %10s %7s\n' "$run" "$pages" "$small" "$large" "$ratio"
  done
done
for pages in 4k huge; do
  printf 'median ratio, %s pages: %s\n' "$pages" "$(printf '%s' "${ratios[$pages]}" | grep . | median)"
done
