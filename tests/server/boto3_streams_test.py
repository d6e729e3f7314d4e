#!/usr/bin/env python3
"""DynamoDB Streams through boto3's own `dynamodbstreams` client against dynamo-server, on
the same endpoint as the `dynamodb` client: a table created with a stream, writes, then
ListStreams, DescribeStream, GetShardIterator and GetRecords as an application (or a
Lambda-style poller) reads them, and the Streams API's errors.

    python3 tests/server/boto3_streams_test.py --server build/src/server/dynamo-server
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_support import RunningServer, check, error_of, run_tests  # noqa: E402


def make_table(db, name, view):
    response = db.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    return response["TableDescription"]["LatestStreamArn"]


def read_all(streams, arn):
    """Every record of every shard, parents first, as a poller reads them."""
    records = []
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    for shard in shards:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=2)
            if not page["Records"]:
                break
            records.extend(page["Records"])
            iterator = page.get("NextShardIterator")
    return records


def test_records(db, streams):
    arn = make_table(db, "Orders", "NEW_AND_OLD_IMAGES")
    described = db.describe_table(TableName="Orders")["Table"]
    check(described["LatestStreamArn"] == arn, "DescribeTable names the stream")
    check(described["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
          described.get("StreamSpecification"))
    db.put_item(TableName="Orders", Item={"id": {"S": "o1"}, "amount": {"N": "10"}})
    db.update_item(TableName="Orders", Key={"id": {"S": "o1"}}, UpdateExpression="SET amount = :t",
                   ExpressionAttributeValues={":t": {"N": "12"}})
    db.put_item(TableName="Orders", Item={"id": {"S": "o2"}, "amount": {"N": "5"}})
    db.delete_item(TableName="Orders", Key={"id": {"S": "o1"}})
    records = read_all(streams, arn)
    check([r["eventName"] for r in records] == ["INSERT", "MODIFY", "INSERT", "REMOVE"],
          [r["eventName"] for r in records])
    modify = records[1]
    check(modify["eventSource"] == "aws:dynamodb" and modify["awsRegion"] == "us-east-1", modify)
    check(modify["dynamodb"]["Keys"] == {"id": {"S": "o1"}}, modify["dynamodb"])
    check(modify["dynamodb"]["OldImage"]["amount"] == {"N": "10"}, modify["dynamodb"])
    check(modify["dynamodb"]["NewImage"]["amount"] == {"N": "12"}, modify["dynamodb"])
    check(modify["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES", modify["dynamodb"])
    # boto3 parses ApproximateCreationDateTime into a datetime.
    check(hasattr(modify["dynamodb"]["ApproximateCreationDateTime"], "year"), modify["dynamodb"])
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    check(sequence == sorted(sequence) and len(set(sequence)) == 4, sequence)
    check("NewImage" not in records[3]["dynamodb"] and "OldImage" in records[3]["dynamodb"], records[3])


def test_list_and_describe(db, streams):
    arn = make_table(db, "Events", "KEYS_ONLY")
    listed = streams.list_streams(TableName="Events")["Streams"]
    check([s["StreamArn"] for s in listed] == [arn], listed)
    check(listed[0]["TableName"] == "Events" and listed[0]["StreamLabel"], listed)
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    check(description["StreamStatus"] == "ENABLED", description["StreamStatus"])
    check(description["StreamViewType"] == "KEYS_ONLY", description)
    check(description["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}], description["KeySchema"])
    shard = description["Shards"][0]
    check(shard["ShardId"].startswith("shardId-") and "StartingSequenceNumber" in shard["SequenceNumberRange"], shard)


def test_iterators(db, streams):
    arn = make_table(db, "Clicks", "KEYS_ONLY")
    for i in range(3):
        db.put_item(TableName="Clicks", Item={"id": {"S": f"c{i}"}})
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    records = read_all(streams, arn)
    second = records[1]["dynamodb"]["SequenceNumber"]
    after = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                       SequenceNumber=second)["ShardIterator"]
    got = streams.get_records(ShardIterator=after)["Records"]
    check([r["dynamodb"]["Keys"]["id"]["S"] for r in got] == ["c2"], got)
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    check(streams.get_records(ShardIterator=latest)["Records"] == [], "LATEST starts after the last record")
    db.put_item(TableName="Clicks", Item={"id": {"S": "late"}})
    got = streams.get_records(ShardIterator=latest)["Records"]
    check([r["dynamodb"]["Keys"]["id"]["S"] for r in got] == ["late"], got)


def test_disable_and_errors(db, streams):
    arn = make_table(db, "Sessions", "NEW_IMAGE")
    db.put_item(TableName="Sessions", Item={"id": {"S": "s"}})
    code, message, _ = error_of(db.update_table, TableName="Sessions",
                                StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    check(code == "ValidationException" and message == "Table already has an enabled stream: TableName: Sessions",
          (code, message))
    db.update_table(TableName="Sessions", StreamSpecification={"StreamEnabled": False})
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    check(description["StreamStatus"] == "DISABLED", description["StreamStatus"])
    shard = description["Shards"][0]
    check("EndingSequenceNumber" in shard["SequenceNumberRange"], shard)
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = streams.get_records(ShardIterator=iterator)
    check(len(page["Records"]) == 1 and "NextShardIterator" not in page, page)
    # The deleted table's stream stays readable.
    db.delete_table(TableName="Sessions")
    check(streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED", "kept")
    code, _, _ = error_of(streams.describe_stream, StreamArn=arn.replace("Sessions", "Nothing"))
    check(code == "ResourceNotFoundException", code)
    code, message, _ = error_of(streams.get_records, ShardIterator="garbage")
    check(code == "ValidationException", (code, message))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    server = RunningServer(args.server)
    try:
        status = run_tests((test_records, test_list_and_describe, test_iterators, test_disable_and_errors),
                           server.client(), server.client("dynamodbstreams"))
    finally:
        server.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
