"""The signed-in learner's side of the load benchmarks: accounts with sessions, the study page's card
links, and Django's shell to set up or check the server's database from outside its processes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DECK = "rnn-gradients-bptt"
CARD = re.compile(r'href="(/decks/[-\w]+/study/cards/(\d+)/)" data-flip')
TYPED_CARD = re.compile(r'action="(/decks/[-\w]+/study/cards/(\d+)/)" class="flip typed-flip"')


def django_shell(code: str, env: dict[str, str]):
    """Run code in `manage.py shell` against the server's database; its last line of output, as JSON."""
    output = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def create_accounts(env: dict[str, str], count: int) -> list[dict]:
    """Signed-in learners: accounts with live sessions (and CSRF cookies), made in one process beforehand."""
    code = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
User = get_user_model()
users = User.objects.bulk_create([User(username=f"capacity-{{i}}") for i in range({count})])
cookies = []
for user in User.objects.filter(username__startswith="capacity-"):
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookies.append({{"sessionid": session.session_key, "csrftoken": _get_new_csrf_string()}})
print(json.dumps(cookies))
"""
    return django_shell(code, env)
