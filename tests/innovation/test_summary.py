"""The zone's innovation figures for a year (innovation.summary) and GET /summary: exact counts
on a small zone, what "valid" and "new" mean, the zone a reader may ask for, bad years."""

import datetime

import pytest

from gaoxin.innovation import summary
from gaoxin.innovation.models import (
    Certification,
    CertKind,
    CertStatus,
    CloudAdoption,
    Patent,
    Platform,
    Talent,
    Target,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def cert(enterprise, issued, status=CertStatus.CERTIFIED, field="electronics", number=""):
    return Certification.objects.create(
        zone=enterprise.zone, enterprise=enterprise, kind=CertKind.HIGHTECH, status=status,
        number=number, field=field, issued_on=issued, year=issued.year,
        expires_on=issued.replace(year=issued.year + 3) - datetime.timedelta(days=1),
    )  # fmt: skip


def patent(enterprise, number, kind, granted):
    return Patent.objects.create(
        zone=enterprise.zone, enterprise=enterprise, number=number, kind=kind, title="一种装置",
        applied_on=D(2016, 3, 1), granted_on=granted, status="granted",
    )  # fmt: skip


@pytest.fixture
def figures(world):
    a1, a2, b1 = world.a1, world.a2, world.b1
    cert(a1, D(2016, 11, 15), CertStatus.EXPIRED, number="GR201636000001")
    cert(a1, D(2019, 12, 3), number="GR201936000002")  # renewal: new in 2019
    cert(a2, D(2018, 8, 13), CertStatus.REVOKED, number="GR201836000003")  # never counts
    cert(a2, D(2017, 11, 28), CertStatus.EXPIRED, number="GR201736000004")  # valid to 2020-11-27
    cert(b1, D(2019, 9, 16), number="GR201936000005")  # another zone
    Certification.objects.create(
        zone=a2.zone, enterprise=a2, kind=CertKind.HIGHTECH, status=CertStatus.APPLIED,
        applied_on=D(2020, 6, 1), year=2020,
    )  # fmt: skip
    patent(a1, "201710601862.3", "invention", D(2019, 5, 1))
    patent(a1, "201810000001.1", "pct_invention", D(2019, 12, 31))
    patent(a1, "201820000001.8", "utility", D(2019, 6, 1))  # not an invention
    patent(a2, "201610000001.7", "invention", D(2018, 12, 31))  # the year before
    patent(b1, "201710601862.3", "invention", D(2019, 5, 1))
    Platform.objects.create(zone=a1.zone, enterprise=a1, name="省工程中心", kind="key_lab",
                            level="provincial", recognised_on=D(2019, 3, 1))  # fmt: skip
    Platform.objects.create(zone=a1.zone, enterprise=a1, name="国家实验室", kind="key_lab",
                            level="national", recognised_on=D(2019, 12, 31))  # fmt: skip
    Platform.objects.create(zone=a1.zone, enterprise=a2, name="市中心", kind="other",
                            level="municipal", recognised_on=D(2019, 7, 1))  # fmt: skip
    Platform.objects.create(zone=a1.zone, enterprise=a2, name="旧省中心", kind="other",
                            level="provincial", recognised_on=D(2018, 7, 1))  # fmt: skip
    for name, level, year in (
        ("甲", "provincial", 2019),
        ("乙", "national", 2019),
        ("丙", "municipal", 2019),
        ("丁", "provincial", 2018),
    ):
        Talent.objects.create(zone=a1.zone, enterprise=a1, name=name, programme="计划",
                              level=level, year=year)  # fmt: skip
    CloudAdoption.objects.create(zone=a1.zone, enterprise=a1, level="basic",
                                 adopted_on=D(2018, 5, 1))  # fmt: skip
    CloudAdoption.objects.create(zone=a1.zone, enterprise=a1, level="deep",
                                 adopted_on=D(2019, 5, 1))  # fmt: skip
    CloudAdoption.objects.create(zone=a1.zone, enterprise=a2, level="basic",
                                 adopted_on=D(2020, 1, 1))  # fmt: skip
    return world


def test_summary_of_a_past_year(figures):
    assert summary.summary(figures.zone_a, 2019, today=D(2021, 3, 1)) == {
        "hightech": {"valid": 2, "new": 1},
        "platforms": {"new": 3, "new_provincial_plus": 2},
        "patents": {"invention_granted": 2},
        "talents": {"provincial_plus": 2},
        "cloud": {"enterprises": 1},
    }


def test_valid_is_at_the_end_of_the_year_or_today(figures):
    zone = figures.zone_a
    assert summary.summary(zone, 2020, today=D(2021, 3, 1))["hightech"] == {"valid": 1, "new": 0}
    # In the current year: valid today (a2's 2017 certificate still holds on 2020-11-27).
    assert summary.summary(zone, 2020, today=D(2020, 11, 27))["hightech"]["valid"] == 2
    assert summary.summary(zone, 2020, today=D(2020, 11, 28))["hightech"]["valid"] == 1
    assert summary.summary(zone, 2020, today=D(2020, 6, 30))["cloud"] == {"enterprises": 2}


def test_cockpit_figures(figures):
    got = summary.cockpit(figures.zone_a, 2019, today=D(2021, 3, 1))
    assert got["pipeline"] == {"reserve": 0, "applied": 1, "certified": 2, "renewal": 1}
    assert [r["valid"] for r in got["by_field"] if r["field"] == "electronics"] == [2]
    assert got["patents"]["trend"][-2:] == [{"year": 2018, "granted": 1},
                                            {"year": 2019, "granted": 2}]  # fmt: skip
    assert got["patents"]["granted_per_10k"] is None
    Target.objects.create(zone=figures.zone_a, year=2019, population=8000, new_hightech=2)
    got = summary.cockpit(figures.zone_a, 2019, today=D(2021, 3, 1))
    assert got["patents"]["granted_per_10k"] == summary.per_10k(2, 8000) == 2.5
    assert summary.progress(got["target"], got["summary"])[0]["pct"] == 50


@pytest.mark.parametrize("year", ["abc", "1999", "2999", "", "2019.5", "1e30"])
def test_a_bad_year_is_422_with_the_allowed_range(figures, api_as, year):
    response = api_as("staff").get("/innovation/summary", year=year)
    assert response.status_code == 422
    assert "年度不正确:应为 2000 至" in response.content.decode()


def test_the_api_answers_the_zone_of_the_reader(figures, api_as):
    body = api_as("staff").get("/innovation/summary", year="2019").json()
    assert body["patents"] == {"invention_granted": 2}
    body = api_as("province").get("/innovation/summary", year="2019", zone="ZB").json()
    assert body["hightech"] == {"valid": 1, "new": 1}
    assert api_as("province").get("/innovation/summary", year="2019", zone="ZC").status_code == 422


def test_enterprise_users_do_not_read_zone_figures(figures, api_as):
    response = api_as("enterprise").get("/innovation/summary", year="2019")
    assert response.status_code == 403
    assert "无权查看园区科技创新汇总" in response.content.decode()
