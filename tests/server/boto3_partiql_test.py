#!/usr/bin/env python3
"""PartiQL through boto3 against dynamo-server: ExecuteStatement (every statement kind,
parameters, paging with NextToken), BatchExecuteStatement (per-statement errors) and
ExecuteTransaction (all-or-nothing, cancellation reasons, idempotency), plus the errors a
malformed or key-less statement raises. boto3 signs each request and checks x-amz-crc32.

    python3 tests/server/boto3_partiql_test.py --server build/src/server/dynamo-server
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_support import RunningServer, check, error_of  # noqa: E402


def setup(db):
    db.create_table(
        TableName="Music",
        AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                              {"AttributeName": "Song", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
                   {"AttributeName": "Song", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST")
    db.get_waiter("table_exists").wait(TableName="Music", WaiterConfig={"Delay": 0.1})


def test_execute_statement(db):
    # INSERT with a parameter and every literal kind; a second INSERT of the key is a duplicate.
    out = db.execute_statement(
        Statement="INSERT INTO \"Music\" VALUE {'Artist': ?, 'Song': 'One', 'Year': 1990, "
                  "'Tags': <<'rock', 'pop'>>, 'Meta': {'live': TRUE, 'takes': [1, 2]}, 'Gone': NULL}",
        Parameters=[{"S": "Acme"}])
    check(out["Items"] == [], f"INSERT answers no items: {out}")
    code, message, _ = error_of(db.execute_statement,
                                Statement="INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': 'One'}")
    check((code, message) == ("DuplicateItemException", "Duplicate primary key exists in table"),
          f"duplicate INSERT: {code} {message}")
    for song in ("Two", "Three", "Four"):
        db.execute_statement(Statement="INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': ?, 'Year': 2000}",
                             Parameters=[{"S": song}])

    # SELECT: a Query on the partition key, projection with a nested path, ORDER BY DESC.
    got = db.execute_statement(
        Statement="SELECT Song, Meta.takes[1] FROM \"Music\" WHERE Artist = ? ORDER BY Song DESC",
        Parameters=[{"S": "Acme"}])
    check([i["Song"]["S"] for i in got["Items"]] == ["Two", "Three", "One", "Four"], f"ORDER BY DESC: {got}")
    check(got["Items"][2] == {"Song": {"S": "One"}, "Meta": {"M": {"takes": {"L": [{"N": "2"}]}}}},
          f"nested projection: {got['Items'][2]}")

    # SELECT as a Scan with functions and IS MISSING.
    got = db.execute_statement(
        Statement="SELECT Song FROM \"Music\" WHERE contains(Tags, 'rock') AND Gone IS NOT MISSING "
                  "AND attribute_type(Gone, 'NULL') AND begins_with(Song, 'O') AND size(Tags) = 2")
    check(got["Items"] == [{"Song": {"S": "One"}}], f"scan with functions: {got}")

    # Paging with Limit and NextToken returns every item once.
    songs, token = [], None
    while True:
        kwargs = {"Statement": "SELECT Song FROM \"Music\" WHERE Artist = 'Acme'", "Limit": 3}
        if token:
            kwargs["NextToken"] = token
        page = db.execute_statement(**kwargs)
        songs += [i["Song"]["S"] for i in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    check(sorted(songs) == ["Four", "One", "Three", "Two"], f"paged songs {songs}")

    # UPDATE with set_add, list_append, REMOVE and RETURNING.
    out = db.execute_statement(
        Statement="UPDATE \"Music\" SET Tags = set_add(Tags, <<'jazz'>>), Meta.takes = list_append(Meta.takes, [3]) "
                  "REMOVE Gone WHERE Artist = 'Acme' AND Song = 'One' RETURNING ALL NEW *")
    item = out["Items"][0]
    check(set(item["Tags"]["SS"]) == {"rock", "pop", "jazz"} and "Gone" not in item, f"UPDATE result {item}")
    check(item["Meta"]["M"]["takes"]["L"] == [{"N": "1"}, {"N": "2"}, {"N": "3"}], f"list_append {item}")

    # UPDATE of a missing item fails its condition; writes need the full key.
    code, _, _ = error_of(db.execute_statement,
                          Statement="UPDATE \"Music\" SET Year = 1 WHERE Artist = 'Nobody' AND Song = 'x'")
    check(code == "ConditionalCheckFailedException", code)
    code, message, _ = error_of(db.execute_statement, Statement="DELETE FROM \"Music\" WHERE Artist = 'Acme'")
    check((code, message) == ("ValidationException",
                              "Where clause does not contain a mandatory equality on all key attributes"),
          f"key-less DELETE: {code} {message}")

    # DELETE with RETURNING ALL OLD *.
    out = db.execute_statement(
        Statement="DELETE FROM \"Music\" WHERE Artist = 'Acme' AND Song = 'Four' RETURNING ALL OLD *")
    check(out["Items"][0]["Song"] == {"S": "Four"}, f"DELETE RETURNING {out}")

    # A syntax error is a ValidationException with DynamoDB's prefix.
    code, message, _ = error_of(db.execute_statement, Statement="SELEKT * FROM Music")
    check(code == "ValidationException" and message.startswith("Statement wasn't well formed, can't be processed:"),
          f"syntax error: {code} {message}")
    code, _, _ = error_of(db.execute_statement, Statement="SELECT * FROM \"Nope\"")
    check(code == "ResourceNotFoundException", code)


def test_batch_execute_statement(db):
    out = db.batch_execute_statement(Statements=[
        {"Statement": "INSERT INTO \"Music\" VALUE {'Artist': 'Batch', 'Song': 'A'}"},
        {"Statement": "INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': 'One'}"},
        {"Statement": "UPDATE \"Music\" SET Year = 1 WHERE Artist = 'Acme' AND Song = 'Two' AND Year = 5",
         "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
    ])
    responses = out["Responses"]
    check(len(responses) == 3 and "Error" not in responses[0], f"batch writes {responses}")
    check(responses[1]["Error"]["Code"] == "DuplicateItem", f"duplicate in batch {responses[1]}")
    check(responses[2]["Error"]["Code"] == "ConditionalCheckFailed", f"condition in batch {responses[2]}")
    check(responses[2]["Error"]["Item"]["Song"] == {"S": "Two"}, f"ALL_OLD item {responses[2]}")

    out = db.batch_execute_statement(Statements=[
        {"Statement": "SELECT Song FROM \"Music\" WHERE Artist = 'Batch' AND Song = 'A'"},
        {"Statement": "SELECT * FROM \"Music\" WHERE Artist = 'Batch' AND Song = 'Z'"},
    ])
    responses = out["Responses"]
    check(responses[0]["Item"] == {"Song": {"S": "A"}} and responses[0]["TableName"] == "Music",
          f"batch read {responses[0]}")
    check("Item" not in responses[1] and "Error" not in responses[1], f"batch read of a missing item {responses[1]}")

    code, _, _ = error_of(db.batch_execute_statement, Statements=[
        {"Statement": "SELECT * FROM \"Music\" WHERE Artist = 'Batch' AND Song = 'A'"},
        {"Statement": "DELETE FROM \"Music\" WHERE Artist = 'Batch' AND Song = 'A'"},
    ])
    check(code == "ValidationException", f"mixed batch: {code}")


def test_execute_transaction(db):
    db.execute_transaction(TransactStatements=[
        {"Statement": "INSERT INTO \"Music\" VALUE {'Artist': 'Tx', 'Song': 'A', 'Plays': 0}"},
        {"Statement": "UPDATE \"Music\" SET Plays = 1 WHERE Artist = 'Batch' AND Song = 'A'"},
        {"Statement": "EXISTS(SELECT * FROM \"Music\" WHERE Artist = 'Acme' AND Song = 'One' AND Year = 1990)"},
    ], ClientRequestToken="tx-1")
    got = db.execute_statement(Statement="SELECT Plays FROM \"Music\" WHERE Artist = 'Batch' AND Song = 'A'")
    check(got["Items"] == [{"Plays": {"N": "1"}}], f"transaction applied: {got}")

    code, _, response = error_of(db.execute_transaction, TransactStatements=[
        {"Statement": "UPDATE \"Music\" SET Plays = 9 WHERE Artist = 'Tx' AND Song = 'A'"},
        {"Statement": "INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': 'One'}"},
    ])
    check(code == "TransactionCanceledException", code)
    reasons = [r["Code"] for r in response["CancellationReasons"]]
    check(reasons == ["None", "DuplicateItem"], f"cancellation reasons {reasons}")
    got = db.execute_statement(Statement="SELECT Plays FROM \"Music\" WHERE Artist = 'Tx' AND Song = 'A'")
    check(got["Items"] == [{"Plays": {"N": "0"}}], f"nothing applied: {got}")

    out = db.execute_transaction(TransactStatements=[
        {"Statement": "SELECT Song FROM \"Music\" WHERE Artist = ? AND Song = ?",
         "Parameters": [{"S": "Tx"}, {"S": "A"}]},
        {"Statement": "SELECT Song FROM \"Music\" WHERE Artist = 'Tx' AND Song = 'none'"},
    ])
    check(out["Responses"] == [{"Item": {"Song": {"S": "A"}}}, {}], f"read transaction {out['Responses']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    server = RunningServer(args.server)
    failures = 0
    try:
        db = server.client()
        setup(db)
        for test in (test_execute_statement, test_batch_execute_statement, test_execute_transaction):
            try:
                test(db)
                print(f"ok   {test.__name__}")
            except Exception as e:  # report every test, then fail
                failures += 1
                print(f"FAIL {test.__name__}: {e!r}")
    finally:
        status = server.stop()
    if status != 0:
        print(f"FAIL dynamo-server exited with {status}")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
