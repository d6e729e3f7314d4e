"""What the boto3 tests of dynamo-server share: the server binary started on a free loopback
port (stopped with SIGTERM), boto3 clients for it, and a runner that reports every test
before failing."""
import signal
import socket
import subprocess
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    """The binary as a child process, stopped with SIGTERM."""

    def __init__(self, binary, *arguments):
        self.port = free_port()
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--quiet", *arguments])
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("dynamo-server did not start")
                time.sleep(0.01)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def client(self, service="dynamodb", region="us-east-1", key="anything", secret="anything"):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=region,
            aws_access_key_id=key, aws_secret_access_key=secret,
            config=botocore.config.Config(retries={"max_attempts": 0}))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


def error_of(call, *args, **kwargs):
    """The service error (code, message, response) a call fails with, or fail the test."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"], e.response
    raise AssertionError(f"{call.__name__} did not fail")


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def run_tests(tests, *arguments):
    """Runs each test with `arguments`, prints ok/FAIL per test; returns the process status."""
    failures = 0
    for test in tests:
        try:
            test(*arguments)
            print(f"ok   {test.__name__}")
        except Exception as e:  # report every test, then fail
            failures += 1
            print(f"FAIL {test.__name__}: {e!r}")
    return 1 if failures else 0
