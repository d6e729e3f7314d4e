#!/usr/bin/env python3
"""Times boto3's TypeSerializer and TypeDeserializer on the order of bench/model/model_bench.cpp.

PynamoDB converts a model with these two classes underneath its attributes, so they are
the floor of what a Python object mapper pays per item. The item is built from Python
values as PynamoDB hands them to boto3: str, int, Decimal for numbers (boto3 refuses
float), a set of str, a list of int, bool, the timestamp already formatted as PynamoDB's
UTCDateTimeAttribute stores it, and None for an empty optional (left out, as PynamoDB
leaves out a null attribute).

    python3 bench/model/boto3_compare.py                     # boto3 alone
    python3 bench/model/boto3_compare.py --bench build-rel/bench/model/model_bench

With --bench, the model_bench program runs in the same invocation (model -> Item and
Item -> model), the script checks that it converts the same item (model_bench
--print-item), and prints both per-item times and the ratios.
"""
import argparse
import json
import subprocess
import sys
import time
import timeit
from decimal import Decimal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

NOTE = ("Leave the parcel at the side door, not the front porch: the dog at the front is "
        "friendly but loud. If nobody answers, the neighbour at number 14 has agreed to take "
        "it. Please ring twice and wait a minute, the house is large. Fragile items are in the "
        "second box; keep that box upright. Call 555-0142 on arrival. Invoice by email only, "
        "no paper copy in the box. Gift wrap the book, not the mugs.")

ORDER = {
    "customer": "customer-000123",
    "order_id": "2024-05-01#000042",
    "quantity": 3,
    "price": Decimal("19.99"),
    "total": Decimal("59.97"),
    "paid": True,
    "tags": {"gift", "express", "fragile", "priority", "returning-customer", "eu-shipping"},
    "line_items": [100101 + 1011 * i for i in range(12)],
    "note": NOTE,
    "created": "2024-05-01T12:34:56.789012+0000",
    "status": "SHIPPED",
    "priority": 2,
}

SERIALIZER = TypeSerializer()
DESERIALIZER = TypeDeserializer()


def to_item(order):
    serialize = SERIALIZER.serialize
    return {name: serialize(value) for name, value in order.items() if value is not None}


def from_item(item):
    deserialize = DESERIALIZER.deserialize
    return {name: deserialize(value) for name, value in item.items()}


def per_item_us(function, argument, repeat, seconds):
    """Best of `repeat` runs of about `seconds` each, in CPU microseconds per call (as model_bench)."""
    timer = timeit.Timer(lambda: function(argument), timer=time.process_time)
    number, _ = timer.autorange()
    number = max(1, int(number * seconds / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def canonical(item):
    """The item with its string set sorted, for comparing with model_bench's JSON."""
    out = {}
    for name, value in item.items():
        if "SS" in value:
            value = {"SS": sorted(value["SS"])}
        out[name] = value
    return out


def run_model_bench(binary, repeat, min_time):
    printed = subprocess.run([binary, "--print-item"], check=True, capture_output=True, text=True).stdout
    if canonical(json.loads(printed)) != canonical(to_item(ORDER)):
        sys.exit("model_bench converts another item than this script: update ORDER to match")
    result = subprocess.run(
        [binary, "--benchmark_filter=BM_ModelToItem$|BM_ItemToModel$", f"--benchmark_repetitions={repeat}",
         f"--benchmark_min_time={min_time}", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    best = {}
    for run in json.loads(result)["benchmarks"]:
        if run.get("run_type") != "iteration":
            continue
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[run["time_unit"]]
        name = run["run_name"] if "run_name" in run else run["name"]
        best[name] = min(best.get(name, float("inf")), run["cpu_time"] * scale)
    return best["BM_ModelToItem"], best["BM_ItemToModel"], len(printed.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", help="path of the model_bench program to run beside boto3")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement; the best counts")
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one boto3 run")
    args = parser.parse_args()

    wire = to_item(ORDER)
    assert from_item(wire) == {k: v for k, v in ORDER.items() if v is not None}
    boto3_to = per_item_us(to_item, ORDER, args.repeat, args.seconds)
    boto3_from = per_item_us(from_item, wire, args.repeat, args.seconds)
    print(f"item: {len(wire)} attributes, {len(json.dumps(wire, separators=(',', ':')))} bytes of DynamoDB JSON")
    print(f"boto3 TypeSerializer   (dict -> item): {boto3_to:8.3f} us/item")
    print(f"boto3 TypeDeserializer (item -> dict): {boto3_from:8.3f} us/item")
    if not args.bench:
        return
    ours_to, ours_from, _ = run_model_bench(args.bench, args.repeat, args.seconds)
    print(f"dynamo::serialize      (model -> Item): {ours_to:8.3f} us/item")
    print(f"dynamo::deserialize    (Item -> model): {ours_from:8.3f} us/item")
    print(f"model -> Item: {boto3_to / ours_to:6.1f}x boto3's TypeSerializer")
    print(f"Item -> model: {boto3_from / ours_from:6.1f}x boto3's TypeDeserializer")


if __name__ == "__main__":
    main()
