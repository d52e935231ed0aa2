"""At most a few uncached renders at once on a host, so requests that need no render keep their latency.

A render is seconds of CPU. Web workers are few (gunicorn's sync workers serve one request each), so
renders that queued for a slot would still hold every worker and starve every other page. A request
that finds no free slot is told so at once instead (the lab answers 503 with Retry-After; a content
page shows its plot on a later view). Slots are ``flock`` locks on files in one directory, so they
bound every process and thread of the host together, and a process that dies releases its slot.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


@contextmanager
def render_slot() -> Iterator[bool]:
    """Yield True holding a free render slot, or False at once when every slot is taken."""
    directory = Path(settings.RENDER_SLOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(settings.RENDER_SLOTS):
        handle = (directory / f"slot-{index}.lock").open("a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield False
