#!/usr/bin/env python3
"""dynamo-server driven by boto3, the way a developer's code would use it.

Starts the binary on a free loopback port and calls every operation through a real SDK
(botocore signs the requests and checks x-amz-crc32 on every answer), asserting results.
Then starts it again with signature verification on and checks the rejections, checks that
SIGTERM ends the process with status 0, and (when the build has the store) that writes
survive a restart and a SIGKILL with --data-dir.

    python3 tests/server/boto3_test.py --server build/src/server/dynamo-server
"""
import argparse
import os
import subprocess
import sys
import tempfile

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_support import RunningServer, check, error_of  # noqa: E402


def error_code(call, *args, **kwargs):
    """The service error code a call fails with (and its response), or fail the test."""
    code, _, response = error_of(call, *args, **kwargs)
    return code, response


def test_tables(db):
    # CreateTable with a sort key and a GSI, then describe, list (paged), update, TTL.
    created = db.create_table(
        TableName="Thread",
        AttributeDefinitions=[{"AttributeName": "forum", "AttributeType": "S"},
                              {"AttributeName": "subject", "AttributeType": "S"},
                              {"AttributeName": "views", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "forum", "KeyType": "HASH"},
                   {"AttributeName": "subject", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_views",
                                 "KeySchema": [{"AttributeName": "views", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    check(created["TableDescription"]["TableName"] == "Thread", "CreateTable names the table")
    db.get_waiter("table_exists").wait(TableName="Thread", WaiterConfig={"Delay": 0.1})
    described = db.describe_table(TableName="Thread")["Table"]
    check(described["TableStatus"] == "ACTIVE", "table is ACTIVE")
    check(described["TableArn"].startswith("arn:aws:dynamodb:us-east-1:"), "ARN in the region")
    check(described["GlobalSecondaryIndexes"][0]["IndexName"] == "by_views", "GSI described")

    for name in ("Alpha", "Beta"):
        db.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    first = db.list_tables(Limit=2)
    check(first["TableNames"] == ["Alpha", "Beta"], f"first page {first['TableNames']}")
    rest = db.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
    check(rest["TableNames"] == ["Thread"], f"second page {rest['TableNames']}")
    names = [n for page in db.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1})
             for n in page["TableNames"]]
    check(names == ["Alpha", "Beta", "Thread"], f"paginator {names}")

    updated = db.update_table(TableName="Alpha", BillingMode="PROVISIONED",
                              ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
    check(updated["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 7, "UpdateTable")

    ttl = db.update_time_to_live(TableName="Thread",
                                 TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    check(ttl["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}, "UpdateTimeToLive")
    described_ttl = db.describe_time_to_live(TableName="Thread")["TimeToLiveDescription"]
    check(described_ttl["TimeToLiveStatus"] == "ENABLED" and described_ttl["AttributeName"] == "expires",
          f"DescribeTimeToLive {described_ttl}")

    code, _ = error_code(db.create_table, TableName="Alpha",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    check(code == "ResourceInUseException", code)
    db.delete_table(TableName="Beta")
    code, _ = error_code(db.describe_table, TableName="Beta")
    check(code == "ResourceNotFoundException", code)


def test_items(db):
    db.put_item(TableName="Thread", Item={"forum": {"S": "C++"}, "subject": {"S": "Modules"},
                                          "views": {"N": "1"}, "tags": {"SS": ["a", "b"]}})
    got = db.get_item(TableName="Thread", Key={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
                      ConsistentRead=True)["Item"]
    check(got["views"] == {"N": "1"} and sorted(got["tags"]["SS"]) == ["a", "b"], f"GetItem {got}")
    check("Item" not in db.get_item(TableName="Thread", Key={"forum": {"S": "C++"}, "subject": {"S": "none"}}),
          "absent item has no Item")

    # Conditional put: fails with the old item when asked for ALL_OLD.
    code, response = error_code(
        db.put_item, TableName="Thread", Item={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
        ConditionExpression="attribute_not_exists(forum)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    check(code == "ConditionalCheckFailedException", code)
    check(response.get("Item", {}).get("views") == {"N": "1"}, f"old item in the error {response}")

    updated = db.update_item(
        TableName="Thread", Key={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
        UpdateExpression="SET #v = #v + :one, lastpost = :now REMOVE tags",
        ConditionExpression="#v < :limit",
        ExpressionAttributeNames={"#v": "views"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": "100"}, ":now": {"S": "today"}},
        ReturnValues="ALL_NEW")["Attributes"]
    check(updated["views"] == {"N": "2"} and "tags" not in updated and updated["lastpost"] == {"S": "today"},
          f"UpdateItem {updated}")
    code, _ = error_code(db.update_item, TableName="Thread",
                         Key={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
                         UpdateExpression="SET #v = :v", ConditionExpression="#v > :v",
                         ExpressionAttributeNames={"#v": "views"}, ExpressionAttributeValues={":v": {"N": "5"}})
    check(code == "ConditionalCheckFailedException", code)

    code, _ = error_code(db.delete_item, TableName="Thread",
                         Key={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
                         ConditionExpression="#v = :v", ExpressionAttributeNames={"#v": "views"},
                         ExpressionAttributeValues={":v": {"N": "99"}})
    check(code == "ConditionalCheckFailedException", code)
    old = db.delete_item(TableName="Thread", Key={"forum": {"S": "C++"}, "subject": {"S": "Modules"}},
                         ConditionExpression="#v = :v", ExpressionAttributeNames={"#v": "views"},
                         ExpressionAttributeValues={":v": {"N": "2"}},
                         ReturnValues="ALL_OLD")["Attributes"]
    check(old["views"] == {"N": "2"}, f"DeleteItem ALL_OLD {old}")

    code, _ = error_code(db.put_item, TableName="Thread", Item={"forum": {"S": "x"}})
    check(code == "ValidationException", f"missing sort key: {code}")


def test_legacy_parameters(db):
    # The low-level client's legacy parameters: Expected, AttributeUpdates, KeyConditions,
    # QueryFilter, ScanFilter, ConditionalOperator.
    key = {"forum": {"S": "Legacy"}, "subject": {"S": "a"}}
    db.put_item(TableName="Thread", Item={**key, "views": {"N": "1"}},
                Expected={"forum": {"Exists": False}})
    code, _ = error_code(db.put_item, TableName="Thread", Item=key, Expected={"forum": {"Exists": False}})
    check(code == "ConditionalCheckFailedException", f"Expected Exists false on an existing item: {code}")

    updated = db.update_item(
        TableName="Thread", Key=key,
        AttributeUpdates={"views": {"Action": "ADD", "Value": {"N": "2"}},
                          "tags": {"Action": "ADD", "Value": {"SS": ["x", "y"]}},
                          "notes": {"Action": "PUT", "Value": {"L": [{"S": "first"}]}}},
        Expected={"views": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]},
                  "missing": {"ComparisonOperator": "NULL"}},
        ReturnValues="ALL_NEW")["Attributes"]
    check(updated["views"] == {"N": "3"} and sorted(updated["tags"]["SS"]) == ["x", "y"]
          and updated["notes"] == {"L": [{"S": "first"}]}, f"AttributeUpdates {updated}")
    db.update_item(TableName="Thread", Key=key,
                   AttributeUpdates={"tags": {"Action": "DELETE", "Value": {"SS": ["x"]}},
                                     "notes": {"Action": "ADD", "Value": {"L": [{"S": "second"}]}},
                                     "views": {"Action": "DELETE"}},
                   Expected={"views": {"Value": {"N": "99"}}, "tags": {"ComparisonOperator": "CONTAINS",
                                                                     "AttributeValueList": [{"S": "y"}]}},
                   ConditionalOperator="OR")
    item = db.get_item(TableName="Thread", Key=key, ConsistentRead=True)["Item"]
    check(item.get("tags") == {"SS": ["y"]} and "views" not in item
          and item["notes"] == {"L": [{"S": "first"}, {"S": "second"}]}, f"after DELETE and list ADD {item}")

    for subject in ("b", "c", "d"):
        db.put_item(TableName="Thread", Item={"forum": {"S": "Legacy"}, "subject": {"S": subject},
                                              "views": {"N": str(ord(subject))}})
    page = db.query(TableName="Thread", ConsistentRead=True,
                    KeyConditions={"forum": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "Legacy"}]},
                                   "subject": {"ComparisonOperator": "BETWEEN",
                                               "AttributeValueList": [{"S": "b"}, {"S": "d"}]}},
                    QueryFilter={"views": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "98"}]}},
                    AttributesToGet=["subject"])
    check([i["subject"]["S"] for i in page["Items"]] == ["c", "d"] and page["ScannedCount"] == 3,
          f"KeyConditions and QueryFilter {page}")
    scanned = db.scan(TableName="Thread",
                      ScanFilter={"forum": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "Legacy"}]},
                                  "subject": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "a"}]}})
    check(scanned["Count"] == 1 and scanned["Items"][0]["subject"] == {"S": "a"}, f"ScanFilter {scanned}")

    code, response = error_code(db.delete_item, TableName="Thread", Key=key,
                                Expected={"views": {"Exists": False}},
                                ConditionExpression="attribute_exists(forum)")
    message = response["Error"]["Message"]
    check(code == "ValidationException" and message == (
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"), message)
    for subject in ("a", "b", "c", "d"):
        db.delete_item(TableName="Thread", Key={"forum": {"S": "Legacy"}, "subject": {"S": subject}})


def test_batches_and_reads(db):
    # BatchWriteItem (puts and a delete), then Query and Scan with paging, BatchGetItem.
    for start in range(0, 30, 10):
        db.batch_write_item(RequestItems={"Thread": [
            {"PutRequest": {"Item": {"forum": {"S": "Rust" if i % 2 else "Go"}, "subject": {"S": f"s{i:02}"},
                                     "views": {"N": str(i)}}}} for i in range(start, start + 10)]})
    result = db.batch_write_item(RequestItems={"Thread": [
        {"DeleteRequest": {"Key": {"forum": {"S": "Go"}, "subject": {"S": "s00"}}}}]})
    check(result["UnprocessedItems"] == {}, "nothing unprocessed")

    pages = list(db.get_paginator("query").paginate(
        TableName="Thread", KeyConditionExpression="forum = :f AND begins_with(subject, :p)",
        ExpressionAttributeValues={":f": {"S": "Rust"}, ":p": {"S": "s"}},
        PaginationConfig={"PageSize": 4}))
    subjects = [item["subject"]["S"] for page in pages for item in page["Items"]]
    check(subjects == [f"s{i:02}" for i in range(1, 30, 2)], f"Query {subjects}")
    check(len(pages) >= 4, f"Query paged ({len(pages)} pages)")
    backwards = db.query(TableName="Thread", KeyConditionExpression="forum = :f",
                         ExpressionAttributeValues={":f": {"S": "Rust"}}, ScanIndexForward=False, Limit=1)
    check(backwards["Items"][0]["subject"] == {"S": "s29"} and "LastEvaluatedKey" in backwards, "reverse query")
    by_views = db.query(TableName="Thread", IndexName="by_views", KeyConditionExpression="#v = :v",
                        ExpressionAttributeNames={"#v": "views"}, ExpressionAttributeValues={":v": {"N": "7"}})
    check(by_views["Count"] == 1 and by_views["Items"][0]["subject"] == {"S": "s07"}, "GSI query")

    scanned = [item for page in db.get_paginator("scan").paginate(
        TableName="Thread", FilterExpression="#v >= :min", ExpressionAttributeNames={"#v": "views"}, ExpressionAttributeValues={":min": {"N": "10"}},
        PaginationConfig={"PageSize": 7}) for item in page["Items"]]
    check(len(scanned) == 20, f"Scan found {len(scanned)}")
    count = db.scan(TableName="Thread", Select="COUNT")
    check(count["Count"] == 29, f"Scan COUNT {count['Count']}")

    got = db.batch_get_item(RequestItems={"Thread": {
        "Keys": [{"forum": {"S": "Go"}, "subject": {"S": "s02"}},
                 {"forum": {"S": "Rust"}, "subject": {"S": "s03"}},
                 {"forum": {"S": "Go"}, "subject": {"S": "s00"}}],  # deleted above
        "ProjectionExpression": "subject"}})
    subjects = sorted(item["subject"]["S"] for item in got["Responses"]["Thread"])
    check(subjects == ["s02", "s03"], f"BatchGetItem {subjects}")
    check(got["UnprocessedKeys"] == {}, "no unprocessed keys")


def test_transactions(db):
    db.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Thread", "Item": {"forum": {"S": "Tx"}, "subject": {"S": "a"}, "n": {"N": "1"}}}},
        {"Put": {"TableName": "Thread", "Item": {"forum": {"S": "Tx"}, "subject": {"S": "b"}, "n": {"N": "2"}}}},
        {"Update": {"TableName": "Thread", "Key": {"forum": {"S": "Go"}, "subject": {"S": "s02"}},
                    "UpdateExpression": "SET touched = :t", "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
    ])
    got = db.transact_get_items(TransactItems=[
        {"Get": {"TableName": "Thread", "Key": {"forum": {"S": "Tx"}, "subject": {"S": "a"}}}},
        {"Get": {"TableName": "Thread", "Key": {"forum": {"S": "Go"}, "subject": {"S": "s02"}}}},
        {"Get": {"TableName": "Thread", "Key": {"forum": {"S": "Tx"}, "subject": {"S": "zz"}}}},
    ])["Responses"]
    check(got[0]["Item"]["n"] == {"N": "1"} and got[1]["Item"]["touched"] == {"BOOL": True} and got[2] == {},
          f"TransactGetItems {got}")

    # A failed condition cancels the whole transaction; the first action is not applied.
    code, response = error_code(db.transact_write_items, TransactItems=[
        {"Put": {"TableName": "Thread", "Item": {"forum": {"S": "Tx"}, "subject": {"S": "c"}}}},
        {"ConditionCheck": {"TableName": "Thread", "Key": {"forum": {"S": "Tx"}, "subject": {"S": "a"}},
                            "ConditionExpression": "n = :two", "ExpressionAttributeValues": {":two": {"N": "2"}},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
    ])
    check(code == "TransactionCanceledException", code)
    reasons = response["CancellationReasons"]
    check([r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed"], f"reasons {reasons}")
    check(reasons[1]["Item"]["n"] == {"N": "1"}, f"old item in the reason {reasons[1]}")
    check("Item" not in db.get_item(TableName="Thread", Key={"forum": {"S": "Tx"}, "subject": {"S": "c"}}),
          "cancelled put not applied")


def test_tags_and_limits(server):
    # Tags through boto3: the table's ARN from DescribeTable, then tag, list, untag.
    db = server.client()
    arn = db.describe_table(TableName="Thread")["Table"]["TableArn"]
    db.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "forums"}, {"Key": "env", "Value": "test"}])
    tags = db.list_tags_of_resource(ResourceArn=arn)["Tags"]
    check(sorted((t["Key"], t["Value"]) for t in tags) == [("env", "test"), ("team", "forums")], f"tags {tags}")
    db.untag_resource(ResourceArn=arn, TagKeys=["env"])
    check([t["Key"] for t in db.list_tags_of_resource(ResourceArn=arn)["Tags"]] == ["team"], "untagged")
    code, _ = error_code(db.list_tags_of_resource, ResourceArn=arn + "Missing")
    check(code == "ResourceNotFoundException", code)
    check(db.describe_limits()["TableMaxReadCapacityUnits"] == 40000, "DescribeLimits")
    check(db.describe_endpoints()["Endpoints"][0]["CachePeriodInMinutes"] == 1440, "DescribeEndpoints")


def test_protocol_errors(server):
    # An operation dynamo does not implement is UnknownOperationException, not a dropped line.
    db = server.client()
    code, response = error_code(db.create_backup, TableName="Thread", BackupName="nightly")
    check(code == "UnknownOperationException", code)
    check(response["ResponseMetadata"]["HTTPStatusCode"] == 400, "UnknownOperationException is 400")
    check(len(response["ResponseMetadata"]["RequestId"]) == 52, "request id on errors")


def test_signature_verification(binary):
    server = RunningServer(binary, "--access-key-id", "AKIDLOCAL", "--secret-access-key", "s3cret")
    try:
        good = server.client(key="AKIDLOCAL", secret="s3cret")
        check(good.list_tables()["TableNames"] == [], "signed with the configured key")
        code, _ = error_code(server.client(key="AKIDLOCAL", secret="wrong").list_tables)
        check(code == "InvalidSignatureException", code)
        code, _ = error_code(server.client(key="AKIDOTHER", secret="s3cret").list_tables)
        check(code == "UnrecognizedClientException", code)
        anonymous = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                                 config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                                               retries={"max_attempts": 0}))
        code, _ = error_code(anonymous.list_tables)
        check(code == "MissingAuthenticationTokenException", code)
    finally:
        check(server.stop() == 0, "clean exit")


def test_persistence(binary):
    # Acknowledged writes survive a SIGTERM restart and a SIGKILL; skipped when the build has
    # no persistent store (the binary then refuses --data-dir with status 2).
    with tempfile.TemporaryDirectory() as data_dir:
        if subprocess.run([binary, "--data-dir", data_dir, "--host", "256.0.0.1", "--quiet"], timeout=10,
                          stderr=subprocess.DEVNULL).returncode == 2:
            print("skip test_persistence: no persistent store in this build")
            return
        server = RunningServer(binary, "--data-dir", data_dir)
        db = server.client()
        db.create_table(TableName="Kept", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        for i in range(50):
            db.put_item(TableName="Kept", Item={"id": {"S": f"k{i}"}, "n": {"N": str(i)}})
        check(server.stop() == 0, "clean exit with a data dir")

        server = RunningServer(binary, "--data-dir", data_dir)
        db = server.client()
        check(db.scan(TableName="Kept", Select="COUNT")["Count"] == 50, "items survive a restart")
        db.update_item(TableName="Kept", Key={"id": {"S": "k1"}}, UpdateExpression="SET n = :v",
                       ExpressionAttributeValues={":v": {"N": "100"}})
        server.process.kill()  # SIGKILL: no chance to flush anything
        server.process.wait(timeout=10)

        server = RunningServer(binary, "--data-dir", data_dir)
        item = server.client().get_item(TableName="Kept", Key={"id": {"S": "k1"}})["Item"]
        check(item["n"] == {"N": "100"}, f"acknowledged write survives SIGKILL: {item}")
        check(server.stop() == 0, "clean exit")
    print("ok  test_persistence")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="path of the dynamo-server binary")
    args = parser.parse_args()
    os.environ.pop("AWS_PROFILE", None)  # the test passes explicit keys; no profile lookups

    server = RunningServer(args.server)
    try:
        db = server.client()
        for test in (test_tables, test_items, test_legacy_parameters, test_batches_and_reads, test_transactions):
            test(db)
            print(f"ok  {test.__name__}")
        test_tags_and_limits(server)
        print("ok  test_tags_and_limits")
        test_protocol_errors(server)
        print("ok  test_protocol_errors")
    finally:
        status = server.stop()
    check(status == 0, f"SIGTERM exit status {status}")
    print("ok  SIGTERM exits 0")
    test_signature_verification(args.server)
    print("ok  test_signature_verification")
    test_persistence(args.server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
