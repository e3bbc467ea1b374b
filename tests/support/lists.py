"""Rows for every list of a zone, added in bulk: what tests/test_list_queries.py pages through
with a few rows and with more (the same rows bench/lists.py builds at 100,000)."""

import datetime
from decimal import Decimal

from gaoxin.enterprises.models import Enterprise
from gaoxin.innovation.models import Certification
from gaoxin.investment.models import Project
from gaoxin.matters.models import Award, Matter
from gaoxin.statistics.models import Finding, Return
from gaoxin.utilities.models import Account, Tariff, UtilityCompany
from tests.factories import uscc_for

PERIOD = 202503
DAY0 = datetime.date(2024, 1, 1)

# name: (API path, page path) of every list these rows fill
LISTS = {
    "enterprises": ("/api/v1/enterprises", "/enterprises/"),
    "projects": ("/api/v1/investment/projects", "/investment/projects/"),
    "matters": ("/api/v1/matters", "/matters/list/"),
    "returns": (
        f"/api/v1/statistics/returns?period={PERIOD}",
        f"/statistics/returns/?period={PERIOD // 100}-{PERIOD % 100:02d}",
    ),
    "findings": ("/api/v1/statistics/findings", "/statistics/findings/"),
    "certifications": ("/api/v1/innovation/certifications", "/innovation/certifications/"),
    "utility accounts": ("/api/v1/utilities/accounts", "/utilities/"),
    "awards": ("/api/v1/assistance/awards", "/matters/assistance/awards/"),
}


def add_rows(zone, start: int, n: int) -> None:
    """Rows start … start+n-1 of every list in `zone` (one enterprise each)."""
    numbers = range(start, start + n)

    def day(k):
        return DAY0 + datetime.timedelta(days=k % 300)

    ents = Enterprise.objects.bulk_create(
        Enterprise(zone=zone, name=f"列表{k:05d}科技有限公司", uscc=uscc_for(20_000_000 + k),
                   industry_id="3974")
        for k in numbers
    )  # fmt: skip
    Project.objects.bulk_create(
        Project(zone=zone, name=f"项目{k:05d}", investor_name="投资方", stage="lead",
                planned_investment=Decimal(1000 + k), stage_on=day(k))
        for k in numbers
    )  # fmt: skip
    Matter.objects.bulk_create(
        Matter(zone=zone, number=f"L{k:06d}", kind="help", title=f"诉求{k}", due_on=day(k + 30),
               enterprise=e)
        for k, e in zip(numbers, ents, strict=True)
    )  # fmt: skip
    rets = Return.objects.bulk_create(
        Return(zone=zone, enterprise=e, period=PERIOD, status="submitted") for e in ents
    )
    Finding.objects.bulk_create(
        Finding(zone=zone, ret=r, enterprise_id=r.enterprise_id, period=PERIOD, rule_code="R1",
                kind="swing_month", severity=("error", "warning")[k % 2], message="环比波动过大")
        for k, r in zip(numbers, rets, strict=True)
    )  # fmt: skip
    Certification.objects.bulk_create(
        Certification(zone=zone, enterprise=e, kind="hightech", status="certified",
                      issued_on=day(k), number=f"GR{k:06d}")
        for k, e in zip(numbers, ents, strict=True)
    )  # fmt: skip
    company, _new = UtilityCompany.objects.get_or_create(
        zone=zone, name="国网供电", kind="electricity"
    )
    tariff, _new = Tariff.objects.get_or_create(
        zone=zone, name="一般工商业", kind="electricity", structure="single"
    )
    Account.objects.bulk_create(
        Account(zone=zone, enterprise=e, kind="electricity", meter_no=f"36{k:010d}",
                company=company, tariff=tariff, opened_on=day(k), level=k % 4,
                days_left=None if k % 7 == 0 else k % 90)
        for k, e in zip(numbers, ents, strict=True)
    )  # fmt: skip
    Award.objects.bulk_create(
        Award(zone=zone, enterprise=e, policy="稳岗补贴", amount=Decimal(5 + k % 50),
              paid_on=day(k))
        for k, e in zip(numbers, ents, strict=True)
    )  # fmt: skip
