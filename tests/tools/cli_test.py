#!/usr/bin/env python3
"""End-to-end tests of the `dynamo` command, run as a user runs it: as a subprocess.

Every command runs against two backends: the embedded engine (`--data-dir` in a temporary
directory) and dynamo-server started on a free loopback port (`--endpoint`). Export and
import make a round trip of --items items (20,000 in the test command; the full-size run is
`python3 tests/tools/cli_test.py --dynamo build/test/tools/dynamo/dynamo
--server build/test/src/server/dynamo-server --items 100000`), an interrupted import
(Ctrl-C, a killed process, a bad line) is resumed without duplicates or losses, and bad
input files are reported with their line numbers.
"""

import argparse
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process):
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def items_of(count, start=0):
    """Items of every attribute type, keyed pk (S) and sk (N)."""
    for i in range(start, start + count):
        yield {
            "pk": {"S": f"user#{i % 97}"},
            "sk": {"N": str(i)},
            "name": {"S": f"name {i} \u00e9\u00e8 \"quoted\""},
            "score": {"N": f"{i}.{i % 10}5"},
            "active": {"BOOL": i % 2 == 0},
            "nothing": {"NULL": True},
            "tags": {"SS": [f"t{i % 3}", "all"]},
            "nums": {"NS": [str(i), "-1.5"]},
            "blob": {"B": "AAECAwQ="},
            "meta": {"M": {"depth": {"L": [{"N": "1"}, {"S": "two"}]}}},
        }


def write_lines(path, lines):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


