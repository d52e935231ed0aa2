"""Fifty learners take the seed quiz at once against gunicorn; then the database is checked answer by answer.

Targets (issue "Step 7 of 7"; the question page against /healthz/ is retired, replaced by how many
learners a host serves under real traffic: benchmarks/capacity.py):
- no 5xx response, and every answer a learner sent is stored exactly once, with the choices they sent;
- each question type's page (issue "Round 2, Step 3 of 6") serves at least 90% of the single-choice
  page's throughput, measured the same way, alternating the types twice.

Loopback only, and bounded: every learner sends exactly 2 + 2 × questions + 2 requests (one answer is
double-clicked on purpose), each with a 30 s timeout, the whole phase with a 10-minute limit; each wrk
measurement lasts WRK_SECONDS. DATABASE_URL selects the database (an SQLite file in a temporary
directory when unset); the database must be empty, it is migrated and seeded here.

Usage: python benchmarks/load.py [--learners 50] [--workers 3]. `make bench-load` runs it on SQLite
and then on a throwaway PostgreSQL cluster.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
QUIZ = "rnn-gradients-bptt"
WRK_SECONDS = 5
PHASE_LIMIT_SECONDS = 600
TYPE_TARGET = 0.90
RADIO = re.compile(r'type="radio" name="choice" value="([0-9a-f]{20})"')
CHECKBOX = re.compile(r'type="checkbox" name="choice" value="([0-9a-f]{20})"')
SELECT = re.compile(r'name="(match-[0-9a-f]{20})"')
OPTION = re.compile(r'<option value="([0-9a-f]{20})">')
NUMBER_GUESSES = ["2.66e-5", "2.7×10^-5", "0.5"]  # what typing learners try
WORD_GUESSES = ["BPTT", "backpropagation", "RTRL"]
NEXT = re.compile(r'href="([^"]+)" data-quiz-next')
VERDICT = re.compile(
    r'<h2 class="verdict">\s*(✓ Correct|◐ Partly right: (\d+)% of the mark|✗ Not quite)\s*</h2>'
)


def random_answer(html: str) -> dict[str, list[str]]:
    """What a learner might submit on this question page, read from its form as a browser would."""
    if radios := RADIO.findall(html):
        return {"choice": [random.choice(radios)]}  # noqa: S311 - a simulated learner, not a secret
    if boxes := CHECKBOX.findall(html):
        return {"choice": random.sample(boxes, random.randint(1, len(boxes)))}  # noqa: S311
    if selects := SELECT.findall(html):
        options = sorted(set(OPTION.findall(html)))
        return {name: [random.choice(options)] for name in dict.fromkeys(selects)}  # noqa: S311
    if 'name="response"' in html:
        guesses = NUMBER_GUESSES if 'inputmode="decimal"' in html else WORD_GUESSES
        return {"response": [random.choice(guesses)]}  # noqa: S311
    raise ValueError("the question page has no answer form")


def shown_credit(feedback: str) -> float:
    """The credit the feedback panel states: 1, a partial share, or 0."""
    verdict = VERDICT.search(feedback)
    return 1.0 if verdict[1] == "✓ Correct" else (int(verdict[2]) / 100 if verdict[2] else 0.0)


@dataclass
class Timing:
    kind: str
    status: int
    seconds: float


@dataclass
class Learner:
    """One simulated learner: a cookie jar, what it sent, and what the server said about it."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)
    attempt: str = ""
    sent: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # question id -> the form sent
    verdicts: dict[int, float] = field(default_factory=dict)  # question id -> the credit shown

    def request(self, kind: str, method: str, path: str, body: str = "", headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            body = response.read()
            content = body.decode() if response.getheader("Content-Type", "").startswith("text/") else ""
        finally:
            connection.close()
        self.timings.append(Timing(kind, response.status, time.perf_counter() - start))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def start_attempt(self) -> str:
        """Open the quiz's start page and press Start; the first question's path."""
        self.request("start page", "GET", f"/quizzes/{QUIZ}/")
        response, _ = self.request(
            "start", "POST", f"/quizzes/{QUIZ}/attempts/", f"csrfmiddlewaretoken={self.cookies['csrftoken']}"
        )
        return response.getheader("Location")

    def take_quiz(self, answer_question: Callable[[str, int, str], str | None]) -> None:
        """Start, then every question as a browser walks it: its page, ``answer_question(path, id, page)``
        (the feedback it got, or None when the learner leaves), the Next link; at the end the results."""
        path = self.start_attempt()
        self.attempt = path.split("/")[2]
        while "/questions/" in path:
            _, html = self.request("question page", "GET", path)
            feedback = answer_question(path, int(path.rstrip("/").rsplit("/", 1)[1]), html)
            if feedback is None:
                return
            path = NEXT.search(feedback)[1]
        self.request("results", "GET", path)

    def answer(self, question_path: str, form: dict[str, list[str]]) -> str:
        """Submit as htmx does, with the CSRF token from the page's header configuration."""
        _, html = self.request(
            "answer",
            "POST",
            question_path,
            urllib.parse.urlencode(form, doseq=True),
            {"HX-Request": "true", "X-CSRFToken": self.cookies["csrftoken"]},
        )
        return html


def take_quiz(learner: Learner, start_together: threading.Barrier) -> Learner:
    """Every question with its feedback, then the results; the first answer is a double click."""
    start_together.wait()

    def answer_question(path: str, question_id: int, html: str) -> str:
        form = learner.sent[question_id] = random_answer(html)
        if len(learner.sent) == 1:  # a double click: the same answer twice at once must be stored once
            with ThreadPoolExecutor(2) as pair:
                feedback, _ = pair.map(functools.partial(learner.answer, path), [form, form])
        else:
            feedback = learner.answer(path, form)
        learner.verdicts[question_id] = shown_credit(feedback)
        return feedback

    learner.take_quiz(answer_question)
    return learner


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1e3, cuts[94] * 1e3, cuts[98] * 1e3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(work: Path) -> dict[str, str]:
    """Production settings, on plain HTTP over loopback (no TLS proxy in front)."""
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'load.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate"], ["load_seed"], ["render_plots"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=PROJECT, env=env, check=True
        )


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [VENV_BIN / "gunicorn", "studysite.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within 30 s")


