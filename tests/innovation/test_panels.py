"""Innovation on the enterprise page (its records, a link to its pre-assessment) and the home
cards: the 科技创新局 officer's reminders, the leader's key figures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.models import Role
from gaoxin.innovation.models import (
    AssessmentInput,
    Certification,
    CertKind,
    CertStatus,
    CloudAdoption,
    Patent,
    Platform,
)
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def records(world):
    issued = TODAY - 100 * DAY
    Certification.objects.create(
        zone=world.zone_a, enterprise=world.a1, kind=CertKind.HIGHTECH,
        status=CertStatus.CERTIFIED, number="GR202636000011", field="electronics",
        issued_on=issued, expires_on=issued.replace(year=issued.year + 3) - DAY, year=issued.year,
    )  # fmt: skip
    Patent.objects.create(
        zone=world.zone_a, enterprise=world.a1, number="201710601862.3", kind="invention",
        title="一种装置", applied_on=datetime.date(2017, 3, 1), granted_on=TODAY - DAY,
        status="granted",
    )  # fmt: skip
    Platform.objects.create(zone=world.zone_a, enterprise=world.a1, name="江西省光电工程中心",
                            kind="engineering_center", level="provincial",
                            recognised_on=datetime.date(2020, 5, 1))  # fmt: skip
    CloudAdoption.objects.create(zone=world.zone_a, enterprise=world.a1, level="basic",
                                 adopted_on=datetime.date(2020, 5, 1), provider="华为云")  # fmt: skip
    AssessmentInput.objects.create(
        zone=world.zone_a, enterprise=world.a1, year=TODAY.year,
        total_income=Decimal("1000"), hightech_income=Decimal("580"),
    )  # fmt: skip
    return world


def body(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_enterprise_page_shows_its_innovation(records, client):
    url = reverse("enterprises:detail", args=[records.a1.pk])
    for user in (records.staff, records.enterprise):
        html = body(client, user, url)
        assert 'id="panel-innovation"' in html
        assert "GR202636000011" in html and "有效期至" in html
        assert "发明 1" in html
        assert "江西省光电工程中心" in html and "华为云" in html
        assert f'href="/innovation/assessment/{records.a1.pk}/"' in html


def test_an_enterprise_without_records_says_so(records, client):
    html = body(client, records.staff, reverse("enterprises:detail", args=[records.a2.pk]))
    assert 'id="panel-innovation-empty"' in html


def test_the_officer_card_lists_the_risks(records, client):
    department = DepartmentFactory(zone=records.zone_a, name="科技创新局")
    keji = member(Role.ZONE_STAFF, username="keji", zone=records.zone_a, department=department)
    html = body(client, keji, reverse("home"))
    assert "高企培育提醒" in html
    assert f"{records.a1.name} 高企资格存在风险" in html
    # Another department's officer has no such card.
    assert "高企培育提醒" not in body(client, records.staff, reverse("home"))


def test_the_leader_card_gives_key_figures(records, client):
    html = body(client, records.leader, reverse("home"))
    assert "今年发明专利授权" in html
    assert f"/innovation/patents/?kind=invention&amp;year={TODAY.year}" in html
