"""Certainty-based marking, Gardner-Medwin's scheme as Moodle's CBM behaviour marks it.

The learner says how sure they are (1, 2 or 3) as they submit. A right answer earns 1, 2 or 3; a wrong
one 0, −2 or −6; partial credit earns that share of the right mark (Moodle's adjust_fraction). Saying 2
pays, on average, only when right more than 2/3 of the time, and 3 only when right more than 80%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .qtypes.base import ResponseError

LEVELS = (1, 2, 3)
UNSURE, CONFIDENT = 1, 3  # a right answer at 1 was a guess; a wrong one at 3, a confident error
RIGHT = {1: 1, 2: 2, 3: 3}
WRONG = {1: 0, 2: -2, 3: -6}
PAYS_ABOVE = {1: 0.0, 2: 2 / 3, 3: 0.8}  # the accuracy above which each level beats the one below
LABELS = {1: "not sure", 2: "fairly sure", 3: "sure"}
# What a question page's submit buttons say: each level with its name and what it earns or costs.
BUTTONS = tuple((level, LABELS[level], RIGHT[level], WRONG[level]) for level in LEVELS)


def read_certainty(data: Mapping[str, str]) -> int:
    """The certainty a submitted answer form carries (its submit button's value); ResponseError if none."""
    raw = data.get("certainty", "")
    if raw not in {str(level) for level in LEVELS}:
        raise ResponseError("Say how sure you are: submit with certainty 1, 2 or 3.")
    return int(raw)


def mark(credit: float, certainty: int) -> float:
    """The CBM mark of one answer: a wrong one costs by how sure the learner said they were."""
    return WRONG[certainty] if credit <= 0 else RIGHT[certainty] * credit


@dataclass(frozen=True)
class Level:
    certainty: int
    answers: int
    right: int

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def label(self) -> str:
        return LABELS[self.certainty]

    @property
    def best_when(self) -> str:
        """The accuracy at which this level earns the most: below 67%, 67% to 80%, above 80%."""
        low, high = PAYS_ABOVE[self.certainty], PAYS_ABOVE.get(self.certainty + 1)
        if not low:
            return f"below {high:.0%}"
        return f"{low:.0%} to {high:.0%}" if high else f"above {low:.0%}"

    @property
    def note(self) -> str:
        """How well this level was chosen, against the accuracy it pays at; "" with no answers at it."""
        if not self.answers:
            return ""
        share = f"{self.accuracy:.0%}"
        said = f"At certainty {self.certainty} you were right {share} of the time"
        if self.certainty > 1 and self.accuracy <= PAYS_ABOVE[self.certainty]:
            return f"{said}: certainty {self.certainty} pays only above {PAYS_ABOVE[self.certainty]:.0%}."
        higher = self.certainty + 1
        if higher in PAYS_ABOVE and self.accuracy > PAYS_ABOVE[higher]:
            return f"{said}: you could have said {higher}, which pays above {PAYS_ABOVE[higher]:.0%}."
        return f"{said}: well judged."


@dataclass(frozen=True)
class Report:
    """An attempt's CBM marks: their sum against the most and the least it could be, and the levels."""

    score: float
    best: int  # every answer right at certainty 3
    worst: int  # every answer wrong at certainty 3
    plain: float  # the ordinary score: credit summed, certainty ignored
    levels: tuple[Level, ...]

    @property
    def average(self) -> float:
        """The mean mark per answer, from −6 to 3 (Moodle's "average CBM mark")."""
        answered = sum(level.answers for level in self.levels)
        return self.score / answered if answered else 0.0


def report(answers: Sequence) -> Report:
    """The CBM report of answers that each have ``credit``, ``is_correct`` and ``certainty``."""
    rated = [answer for answer in answers if answer.certainty in RIGHT]
    levels = tuple(
        Level(
            level,
            sum(1 for a in rated if a.certainty == level),
            sum(1 for a in rated if a.certainty == level and a.is_correct),
        )
        for level in LEVELS
    )
    return Report(
        score=sum(mark(a.credit, a.certainty) for a in rated),
        best=RIGHT[3] * len(rated),
        worst=WRONG[3] * len(rated),
        plain=sum(a.credit for a in answers),
        levels=levels,
    )


def confident_errors_first(answers: Iterable) -> list:
    """Wrong answers at certainty 3, then at 2, then every other one in its order: what to review first."""

    def rank(answer) -> int:
        if not answer.is_correct and answer.certainty in (2, 3):
            return 3 - answer.certainty  # 3 → 0, 2 → 1
        return 2

    return sorted(answers, key=rank)
