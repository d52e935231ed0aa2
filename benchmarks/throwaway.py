"""A throwaway StudySite for the in-process benchmarks: its own SQLite database and media, Django set up."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def set_up_django(prefix: str, **environment: str) -> Path:
    """Point Django at an empty database and media folder in a new temporary directory, and set it up."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "studysite.settings",
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            **environment,
        }
    )
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    return work
