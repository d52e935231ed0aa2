"""Feedback time for questions the simulation writes (issue "Round 2, Step 4 of 6"), cold pool and warm.

Target: a learner never waits more than 1 s for feedback, p95 over every template question. Cold:
no variant's plot rendered yet; the feedback comes at once and the plot follows (htmx fetches it
within the lab's bounds), and that fetch is timed too. Warm: after `manage.py render_plots` has
rendered each template's pool. Baseline in the same
run: the feedback of a fixed seed question whose plot is cached.

In process, with Django's test client against a throwaway SQLite database and MEDIA_ROOT.
Usage: python benchmarks/variants.py [--learners 20]
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import time

from pairs import load_text
from throwaway import set_up_django
from verdicts import at_most, report

set_up_django(
    "studysite-variants-",
    STUDYSITE_ATTEMPTS_PER_ADDRESS="100000/h",  # every simulated learner comes from 127.0.0.1
    STUDYSITE_ATTEMPTS_PER_LEARNER="100000/h",
    STUDYSITE_LAB_RENDERS_PER_CLIENT="100000/h",
)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from quizzes.models import Attempt, Quiz  # noqa: E402
from quizzes.tests.makers import sample_form  # noqa: E402

TARGET_SECONDS = 1.0
PRACTICE, SEED = "rnn-gradients-practice", "rnn-gradients-bptt"


PENDING = re.compile(r'class="plot-pending" hx-get="([^"]+)"')


def feedback_seconds(
    quiz: Quiz, learners: int, *, only_first: bool = False, plots: list[float] | None = None
) -> list[float]:
    """Each learner starts the quiz and answers every question as htmx does; each answer's time.

    A variant's plot not drawn yet follows the feedback: its fetch, as htmx makes it, is timed into
    ``plots``.
    """
    times = []
    for number in range(learners):
        client = Client(HTTP_HOST="localhost")
        client.post(f"/quizzes/{quiz.slug}/attempts/")
        attempt = Attempt.objects.order_by("-started_at").first()
        question_ids = attempt.question_ids[:1] if only_first else attempt.question_ids
        for question in quiz.questions.filter(pk__in=question_ids):
            data = sample_form(attempt, question, right=number % 2 == 0)
            start = time.perf_counter()
            response = client.post(
                f"/attempts/{attempt.public_id}/questions/{question.pk}/", data, HTTP_HX_REQUEST="true"
            )
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (question, response.status_code)
            if (pending := PENDING.search(response.content.decode())) and plots is not None:
                start = time.perf_counter()
                figure = client.get(html.unescape(pending[1]), HTTP_HX_REQUEST="true")
                plots.append(time.perf_counter() - start)
                assert b"<figure" in figure.content, (question, figure.content[:200])
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    practice, seed = Quiz.objects.get(slug=PRACTICE), Quiz.objects.get(slug=SEED)

    following: list[float] = []
    cold = feedback_seconds(practice, args.learners, plots=following)
    start = time.perf_counter()
    call_command("render_plots", verbosity=0)
    rendering = time.perf_counter() - start
    warm = feedback_seconds(practice, args.learners)
    baseline = feedback_seconds(seed, args.learners, only_first=True)

    pool = settings.STUDYSITE_VARIANT_POOL
    questions = practice.questions.count()
    print(f"{questions} template questions, a pool of {pool} variants each, {args.learners} learners a phase")
    print(f"render_plots, every pool and every content plot: {rendering:.1f} s")
    print(f"{'feedback':44s} {'answers':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'target':>8s} {'ratio':>6s}")
    rows = [
        ("cold pool (the plot follows the feedback)", cold),
        ("  the plot, drawn on demand after it", following),
        ("warm pool (after render_plots)", warm),
    ]
    for label, times in [*rows, ("baseline: a fixed question, plot cached", baseline)]:
        ratio = p95(times) / TARGET_SECONDS
        print(
            f"{label:44s} {len(times):8d} {statistics.median(times) * 1e3:8.0f} {p95(times) * 1e3:8.0f} "
            f"{TARGET_SECONDS * 1e3:8.0f} {ratio:6.2f}"
        )
    print(f"warm p95 / baseline p95: {p95(warm) / p95(baseline):.2f}x; {load_text()}")
    target_ms = TARGET_SECONDS * 1e3
    phases = (("cold pool", cold), ("warm pool", warm))
    return report(
        [
            at_most("variants", f"variant feedback p95, {phase} (ms)", p95(t) * 1e3, target_ms, 1)
            for phase, t in phases
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
