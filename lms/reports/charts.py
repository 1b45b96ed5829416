"""The burn-up chart as plain geometry, drawn by the page (SVG) and by the PDF (reportlab) alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.core.pdf import vn_numeric_date
from lms.targets.queries import Burnup

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 40, 12, 36
Y_TICKS = 4


@dataclass(frozen=True)
class Chart:
    """Coordinates in a ``width`` × ``height`` box, y growing downwards (as in SVG)."""

    width: int
    height: int
    actual: list[tuple[float, float]]  # cumulative completions at each week's end
    needed: tuple[float, float, float, float]  # x1, y1, x2, y2: start → (deadline, needed)
    today_x: float | None
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    plot: tuple[float, float, float, float]  # left, top, right, bottom

    @property
    def actual_points(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.actual)


def _scale(low: float, high: float, out_low: float, out_high: float):
    span = (high - low) or 1
    return lambda value: out_low + (value - low) * (out_high - out_low) / span


def _y_top(burnup: Burnup) -> int:
    """The top of the y axis: a round step (1, 2 or 5 × 10ⁿ) times the number of ticks."""
    top = max(burnup.needed, burnup.completed, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * Y_TICKS >= top:
                return factor * magnitude * Y_TICKS
        magnitude *= 10


def burnup_chart(burnup: Burnup, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Lay out ``burnup``: x from the start to the deadline (or today, if later), y from 0 up."""
    last = max(burnup.deadline, min(burnup.today, burnup.weeks[-1][0]) if burnup.weeks else burnup.deadline)
    left, top, right, bottom = LEFT, TOP, width - RIGHT, height - BOTTOM
    x = _scale(burnup.start.toordinal(), last.toordinal(), left, right)
    y_top = _y_top(burnup)
    y = _scale(0, y_top, bottom, top)
    actual = [(x(burnup.start.toordinal()), y(0))] + [(x(day.toordinal()), y(count)) for day, count in burnup.weeks]
    needed = (x(burnup.start.toordinal()), y(0), x(burnup.deadline.toordinal()), y(burnup.needed))
    today_x = x(burnup.today.toordinal()) if burnup.start <= burnup.today <= last else None
    y_ticks = [(y(value), str(value)) for value in range(0, y_top + 1, y_top // Y_TICKS)]
    return Chart(width, height, actual, needed, today_x, _x_ticks(burnup.start, last, x), y_ticks,
                 (left, top, right, bottom))


def _x_ticks(start: date, last: date, x) -> list[tuple[float, str]]:
    """Five dates spread from the start to the end."""
    span = last.toordinal() - start.toordinal()
    days = sorted({start.toordinal() + round(span * i / 4) for i in range(5)})
    return [(x(day), vn_numeric_date(date.fromordinal(day))) for day in days]
