"""The 科技型中小企业 evaluation (DOMAIN.md): staff ≤ 500, revenue ≤ 2亿, assets ≤ 2亿, and a score
≥ 60 with the staff part not 0 — staff share (20), R&D (50, the better of R&D ÷ sales and R&D ÷
costs), IP (30). A valid high-tech certificate or a provincial+ R&D platform qualifies without
scoring. `score_tech_sme` is pure; `tech_sme` gathers the figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Certification, CertKind, CertStatus, Platform
from ..models.choices import PROVINCIAL_PLUS
from .scoring import FAIL, PASS, UNKNOWN, percent

STAFF_MAX = 500
MONEY_MAX = Decimal(20000)  # 2亿 in 万元
SME_PASS = 60
STAFF_BANDS = ((30, 20), (25, 16), (20, 12), (15, 8), (10, 4))  # % → points
RD_SALES_BANDS = ((6, 50), (5, 40), (4, 30), (3, 20), (2, 10))
RD_COSTS_BANDS = ((30, 50), (25, 40), (20, 30), (15, 20), (10, 10))


def banded(value: Decimal | None, bands) -> int | None:
    if value is None:
        return None
    for least, points in bands:
        if value >= least:
            return points
    return 0


def ip_points(class_one: int, class_two: int) -> int:
    if class_one >= 1:
        return 30
    return {0: 0, 1: 6, 2: 12, 3: 18}.get(class_two, 24)


@dataclass
class TechSme:
    status: str  # PASS / FAIL / UNKNOWN
    direct: bool  # qualifies without scoring
    score: int | None
    parts: dict = field(default_factory=dict)  # staff / rd / ip → points (None: unknown)
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"status": self.status, "direct": self.direct, "score": self.score,
                "parts": self.parts, "reasons": self.reasons}  # fmt: skip


def score_tech_sme(
    *, staff, st_staff, revenue, rd, costs=None, assets=None, class_one=0, class_two=0,
    direct=False,
) -> TechSme:  # fmt: skip
    reasons = []
    for value, most, message in (
        (staff, STAFF_MAX, _("职工总数超过 500 人")),
        (revenue, MONEY_MAX, _("年销售收入超过 2 亿元")),
        (assets, MONEY_MAX, _("资产总额超过 2 亿元")),
    ):
        if value is not None and value > most:
            reasons.append(message)
    staff_points = banded(percent(st_staff, staff), STAFF_BANDS)
    by_sales = banded(percent(rd, revenue), RD_SALES_BANDS)
    by_costs = banded(percent(rd, costs), RD_COSTS_BANDS)
    known = [p for p in (by_sales, by_costs) if p is not None]
    rd_points = max(known) if known else None
    parts = {"staff": staff_points, "rd": rd_points, "ip": ip_points(class_one, class_two)}
    score = None if None in parts.values() else sum(parts.values())
    if reasons:
        return TechSme(FAIL, direct, score, parts, reasons)
    unknown_sizes = [
        label for value, label in ((staff, _("职工总数")), (revenue, _("年销售收入")),
                                   (assets, _("资产总额"))) if value is None
    ]  # fmt: skip
    if unknown_sizes:
        reasons.append(_("未掌握:%(names)s") % {"names": "、".join(unknown_sizes)})
    if direct:
        return TechSme(UNKNOWN if unknown_sizes else PASS, True, score, parts, reasons)
    if staff_points == 0:
        return TechSme(FAIL, False, score, parts, [_("科技人员指标得分为 0")])
    # the least and the most the parts can still give: an unknown part 0 … its maximum
    rd_most = 50 if by_costs is None else rd_points
    least = (staff_points or 0) + (rd_points or 0) + parts["ip"]
    most = (20 if staff_points is None else staff_points) + rd_most + parts["ip"]
    if most < SME_PASS:
        return TechSme(FAIL, False, score, parts, [_("综合评价得分低于 60 分")])
    if least >= SME_PASS and not unknown_sizes:
        return TechSme(PASS, False, score, parts, reasons)
    return TechSme(UNKNOWN, False, score, parts, reasons)


def tech_sme(enterprise, year: int, on: datetime.date | None = None, figures=None) -> TechSme:
    """The evaluation for `year` from the same figures as the pre-assessment (the latest
    accounting year's returns, the IP ledger, the entered staff); costs and assets are not kept,
    so R&D is judged on sales and the size on staff and revenue. `figures`: those of the
    pre-assessment already gathered (two more queries then)."""
    from .figures import gather

    figures = figures or gather(enterprise, year, on)
    last = year - 1
    entered = figures.entered
    staff = entered.staff if entered and entered.staff is not None else None
    if staff is None and figures.december(last, "employees") is not None:
        staff = int(figures.december(last, "employees"))
    direct = (
        Certification.objects.filter(
            enterprise_id=enterprise.pk, kind=CertKind.HIGHTECH, status=CertStatus.CERTIFIED
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=figures.applying_on))
        .exists()
        or Platform.objects.filter(
            enterprise_id=enterprise.pk, level__in=PROVINCIAL_PLUS,
            recognised_on__lte=figures.applying_on,
        ).exists()
    )  # fmt: skip
    return score_tech_sme(
        staff=staff, st_staff=entered.st_staff if entered else None,
        revenue=figures.december(last, "revenue"), rd=figures.december(last, "rd_spending"),
        class_one=figures.class_one, class_two=figures.class_two, direct=direct,
    )  # fmt: skip