def check_database(learners: list[Learner], env: dict[str, str]) -> list[str]:
    """Every answer sent is in the database once, with the choice sent and the verdict shown."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "studysite.settings"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from quizzes.models import Answer, Attempt

    problems = []
    expected = sum(len(learner.sent) for learner in learners)
    if (stored := Answer.objects.count()) != expected:
        problems.append(f"{stored} answers stored for {expected} sent")
    for learner in learners:
        attempt = Attempt.objects.get(public_id=learner.attempt)
        answers = list(attempt.answers.prefetch_related("picks"))
        by_question = defaultdict(list)
        for answer in answers:
            by_question[answer.question_id].append(answer)
        if sorted(by_question) != sorted(attempt.question_ids) or set(by_question) != set(learner.sent):
            problems.append(f"attempt {learner.attempt}: questions answered differ from those sent")
        for question_id, stored_answers in by_question.items():
            if len(stored_answers) != 1:
                problems.append(
                    f"attempt {learner.attempt}: question {question_id} stored {len(stored_answers)}×"
                )
            elif picked_tokens(attempt, stored_answers[0]) != picked_tokens_sent(learner.sent[question_id]):
                problems.append(f"attempt {learner.attempt}: question {question_id} stored another choice")
            elif round(100 * stored_answers[0].credit) != round(100 * learner.verdicts[question_id]):
                problems.append(f"attempt {learner.attempt}: question {question_id} verdict differs")
        if attempt.finished_at is None:
            problems.append(f"attempt {learner.attempt} is not finished")
        if abs(attempt.score - sum(answer.credit for answer in answers)) > 1e-9:
            problems.append(f"attempt {learner.attempt}: score differs from its answers' credits")
        if abs(attempt.score - sum(learner.verdicts.values())) > 0.01 * len(answers):
            problems.append(f"attempt {learner.attempt}: score differs from the verdicts shown")
    return problems


def picked_tokens(attempt, answer) -> set[str] | None:
    """The tokens of a stored choice answer's picks; None where picks are what a typed answer matched."""
    if answer.response_text or answer.shown.get("kind") == "matching":
        return None
    return {attempt.choice_token(choice) for choice in answer.picks.all()}


