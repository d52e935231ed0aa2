"""Several hosts tested together: docs/scaling.md's setup started on this machine, and 50 learners on it.

The parts are the real ones: two gunicorn "hosts" (separate processes on separate loopback ports,
each with its own settings environment), Debian's nginx balancing them round robin (no stickiness),
PostgreSQL (DATABASE_URL, from .ci/with-postgres), Redis (cache and sessions) and `manage.py
db_worker` rendering the plots pages queue. The two hosts share one MEDIA_ROOT, as they would share
object storage. Nothing is pre-rendered: the learners' pages are what asks for plots.

50 signed-in learners take the seed quiz and study five cards each through nginx, fetching the plots
their feedback asks for as a browser does. A learner whose request fails at the balancer (the host
died under it) sends it again, as a person pressing the button again would. Mid-run:
- an admin edit changes a question's text, and from then on every page of that question, through
  either host, must show the new text;
- one host is killed (SIGKILL, every process of it); its learners carry on through the other.
The run passes when no answer or review is lost or stored twice, no stale question was served after
the edit, each plot was rendered once across both hosts and the worker, and both hosts served
learners before the kill.

Usage (as root, to install nginx and redis-server if missing): `make bench-cluster`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from load import Learner, free_port, random_answer, server_environment
from study import CARD, DECK, TYPED_CARD, create_accounts, django_shell
from verdicts import Verdict, report

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LEARNERS = 50
CARDS = 5
EDIT_MARK = "(edited mid-run)"
PENDING = re.compile(r'hx-get="(/lab/[^"]+/figure/\?[^"]+)"')
RENDERED = re.compile(r"Rendered plot (\w+)")
HOSTS = ("a", "b")


def wait_for(port: int, path: str = "/healthz/", seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                if b" 200 " in connection.recv(64):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered {path} on port {port} within {seconds:.0f} s")


@dataclass
class Part:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)


def start(name: str, command: list, env: dict[str, str], work: Path) -> Part:
    """A part of the cluster in its own process group, so that killing it kills all of its processes."""
    log = work / f"{name}.log"
    process = subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=PROJECT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    return Part(name, process, log)


def nginx_config(work: Path, port: int, upstreams: list[int]) -> Path:
    """Round robin over the hosts, no stickiness; a refused connection is retried on the other host."""
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in upstreams)
    temp = work / "nginx"
    temp.mkdir()
    temp.chmod(0o777)
    config = work / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  upstream studysite {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://studysite;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""
    )
    return config


@dataclass
class ClusterLearner(Learner):
    """A learner through the balancer: which host served each request, and what it saw."""

    upstreams: Counter = field(default_factory=Counter)
    rated: int = 0
    stale: list[str] = field(default_factory=list)
    checked_after_edit: int = 0  # pages of the edited question this learner was served after the edit
    edited_at: list[float] = field(default_factory=list)  # shared: when the admin edit was committed
    edited_question: list[int] = field(default_factory=list)

    def request(self, kind: str, method: str, path: str, body: str = "", headers: dict | None = None):
        """Send once, and once more if the balancer could reach no host (502/504 or a dropped connection)."""
        for attempt in range(2):
            try:
                response, content = super().request(kind, method, path, body, headers)
            except (ConnectionError, OSError):
                if attempt:
                    raise
                time.sleep(0.5)
                continue
            if response.status in (502, 504) and not attempt:
                time.sleep(0.5)
                continue
            self.upstreams[response.getheader("X-Upstream", "?")] += 1
            return response, content
        raise RuntimeError("unreachable")


def take_quiz_and_study(learner: ClusterLearner, account: dict) -> ClusterLearner:
    learner.cookies.update(account)

    def answer_question(path: str, question_id: int, html: str) -> str:
        asked_at = time.monotonic() - learner.timings[-1].seconds  # when this page was requested
        after_edit = learner.edited_at and asked_at > learner.edited_at[0]
        if after_edit and question_id in learner.edited_question:
            learner.checked_after_edit += 1
            if EDIT_MARK not in html:
                learner.stale.append(f"attempt {learner.attempt}: question {question_id} served unedited")
        form = random_answer(html)
        feedback = learner.answer(path, form)
        learner.sent[question_id] = form
        for figure in PENDING.findall(feedback):
            learner.request(
                "plot figure", "GET", figure.replace("&amp;", "&"), headers={"HX-Request": "true"}
            )
        time.sleep(0.3)
        return feedback

    learner.take_quiz(answer_question)
    _, html = learner.request("study", "GET", f"/decks/{DECK}/study/")
    for _ in range(CARDS):
        found = CARD.search(html) or TYPED_CARD.search(html)
        if not found:
            break
        learner.request("card answer", "GET", found[1], headers={"HX-Request": "true"})
        response, html = learner.request(
            "rating",
            "POST",
            f"/decks/{DECK}/study/cards/{found[2]}/rate/",
            urllib.parse.urlencode({"rating": 3}),
            {"HX-Request": "true", "X-CSRFToken": learner.cookies["csrftoken"]},
        )
        learner.rated += response.status == 200
        time.sleep(0.2)
    return learner


def edit_a_question(env: dict[str, str]) -> int:
    """An admin's edit, saved through the model as the admin saves it (its signals bump the version)."""
    code = f"""
import json
from quizzes.models import Question
question = Question.objects.filter(quiz__slug="{DECK}").order_by("order")[4]
question.text = question.text + " {EDIT_MARK}"
question.save()
print(json.dumps(question.pk))
"""
    return django_shell(code, env)


