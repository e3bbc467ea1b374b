"""The innovation cockpit, the pipeline page and the targets page: who opens them, the figures
and their links, the year selector, the .xlsx export, targets set by admins only."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.innovation.models import (
    AnnualReport,
    Certification,
    CertKind,
    CertStatus,
    Patent,
    Target,
)
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
YEAR = TODAY.year
READERS = ("admin", "province", "zone_admin", "leader", "staff")


def cert(enterprise, issued, number, field="electronics"):
    return Certification.objects.create(
        zone=enterprise.zone, enterprise=enterprise, kind=CertKind.HIGHTECH,
        status=CertStatus.CERTIFIED, number=number, field=field, issued_on=issued,
        year=issued.year, expires_on=issued.replace(year=issued.year + 3) - DAY,
    )  # fmt: skip


@pytest.fixture
def zone(world):
    c = cert(world.a1, TODAY - 30 * DAY, f"GR{YEAR}36000001")
    cert(world.a2, TODAY.replace(year=YEAR - 3) + 40 * DAY, "GR202236000002", field="materials")
    cert(world.b1, TODAY - 30 * DAY, f"GR{YEAR}36000003")  # zone B
    Certification.objects.create(
        zone=world.zone_a, enterprise=EnterpriseFactory(zone=world.zone_a), kind=CertKind.HIGHTECH,
        status=CertStatus.CULTIVATING, year=YEAR,
    )  # fmt: skip
    AnnualReport.objects.create(zone=world.zone_a, certification=c, year=YEAR - 1,
                                due_on=TODAY - DAY)  # fmt: skip
    Patent.objects.create(
        zone=world.zone_a, enterprise=world.a1, number="201710601862.3", kind="invention",
        title="一种装置", applied_on=datetime.date(2017, 3, 1), granted_on=TODAY, status="granted",
    )  # fmt: skip
    return world


def page(client, user, name="innovation:cockpit", **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def figure(response, fid) -> str:
    m = re.search(rf'id="{fid}"[^>]*>([^<]*)<', response.content.decode())
    return m.group(1).strip() if m else None


def link_of(response, fid) -> str:
    m = re.search(rf'<a [^>]*href="([^"]*)" id="{fid}"', response.content.decode())
    return m.group(1).replace("&amp;", "&") if m else None


@pytest.mark.parametrize("role", READERS)
def test_readers_open_the_cockpit_and_the_pipeline(zone, client, role):
    assert page(client, zone.users[role]).status_code == 200
    assert page(client, zone.users[role], "innovation:pipeline").status_code == 200


def test_enterprise_users_and_anonymous(zone, client):
    for name in ("innovation:cockpit", "innovation:cockpit_export", "innovation:pipeline",
                 "innovation:targets"):  # fmt: skip
        assert page(client, zone.enterprise, name).status_code == 404
    client.logout()
    response = client.get(reverse("innovation:cockpit"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_figures_and_their_links(zone, client):
    r = page(client, zone.staff)
    assert figure(r, "figure-valid") == "2"
    assert figure(r, "figure-new") == "1"
    assert figure(r, "figure-inventions") == "1"
    assert link_of(r, "figure-new") == f"/innovation/certifications/?kind=hightech&year={YEAR}"
    assert link_of(r, "figure-valid") == "/innovation/certifications/?kind=hightech&valid=1"
    assert link_of(r, "figure-inventions") == f"/innovation/patents/?kind=invention&year={YEAR}"
    assert figure(r, "tier-reserve") == "1"
    assert figure(r, "tier-renewal") == "1"  # a2's certificate runs out within the year
    assert "vendor/echarts/echarts.min.js" in r.content.decode()
    assert 'id="chart-fields"' in r.content.decode()


def test_a_past_year_and_a_bad_one(zone, client):
    r = page(client, zone.staff, year=str(YEAR - 1))
    assert r.status_code == 200 and figure(r, "figure-new") == "0"
    r = page(client, zone.staff, year="abc")
    assert r.status_code == 422
    assert f"年度不正确:应为 2000 至 {YEAR} 之间的年份" in r.content.decode()
    assert page(client, zone.staff, "innovation:cockpit_export", year="1e30").status_code == 422


def test_export(zone, client):
    before = AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).count()
    r = page(client, zone.leader, "innovation:cockpit_export", year=str(YEAR))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["概况", "技术领域", "发明专利", "平台人才上云", "说明"]
    rows = {row[0]: row[1] for row in wb["概况"].iter_rows(values_only=True)}
    assert rows["有效高新技术企业"] == 2 and rows["发明专利授权"] == 1
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).count() == before + 1


def test_pipeline_lists_reminders_and_renewals(zone, client):
    r = page(client, zone.staff, "innovation:pipeline")
    body = r.content.decode()
    assert f"{zone.a1.name} 的 {YEAR - 1} 年度高企年报已过截止日期" in body
    assert f"{zone.a2.name} 的高新技术企业证书 GR202236000002 将于" in body
    assert figure(r, "tier-certified") == "2"
    assert 'id="no-target"' in body
    assert 'id="set-targets"' not in body  # staff do not set targets
    assert (
        'id="set-targets"' in page(client, zone.zone_admin, "innovation:pipeline").content.decode()
    )


FORM = {"year": str(YEAR), "new_hightech": "40", "reserve": "60", "invention_patents": "50",
        "provincial_platforms": "3", "provincial_talents": "12", "cloud_enterprises": "100",
        "population": "90000"}  # fmt: skip


def test_admins_set_targets(zone, client):
    client.force_login(zone.zone_admin)
    r = client.post(reverse("innovation:targets"), FORM)
    assert r.status_code == 302
    target = Target.objects.get(zone=zone.zone_a, year=YEAR)
    assert (target.new_hightech, target.population) == (40, 90000)
    r = client.get(reverse("innovation:targets"), {"year": YEAR})
    assert 'value="40"' in r.content.decode()
    r = page(client, zone.staff, "innovation:pipeline")
    assert "1 / 40" in r.content.decode()  # new high-tech: one of forty


@pytest.mark.parametrize("field, value", [("new_hightech", "-1"), ("reserve", "1e30"),
                                          ("year", "abc"), ("population", "NaN")])  # fmt: skip
def test_bad_targets_write_nothing(zone, client, field, value):
    client.force_login(zone.zone_admin)
    r = client.post(reverse("innovation:targets"), {**FORM, field: value})
    assert r.status_code == 422
    assert not Target.objects.exists()


def test_staff_do_not_set_targets(zone, client):
    client.force_login(zone.staff)
    assert client.post(reverse("innovation:targets"), FORM).status_code == 404
    assert not Target.objects.exists()


def test_the_pages_read_a_bounded_number_of_queries(zone, client, django_assert_max_num_queries):
    client.force_login(zone.staff)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("innovation:cockpit")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("innovation:pipeline")).status_code == 200
