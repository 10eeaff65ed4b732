"""The local Redis server (127.0.0.1:6379, started on every machine of the project and in CI)
for the tests of the shared cache. The tests use their own database numbers, emptied by each
test; the app's deployments use the database of their ``REDIS_URL``."""

from __future__ import annotations

import os
import socket

import pytest

HOST, PORT = "127.0.0.1", 6379


def redis_url(db: int) -> str:
    """The URL of database ``db`` of the local server, emptied; outside CI a test that needs
    the server is skipped when none answers (in CI it fails: the server is part of the setup)."""
    try:
        with socket.create_connection((HOST, PORT), timeout=2) as connection:
            connection.sendall(f"SELECT {db}\r\nFLUSHDB\r\n".encode())
            answer = b""
            while answer.count(b"\r\n") < 2:
                chunk = connection.recv(64)
                if not chunk:
                    break
                answer += chunk
    except OSError as error:
        message = f"no Redis server at {HOST}:{PORT} ({error})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert answer == b"+OK\r\n+OK\r\n", answer
    return f"redis://{HOST}:{PORT}/{db}"
