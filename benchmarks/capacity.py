"""Capacity: how many concurrent learners one 2-core host serves, under traffic shaped like real use.

Learners arrive open-loop (at a fixed rate, whatever the server's speed) and think between requests:
5-15 s per question, 2-6 s per card. Each arrival is one of
- a quiz learner (60%): home page, quiz page, Start, then each question (every type of the seed quiz)
  with its answer, the feedback's plot fetched as a browser would (a cached plot), and the results;
- a card learner (40%, signed in): home page, study, then for each card its answer side and a rating,
  one in ten followed by an undo and a second rating;
- one arrival in fifty also redraws a lab plot that nobody has drawn (the trickle of uncached work).
Each learner sends from its own address (X-Forwarded-For, STUDYSITE_TRUSTED_PROXIES=1), so the
per-address bounds stay at their defaults.

A step holds C concurrent learners for STEP_SECONDS: C start at random moments over the first think
time, and new ones arrive at C / (mean session length) per second, Poisson. The step passes when the
requests of its steady part (after WARMUP_SECONDS) have p95 under 100 ms, no error, and every answer
and every review acknowledged is stored exactly once (checked in the database after the step). Steps
grow until one fails; the result is the largest C that passed. The generator shares the machine, so
its CPU share is printed beside each step.

Usage: python benchmarks/capacity.py [--steps 250,500,1000,1500,2000,3000]. DATABASE_URL selects the
database (SQLite in a temporary directory when unset). `make bench-capacity` runs it on SQLite and on
a throwaway PostgreSQL cluster.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from gevent.pool import Group  # noqa: E402
from load import Learner, free_port, prepare, random_answer, server_environment  # noqa: E402
from load import start_gunicorn as start_server  # noqa: E402
from pairs import load_text  # noqa: E402
from study import CARD, DECK, TYPED_CARD, create_accounts, django_shell  # noqa: E402
from verdicts import Verdict, report  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
STEP_SECONDS = 75
WARMUP_SECONDS = 15
P95_TARGET_MS = 100
TARGET_LEARNERS = 2000
QUIZ_SHARE, LAB_SHARE = 0.6, 0.02
QUESTION_THINK, CARD_THINK = (5.0, 15.0), (2.0, 6.0)
CARDS_PER_SESSION = 10
MEAN_SESSION = QUIZ_SHARE * 10 * 10.0 + (1 - QUIZ_SHARE) * CARDS_PER_SESSION * 2 * 4.0  # seconds
PLOT = re.compile(r'<img src="(/plots/[^"]+)"')
EXPERIMENTS = ["rho-power-law", "pascanu-bound", "residual-paths", "clipping-direction"]


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    at: float  # when it was sent, seconds into the step


@dataclass
class Visitor(Learner):
    """A learner of the capacity run: an address of its own, and what it was told was stored."""

    address: str = ""
    step_start: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    rated: int = 0  # ratings the server acknowledged
    undone: int = 0
    account: dict | None = None  # a card learner's session and CSRF cookies

    def request(self, kind: str, method: str, path: str, body: str = "", headers: dict | None = None):
        sent = time.monotonic() - self.step_start
        response, content = super().request(
            kind, method, path, body, {**(headers or {}), "X-Forwarded-For": self.address}
        )
        timing = self.timings.pop()
        self.samples.append(Sample(kind, response.status, timing.seconds, sent))
        return response, content


def think(bounds: tuple[float, float], until: float) -> bool:
    """Sleep like a learner reading; False when the step ends first (the learner leaves there)."""
    pause = random.uniform(*bounds)  # noqa: S311 - simulated learners
    if time.monotonic() + pause > until:
        return False
    gevent.sleep(pause)
    return True


def quiz_session(visitor: Visitor, until: float) -> None:
    visitor.request("home", "GET", "/")

    def answer_question(path: str, question_id: int, html: str) -> str | None:
        if not think(QUESTION_THINK, until):
            return None
        form = random_answer(html)
        feedback = visitor.answer(path, form)
        visitor.sent[question_id] = form
        if plot := PLOT.search(feedback):
            visitor.request("cached plot", "GET", plot[1])
        return feedback

    visitor.take_quiz(answer_question)


def card_session(visitor: Visitor, until: float) -> None:
    visitor.request("home", "GET", "/")
    _, html = visitor.request("study", "GET", f"/decks/{DECK}/study/")
    for _ in range(CARDS_PER_SESSION):
        found = CARD.search(html) or TYPED_CARD.search(html)
        if not found or not think(CARD_THINK, until):
            return
        path, card_id = found[1], found[2]
        visitor.request("card answer", "GET", path, headers={"HX-Request": "true"})
        if not think(CARD_THINK, until):
            return
        html = rate(visitor, card_id)
        if random.random() < 0.1:  # noqa: S311
            response, _ = visitor.request(
                "undo",
                "POST",
                f"/decks/{DECK}/study/undo/",
                headers={"HX-Request": "true", "X-CSRFToken": visitor.cookies["csrftoken"]},
            )
            visitor.undone += response.status == 200
            html = rate(visitor, card_id)


def rate(visitor: Visitor, card_id: str) -> str:
    body = urllib.parse.urlencode({"rating": random.randint(1, 4)})  # noqa: S311
    response, html = visitor.request(
        "rating",
        "POST",
        f"/decks/{DECK}/study/cards/{card_id}/rate/",
        body,
        {"HX-Request": "true", "X-CSRFToken": visitor.cookies["csrftoken"]},
    )
    visitor.rated += response.status == 200
    return html


def lab_redraw(visitor: Visitor) -> None:
    experiment = random.choice(EXPERIMENTS)  # noqa: S311
    seed = random.randrange(2**31)  # noqa: S311 - a seed nobody drew: uncached
    visitor.request("lab redraw", "GET", f"/lab/{experiment}/?seed={seed}", headers={"HX-Request": "true"})


def visit(visitor: Visitor, delay: float, until: float, accounts: list[dict]) -> None:
    gevent.sleep(delay)
    try:
        if random.random() < LAB_SHARE:  # noqa: S311
            lab_redraw(visitor)
        if random.random() < QUIZ_SHARE:  # noqa: S311
            quiz_session(visitor, until)
        else:
            visitor.account = accounts.pop()
            visitor.cookies.update(visitor.account)
            card_session(visitor, until)
    except Exception as error:  # a failed request is a result of the step, not the end of the run
        visitor.samples.append(
            Sample(f"failure: {type(error).__name__}", 599, 0.0, time.monotonic() - visitor.step_start)
        )


def run_step(port: int, learners: int, accounts: list[dict]) -> tuple[list[Visitor], float]:
    """C learners now, spread over a think time, and C / session arrivals a second after them."""
    start = time.monotonic()
    until = start + STEP_SECONDS
    visitors: list[Visitor] = []
    group = Group()
    cpu_before, counter = own_cpu(), 0

    def arrive(delay: float) -> None:
        nonlocal counter
        counter += 1
        visitor = Visitor(
            port,
            address=f"10.{counter // 65536 % 256}.{counter // 256 % 256}.{counter % 256}",
            step_start=start,
        )
        visitors.append(visitor)
        group.spawn(visit, visitor, delay, until, accounts)

    for _ in range(learners):
        arrive(random.uniform(0, QUESTION_THINK[1]))  # noqa: S311
    rate_per_second = learners / MEAN_SESSION
    while time.monotonic() < until:
        gevent.sleep(random.expovariate(rate_per_second))
        if time.monotonic() < until:
            arrive(0.0)
    group.join(timeout=60)
    group.kill()
    wall = time.monotonic() - start
    return visitors, (own_cpu() - cpu_before) / (wall * (os.cpu_count() or 1))


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stored_exactly_once(visitors: list[Visitor], env: dict[str, str]) -> list[str]:
    """Every acknowledged answer once in its attempt; every acknowledged rating one review (undos marked)."""
    attempts = {v.attempt: sorted(v.sent) for v in visitors if v.attempt}
    users = {v.account["sessionid"]: [v.rated, v.undone] for v in visitors if v.account}
    code = f"""
