#!/usr/bin/env python3
"""Creates table "Bench" (hash key pk) on a DynamoDB endpoint and loads items k0..k999.

Used by compare.sh so both servers start a run with the same data. Plain http.client with
SigV4-shaped headers: both servers under test accept any well-formed signature.
    python3 bench/server/load_table.py http://127.0.0.1:8000 [payload bytes]
The payload attribute holds the fox sentence, or with a size (floor.sh: 1000) that many
bytes of it repeated.
"""
import http.client
import json
import sys
import time
import urllib.parse

AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, "
                 "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)


def call(connection, operation, body):
    connection.request("POST", "/", json.dumps(body), {
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + operation,
        "X-Amz-Date": "20240101T000000Z", "Authorization": AUTHORIZATION})
    response = connection.getresponse()
    data = json.loads(response.read() or b"{}")
    if response.status != 200:
        raise RuntimeError(f"{operation}: {response.status} {data}")
    return data


def payload(size):
    sentence = "the quick brown fox jumps over the lazy dog"
    return sentence if size is None else (sentence + " ") * (size // (len(sentence) + 1)) + "x" * (size % (len(sentence) + 1))


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    text = payload(int(sys.argv[2]) if len(sys.argv) > 2 else None)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    call(connection, "CreateTable", {
        "TableName": "Bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    while call(connection, "DescribeTable", {"TableName": "Bench"})["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.05)
    for start in range(0, 1000, 25):
        call(connection, "BatchWriteItem", {"RequestItems": {"Bench": [
            {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "n": {"N": "0"},
                                     "payload": {"S": text}}}}
            for i in range(start, start + 25)]}})


if __name__ == "__main__":
    main()
