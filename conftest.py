"""Fixtures shared by every app's tests: the seed content and a real headless Chromium."""

from __future__ import annotations

import functools
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from rnnsim import figures
from rnnsim.core.plots import PAGE_FILES

# Playwright's sync API runs an event loop in the main thread; Django would otherwise refuse ORM
# calls from that thread, even while it sets up the test database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STUDYSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium; Playwright must never download a browser of its own."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    """Every browser test also fails if the Content-Security-Policy blocked anything on its pages."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Security Policy" in message.text else None,
    )
    yield page
    assert not violations, violations


@pytest.fixture(autouse=True, scope="session")
def plot_storage(tmp_path_factory):
    """Rendered plots go to a temporary MEDIA_ROOT, never into the working tree."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts and cached content live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords are hashed slowly on purpose; tests that log in hundreds of times need not wait."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def draw_each_plot_once():
    """Drawing is deterministic and tested in rnnsim; elsewhere each drawing is reused, not redrawn.

    The database (and so the plot cache's index) is reset between tests, so without this every test
    that shows a page with plots would draw them again.
    """
    original = figures.draw
    memo = functools.cache(lambda name, items, files: original(name, dict(items), files))
    figures.draw = lambda name, params, files=PAGE_FILES: memo(name, tuple(sorted(params.items())), files)
    yield original
    figures.draw = original


@pytest.fixture
def seed(db) -> None:
    """The seed study set, exactly as `make run` loads it."""
    call_command("load_seed", verbosity=0)


@pytest.fixture
def live_seed(transactional_db) -> None:
    """The seed study set, committed so that a live server thread can see it."""
    call_command("load_seed", verbosity=0)