def picked_tokens_sent(form: dict[str, list[str]]) -> set[str] | None:
    return set(form["choice"]) if "choice" in form else None


def wrk_rps(port: int, path: str, cookie: str = "") -> tuple[float, int]:
    """Requests per second and non-2xx/3xx responses, by wrk with 8 connections for WRK_SECONDS."""
    command = ["wrk", "-t1", "-c8", f"-d{WRK_SECONDS}s", f"http://127.0.0.1:{port}{path}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=WRK_SECONDS + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, int(bad[1]) if bad else 0


def seed_question_of_each_type() -> dict[str, int]:
    """The first question of each type in the learners' quiz, in its order, read from the loaded fixture."""
    rows = json.loads((PROJECT / "fixtures" / "quizzes.json").read_text())
    quiz = next(r["pk"] for r in rows if r["model"] == "quizzes.quiz" and r["fields"]["slug"] == QUIZ)
    questions = sorted(
        (r for r in rows if r["model"] == "quizzes.question" and r["fields"]["quiz"] == quiz),
        key=lambda r: r["fields"]["order"],
    )
    kinds: dict[str, int] = {}
    for row in questions:
        kinds.setdefault(row["fields"].get("kind", "single"), row["pk"])
    return kinds


def type_ratios(port: int) -> dict[str, float]:
    """Each type's unanswered question page against the single-choice one, in one learner's attempt."""
    learner = Learner(port)
    first = learner.start_attempt()
    cookie = "; ".join(f"{k}={v}" for k, v in learner.cookies.items())
    attempt_path = first.rsplit("/questions/", 1)[0]
    rates = defaultdict(list)
    for _ in range(2):
        for kind, question_id in seed_question_of_each_type().items():
            rps, errors = wrk_rps(port, f"{attempt_path}/questions/{question_id}/", cookie)
            if errors:
                raise RuntimeError(f"the {kind} question page answered {errors} errors")
            rates[kind].append(rps)
    single = statistics.median(rates["single"])
    return {kind: statistics.median(values) / single for kind, values in rates.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, choices=range(2, 5))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studysite-load-"))
    env = server_environment(work)
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"Preparing {database} (migrate, seed, render plots, collect static) in {work}", flush=True)
    prepare(env)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        learners = [Learner(port) for _ in range(args.learners)]
        barrier = threading.Barrier(args.learners)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.learners) as pool:
            finished = list(
                pool.map(lambda learner: take_quiz(learner, barrier), learners, timeout=PHASE_LIMIT_SECONDS)
            )
        wall = time.perf_counter() - started
        by_type = type_ratios(port)
    finally:
        server.terminate()
        server.wait(timeout=30)

    timings = [t for learner in finished for t in learner.timings if t.kind != "start page"]
    server_errors = sum(t.status >= 500 for t in timings)
    print(f"\n{args.learners} learners, gunicorn with {args.workers} sync workers, {database}, 2 CPU cores")
    print(f"{'request':<15}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in ["start", "question page", "answer", "results"]:
        seconds = [t.seconds for t in timings if t.kind == kind]
        print(f"{kind:<15}{len(seconds):>7}" + "".join(f"{v:>9.1f}" for v in percentiles(seconds)))
    everything = [t.seconds for t in timings]
    print(f"{'all':<15}{len(everything):>7}" + "".join(f"{v:>9.1f}" for v in percentiles(everything)))
    print(
        f"throughput: {len(timings) / wall:.1f} requests/s over {wall:.1f} s; 5xx responses: {server_errors}"
    )

    problems = check_database(finished, env)
    sent = sum(len(learner.sent) for learner in finished)
    print(f"database: {sent} answers sent, {'each stored exactly once' if not problems else 'PROBLEMS:'}")
    for problem in problems[:20]:
        print("  " + problem)
    print(f"each type's question page against single choice (wrk, median of 2), target ≥ {TYPE_TARGET:.2f}:")
    for kind, type_ratio in by_type.items():
        print(f"  {kind:<12}{type_ratio:>6.2f}")
    slowest = min(by_type.values())
    passed = server_errors == 0 and not problems and slowest >= TYPE_TARGET
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
