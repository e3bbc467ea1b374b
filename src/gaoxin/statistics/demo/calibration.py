"""The main zone's 2019 figures as the engine computes them, against DOMAIN.md's published ones
(figures.py), and the targets the drawn returns are scaled to (drawing.calibrate)."""

from gaoxin.core.periods import Period

from .. import engine
from . import figures


class CalibrationError(RuntimeError):
    """The demo did not come out at the published figures."""


# What engine.figures(main zone, 2019-12) must say: code → (value, yoy %, source).
EXPECTED = {
    "industrial_value_added": (
        figures.INDUSTRIAL_VALUE_ADDED_2019, figures.INDUSTRIAL_VALUE_ADDED_GROWTH_2019, "official",
    ),
    "industrial_tax": (
        figures.INDUSTRIAL_TAX_2019, figures.INDUSTRIAL_TAX_GROWTH_2019, "computed",
    ),
    "industrial_electricity": (
        figures.INDUSTRIAL_ELECTRICITY_2019, figures.INDUSTRIAL_ELECTRICITY_GROWTH_2019, "computed",
    ),
    "rd_spending": (None, figures.RD_SPENDING_GROWTH_2019, "computed"),
    "hightech_share": (figures.HIGH_TECH_VALUE_ADDED_SHARE_2019, None, "official"),
}  # fmt: skip
COMPUTED = ("industrial_tax", "industrial_electricity", "rd_spending")
# code → (2019 total or None, same-set growth %) the generator scales to.
TARGETS = {
    "industrial_tax": (figures.INDUSTRIAL_TAX_2019, figures.INDUSTRIAL_TAX_GROWTH_2019),
    "industrial_electricity": (
        figures.INDUSTRIAL_ELECTRICITY_2019,
        figures.INDUSTRIAL_ELECTRICITY_GROWTH_2019,
    ),
    "rd_spending": (None, figures.RD_SPENDING_GROWTH_2019),
}


def measured(zone) -> dict:
    """The calibrated 2019 figures as the engine computes them: code → (value, yoy %, source)."""
    out = {}
    for figure in engine.figures(zone, Period(2019, 12)):
        if figure.code in EXPECTED:
            value = None if EXPECTED[figure.code][0] is None else figure.value
            out[figure.code] = (value, figure.yoy_pct, figure.source)
    return out


def check_calibration(zone, codes=tuple(EXPECTED)) -> dict:
    """Raise CalibrationError unless the engine's 2019 figures of `codes` are the published ones
    (a value of None in EXPECTED: only the growth is published)."""
    found = measured(zone)
    for code in codes:
        if found.get(code) != EXPECTED[code]:
            raise CalibrationError(
                f"{zone.code} {code} 2019: {found.get(code)} != {EXPECTED[code]}"
            )
    return found
