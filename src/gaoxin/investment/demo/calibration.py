"""The main zone's pipeline measured as the cockpit measures it, against DOMAIN.md's published
figures (figures.py)."""

from ..models import Project
from ..services import thresholds_for
from ..summary import Period, headline
from . import figures
from .specs import D


class CalibrationError(RuntimeError):
    """The demo did not come out at the published figures."""


def measured(zone) -> dict:
    """The calibrated figures as the cockpit computes them, with and without the category."""
    thresholds = thresholds_for(zone)
    projects = Project.objects.filter(zone=zone, is_deleted=False)
    out = {}
    for label, qs in (("all", projects), ("industrial", projects.filter(category="industrial"))):
        y2019 = headline(qs, Period(D(2019, 1, 1), D(2019, 12, 31), "2019"), thresholds)
        q1 = headline(qs, Period(D(2020, 1, 1), D(2020, 3, 31), "2020Q1"), thresholds)
        out[label] = {
            "signed_2019": y2019["signed"]["count"],
            "started_2019": y2019["started"]["count"],
            "production_2019": y2019["production"]["count"],
            "signed_2020q1": q1["signed"]["count"],
            "signed_2020q1_investment": q1["signed"]["investment_wan"],
            "class_5020_2020q1": q1["class_5020"],
            "production_2020q1": q1["production"]["count"],
        }
    return out


EXPECTED = {
    "signed_2019": figures.PROJECTS_SIGNED_2019,
    "started_2019": figures.PROJECTS_STARTED_2019,
    "production_2019": figures.PROJECTS_IN_PRODUCTION_2019,
    "signed_2020q1": figures.PROJECTS_SIGNED_2020Q1,
    "signed_2020q1_investment": figures.PROJECTS_SIGNED_2020Q1_INVESTMENT,
    "class_5020_2020q1": figures.PROJECTS_SIGNED_2020Q1_OVER_50YI,
    "production_2020q1": figures.PROJECTS_IN_PRODUCTION_2020Q1,
}


def check_calibration(zone, overdue: int) -> None:
    figures_now = measured(zone)
    for label, values in figures_now.items():
        if values != EXPECTED:
            raise CalibrationError(f"{zone.code} {label}: {values} != {EXPECTED}")
    if overdue != figures.OVERDUE_PROJECTS:
        raise CalibrationError(f"{zone.code}: {overdue} overdue, not {figures.OVERDUE_PROJECTS}")
