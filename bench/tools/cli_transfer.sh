#!/usr/bin/env bash
# Export and import speed of the `dynamo` command next to the aws CLI's, on one dynamo-server
# and the same items (docs/performance.md, "dynamo export and import").
#
#   bench/tools/cli_transfer.sh build/release/tools/dynamo/dynamo build/release/src/server/dynamo-server [items]
#
# dynamo: `export` (4 scan segments) and `import` of every item. aws CLI: `dynamodb scan` of
# every item (it pages itself), and `dynamodb batch-write-item` (25 items a call, one process
# per call, as scripts use it) of the first 1,000 items, reported as items per second.
set -euo pipefail
dynamo=$1 server=$2 items=${3:-100000}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$server" --port "$port" --quiet & server_pid=$!
trap 'kill $server_pid; rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
endpoint=http://127.0.0.1:$port
sleep 0.5

python3 - "$work/items.jsonl" "$items" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"Item": {"pk": {"S": f"user#{i % 997}"}, "sk": {"N": str(i)},
                                     "name": {"S": f"name {i}"}, "score": {"N": f"{i}.5"},
                                     "tags": {"SS": ["a", "b"]}, "body": {"S": "x" * 100}}}) + "\n")
PY
bytes=$(stat -c %s "$work/items.jsonl")
echo "items: $items ($((bytes / 1000)) KB of JSON lines)"

seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }
rate() { echo "scale=0; $1 / $2" | bc; }

"$dynamo" -e "$endpoint" create Bench --hash pk:S --range sk:N >/dev/null 2>&1
t=$(seconds "$dynamo" -e "$endpoint" import Bench "$work/items.jsonl" --quiet)
echo "dynamo import:  $t s, $(rate "$items" "$t") items/s"
t=$(seconds "$dynamo" -e "$endpoint" export Bench "$work/out.jsonl" --quiet)
echo "dynamo export:  $t s, $(rate "$items" "$t") items/s"
t=$(seconds aws dynamodb scan --table-name Bench --endpoint-url "$endpoint" --output json)
echo "aws scan:       $t s, $(rate "$items" "$t") items/s"

# batch-write-item: 40 calls of 25 items, one aws process each.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
with open(f"{work}/items.jsonl") as f:
    lines = [json.loads(next(f)) for _ in range(1000)]
for n in range(40):
    with open(f"{work}/batch{n}.json", "w") as out:
        json.dump({"Bench2": [{"PutRequest": l} for l in lines[n * 25:(n + 1) * 25]]}, out)
PY
"$dynamo" -e "$endpoint" create Bench2 --hash pk:S --range sk:N >/dev/null 2>&1
batch_all() { for n in $(seq 0 39); do aws dynamodb batch-write-item --endpoint-url "$endpoint" --request-items "file://$work/batch$n.json"; done; }
t=$(seconds batch_all)
echo "aws batch-write-item (1,000 items): $t s, $(rate 1000 "$t") items/s"
