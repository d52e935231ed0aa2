"""Item analysis for questions the simulation writes: where in parameter space learners go wrong.

Each answer's snapshot keeps the variant's drawn parameters, so facility can be split by region of
each parameter (which values of ρ learners miss), and by whether it was a learner's first variant of
the question or a later one (does practice on fresh numbers help?).
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnsim.variants import template_of

from .correlation import MIN_ATTEMPTS, correlation
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
class RulePicks:
    """A template's distractor rule, as learners met it: how often picked (or typed), and by whom."""

    rule: str
    label: str  # the wrong reasoning, as the instructor picked it
    picks: int
    percent: float  # of the question's answers
    point_biserial: float | None  # picking it against the rest of the attempt's score

    @property
    def attracts_strong_learners(self) -> bool:
        return self.point_biserial is not None and self.point_biserial > 0


@dataclass(frozen=True)
class VariantStats:
    by_param: list[tuple[str, list[Facility]]]  # per drawn parameter, facility in each region of it
    first: Facility  # each learner's first variant of the question (an anonymous attempt's is its first)
    later: Facility  # the variants learners with an account drew after their first
    by_rule: list[RulePicks]  # each distractor rule (or wrong outcome): the template's distractors


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
        .values_list(
            "shown__variant__params",
            "credit",
            "attempt__user",
            "shown__choices",
            "attempt__score",
            "attempt__finished_at",
            "attempt__abandoned",
        )
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
                for params, credit, *_ in rows
                if params
                and start <= params.get(spec.name, float("nan")) <= end
                and (last or params[spec.name] < end)
            ]
            label = f"{spec.show(start)} to {spec.show(end)}" if high > low else spec.show(low)
            facilities.append(Facility(label, len(inside), sum(inside)))
        by_param.append((spec.name, facilities))
    seen: set[int] = set()
    first, later = [], []
    for _, credit, user, *_ in rows:
        (later if user is not None and user in seen else first).append(credit)
        if user is not None:
            seen.add(user)
    return VariantStats(
        by_param,
        Facility("first variant", len(first), sum(first)),
        Facility("later variants", len(later), sum(later)),
        rule_picks(template, rows),
    )


def rule_picks(template, rows: list) -> list[RulePicks]:
    """Each rule's picks, from the choices each answer recorded, with its point-biserial as a fixed
    question's choices have it: over finished attempts, once there are MIN_ATTEMPTS of them."""
    labels = {rule: template.quantity.distractors[rule].label for rule in template.distractors}
    labels |= {f"outcome-{i}": text for i, (text, _) in enumerate(template.quantity.outcomes)}
    picked = [
        (picked_rules(choices), score - credit, finished is not None and not abandoned)
        for _, credit, _, choices, score, finished, abandoned in rows
    ]
    scored = [(rules, rest) for rules, rest, complete in picked if complete]
    found = []
    for rule, label in labels.items():
        count = sum(1 for rules, *_ in picked if rule in rules)
        hits, rests = [float(rule in rules) for rules, _ in scored], [rest for _, rest in scored]
        biserial = correlation(hits, rests) if len(scored) >= MIN_ATTEMPTS else None
        found.append(RulePicks(rule, label, count, 100 * count / len(picked) if picked else 0.0, biserial))
    return found


def picked_rules(choices: list | None) -> set[str]:
    """The rules of the choices an answer recorded as picked (or matched, for a typed one)."""
    return {choice.get("rule", "") for choice in choices or [] if choice.get("picked")} - {""}
