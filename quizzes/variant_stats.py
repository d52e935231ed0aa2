"""Item analysis for questions the simulation writes: where in parameter space learners go wrong.

Each answer's snapshot keeps the variant's drawn parameters, so facility can be split by region of
each parameter (which values of ρ learners miss), and by whether it was a learner's first variant of
the question or a later one (does practice on fresh numbers help?).
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnsim.variants import template_of

from .models import Answer, Question

REGIONS = 3  # each parameter's range, split into this many equal parts


@dataclass(frozen=True)
class Facility:
    label: str
    answers: int
    credit: float

    @property
    def percent(self) -> float | None:
        return 100 * self.credit / self.answers if self.answers else None


@dataclass(frozen=True)
class VariantStats:
    by_param: list[tuple[str, list[Facility]]]  # per drawn parameter, facility in each region of it
    first: Facility  # each learner's first variant of the question (an anonymous attempt's is its first)
    later: Facility  # the variants learners with an account drew after their first


def regions(low: float, high: float) -> list[tuple[float, float]]:
    width = (high - low) / REGIONS
    return [(low + i * width, low + (i + 1) * width) for i in range(REGIONS)]


def variant_stats(question: Question) -> VariantStats | None:
    """None for a question with fixed numbers; one query over the question's answers otherwise."""
    if not question.template:
        return None
    template = template_of(question.template)
    rows = list(
        Answer.objects.filter(question=question)
        .order_by("answered_at")
        .values_list("shown__variant__params", "credit", "attempt__user")
    )
    by_param = []
    for spec in template.ranges:
        low, high = min(spec.values), max(spec.values)
        bins = regions(low, high) if high > low else [(low, high)]
        facilities = []
        for index, (start, end) in enumerate(bins):
            last = index == len(bins) - 1
            inside = [
                credit
                for params, credit, _ in rows
                if params
                and start <= params.get(spec.name, float("nan")) <= end
                and (last or params[spec.name] < end)
            ]
            label = f"{spec.show(start)} to {spec.show(end)}" if high > low else spec.show(low)
            facilities.append(Facility(label, len(inside), sum(inside)))
        by_param.append((spec.name, facilities))
    seen: set[int] = set()
    first, later = [], []
    for _, credit, user in rows:
        (later if user is not None and user in seen else first).append(credit)
        if user is not None:
            seen.add(user)
    return VariantStats(
        by_param,
        Facility("first variant", len(first), sum(first)),
        Facility("later variants", len(later), sum(later)),
    )
