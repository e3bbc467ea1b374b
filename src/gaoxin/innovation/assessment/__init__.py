"""The high-tech pre-assessment (高企自评) of an enterprise for an application year, exactly by
DOMAIN.md "High-tech enterprise criteria in detail", and the 科技型中小企业 score.

    assess(enterprise, year, on=None) -> Assessment     each criterion pass / fail / unknown
    evaluate(enterprise, year, on=None)                 both, and the entered inputs, at once
    tech_sme(enterprise, year, on=None) -> TechSme       the 科技型中小企业 evaluation

`scoring` holds the rules as pure functions, `figures` gathers the numbers (a handful of
queries), `techsme` the SME score. Callers check access first (the views and the API do).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import scoring
from .figures import Figures, gather
from .scoring import ENTERED, FAIL, PASS, RETURNS, UNKNOWN, Criterion, Figure, Part
from .techsme import TechSme, tech_sme

__all__ = [
    "FAIL", "PASS", "UNKNOWN", "Assessment", "TechSme", "assess", "evaluate", "judge", "tech_sme",
]  # fmt: skip


@dataclass
class Assessment:
    enterprise_id: int
    year: int
    applying_on: datetime.date
    status: str
    criteria: list[Criterion]
    parts: list[Part]

    @property
    def score_low(self) -> int:
        return sum(p.low for p in self.parts)

    @property
    def score_high(self) -> int:
        return sum(p.high for p in self.parts)

    def criterion(self, key) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def part(self, key) -> Part:
        return next(p for p in self.parts if p.key == key)

    def as_dict(self) -> dict:
        return {
            "enterprise_id": self.enterprise_id,
            "year": self.year,
            "applying_on": self.applying_on.isoformat(),
            "status": self.status,
            "score": {"low": self.score_low, "high": self.score_high},
            "criteria": [c.as_dict() for c in self.criteria],
            "parts": [p.as_dict() for p in self.parts],
        }


def who_entered(figures: Figures) -> str:
    entered = figures.entered
    if entered is None:
        return ""
    return _("%(name)s 填报(%(year)s 年度)") % {
        "name": entered.entered_by_name or _("未署名"), "year": entered.year}  # fmt: skip


def entered(figures: Figures, name):
    return getattr(figures.entered, name, None) if figures.entered is not None else None


def latest_revenue_figure(figures: Figures) -> Figure | None:
    last = figures.year - 1
    value = figures.december(last, "revenue")
    if value is None:
        return None
    return Figure(_("营业收入(万元)"), value, RETURNS, f"{last}年12月")


def staff_figure(figures: Figures, who: str) -> tuple[int | None, Figure]:
    staff = entered(figures, "staff")
    if staff is not None:
        return staff, Figure(_("职工总数"), staff, ENTERED, who)
    last = figures.year - 1
    value = figures.december(last, "employees")
    count = None if value is None else int(value)
    return count, Figure(_("职工总数(月报从业人员期末人数)"), count, RETURNS, f"{last}年12月")


def total_income_figure(figures: Figures, who: str) -> Figure:
    total = entered(figures, "total_income")
    if total is not None:
        return Figure(_("总收入(万元)"), total, ENTERED, who)
    revenue = latest_revenue_figure(figures)
    if revenue is None:
        return Figure(_("总收入(万元)"), None, ENTERED, _("未填写"))
    revenue.label = _("总收入(未填,以月报营业收入代替,万元)")
    return revenue


def parts_of(figures: Figures, who: str) -> list[Part]:
    e = lambda name: entered(figures, name)  # noqa: E731
    ip = scoring.ip_part(
        advancement=e("ip_advancement"), support=e("ip_support"), class_one=figures.class_one,
        class_two=figures.class_two, own_rd=e("ip_own_rd"), standard=e("leads_standard"), who=who,
    )  # fmt: skip
    conversion = scoring.conversion_part(
        [e("conversions_1"), e("conversions_2"), e("conversions_3")], who
    )
    management = scoring.management_part(
        accounting=e("rd_accounting"), institution=e("rd_institution"),
        platform=e("conversion_platform"), training=e("talent_training"), who=who,
    )  # fmt: skip
    years = list(range(figures.year - 3, figures.year))
    young = figures.established_on is not None and figures.established_on.year > years[0]
    assets = [e(f"net_assets_{i}") for i in (1, 2, 3)]
    asset_figures = [
        Figure(_("%(y)s年末净资产(万元)") % {"y": y}, v, ENTERED, who)
        for y, v in zip(years, assets, strict=True)
    ]
    net = scoring.growth_item(
        "net_assets", _("净资产增长率"), assets, asset_figures,
        missing=not young and any(v is None for v in assets),
    )  # fmt: skip
    sales_values = [figures.december(y, "revenue") for y in years]
    sales_figures = [
        Figure(_("%(y)s年销售收入(万元)") % {"y": y}, v, RETURNS, f"{y}年12月")
        for y, v in zip(years, sales_values, strict=True)
    ]
    sales = scoring.growth_item(
        "sales", _("销售收入增长率"), sales_values, sales_figures, missing=False
    )
    return [ip, conversion, management, scoring.growth_part(net, sales)]


def judge(figures: Figures) -> Assessment:
    """The assessment from gathered figures (no queries)."""
    who = who_entered(figures)
    e = lambda name: entered(figures, name)  # noqa: E731
    rd_years = [
        (y, figures.december(y, "revenue"), figures.december(y, "rd_spending"))
        for y in figures.accounting_years
    ]
    rd_years = [row for row in rd_years if row[1] is not None and row[2] is not None]
    staff, staff_fig = staff_figure(figures, who)
    parts = parts_of(figures, who)
    criteria = [
        scoring.registered(figures.established_on, figures.applying_on),
        scoring.core_ip(e("core_ip"), figures.class_one + figures.class_two, who),
        scoring.tech_field(figures.field, figures.field_label, figures.field_where),
        scoring.st_staff(e("st_staff"), staff, who, staff_fig),
        scoring.rd_ratio(rd_years),
        scoring.rd_in_china(e("rd_in_china_share"), who),
        scoring.hightech_share(e("hightech_income"), total_income_figure(figures, who), who),
        scoring.innovation(parts),
        scoring.no_incident(e("no_major_incident"), who),
    ]
    return Assessment(
        enterprise_id=0, year=figures.year, applying_on=figures.applying_on,
        status=scoring.overall(criteria), criteria=criteria, parts=parts,
    )  # fmt: skip


def assess(enterprise, year: int, on: datetime.date | None = None) -> Assessment:
    """The pre-assessment of `enterprise` applying in `year` (judged at `on`, default today)."""
    result = judge(gather(enterprise, year, on))
    result.enterprise_id = enterprise.pk
    return result


def evaluate(enterprise, year: int, on: datetime.date | None = None):
    """(Assessment, TechSme, the entered AssessmentInput or None) from one gathering of the
    figures: what the page and the API show."""
    figures = gather(enterprise, year, on)
    result = judge(figures)
    result.enterprise_id = enterprise.pk
    return result, tech_sme(enterprise, year, on, figures=figures), figures.entered
