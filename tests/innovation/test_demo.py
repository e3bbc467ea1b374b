"""The demo's innovation records: on the real demo's main zone (GJ) the 2019 figures are
DOMAIN.md's (33 / 3 / 38 / 14, more than 70 on the cloud), the certificates valid on the
registry's as-of day are exactly the registry's high-tech enterprises, patent numbers carry valid
check characters, and the planted cases (at risk, expiring, a report missing) are there."""

import datetime
import re

import pytest
from django.db.models import Q
from django.test import Client

from gaoxin.core.models import User, Zone
from gaoxin.enterprises.models import Enterprise
from gaoxin.innovation import reminders, summary
from gaoxin.innovation.codes import normalize_patent_number
from gaoxin.innovation.models import (
    AnnualReport,
    AssessmentInput,
    Certification,
    CertKind,
    CertStatus,
    Patent,
)
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2020, 6, 30)


@pytest.fixture
def zone(demo):
    return Zone.objects.get(code="GJ")


def valid_on(zone, day):
    return Certification.objects.filter(
        zone=zone, kind=CertKind.HIGHTECH, issued_on__lte=day, expires_on__gte=day,
        status__in=(CertStatus.CERTIFIED, CertStatus.EXPIRED),
    )  # fmt: skip


def test_the_step_reports_the_published_figures(demo, zone):
    main = demo.summaries["innovation"].zones[0]
    assert main.zone == zone
    assert main.figures_2019 == {
        "new": 33, "platforms": 3, "inventions": 38, "talents": 14, "cloud": 76,
    }  # fmt: skip
    assert "2019 年新认定高企 33 家" in demo.summaries["innovation"].lines()[0]


@pytest.mark.parametrize("code", ["GJ", "LH", "XJ"])
def test_valid_certificates_are_the_registry_high_tech_enterprises(demo, code):
    zone = Zone.objects.get(code=code)
    flagged = set(Enterprise.objects.filter(zone=zone, high_tech=True).values_list("pk", flat=True))
    holders = list(valid_on(zone, AS_OF).values_list("enterprise", flat=True))
    assert len(holders) == len(set(holders))  # one valid certificate each
    assert set(holders) == flagged
    assert len(flagged) == {"GJ": 112, "LH": 14, "XJ": 12}[code]


def test_certificate_numbers_are_jiangxi_ones(zone):
    numbers = valid_on(zone, AS_OF).values_list("number", "issued_on")
    for number, issued in numbers:
        assert number.startswith(f"GR{issued.year}36") and len(number) == 13
    assert {issued.year for _n, issued in numbers} == {2017, 2018, 2019}


def test_others_hold_none_valid_but_lapsed_revoked_and_pipeline(zone):
    others = Certification.objects.filter(zone=zone, kind=CertKind.HIGHTECH).exclude(
        enterprise__high_tech=True
    )
    assert not others.filter(issued_on__lte=AS_OF, expires_on__gte=AS_OF).exists()
    by_status = {s: others.filter(status=s).count() for s in CertStatus}
    assert by_status == {"cultivating": 45, "applied": 18, "certified": 0, "expired": 16,
                         "revoked": 2}  # fmt: skip


def test_patent_numbers_carry_valid_check_characters(zone):
    numbers = list(Patent.objects.filter(zone=zone).values_list("number", flat=True))
    assert len(numbers) > 500
    assert all(normalize_patent_number(n) == n for n in numbers)


