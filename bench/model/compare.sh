#!/usr/bin/env bash
# dynamo's model <-> Item conversion beside boto3's TypeSerializer/TypeDeserializer, on the
# same 12-attribute order (954 bytes of DynamoDB JSON), in one run: boto3_compare.py times
# boto3, runs model_bench, checks that both convert the same item, and prints the per-item
# times (best of the repetitions, CPU time for model_bench) and the ratios.
#
#   bench/model/compare.sh [path/to/model_bench] [repetitions]
#
# Needs boto3 (Debian package python3-boto3). docs/performance.md, "Model layer", records results.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bench_binary=${1:-$root/build-rel/bench/model/model_bench}
repetitions=${2:-5}

python3 -c 'import boto3' 2>/dev/null || { echo "boto3 is not installed (apt-get install python3-boto3)" >&2; exit 1; }
[[ -x $bench_binary ]] || { echo "no model_bench at $bench_binary (build it, or pass its path)" >&2; exit 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/model/boto3_compare.py" --bench "$bench_binary" --repeat "$repetitions"
