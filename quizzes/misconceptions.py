"""What a learner's wrong answers suggest they believe, with the simulation that plays each belief out.

An answer records the misconception its wrong choice pointed to when it was given (slug, statement,
what-if); the feedback, the results and My progress read that record, and today's misconception
only for where its notes are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rnnsim.core.whatifs import WhatIf
from rnnsim.whatifs import whatif_of
from studysite.models import NoteSection

from .models import Answer, Misconception, Question
from .snapshots import ShownQuestion, shown

CARDS_SHOWN = 5  # of a misconception's notes section, on the results page


@dataclass
class Suggested:
    """A belief a wrong answer points to, as the feedback and the results page show it."""

    slug: str
    statement: str  # as the answer recorded it
    whatif: WhatIf | None
    notes: NoteSection | None = None  # the misconception's notes section today
    cards: list = field(default_factory=list)  # the notes section's first flashcards
    rendered_plot: object = None  # set by rnnsim.figures.attach_plots
    pending_plot: object = None

    @property
    def plot(self) -> dict | None:
        return self.whatif.plot if self.whatif else None


def suggest(seen: Sequence[ShownQuestion]) -> list[Suggested]:
    """Give each shown answer its suggested beliefs; return them all, each once, in order of appearance."""
    recorded = [(one, belief) for one in seen for belief in one.misconceptions]
    if not recorded:
        return []
    today = records({belief["slug"] for _, belief in recorded})
    every: dict[str, Suggested] = {}
    for one, belief in recorded:
        current = today.get(belief["slug"])
        suggested = every.setdefault(
            belief["slug"],
            Suggested(
                slug=belief["slug"],
                statement=belief["statement"],
                whatif=whatif_of(belief.get("whatif")),
                notes=current.notes_section if current else None,
            ),
        )
        one.suggested.append(suggested)
    return list(every.values())


def records(slugs: Iterable[str]) -> dict[str, Misconception]:
    """Today's misconceptions by slug: where their notes are now (a deleted one has none)."""
    return Misconception.objects.select_related("notes_section__study_set").in_bulk(
        list(slugs), field_name="slug"
    )


def with_cards(suggested: Sequence[Suggested]) -> None:
    """Each belief's notes section's first cards, in one query: the ones a wrong answer brings back.

    Cards are flashcards' (NoteSection.cards): this app reads them through the relation, not the app.
    """
    sections = {belief.notes.pk for belief in suggested if belief.notes is not None}
    if not sections:
        return
    Card = NoteSection._meta.get_field("cards").related_model
    by_section: dict[int, list] = {}
    for card in Card.objects.filter(notes_section__in=sections).select_related("deck").order_by("pk"):
        by_section.setdefault(card.notes_section_id, []).append(card)
    for belief in suggested:
        if belief.notes is not None:
            belief.cards = by_section.get(belief.notes.pk, [])[:CARDS_SHOWN]


@dataclass(frozen=True)
class SeenBelief:
    """A misconception across a learner's attempts: how often answers pointed to it, and whether a later
    answer to a question about it was right."""

    slug: str
    statement: str
    times: int
    resolved: bool
    notes: NoteSection | None


def seen_beliefs(answers: Iterable[Answer]) -> list[SeenBelief]:
    """The learner's misconceptions, most recent first. One is resolved when, after the last answer that
    pointed to it, the learner answered right a question one of whose choices points to it."""
    ordered = sorted(answers, key=lambda answer: answer.answered_at)
    pointed: dict[str, list] = {}
    for answer in ordered:
        for belief in shown(answer).misconceptions:
            pointed.setdefault(belief["slug"], []).append((answer.answered_at, belief["statement"]))
    if not pointed:
        return []
    about = questions_about(pointed)
    today = records(pointed)
    found = []
    for slug, times in pointed.items():
        last = times[-1][0]
        resolved = any(
            a.is_correct and a.answered_at > last and a.question_id in about.get(slug, ()) for a in ordered
        )
        current = today.get(slug)
        found.append(SeenBelief(slug, times[-1][1], len(times), resolved, current and current.notes_section))
    return sorted(found, key=lambda belief: pointed[belief.slug][-1][0], reverse=True)


def questions_about(slugs: Iterable[str]) -> dict[str, set[int]]:
    """The questions one of whose choices, or whose template's rules, point to each misconception."""
    about: dict[str, set[int]] = {}
    rows = Misconception.objects.filter(slug__in=list(slugs)).values_list("slug", "choices__question_id")
    for slug, question_id in rows:
        if question_id is not None:
            about.setdefault(slug, set()).add(question_id)
    for question in Question.objects.filter(template__has_key="misconceptions").only("pk", "template"):
        for slug in (question.template.get("misconceptions") or {}).values():
            about.setdefault(slug, set()).add(question.pk)
    return about


def misconception_sections(answer: Answer) -> set[int]:
    """The notes sections correcting the misconceptions an answer suggests: their cards come back."""
    slugs = [belief["slug"] for belief in shown(answer).misconceptions]
    return set(Misconception.objects.filter(slug__in=slugs).values_list("notes_section_id", flat=True)) - {
        None
    }