class Backend:
    """Runs the dynamo binary against one backend."""

    def dynamo(self, *args, check=True, stdin=None, timeout=300):
        result = subprocess.run([ARGS.dynamo, *self.global_args, *args], capture_output=True, text=True,
                                input=stdin, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"dynamo {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    def popen(self, *args):
        return subprocess.Popen([ARGS.dynamo, *self.global_args, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)


class Embedded(Backend):
    def __init__(self, directory):
        self.global_args = ["--data-dir", os.path.join(directory, "data")]

    def close(self):
        pass


class Server(Backend):
    def __init__(self, directory):
        self.port = free_port()
        self.process = subprocess.Popen([ARGS.server, "--port", str(self.port), "--quiet"])
        wait_for_port(self.port, self.process)
        self.global_args = ["--endpoint", f"http://127.0.0.1:{self.port}"]

    def close(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


class CommandsTest:
    """Every command, on the backend the subclass makes."""

    make_backend = None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.db = self.make_backend(self.dir)
        self.db.dynamo("create", "Thread", "--hash", "forum:S", "--range", "subject:S", "--gsi", "by_views=views:N",
                       "--wait")

    def tearDown(self):
        self.db.close()
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def json_lines(self, result):
        return [json.loads(line) for line in result.stdout.splitlines() if line]

    def scan_all(self, table):
        return self.json_lines(self.db.dynamo("--output", "dynamodb-json", "scan", table))

    # --- tables -------------------------------------------------------------------------

    def test_tables_describe_create_wait_delete(self):
        # Created from a CreateTable JSON file, listed, described, waited for, deleted.
        spec = {"TableName": "Orders",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST"}
        with open(self.path("orders.json"), "w") as f:
            json.dump(spec, f)
        self.db.dynamo("create", "--json", self.path("orders.json"))
        self.db.dynamo("wait", "Orders")
        self.assertEqual(self.db.dynamo("tables").stdout.split(), ["Orders", "Thread"])
        described = json.loads(self.db.dynamo("describe", "Thread").stdout)["Table"]
        self.assertEqual(described["KeySchema"][1], {"AttributeName": "subject", "KeyType": "RANGE"})
        self.assertEqual(described["GlobalSecondaryIndexes"][0]["IndexName"], "by_views")
        summary = self.db.dynamo("--output", "table", "describe", "Thread").stdout
        self.assertIn("forum (S, hash), subject (S, range)", summary)
        # Deleting a table needs --yes when there is no terminal to ask on.
        refused = self.db.dynamo("delete", "Orders", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("without --yes", refused.stderr)
        self.db.dynamo("delete", "Orders", "--yes")
        self.db.dynamo("wait", "Orders", "--deleted")
        self.assertEqual(self.db.dynamo("tables").stdout.split(), ["Thread"])
        missing = self.db.dynamo("describe", "Nope", check=False)
        self.assertEqual(missing.returncode, 1)
        self.assertEqual(missing.stderr.strip(), "dynamo: table Nope does not exist")

    def test_create_errors_name_the_option(self):
        result = self.db.dynamo("create", "T2", "--hash", "id:X", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--hash id:X", result.stderr)
        result = self.db.dynamo("create", "T2", check=False)
        self.assertIn("--hash NAME:TYPE is required", result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1)

    # --- items --------------------------------------------------------------------------

    def test_put_get_update_delete(self):
        self.db.dynamo("put", "Thread", '{"forum": "C++", "subject": "Modules", "views": 3, "tags": ["a", "b"]}')
        self.db.dynamo("put", "Thread", '{"forum": {"S": "C++"}, "subject": {"S": "Ranges"}, "views": {"N": "7"},'
                                        ' "labels": {"SS": ["x"]}}')
        got = json.loads(self.db.dynamo("get", "Thread", "forum=C++", "subject=Modules").stdout)
        self.assertEqual(got, {"forum": "C++", "subject": "Modules", "views": 3, "tags": ["a", "b"]})
        got = json.loads(self.db.dynamo("-o", "dynamodb-json", "get", "Thread", "forum=C++", "subject=Ranges").stdout)
        self.assertEqual(got["labels"], {"SS": ["x"]})
        # A condition that fails: non-zero exit, one line naming the operation and table.
        failed = self.db.dynamo("put", "Thread", '{"forum": "C++", "subject": "Modules"}', "--condition",
                                "attribute_not_exists(forum)", check=False)
        self.assertEqual(failed.returncode, 1)
        self.assertRegex(failed.stderr, r"^dynamo: PutItem on Thread: ConditionalCheckFailedException")
        updated = json.loads(self.db.dynamo("update", "Thread", "forum=C++", "subject=Modules", "--update",
                                            "SET #v = #v + :one", "--names", '{"#v": "views"}', "--values",
                                            '{":one": 1}').stdout)
        self.assertEqual(updated["views"], 4)
        # Keys are typed from the key schema: a wrong or missing key attribute is named.
        wrong = self.db.dynamo("get", "Thread", "forum=C++", check=False)
        self.assertIn("missing key subject=...", wrong.stderr)
        wrong = self.db.dynamo("get", "Thread", "forum=C++", "subjekt=x", check=False)
        self.assertIn("\"subjekt\" is not a key attribute of Thread", wrong.stderr)
        absent = self.db.dynamo("get", "Thread", "forum=C++", "subject=None", check=False)
        self.assertEqual(absent.returncode, 1)
        self.assertEqual(absent.stdout, "")
        old = json.loads(self.db.dynamo("delete", "Thread", "forum=C++", "subject=Modules", "--return",
                                        "ALL_OLD").stdout)
        self.assertEqual(old["views"], 4)
        self.assertEqual(self.db.dynamo("get", "Thread", "forum=C++", "subject=Modules", check=False).returncode, 1)
        # Items from a file and from standard input.
        with open(self.path("item.json"), "w") as f:
            f.write('{"forum": "Go", "subject": "Generics"}')
        self.db.dynamo("put", "Thread", "@" + self.path("item.json"))
        self.db.dynamo("put", "Thread", "-", stdin='{"forum": "Go", "subject": "Errors"}')
        self.assertEqual(self.db.dynamo("scan", "Thread", "--count").stdout.strip(), "3")
        bad = self.db.dynamo("put", "Thread", '{"forum": "Go", "subject": ', check=False)
        self.assertIn("the item: invalid or truncated JSON", bad.stderr)

    def test_query_and_scan(self):
        lines = [json.dumps({"forum": f"f{i % 3}", "subject": f"s{i:03}", "views": i}) for i in range(60)]
        write_lines(self.path("threads.jsonl"), lines)
        self.db.dynamo("import", "Thread", self.path("threads.jsonl"))
        rows = self.json_lines(self.db.dynamo("query", "Thread", "forum=f1"))
        self.assertEqual([r["views"] for r in rows], list(range(1, 60, 3)))
        rows = self.json_lines(self.db.dynamo("query", "Thread", "forum=f1", "--descending", "--limit", "3"))
        self.assertEqual([r["views"] for r in rows], [58, 55, 52])
        rows = self.json_lines(self.db.dynamo("query", "Thread", "--key-condition",
                                              "forum = :f AND begins_with(subject, :s)", "--values",
                                              '{":f": "f0", ":s": "s00"}', "--projection", "subject"))
        self.assertEqual(rows, [{"subject": "s000"}, {"subject": "s003"}, {"subject": "s006"}, {"subject": "s009"}])
        rows = self.json_lines(self.db.dynamo("query", "Thread", "--index", "by_views", "views=42"))
        self.assertEqual([r["subject"] for r in rows], ["s042"])
        rows = self.json_lines(self.db.dynamo("scan", "Thread", "--filter", "#v >= :v", "--names", '{"#v": "views"}',
                                              "--values", '{":v": 50}', "--segments", "4"))
        self.assertEqual(sorted(r["views"] for r in rows), list(range(50, 60)))
        self.assertEqual(len(self.json_lines(self.db.dynamo("scan", "Thread", "--limit", "7", "--segments", "3"))), 7)
        self.assertEqual(self.db.dynamo("query", "Thread", "forum=f2", "--count").stdout.strip(), "20")
        table = self.db.dynamo("--output", "table", "query", "Thread", "forum=f0", "--limit", "2").stdout.splitlines()
        self.assertEqual(table[0].split(), ["forum", "subject", "views"])
        self.assertEqual(table[2].split(), ["f0", "s000", "0"])
        no_key = self.db.dynamo("query", "Thread", check=False)
        self.assertIn("give the key as name=value", no_key.stderr)
        syntax = self.db.dynamo("scan", "Thread", "--filter", "views >", check=False)
        self.assertEqual(syntax.returncode, 1)
        self.assertIn("Scan on Thread: ValidationException", syntax.stderr)

    def test_sql(self):
        # PartiQL statements, with ? parameters as plain or DynamoDB JSON, paged and limited.
        self.db.dynamo("sql", "INSERT INTO Thread VALUE {'forum': 'sql', 'subject': 'a', 'views': 1}")
        self.db.dynamo("sql", "INSERT INTO Thread VALUE {'forum': ?, 'subject': ?, 'views': ?}", "--parameters",
                       '["sql", {"S": "b"}, {"N": "2"}]')
        rows = self.json_lines(self.db.dynamo("sql", "SELECT subject, views FROM Thread WHERE forum = ?",
                                              "--parameters", '["sql"]'))
        self.assertEqual(sorted(rows, key=lambda r: r["subject"]), [{"subject": "a", "views": 1},
                                                                    {"subject": "b", "views": 2}])
        self.assertEqual(len(self.json_lines(self.db.dynamo("sql", "SELECT * FROM Thread", "--limit", "1"))), 1)
        bad = self.db.dynamo("sql", "SELECT * FROM", check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertRegex(bad.stderr, r"^dynamo: ExecuteStatement: ValidationException")
        bad = self.db.dynamo("sql", "SELECT * FROM Thread WHERE forum = ?", "--parameters", '{"a": 1}', check=False)
        self.assertIn("--parameters: expected a JSON array", bad.stderr)

    # --- export and import --------------------------------------------------------------

    def test_export_import_round_trip(self):
        count = ARGS.items
        source = self.path("source.jsonl.gz")
        write_lines(source, (json.dumps({"Item": item}) for item in items_of(count)))
        self.db.dynamo("create", "Events", "--hash", "pk:S", "--range", "sk:N")
        imported = self.db.dynamo("import", "Events", source)
        self.assertIn(f"imported {count:,} items", imported.stderr)
        self.assertFalse(os.path.exists(source + ".import-state"))
        # Export (parallel segments, gzip) and import into a second table: same items.
        exported = self.path("events.jsonl.gz")
        self.db.dynamo("export", "Events", exported, "--segments", "4")
        with gzip.open(exported, "rt") as f:
            exported_lines = f.read().splitlines()
        self.assertEqual(len(exported_lines), count)
        self.db.dynamo("create", "Copy", "--hash", "pk:S", "--range", "sk:N")
        self.db.dynamo("import", "Copy", exported)
        original = {(i["pk"]["S"], i["sk"]["N"]): i for i in items_of(count)}
        copy = self.scan_all("Copy")
        self.assertEqual(len(copy), count)
        for item in copy:
            expected = original[(item["pk"]["S"], item["sk"]["N"])]
            # Sets come back in the engine's order; compare them as sets.
            for name in ("tags", "nums"):
                key = next(iter(item[name]))
                self.assertEqual(sorted(item[name][key]), sorted(expected[name][key]))
                item[name] = expected[name]
            self.assertEqual(item, expected)
        # Plain JSON export, read back by import, equals the table too (no sets or binaries).
        self.db.dynamo("create", "Plain", "--hash", "forum:S", "--range", "subject:S")
        write_lines(self.path("plain.jsonl"), [json.dumps({"forum": "f", "subject": f"s{i}", "n": i / 4})
                                               for i in range(500)])
        self.db.dynamo("import", "Plain", self.path("plain.jsonl"))
        self.db.dynamo("export", "Plain", self.path("plain-out.jsonl"), "--format", "json")
        with open(self.path("plain-out.jsonl")) as f:
            back = sorted((json.loads(line) for line in f), key=lambda r: int(r["subject"][1:]))
        self.assertEqual(back, [{"forum": "f", "subject": f"s{i}", "n": i / 4} for i in range(500)])

    def import_until_stopped(self, table, source, stop):
        """Runs an import, stops it with `stop(process)`; returns the process and its stderr."""
        process = self.db.popen("import", table, source, "--rate", "3000", "--parallel", "2")
        state = source + ".import-state"
        deadline = time.time() + 30
        while not os.path.exists(state):
            self.assertIsNone(process.poll(), "the import ended before it could be interrupted")
            self.assertLess(time.time(), deadline)
            time.sleep(0.02)
        stop(process)
        _, stderr = process.communicate(timeout=60)
        return process, stderr

    def check_complete(self, table, count):
        items = self.scan_all(table)
        keys = [(i["pk"]["S"], i["sk"]["N"]) for i in items]
        self.assertEqual(len(keys), count)
        self.assertEqual(len(set(keys)), count)
        self.assertEqual(set(keys), {(i["pk"]["S"], i["sk"]["N"]) for i in items_of(count)})

    def test_interrupted_import_resumes(self):
        # Ctrl-C: the import stops cleanly, says how far it got, and the next run finishes.
        count = 6000
        source = self.path("events.jsonl")
        write_lines(source, (json.dumps({"Item": item}) for item in items_of(count)))
        self.db.dynamo("create", "Events", "--hash", "pk:S", "--range", "sk:N")
        process, stderr = self.import_until_stopped("Events", source, lambda p: p.send_signal(signal.SIGINT))
        self.assertEqual(process.returncode, 130)
        self.assertIn("run the same command again to continue", stderr)
        written = len(self.scan_all("Events"))
        self.assertGreater(written, 0)
        self.assertLess(written, count)
        resumed = self.db.dynamo("import", "Events", source)
        self.assertIn("resuming the import", resumed.stderr)
        self.assertFalse(os.path.exists(source + ".import-state"))
        self.check_complete("Events", count)

    def test_killed_import_resumes(self):
        # SIGKILL: no chance to clean up; the state file lags behind what was written, and
        # the next run rewrites those lines by key: no duplicates, no losses.
        count = 6000
        source = self.path("events.jsonl.gz")
        write_lines(source, (json.dumps({"Item": item}) for item in items_of(count)))
        self.db.dynamo("create", "Events", "--hash", "pk:S", "--range", "sk:N")
        process, _ = self.import_until_stopped("Events", source, lambda p: p.kill())
        self.assertEqual(process.returncode, -signal.SIGKILL)
        self.assertTrue(os.path.exists(source + ".import-state"))
        self.assertLess(len(self.scan_all("Events")), count)
        resumed = self.db.dynamo("import", "Events", source)
        self.assertIn("resuming the import", resumed.stderr)
        self.check_complete("Events", count)

    def test_bad_lines_are_reported_and_the_import_resumes(self):
        self.db.dynamo("create", "Events", "--hash", "pk:S", "--range", "sk:N")
        good = [json.dumps({"Item": item}) for item in items_of(300)]
        cases = {
            "truncated JSON": (good[:100] + [good[100][:40]] + good[101:], 101, "invalid or truncated JSON"),
            "wrong key type": (good[:150] + ['{"pk": "a", "sk": "not a number"}'] + good[151:], 151,
                               "key attribute sk is of type S, the table wants N"),
            "missing key": (good[:10] + ['{"pk": "a"}'] + good[11:], 11, "the item has no key attribute sk"),
            "item over 400 KB": (good[:250] + [json.dumps({"pk": "a", "sk": 1, "big": "x" * 410000})] + good[251:],
                                 251, "over DynamoDB's limit of 409600 bytes"),
            "bad DynamoDB JSON": (good[:5] + ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1e"}}}'] + good[6:], 6,
                                  "item.sk.N"),
        }
        for n, (name, (lines, bad_line, reason)) in enumerate(cases.items()):
            with self.subTest(name):
                # A table per case, so that each resumed import must write its own items.
                table = f"Bad{n}"
                self.db.dynamo("create", table, "--hash", "pk:S", "--range", "sk:N")
                source = self.path(name.replace(" ", "_") + ".jsonl")
                write_lines(source, lines)
                result = self.db.dynamo("import", table, source, check=False)
                self.assertEqual(result.returncode, 1)
                first = result.stderr.splitlines()[0]
                self.assertTrue(first.startswith(f"dynamo: {source}:{bad_line}: "), first)
                self.assertIn(reason, first)
                self.assertIn(f"up to line {bad_line - 1}", result.stderr)
                self.assertEqual(len(self.scan_all(table)), bad_line - 1)
                # Fix the line; the next run starts after the lines already written.
                lines[bad_line - 1] = good[bad_line - 1]
                write_lines(source, lines)
                resumed = self.db.dynamo("import", table, source)
                self.assertIn(f"after line {bad_line - 1}", resumed.stderr)
                self.check_complete(table, 300)
        missing = self.db.dynamo("import", "Events", self.path("absent.jsonl"), check=False)
        self.assertNotEqual(missing.returncode, 0)
        other = self.path("other.jsonl")
        write_lines(other, good[:3])
        mismatch = self.db.dynamo("import", "Thread", other, check=False)
        self.assertIn("no key attribute forum", mismatch.stderr)
        with open(other + ".import-state", "w") as f:
            f.write("table Other\nprefix_crc32 1\nline 2\nitems 2\n")
        refused = self.db.dynamo("import", "Events", other, check=False)
        self.assertIn("records an import into table Other", refused.stderr)
        self.db.dynamo("import", "Events", other, "--restart")
        # Resuming with a file whose already-written lines changed is refused.
        lines = good[:20] + ['{"pk": "a"}'] + good[21:40]
        write_lines(other, lines)
        self.assertEqual(self.db.dynamo("import", "Events", other, check=False).returncode, 1)
        lines[0] = json.dumps({"pk": "changed", "sk": 0})
        lines[20] = good[20]
        write_lines(other, lines)
        changed = self.db.dynamo("import", "Events", other, check=False)
        self.assertEqual(changed.returncode, 1)
        self.assertIn("lines 1-20 of " + other + " are not the ones the interrupted import wrote", changed.stderr)


class EmbeddedTest(CommandsTest, unittest.TestCase):
    make_backend = Embedded


class ServerTest(CommandsTest, unittest.TestCase):
    make_backend = Server


class ProgramTest(unittest.TestCase):
    """The program itself: version, help, completion, serve, errors of the options."""

    def run_dynamo(self, *args, **kwargs):
        return subprocess.run([ARGS.dynamo, *args], capture_output=True, text=True, timeout=60, **kwargs)

    def test_version_help_completion(self):
        version = self.run_dynamo("--version")
        self.assertRegex(version.stdout.strip(), r"^dynamo \d+\.\d+\.\d+$")
        server_version = subprocess.run([ARGS.server, "--version"], capture_output=True, text=True)
        self.assertEqual(server_version.stdout.split()[1], version.stdout.split()[1])
        for command in ["serve", "tables", "describe", "create", "delete", "wait", "get", "put", "update", "query",
                        "scan", "sql", "export", "import"]:
            self.assertEqual(self.run_dynamo(command, "--help").returncode, 0, command)
        script = self.run_dynamo("completion").stdout
        self.assertIn("complete -o default -F _dynamo dynamo", script)
        self.assertIn("import) words=", script)
        checked = subprocess.run(["bash", "-n"], input=script, text=True)
        self.assertEqual(checked.returncode, 0)
        bad = self.run_dynamo("--output", "xml", "tables")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("--output", bad.stderr)
        bad = self.run_dynamo("--endpoint", "localhost:1", "tables")
        self.assertEqual(bad.stderr.strip(), "dynamo: --endpoint localhost:1: expected a URL such as http://localhost:8000")

    def test_serve_and_a_held_data_directory(self):
        # `dynamo serve` is dynamo-server: same flags, same protocol. While it holds a data
        # directory, opening that directory directly is refused with a clear message.
        with tempfile.TemporaryDirectory() as directory:
            data = os.path.join(directory, "data")
            port = free_port()
            server = subprocess.Popen([ARGS.dynamo, "serve", "--port", str(port), "--data-dir", data, "--quiet"])
            try:
                wait_for_port(port, server)
                endpoint = ["--endpoint", f"http://127.0.0.1:{port}"]
                self.assertEqual(self.run_dynamo(*endpoint, "create", "Tab", "--hash", "id:N").returncode, 0)
                self.assertEqual(self.run_dynamo(*endpoint, "put", "Tab", '{"id": 1}').returncode, 0)
                held = self.run_dynamo("--data-dir", data, "tables")
                self.assertEqual(held.returncode, 1)
                self.assertIn(f"--data-dir {data} is in use by another process", held.stderr)
            finally:
                server.send_signal(signal.SIGTERM)
                self.assertEqual(server.wait(timeout=20), 0)
            # Stopped, the directory opens directly and holds what the server wrote.
            self.assertEqual(json.loads(self.run_dynamo("--data-dir", data, "get", "Tab", "id=1").stdout), {"id": 1})

    def test_unreachable_endpoint(self):
        port = free_port()
        result = self.run_dynamo("--endpoint", f"http://127.0.0.1:{port}", "tables",
                                 env={**os.environ, "AWS_MAX_ATTEMPTS": "1"})
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1)
        self.assertIn("ListTables", result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dynamo", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--items", type=int, default=20000)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
