#!/usr/bin/env python3
"""Tables belong to a region, through boto3 against the dynamo-server binary.

A table created with region_name='us-east-2' is not seen with 'us-east-1' (the region comes
from the SigV4 credential scope botocore signs), ARNs carry the region and --account-id,
--shared-db shares one set of tables between regions, each region persists with --data-dir,
and a verifying server refuses a scope for another service.

    python3 tests/server/boto3_regions_test.py --server build/src/server/dynamo-server
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


def create(db, name):
    return db.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                           BillingMode="PAY_PER_REQUEST")["TableDescription"]


def test_regions_are_apart(binary):
    # The table made through us-east-2 is neither listed nor found through us-east-1; its ARN
    # names us-east-2 and the account given with --account-id.
    server = RunningServer(binary, "--account-id", "123456789012")
    try:
        east2, east1 = server.client(region="us-east-2"), server.client(region="us-east-1")
        described = create(east2, "Orders")
        check(described["TableArn"] == "arn:aws:dynamodb:us-east-2:123456789012:table/Orders", described["TableArn"])
        check(east2.list_tables()["TableNames"] == ["Orders"], "listed in its region")
        check(east1.list_tables()["TableNames"] == [], "not listed in another region")
        code, _, _ = error_of(east1.describe_table, TableName="Orders")
        check(code == "ResourceNotFoundException", f"not found in another region: {code}")
        east2.put_item(TableName="Orders", Item={"id": {"S": "1"}})
        check("Item" in east2.get_item(TableName="Orders", Key={"id": {"S": "1"}}), "item in its region")
        # Another access key sees the same region's tables (one account).
        check(server.client(region="us-east-2", key="other").list_tables()["TableNames"] == ["Orders"], "same account")
    finally:
        check(server.stop() == 0, "clean exit")
    print("ok  test_regions_are_apart")


def test_shared_db(binary):
    server = RunningServer(binary, "--shared-db", "--region", "eu-west-1")
    try:
        described = create(server.client(region="us-east-2"), "Shared")
        check(described["TableArn"].startswith("arn:aws:dynamodb:eu-west-1:"), described["TableArn"])
        check(server.client(region="us-east-1").list_tables()["TableNames"] == ["Shared"], "shared between regions")
    finally:
        check(server.stop() == 0, "clean exit")
    print("ok  test_shared_db")


def test_persistence_per_region(binary):
    with tempfile.TemporaryDirectory() as data_dir:
        if subprocess.run([binary, "--data-dir", data_dir, "--host", "256.0.0.1", "--quiet"], timeout=10,
                          stderr=subprocess.DEVNULL).returncode == 2:
            print("skip test_persistence_per_region: no persistent store in this build")
            return
        server = RunningServer(binary, "--data-dir", data_dir)
        create(server.client(region="us-west-2"), "West")
        create(server.client(region="eu-west-1"), "Europe")
        check(server.stop() == 0, "clean exit")
        check(os.path.isdir(os.path.join(data_dir, "regions", "us-west-2")), "a directory per region")

        server = RunningServer(binary, "--data-dir", data_dir)
        try:
            check(server.client(region="us-west-2").list_tables()["TableNames"] == ["West"], "us-west-2 after restart")
            check(server.client(region="eu-west-1").list_tables()["TableNames"] == ["Europe"], "eu-west-1 after restart")
            check(server.client(region="us-east-1").list_tables()["TableNames"] == [], "us-east-1 empty")
        finally:
            check(server.stop() == 0, "clean exit")
    print("ok  test_persistence_per_region")


def test_verified_scope(binary):
    # With verification any region is served, each with its own tables; a scope signed for
    # another service is refused with AWS's words.
    server = RunningServer(binary, "--access-key-id", "AKIDLOCAL", "--secret-access-key", "s3cret")
    try:
        create(server.client(region="ap-south-1", key="AKIDLOCAL", secret="s3cret"), "Verified")
        check(server.client(region="us-east-1", key="AKIDLOCAL", secret="s3cret").list_tables()["TableNames"] == [], "apart")
        wrong_service = boto3.client(
            "dynamodb", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id="AKIDLOCAL",
            aws_secret_access_key="s3cret", config=botocore.config.Config(retries={"max_attempts": 0}))
        # Sign for "s3" instead of "dynamodb" (the signing name botocore would use for S3).
        wrong_service._request_signer._signing_name = "s3"
        code, message, _ = error_of(wrong_service.list_tables)
        check(code == "InvalidSignatureException", f"wrong service: {code}")
        check(message == "Credential should be scoped to correct service: 'dynamodb'. ", message)
    finally:
        check(server.stop() == 0, "clean exit")
    print("ok  test_verified_scope")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="path of the dynamo-server binary")
    args = parser.parse_args()
    os.environ.pop("AWS_PROFILE", None)
    test_regions_are_apart(args.server)
    test_shared_db(args.server)
    test_persistence_per_region(args.server)
    test_verified_scope(args.server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
