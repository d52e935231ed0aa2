"""What one visitor can cost, measured against the targets of issue "Round 2 · Step 1 of 6".

1. Six clients flood the lab with uncached worst-case plots (a new seed each time, every size at its
   maximum) for FLOOD_SECONDS while a probe reads /healthz/ and a question page: their p95 must stay
   under 100 ms. The baseline, in the same run, is the same flood with as many render slots as
   clients (what the site did before renders were bounded) and the same probe with no flood at all.
2. The largest allowed import (2,000 GIFT questions, close to the 5 MiB limit) runs while learners
   answer questions: the write lock must be held well under 1 s, and the learners' answer p95 must
   stay under 1 s. The baseline is the same learners' answers before the import starts.
3. Every page of a 10,000-card deck must answer in under 500 ms (server time, Django's test client);
   the baseline is /healthz/ through the same middleware.

Loopback only, and bounded: every phase has a fixed duration or request count and a timeout. Runs
against a throwaway SQLite database and MEDIA_ROOT with production settings. Usage:
python benchmarks/integrity.py [--flood-seconds 20]. `make bench` runs it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import NEXT, Learner, free_port, prepare, random_answer, server_environment, start_gunicorn
from pairs import load_text
from verdicts import at_most, report

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
LAB_CLIENTS = 6
LAB_EXPERIMENT = "clipping"
PROBE_TARGET_MS = 100.0
LOCK_TARGET_S = 1.0
ANSWER_TARGET_S = 1.0
DECK_PAGE_TARGET_MS = 500.0
DECK_CARDS = 10_000


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=100, method="inclusive")[94] if len(seconds) > 1 else seconds[0]


def get(
    port: int, path: str, cookies: dict[str, str] | None = None, timeout: float = 60
) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    start = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - start


def worst_lab_query() -> str:
    """The lab's most expensive request: every size and count at its maximum, a fresh seed each call."""
    from rnnsim.core.experiments import get_experiment

    experiment = get_experiment(LAB_EXPERIMENT)
    params = {p.name: p.maximum if p.integer else p.default for p in experiment.params}
    params["seed"] = random.randrange(2**31)  # noqa: S311 - a fresh network, not a secret
    return f"/lab/{LAB_EXPERIMENT}/?{urllib.parse.urlencode(params)}"


def probe(port: int, learner: Learner, question: str, until: float) -> dict[str, list[float]]:
    """/healthz/ and the learner's question page, one after the other every 20 ms, until the deadline."""
    seen: dict[str, list[float]] = {"healthz": [], "question page": []}
    while time.monotonic() < until:
        seen["healthz"].append(get(port, "/healthz/", timeout=30)[1])
        seen["question page"].append(get(port, question, learner.cookies, timeout=30)[1])
        time.sleep(0.02)
    return seen


def flood(port: int, until: float, statuses: Counter) -> None:
    while time.monotonic() < until:
        statuses[get(port, worst_lab_query(), timeout=120)[0]] += 1


