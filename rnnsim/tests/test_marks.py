"""A learner's answer marked on their variant's plot: it lands where matplotlib draws that value.

The mark's claim is that the ring is drawn where the plot would draw the answer's value, at the x
where the simulation draws the key: checked for every seed template whose plot draws its key, in both
layouts, against matplotlib's own transform and the drawn artists.
"""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

import numpy as np
import pytest

from rnnsim.core import plots
from rnnsim.core.templates import Template
from rnnsim.marks import AnswerMark, placements

from .test_templates import SEED

MARKED = {where: data for where, data in SEED.items() if Template.from_json(data).quantity.plotted_at}


def drawn(figures: dict[str, plots.Plot]) -> SimpleNamespace:
    """What a stored plot keeps of its figures: each layout's size and panel frames, read after drawing."""
    frames, sizes = {}, {}
    for layout, plot in figures.items():
        plot.figure.savefig(io.BytesIO(), format="png", dpi=100)
        frames[layout] = plots.panel_frames(plot.figure)
        width, height = plot.figure.get_size_inches() * 100
        sizes[layout] = (round(width), round(height))
    return SimpleNamespace(frames=frames, sizes=sizes)


def drawn_points(ax) -> np.ndarray:
    """Every vertex the panel draws: its lines' points and its filled bands' outlines."""
    points = [np.column_stack([np.asarray(d, dtype=float) for d in line.get_data()]) for line in ax.lines]
    points += [path.vertices for collection in ax.collections for path in collection.get_paths()]
    return np.concatenate(points)


def test_every_template_whose_plot_draws_its_key_marks_answers_except_fits_counts_and_regimes() -> None:
    unmarked = {Template.from_json(data).quantity.name for where, data in SEED.items() if where not in MARKED}
    assert unmarked == {"shrink-factor", "forward-multiply-adds", "clipped-settles"}
    assert len({Template.from_json(data).quantity.name for data in MARKED.values()}) == 5


@pytest.mark.parametrize("where", sorted(MARKED))
def test_the_mark_of_the_key_lands_on_the_point_the_simulation_draws(where: str) -> None:
    template = Template.from_json(MARKED[where])
    for seed in range(2):
        variant = template.draw(random.Random(seed))  # noqa: S311
        panel, x = variant.marked_at
        figures = plots.make_plots(template.experiment.name, variant.run_params)
        stored = drawn(figures)
        for place in placements(stored, AnswerMark(panel, x, variant.key)):
            ax = figures[place.layout].figure.axes[panel]
            px, py = ax.transData.transform((x, variant.key))
            height = stored.sizes[place.layout][1]
            assert (place.cx, place.cy) == pytest.approx((px, height - py), abs=0.01)
            assert not place.off_scale
            points = drawn_points(ax)
            assert np.any(np.isclose(points[:, 0], x) & np.isclose(points[:, 1], variant.key, rtol=1e-9))
        assert {place.layout for place in placements(stored, AnswerMark(panel, x, variant.key))} == {
            "wide",
            "narrow",
        }


def test_a_wrong_answer_is_marked_at_its_own_height_and_one_off_the_scale_on_the_edge() -> None:
    template = Template.from_json(SEED["quizzes.question 23"])
    variant = template.draw(random.Random(5))  # noqa: S311
    panel, x = variant.marked_at
    stored = drawn(plots.make_plots(template.experiment.name, variant.run_params))
    key, wrong = (
        next(p for p in placements(stored, AnswerMark(panel, x, y)) if p.layout == "wide")
        for y in (variant.key, variant.key * 10)
    )
    assert wrong.cx == key.cx
    assert wrong.cy < key.cy  # ten times the key: higher up, on a log axis
    frame = stored.frames["wide"][panel]
    top = stored.sizes["wide"][1] * (1 - frame["box"][3])
    bottom = stored.sizes["wide"][1] * (1 - frame["box"][1])
    (above,) = [p for p in placements(stored, AnswerMark(panel, x, 1e300)) if p.layout == "wide"]
    (below,) = [p for p in placements(stored, AnswerMark(panel, x, -1.0)) if p.layout == "wide"]
    assert (above.off_scale, above.cy) == ("above", pytest.approx(top))
    assert (below.off_scale, below.cy) == ("below", pytest.approx(bottom))


def test_a_plot_drawn_before_frames_were_kept_or_a_point_off_its_x_range_gets_no_mark() -> None:
    assert placements(SimpleNamespace(frames={}, sizes={}), AnswerMark(0, 10, 0.5)) == []
    template = Template.from_json(SEED["quizzes.question 23"])
    variant = template.draw(random.Random(5))  # noqa: S311
    stored = drawn(plots.make_plots(template.experiment.name, variant.run_params))
    assert placements(stored, AnswerMark(0, 10_000, variant.key)) == []
    assert placements(stored, AnswerMark(7, variant.marked_at[1], variant.key)) == []


@pytest.mark.parametrize("text", ["", "0,20", "a,b,c", "0,20,nan", "-1,20,0.5", "0,inf,0.5"])
def test_a_mark_in_a_url_that_is_not_panel_x_y_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - int() and float() word their errors variously
        AnswerMark.from_query(text)


def test_a_mark_travels_in_a_url_unchanged() -> None:
    mark = AnswerMark(1, 6.0, 0.123456789012)
    assert AnswerMark.from_query(mark.query) == mark
