"""A learner's scores over time as a small inline SVG: no JavaScript, no image request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .models import Attempt

WIDTH, HEIGHT, PAD = 340, 130, 34


@dataclass(frozen=True)
class ScoreChart:
    points: list[tuple[float, float, int]]  # x, y, score in percent
    pass_y: float
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def left(self) -> int:
        return self.pad

    @property
    def right(self) -> int:
        return self.width - self.pad

    @property
    def top(self) -> int:
        return self.pad

    @property
    def bottom(self) -> int:
        return self.height - self.pad

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)

    @property
    def summary(self) -> str:
        scores = [score for _, _, score in self.points]
        if not scores:
            return "No finished attempts yet."
        return (
            f"{len(scores)} finished attempt{'s' if len(scores) != 1 else ''}: "
            f"first {scores[0]}%, latest {scores[-1]}%, best {max(scores)}%."
        )


def score_chart(attempts: Sequence[Attempt], *, pass_mark: int) -> ScoreChart:
    """Place finished attempts, oldest first, evenly along x with their score in percent on y."""
    scores = [attempt.score_percent for attempt in attempts if attempt.is_finished and not attempt.abandoned]
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y_of(percent: float) -> float:
        return PAD + inner_h * (1 - percent / 100)

    step = inner_w / (len(scores) - 1) if len(scores) > 1 else 0
    x0 = PAD if len(scores) > 1 else WIDTH / 2
    points = [(x0 + i * step, y_of(score), score) for i, score in enumerate(scores)]
    return ScoreChart(points=points, pass_y=y_of(pass_mark))