def lab_phase(env: dict[str, str], *, slots: int, clients: int, seconds: float) -> dict[str, float]:
    """p95 of the probes while ``clients`` flood the lab, with ``slots`` render slots on the host."""
    port = free_port()
    server = start_gunicorn(env | {"STUDYSITE_RENDER_SLOTS": str(slots)}, port, workers=3)
    try:
        learner = Learner(port)
        question = learner.start_attempt()
        until = time.monotonic() + seconds
        statuses: Counter = Counter()
        threads = [threading.Thread(target=flood, args=(port, until, statuses)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        seen = probe(port, learner, question, until)
        for thread in threads:
            thread.join(timeout=180)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lab = ", ".join(f"{count}×{status}" for status, count in sorted(statuses.items())) or "none"
    print(f"  slots {slots}, {clients} flooding clients: lab answers {lab}", flush=True)
    return {kind: p95(values) * 1e3 for kind, values in seen.items()}


def gift_file(questions: int) -> bytes:
    """The largest allowed GIFT import: ``questions`` questions with feedback, just under 5 MiB."""
    from studysite.exchange import MAX_BYTES

    padding = "x" * 2_000
    blocks = [
        f"::bench-{n}::Question {n}: which of these is right? {padding} {{\n"
        f"=right {n}#Right, because {padding[:200]}.\n~wrong a#No.\n~wrong b#No.\n~wrong c#No.\n"
        f"####Explanation {n}.\n}}"
        for n in range(questions)
    ]
    content = "\n\n".join(blocks).encode()
    assert len(content) <= MAX_BYTES, len(content)
    return content


def answering(port: int, until: float, latencies: list[tuple[float, float]]) -> None:
    """One learner answering a question every 100 ms, retaking the quiz at the end; (start, seconds) each."""
    learner = Learner(port)
    while time.monotonic() < until:
        path = learner.start_attempt()
        while "/questions/" in path and time.monotonic() < until:
            _, html = learner.request("question page", "GET", path)
            form = random_answer(html)
            started = time.monotonic()
            feedback = learner.answer(path, form)
            latencies.append((started, time.monotonic() - started))
            path = NEXT.search(feedback)[1]
            time.sleep(0.1)


def import_phase(env: dict[str, str], learners: int) -> dict[str, float]:
    """The longest write-lock hold of the largest import, and answer p95 before and during it."""
    from django.db import connection

    from quizzes import importing
    from quizzes.models import Quiz

    content = gift_file(importing.MAX_QUESTIONS)
    quiz = Quiz.objects.create(title="Imported", slug="imported-bench")
    port = free_port()
    server = start_gunicorn(env, port, workers=3)
    latencies: list[tuple[float, float]] = []
    begins: list[float] = []

    def note_begin(execute, sql, params, many, context):
        if sql.startswith("BEGIN"):
            begins.append(time.monotonic())
        return execute(sql, params, many, context)

    try:
        calm = time.monotonic() + 5
        threads = [
            threading.Thread(target=answering, args=(port, calm + 60, latencies)) for _ in range(learners)
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, calm - time.monotonic()))
        import_start = time.monotonic()
        with connection.execute_wrapper(note_begin):
            result = importing.import_quiz(content, fmt="gift", quiz=quiz)
        import_end = time.monotonic()
        lock_seconds = import_end - begins[-1]  # from BEGIN IMMEDIATE to the committed return
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    before = [s for t, s in latencies if t < import_start]
    during = [s for t, s in latencies if import_start <= t <= import_end]
    print(
        f"  imported {result.created} questions ({len(content) / 2**20:.1f} MiB) in "
        f"{import_end - import_start:.1f} s; {len(before)} answers before, {len(during)} during",
        flush=True,
    )
    return {
        "lock": lock_seconds,
        "before": p95(before),
        "during": p95(during) if during else 0.0,
        "during_max": max(during) if during else 0.0,
    }


def deck_phase() -> list[tuple[str, float, float]]:
    """Median server time of each page of a 10,000-card deck, and of /healthz/ alongside."""
    from django.contrib.auth.models import User
    from django.test import Client

    from flashcards import importing
    from flashcards.models import Deck

    deck = Deck.objects.create(title="Big deck", slug="big-deck")
    rows = "".join(
        f"Front {n}: what does $\\rho^{{{n % 50}}}$ do to the gradient?,Back {n}: it scales it,tag{n % 9}\n"
        for n in range(DECK_CARDS)
    )
    importing.import_deck(f"front,back,tags\n{rows}".encode(), fmt="csv", deck=deck)
    user = User.objects.create_user("bench-learner")
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    client.force_login(user)
    base = f"/decks/{deck.slug}/"
    pages = {
        "deck page": base,
        "deck page 150": f"{base}?page=150",
        "search, common word": f"{base}?q=gradient",
        "search, one card": f"{base}?q=Front+9876:",
        "study": f"{base}study/",
        "cram, last card": f"{base}cram/?n={DECK_CARDS}",
        "statistics": f"{base}stats/",
        "deck list": "/decks/",
    }
    results = []
    for name, url in [("/healthz/ (baseline)", "/healthz/"), *pages.items()]:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        results.append((name, statistics.median(times) * 1e3, max(times) * 1e3))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood-seconds", type=float, default=20)
    parser.add_argument("--learners", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studysite-integrity-"))
    env = server_environment(work) | {
        "STUDYSITE_LAB_RENDERS_PER_CLIENT": "1000000/m",  # measure the render slots on their own
        "STUDYSITE_ATTEMPTS_PER_ADDRESS": "1000000/h",  # every simulated learner shares 127.0.0.1
        "STUDYSITE_ATTEMPTS_PER_LEARNER": "1000000/h",
        "STUDYSITE_RENDER_SLOT_DIR": str(work / "render-slots"),
    }
    print(f"Preparing SQLite (migrate, seed, render plots, collect static) in {work}", flush=True)
    prepare(env)
    os.environ.update({k: env[k] for k in env if k.startswith(("DJANGO_", "DATABASE_URL", "STUDYSITE_"))})
    os.environ["DJANGO_SETTINGS_MODULE"] = "studysite.settings"
    import django

    django.setup()
    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; "
        "gunicorn with 3 sync workers"
    )

    print("1. lab flood", flush=True)
    quiet = lab_phase(env, slots=1, clients=0, seconds=5)
    unbounded = lab_phase(env, slots=LAB_CLIENTS, clients=LAB_CLIENTS, seconds=args.flood_seconds)
    bounded = lab_phase(env, slots=1, clients=LAB_CLIENTS, seconds=args.flood_seconds)
    print("2. largest import while learners answer", flush=True)
    imported = import_phase(env, args.learners)
    print("3. 10,000-card deck", flush=True)
    deck = deck_phase()

    rows = [
        (
            f"/healthz/ p95 under {LAB_CLIENTS} lab floods (ms)",
            bounded["healthz"],
            PROBE_TARGET_MS,
            f"no flood {quiet['healthz']:.1f}, unbounded {unbounded['healthz']:.0f}",
        ),
        (
            f"question page p95 under {LAB_CLIENTS} lab floods (ms)",
            bounded["question page"],
            PROBE_TARGET_MS,
            f"no flood {quiet['question page']:.1f}, unbounded {unbounded['question page']:.0f}",
        ),
        ("longest write-lock hold, 2,000-question import (s)", imported["lock"], LOCK_TARGET_S, ""),
        (
            "answer p95 during the import (s)",
            imported["during"],
            ANSWER_TARGET_S,
            f"before {imported['before']:.3f}, max during {imported['during_max']:.3f}",
        ),
    ]
    healthz = deck[0][1]
    rows += [
        (f"{name} (ms)", median, DECK_PAGE_TARGET_MS, f"max {worst:.0f}, ×{median / healthz:.0f} /healthz/")
        for name, median, worst in deck[1:]
    ]
    for name, _, _, baseline in rows:
        if baseline:
            print(f"{name}: baseline in the same run: {baseline}")
    print(f"/healthz/ through the same middleware, in-process: {healthz:.2f} ms; {load_text()}")
    return report([at_most("integrity", name, value, target, digits=3) for name, value, target, _ in rows])


if __name__ == "__main__":
    sys.exit(main())