def check(learners: list[ClusterLearner], accounts: list[dict], env: dict[str, str]) -> dict:
    attempts = {learner.attempt: sorted(learner.sent) for learner in learners}
    ratings = {
        account["sessionid"]: learner.rated for learner, account in zip(learners, accounts, strict=True)
    }
    code = f"""
import json
from django.contrib.sessions.models import Session
from flashcards.models import Review
from quizzes.models import Attempt
from rnnsim.models import RenderedPlot
attempts, ratings = json.loads({json.dumps(json.dumps([attempts, ratings]))})
problems = []
for public_id, sent in attempts.items():
    attempt = Attempt.objects.get(public_id=public_id)
    stored = sorted(attempt.answers.values_list("question_id", flat=True))
    if stored != sent:
        problems.append(f"attempt {{public_id}}: stored {{stored}}, sent {{sent}}")
    if attempt.finished_at is None:
        problems.append(f"attempt {{public_id}} is not finished")
for key, rated in ratings.items():
    user_id = Session.objects.get(session_key=key).get_decoded()["_auth_user_id"]
    if (count := Review.objects.filter(user_id=user_id, source=Review.Source.STUDY).count()) != rated:
        problems.append(f"user {{user_id}}: {{count}} reviews for {{rated}} ratings")
ready = list(RenderedPlot.objects.filter(status="ready").values_list("key", flat=True))
print(json.dumps({{"problems": problems, "plots": ready}}))
"""
    return django_shell(code, env)


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("run through .ci/with-postgres (make bench-cluster): the hosts share PostgreSQL")
    work = Path(tempfile.mkdtemp(prefix="studysite-cluster-"))
    redis_port, balancer_port = free_port(), free_port()
    base = server_environment(work) | {
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "STUDYSITE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "STUDYSITE_TRUSTED_PROXIES": "1",  # nginx appends the learner's address
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "STUDYSITE_PLOT_LOG_LEVEL": "INFO",  # each drawing logs its key: how "rendered once" is counted
    }
    parts: list[Part] = []
    try:
        parts.append(
            start(
                "redis",
                ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                base,
                work,
            )
        )
        for command in (["migrate"], ["load_seed"], ["collectstatic", "--noinput"]):
            manage = [sys.executable, "manage.py", *command, "--verbosity", "0"]
            subprocess.run(manage, cwd=PROJECT, env=base, check=True)  # noqa: S603 - our own command
        accounts = create_accounts(base, LEARNERS)
        ports = {name: free_port() for name in HOSTS}
        hosts = {}
        for name, port in ports.items():
            env = base | {"STUDYSITE_HOST_NAME": name}  # each host its own settings environment
            command = [
                VENV_BIN / "gunicorn",
                "studysite.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ]
            hosts[name] = start(f"host-{name}", command, env, work)
            parts.append(hosts[name])
            wait_for(port)
        parts.append(start("worker", [sys.executable, "manage.py", "db_worker"], base, work))
        config = nginx_config(work, balancer_port, list(ports.values()))
        parts.append(start("nginx", ["nginx", "-c", str(config), "-g", "daemon off;"], base, work))
        wait_for(balancer_port)
        print(
            f"hosts on {ports['a']} and {ports['b']}, nginx on {balancer_port}, Redis on {redis_port}, "
            "db_worker running"
        )

        edited_at: list[float] = []
        edited_question: list[int] = []
        learners = [
            ClusterLearner(balancer_port, edited_at=edited_at, edited_question=edited_question)
            for _ in range(LEARNERS)
        ]
        served_before_kill: Counter = Counter()

        def answered() -> int:
            return sum(len(learner.sent) for learner in learners)

        def mid_run() -> None:
            """The edit once a quarter of the answers are in, the kill once half of them are."""
            expected = LEARNERS * 10
            while answered() < expected // 4:
                time.sleep(0.1)
            edited_question.append(edit_a_question(base))
            edited_at.append(time.monotonic())
            print(f"admin edit saved on question {edited_question[0]} after {answered()} answers", flush=True)
            while answered() < expected // 2:
                time.sleep(0.1)
            for learner in learners:
                served_before_kill.update(learner.upstreams)
            hosts["b"].stop(signal.SIGKILL)
            print(f"host b killed (SIGKILL, its whole process group) after {answered()} answers", flush=True)

        events = threading.Thread(target=mid_run)
        events.start()
        with ThreadPoolExecutor(LEARNERS) as pool:
            finished = list(pool.map(take_quiz_and_study, learners, accounts[:LEARNERS], timeout=900))
        events.join()
        for name, port in ports.items():  # the edit, read straight from each host still up
            if hosts[name].process.poll() is None:
                direct = ClusterLearner(port)
                direct.cookies.update(accounts[0])
                direct_path = direct.start_attempt()
                _, html = direct.request(
                    "direct",
                    "GET",
                    direct_path.rsplit("/questions/", 1)[0] + f"/questions/{edited_question[0]}/",
                )
                if EDIT_MARK not in html:
                    finished[0].stale.append(f"host {name} served the question unedited")
        time.sleep(3)  # the worker's last queued renders
        result = check(finished, accounts[:LEARNERS], base)
    finally:
        for part in reversed(parts):
            part.stop()

    drawn_by = {part.name: RENDERED.findall(part.log.read_text(errors="replace")) for part in parts}
    renders = Counter(key for keys in drawn_by.values() for key in keys)
    twice = [key for key, count in renders.items() if count > 1]
    stale = [line for learner in finished for line in learner.stale]
    by_upstream = Counter()
    for learner in finished:
        by_upstream.update(learner.upstreams)
    answers = sum(len(learner.sent) for learner in finished)
    reviews = sum(learner.rated for learner in finished)
    print(
        f"requests by host (nginx's X-Upstream): {dict(by_upstream)}; "
        f"before the kill: {dict(served_before_kill)}"
    )
    print(f"{answers} answers and {reviews} ratings sent; problems: {result['problems'][:10] or 'none'}")
    print(
        f"plots: {len(result['plots'])} ready, {len(renders)} rendered, {len(twice)} twice: {twice[:5]}; "
        f"drawn by { ({name: len(keys) for name, keys in drawn_by.items() if keys}) }"
    )
    checked = sum(learner.checked_after_edit for learner in finished)
    print(f"{checked} pages of the edited question served after the edit; stale: {stale[:10] or 'none'}")
    both_served = sum(1 for upstream in served_before_kill if upstream != "?") >= 2
    verdicts = [
        Verdict(
            "cluster",
            "answers and reviews: none lost or stored twice",
            f"{answers}+{reviews}",
            not result["problems"],
        ),
        Verdict(
            "cluster",
            "no stale question after the admin edit, either host",
            f"{len(stale)} of {checked}",
            checked > 0 and not stale,
        ),
        Verdict(
            "cluster",
            "each plot rendered once across hosts and worker",
            f"{len(renders)} plots",
            not twice and renders.keys() <= set(result["plots"]),
        ),
        Verdict(
            "cluster",
            "both hosts served learners before one was killed",
            str(dict(served_before_kill)),
            both_served,
        ),
    ]
    shutil.rmtree(work, ignore_errors=True)
    return report(verdicts)


if __name__ == "__main__":
    raise SystemExit(main())
