"""The figures of one enterprise's pre-assessment, in a handful of queries: the accepted returns'
December values of the three accounting years, the IP ledger's counts, the latest high-tech
certification's field and the entered inputs (models.AssessmentInput)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from gaoxin.core.clock import today
from gaoxin.statistics.models import ReturnValue

from ..models import (
    AssessmentInput,
    Certification,
    CertKind,
    Patent,
    PatentStatus,
    SoftwareCopyright,
)
from ..models.choices import CLASS_ONE_PATENTS

CODES = ("revenue", "rd_spending", "employees")


@dataclass
class Figures:
    year: int  # the application year
    applying_on: datetime.date
    established_on: datetime.date | None
    # accounting year → {code: December value}
    annual: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    class_one: int = 0
    class_two: int = 0
    field: str = ""
    field_label: str = ""
    field_where: str = ""
    entered: AssessmentInput | None = None

    @property
    def accounting_years(self) -> list[int]:
        """Y-3..Y-1, without the years before the enterprise was registered."""
        first = self.year - 3
        if self.established_on is not None:
            first = max(first, self.established_on.year)
        return list(range(first, self.year))

    def december(self, year: int, code: str) -> Decimal | None:
        return self.annual.get(year, {}).get(code)


def applying_date(year: int, on: datetime.date | None = None) -> datetime.date:
    """The date an application for `year` is judged at: `on` (today) within that year, else the
    year's last day for a past year and its first for a future one."""
    on = on or today()
    if on.year == year:
        return on
    return datetime.date(year, 12, 31) if on.year > year else datetime.date(year, 1, 1)


def annual_values(enterprise_ids, years) -> dict[int, dict[int, dict[str, Decimal]]]:
    """enterprise id → accounting year → {code: December value} from the accepted returns
    (cumulative, so December is the year). One query."""
    periods = [y * 100 + 12 for y in years]
    rows = ReturnValue.objects.filter(
        enterprise_id__in=list(enterprise_ids), period__in=periods, indicator__code__in=CODES
    ).values_list("enterprise_id", "period", "indicator__code", "value")
    out: dict[int, dict[int, dict[str, Decimal]]] = {}
    for enterprise_id, period, code, value in rows:
        out.setdefault(enterprise_id, {}).setdefault(period // 100, {})[code] = value
    return out


def gather(enterprise, year: int, on: datetime.date | None = None) -> Figures:
    """Everything the assessment of `enterprise` for application year `year` reads (5 queries)."""
    applying_on = applying_date(year, on)
    figures = Figures(year, applying_on, enterprise.established_on)
    figures.annual = annual_values([enterprise.pk], range(year - 3, year)).get(enterprise.pk, {})
    granted = Q(status=PatentStatus.GRANTED) & (
        Q(granted_on__isnull=True) | Q(granted_on__lte=applying_on)
    )
    counts = Patent.objects.filter(granted, enterprise_id=enterprise.pk).aggregate(
        one=Count("pk", filter=Q(kind__in=CLASS_ONE_PATENTS)),
        two=Count("pk", filter=~Q(kind__in=CLASS_ONE_PATENTS)),
    )
    copyrights = SoftwareCopyright.objects.filter(
        enterprise_id=enterprise.pk, registered_on__lte=applying_on
    ).count()
    figures.class_one, figures.class_two = counts["one"], counts["two"] + copyrights
    cert = (
        Certification.objects.filter(enterprise_id=enterprise.pk, kind=CertKind.HIGHTECH)
        .exclude(field="")
        .order_by("-issued_on", "-id")
        .first()
    )
    if cert is not None:
        figures.field, figures.field_label = cert.field, cert.get_field_display()
        figures.field_where = " ".join(x for x in (str(cert.get_kind_display()), cert.number) if x)
    figures.entered = AssessmentInput.objects.filter(enterprise_id=enterprise.pk, year=year).first()
    return figures