import json
from django.contrib.sessions.models import Session
from flashcards.models import Review
from quizzes.models import Attempt
attempts, users = json.loads({json.dumps(json.dumps([attempts, users]))})
problems = []
for public_id, sent in attempts.items():
    stored = sorted(Attempt.objects.get(public_id=public_id).answers.values_list("question_id", flat=True))
    if stored != sent:
        problems.append(f"attempt {{public_id}}: stored {{stored}}, acknowledged {{sent}}")
for key, (rated, undone) in users.items():
    user_id = Session.objects.get(session_key=key).get_decoded()["_auth_user_id"]
    reviews = Review.objects.filter(user_id=user_id, source=Review.Source.STUDY)
    if reviews.count() != rated or reviews.filter(undone_at__isnull=False).count() != undone:
        problems.append(f"user {{user_id}}: {{reviews.count()}} reviews for {{rated}} ratings, undos differ")
print(json.dumps(problems))
"""
    return django_shell(code, env)


def p95_ms(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1] * 1e3 if len(seconds) > 1 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="250,500,1000,1500,2000,3000")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    work = Path(tempfile.mkdtemp(prefix="studysite-capacity-"))
    env = server_environment(work) | {"STUDYSITE_TRUSTED_PROXIES": "1", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"Preparing {database} in {work}", flush=True)
    prepare(env)
    # Every card learner of every step signs in as a learner of its own, so its reviews can be counted.
    accounts = create_accounts(env, int(sum(steps) * 2.5 * (1 - QUIZ_SHARE)) + 100)
    port = free_port()
    server = start_server(env, port, args.workers)
    print(f"gunicorn, {args.workers} sync workers, {database}, {os.cpu_count()} cores; {load_text()}")
    print(
        f"{'learners':>9}{'requests':>9}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'errors':>7}{'stored':>8}"
        f"{'generator CPU':>15}  slowest kinds (p95 ms)"
    )
    served, verdicts = 0, []
    try:
        for learners in steps:
            visitors, generator_share = run_step(port, learners, accounts)
            steady = [s for v in visitors for s in v.samples if s.at >= WARMUP_SECONDS]
            samples = [s for v in visitors for s in v.samples]
            busy = sum(s.kind == "lab redraw" and s.status == 503 for s in samples)  # the render slot's bound
            errors = sum(s.status >= 400 for s in samples) - busy
            problems = stored_exactly_once(visitors, env)
            seconds = [s.seconds for s in steady]
            by_kind = {}
            for sample in steady:
                by_kind.setdefault(sample.kind, []).append(sample.seconds)
            slowest = sorted(((p95_ms(v), k) for k, v in by_kind.items()), reverse=True)[:3]
            p95 = p95_ms(seconds)
            passed = p95 < P95_TARGET_MS and errors == 0 and not problems
            print(
                f"{learners:>9}{len(seconds):>9}{len(seconds) / (STEP_SECONDS - WARMUP_SECONDS):>7.0f}"
                f"{statistics.median(seconds) * 1e3:>8.1f}{p95:>8.1f}{errors:>7}"
                f"{'once' if not problems else 'NO':>8}"
                f"{generator_share:>14.0%}  "
                + ", ".join(f"{k} {v:.0f}" for v, k in slowest)
                + (f"; {busy} lab redraws told the render slot is busy (503, by design)" if busy else ""),
                flush=True,
            )
            failed = Counter(f"{s.kind} {s.status}" for s in samples if s.status >= 400)
            if failed:
                print("    errors:", ", ".join(f"{kind} ×{count}" for kind, count in failed.most_common()))
            for problem in problems[:5]:
                print("   ", problem)
            if not passed:
                break
            served = learners
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(load_text())
    verdicts.append(
        Verdict(
            "capacity",
            f"{database}: concurrent learners (p95 < {P95_TARGET_MS} ms, 0 errors, once) ≥ {TARGET_LEARNERS}",
            str(served),
            served >= TARGET_LEARNERS,
        )
    )
    return report(verdicts)


if __name__ == "__main__":
    raise SystemExit(main())
