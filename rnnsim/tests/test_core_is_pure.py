"""rnnsim.core must run without Django: the web layer depends on it, never the reverse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_importing_the_core_and_running_experiments_loads_no_django() -> None:
    code = (
        "import sys\n"
        "import rnnsim.core.experiments as e\n"
        "e.get_experiment('rho-power-law').run()\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "assert not loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
