"""Innovation figures on top of the world (tests/support/world.py): a year's accepted December
return through the statistics services, a valid high-tech certificate, the entered assessment
inputs. Helpers only (no fixtures): tests import them."""

import datetime
from decimal import Decimal

from gaoxin.innovation.models import AssessmentInput, Certification, CertKind, CertStatus
from tests.support.returns import GOOD, accepted

D = datetime.date
ISSUED = D(2018, 11, 1)


def year_returns(world, enterprise, years: dict) -> None:
    """Accepted December returns: {year: (revenue, rd_spending, employees)}, through the
    statistics services (draft, submit, explain, accept) as officers leave them."""
    for year, (revenue, rd, employees) in sorted(years.items()):
        data = {**GOOD, "revenue": str(revenue), "rd_spending": str(rd),
                "employees": str(employees)}  # fmt: skip
        accepted(world, enterprise, f"{year}-12", data)


def certify(enterprise, *, issued_on=ISSUED, field="electronics", number="GR201836000123"):
    """A certified high-tech certificate, valid three years from `issued_on`."""
    return Certification.objects.create(
        zone=enterprise.zone, enterprise=enterprise, kind=CertKind.HIGHTECH,
        status=CertStatus.CERTIFIED, number=number, field=field, issued_on=issued_on,
        expires_on=issued_on.replace(year=issued_on.year + 3) - datetime.timedelta(days=1),
        year=issued_on.year,
    )  # fmt: skip


FULL_INPUT = {
    "st_staff": 20,
    "total_income": Decimal("1000"),
    "hightech_income": Decimal("800"),
    "rd_in_china_share": Decimal("100"),
    "core_ip": True,
    "no_major_incident": True,
    "conversions_1": 5,
    "conversions_2": 5,
    "conversions_3": 5,
    "ip_advancement": 8,
    "ip_support": 8,
    "ip_own_rd": True,
    "leads_standard": False,
    "rd_accounting": 6,
    "rd_institution": 6,
    "conversion_platform": 4,
    "talent_training": 4,
}


def entered(enterprise, year, **fields) -> AssessmentInput:
    """The entered inputs of `enterprise` for application `year` (written straight: the
    service has its own tests)."""
    return AssessmentInput.objects.create(
        zone=enterprise.zone, enterprise=enterprise, year=year, entered_by_name="王五", **fields
    )
