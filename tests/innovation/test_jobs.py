"""Innovation's daily job end to end: a qualification at risk reaches the innovation officer's
bell and the enterprise's users and becomes a matter; a report missing the same; a certificate
expiring without renewal only notifies; running the job twice sends once; flags follow the
certificates."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.core.models import Notification, Role
from gaoxin.innovation import jobs, reminders
from gaoxin.innovation.models import (
    AnnualReport,
    AssessmentInput,
    Certification,
    CertKind,
    CertStatus,
)
from gaoxin.matters.models import Kind, Matter
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def cert(enterprise, issued, number, status=CertStatus.CERTIFIED):
    return Certification.objects.create(
        zone=enterprise.zone, enterprise=enterprise, kind=CertKind.HIGHTECH, status=status,
        number=number, field="electronics", issued_on=issued, year=issued.year,
        expires_on=issued.replace(year=issued.year + 3) - DAY,
    )  # fmt: skip


@pytest.fixture
def keji(world):
    department = DepartmentFactory(zone=world.zone_a, name="科技创新局")
    return member(Role.ZONE_STAFF, username="keji", zone=world.zone_a, department=department)


@pytest.fixture
def at_risk(world, keji):
    """a1: certified a year ago, its entered high-tech income share at 50%."""
    c = cert(world.a1, TODAY - 365 * DAY, "GR202536000001")
    AssessmentInput.objects.create(
        zone=world.zone_a, enterprise=world.a1, year=TODAY.year,
        total_income=Decimal("1000"), hightech_income=Decimal("500"),
    )  # fmt: skip
    return c


def bell(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("text", flat=True))


def test_at_risk_reaches_the_officer_and_becomes_a_matter_once(world, keji, at_risk):
    summary = jobs.daily(TODAY)
    assert "资格风险 1 条" in summary and "新建跟进事项 1 件" in summary
    texts = bell(keji, "innovation.at_risk")
    assert len(texts) == 1 and texts[0].startswith(f"{world.a1.name} 高企资格存在风险:")
    assert "60" in texts[0]
    assert bell(world.enterprise, "innovation.at_risk") == texts  # the enterprise's user too
    assert bell(world.staff, "innovation.at_risk") == []  # another department's officer: no
    matter = Matter.objects.get(enterprise=world.a1)
    assert matter.kind == Kind.VISIT and matter.officer == keji
    assert matter.department.name == "科技创新局"
    assert matter.title == f"高企资格风险跟进:{world.a1.name}"
    # Twice a day: nothing new.
    again = jobs.daily(TODAY)
    assert "资格风险 0 条" in again and "新建跟进事项 0 件" in again
    assert Notification.objects.filter(kind="innovation.at_risk").count() == 2
    assert Matter.objects.count() == 1


def test_report_missing_and_expiring(world, keji):
    c1 = cert(world.a1, TODAY - 400 * DAY, "GR202536000002")
    AnnualReport.objects.create(
        zone=world.zone_a, certification=c1, year=TODAY.year - 1, due_on=TODAY - 10 * DAY
    )
    AnnualReport.objects.create(  # filed: nothing to say
        zone=world.zone_a, certification=c1, year=TODAY.year - 2, due_on=TODAY - 300 * DAY,
        filed_on=TODAY - 320 * DAY,
    )  # fmt: skip
    issued = TODAY.replace(year=TODAY.year - 3) + 60 * DAY  # expires in about two months
    c2 = cert(world.a2, issued, "GR202236000003")
    found = {r.kind: r for r in reminders.for_zone(world.zone_a, TODAY)}
    assert set(found) == {"report_missing", "expiring"}  # the report is not a second reminder
    assert found["expiring"].target == c2 and not found["expiring"].acts
    jobs.daily(TODAY)
    assert len(bell(keji, "innovation.report_missing")) == 1
    assert bell(keji, "innovation.expiring") == [
        f"{world.a2.name} 的高新技术企业证书 GR202236000003 将于 {c2.expires_on.isoformat()} "
        "到期,尚未申报重新认定"
    ]
    assert Matter.objects.filter(enterprise=world.a1).count() == 1  # the report
    assert not Matter.objects.filter(enterprise=world.a2).exists()  # expiring: a reminder only


def test_a_renewal_applied_for_silences_the_expiring_reminder(world, keji):
    issued = TODAY.replace(year=TODAY.year - 3) + 60 * DAY
    cert(world.a2, issued, "GR202236000004")
    Certification.objects.create(
        zone=world.zone_a, enterprise=world.a2, kind=CertKind.HIGHTECH,
        status=CertStatus.APPLIED, applied_on=TODAY - 5 * DAY, year=TODAY.year,
    )  # fmt: skip
    assert reminders.expiring(world.zone_a, TODAY) == []


def test_without_a_department_the_zone_staff_hear_it(world):
    cert(world.a1, TODAY - 365 * DAY, "GR202536000005")
    AssessmentInput.objects.create(
        zone=world.zone_a, enterprise=world.a1, year=TODAY.year,
        total_income=Decimal("1000"), hightech_income=Decimal("500"),
    )  # fmt: skip
    jobs.daily(TODAY)
    assert len(bell(world.staff, "innovation.at_risk")) == 1
    assert len(bell(world.zone_admin, "innovation.at_risk")) == 1


def test_flags_follow_the_certificates(world, keji, at_risk):
    world.a2.high_tech = True
    world.a2.save(update_fields=["high_tech"])
    world.a1.high_tech = False
    world.a1.save(update_fields=["high_tech"])
    assert "高企标记更新 2 家" in jobs.daily(TODAY)
    world.a1.refresh_from_db()
    world.a2.refresh_from_db()
    assert (world.a1.high_tech, world.a2.high_tech) == (True, False)


def test_a_share_within_the_margin_notifies_without_a_matter(world, keji):
    cert(world.a1, TODAY - 365 * DAY, "GR202536000006")
    AssessmentInput.objects.create(
        zone=world.zone_a, enterprise=world.a1, year=TODAY.year,
        total_income=Decimal("1000"), hightech_income=Decimal("620"),
    )  # fmt: skip
    (reminder,) = reminders.at_risk(world.zone_a, TODAY)
    assert not reminder.acts and reminder.risks[0].kind == "hightech_share"
    assert "资格风险 1 条" in jobs.daily(TODAY)
    assert not Matter.objects.exists()
