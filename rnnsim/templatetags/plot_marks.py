"""The template side of rnnsim.marks: where a learner's answer lands on a rendered plot."""

from __future__ import annotations

from django import template

from ..marks import AnswerMark, Placement, placements

register = template.Library()


@register.filter
def placed_on(mark: AnswerMark | str | None, plot) -> list[Placement]:
    """Where the mark lands on each of the plot's layouts; nothing where a page gives no mark ("")."""
    return placements(plot, mark) if isinstance(mark, AnswerMark) else []
