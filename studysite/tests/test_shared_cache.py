"""REDIS_URL makes a real Redis the shared cache, and sessions are read through it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from .test_settings import run_manage


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    assert server, "these tests need Debian's redis-server: `make test` installs it"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_cache_and_sessions_go_through_redis(redis_url: str, tmp_path) -> None:
    env = {"REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert run_manage("migrate", "sessions", "--verbosity", "0", env=env).returncode == 0
    probe = (
        "from django.core.cache import cache; from django.conf import settings;"
        "from django.contrib.sessions.backends.cached_db import SessionStore;"
        "import redis;"
        "cache.set('answer', 42); print('cache', cache.get('answer'));"
        "s = SessionStore(); s['quiz_attempt_ids'] = ['a']; s.create();"
        "keys = redis.Redis.from_url(settings.CACHES['default']['LOCATION']).keys('*');"
        "print('session cached', any(s.session_key.encode() in k for k in keys));"
        "print('session read', SessionStore(s.session_key)['quiz_attempt_ids'])"
    )
    result = run_manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert "cache 42" in result.stdout
    assert "session cached True" in result.stdout
    assert "session read ['a']" in result.stdout