def test_planted_cases(demo, zone):
    main = demo.summaries["innovation"].zones[0]
    assert len(main.at_risk) == 5
    shares = [
        i.hightech_income / i.total_income
        for i in AssessmentInput.objects.filter(enterprise__in=main.at_risk, year=2026)
    ]
    assert len(shares) == 5 and all(s < 0.65 for s in shares)
    assert AssessmentInput.objects.filter(zone=zone).first().entered_by == User.objects.get(
        username="keji"
    )
    # Expiring within six months of the as-of day, its renewal applied for only in July.
    late = Certification.objects.filter(enterprise=main.late_applicant).order_by("issued_on")
    first = late.filter(issued_on__year=2017).get()
    assert AS_OF < first.expires_on <= D(2020, 12, 31)
    assert late.filter(issued_on__year=2020).get().applied_on == D(2020, 7, 15)
    # The lapsing one: its last certificate runs out at the end of 2026, no renewal asked for.
    last = Certification.objects.filter(enterprise=main.expiring, kind=CertKind.HIGHTECH)
    last = last.order_by("-issued_on").first()
    assert last.status == CertStatus.CERTIFIED and last.expires_on == D(2026, 12, 27)
    missing = AnnualReport.objects.filter(zone=zone, filed_on__isnull=True)
    assert sorted(missing.values_list("year", "due_on")) == [
        (2019, D(2020, 5, 31)), (2025, D(2026, 5, 31)),
    ]  # fmt: skip
    assert (
        not AnnualReport.objects.filter(zone=zone).filter(Q(filed_on__gt=D(2026, 5, 31))).exists()
    )


def test_the_2019_summary_gives_the_published_figures(zone):
    got = summary.summary(zone, 2019)
    assert got["hightech"]["new"] == 33
    assert got["platforms"]["new_provincial_plus"] == 3
    assert got["patents"] == {"invention_granted": 38}
    assert got["talents"] == {"provincial_plus": 14}
    assert got["cloud"]["enterprises"] > 70
    # Valid on the registry's as-of day: exactly its high-tech enterprises.
    assert (
        summary.valid_on(zone, AS_OF).count()
        == Enterprise.objects.filter(zone=zone, high_tech=True).count()
    )


def test_the_api_answers_the_same(zone):
    api = Api(Client(), bearer(User.objects.get(username="leader")))
    body = api.get("/innovation/summary", year="2019").json()
    assert body == summary.summary(zone, 2019)


def test_the_planted_enterprises_are_at_risk_today(demo, zone):
    main = demo.summaries["innovation"].zones[0]
    found = {r.enterprise.pk: r for r in reminders.at_risk(zone, datetime.date.today())}
    assert set(main.at_risk) <= set(found)
    shares = [r for pk in main.at_risk for r in found[pk].risks if r.kind == "hightech_share"]
    assert sum(r.below for r in shares) == 2 and len(shares) == 5  # 57.8%, 59.4% under 60%


def test_the_cockpit_of_2019(zone, client):
    client.force_login(User.objects.get(username="leader"))
    response = client.get("/innovation/", {"year": "2019"})
    assert response.status_code == 200
    html = response.content.decode()
    for fid, value in (("figure-new", "33"), ("figure-inventions", "38"),
                       ("figure-platforms", "3"), ("figure-talents", "14")):  # fmt: skip
        assert re.search(rf'id="{fid}"[^>]*>{value}<', html), fid
    # The high-tech share is the statistics bureau's official 2019 figure (DOMAIN.md: 24.2%).
    share = re.search(r'id="figure-hightech-share">([^<]*)<', html).group(1)
    assert share == "24.2%"
    assert client.get("/innovation/pipeline/").status_code == 200
    assert client.get("/innovation/cockpit/export/", {"year": "2019"}).status_code == 200


def test_the_derived_flag_holds_at_the_story_end(zone):
    """The registry's flag, as the daily job derives it, is unchanged at the story's end: every
    high-tech enterprise renewed its certificate (services.flags.valid_on)."""
    from gaoxin.innovation.demo.figures import STORY_END
    from gaoxin.innovation.services.flags import valid_on as certified_on

    holders = set(
        Certification.objects.filter(certified_on(STORY_END), zone=zone).values_list(
            "enterprise", flat=True
        )
    )
    flagged = set(Enterprise.objects.filter(zone=zone, high_tech=True).values_list("pk", flat=True))
    assert holders == flagged
