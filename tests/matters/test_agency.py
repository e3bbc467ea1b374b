"""Agency service (项目代办) through its services: the checklist, an item's state and dates with
its promised date, appointments, elapsed working days per item and per project; refusals and bad
input change nothing; every write audited."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import agency, catalogue, services
from gaoxin.matters.models import Appointment, ApprovalItem, Category, Kind, Matter, MatterEvent

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)  # 17:00 in Shanghai


def make_project(world, zone, name, **data):
    data.setdefault("investor_name", f"{name}投资方")
    data.setdefault("planned_investment", Decimal("50000"))
    return investment.create_project(
        world.admin, zone, stage="signed", on=D(2026, 3, 1), name=name, **data
    )


def approvals(zone, *codes):
    catalogue.ensure_categories(zone)
    return [Category.objects.get(zone=zone, kind=Kind.AGENCY, code=c) for c in codes]


@pytest.fixture
def case(world):
    """An agency case in zone_a for a signed project, owned by dept_a's staff."""
    with time_machine.travel(MONDAY, tick=False):
        project = make_project(world, world.zone_a, "甲代办项目", department=world.dept_a)
        matter = services.create_matter(
            world.zone_admin, world.zone_a, kind="agency", title="甲代办项目全程代办",
            project=project, enterprise=world.a1, department=world.dept_a, officer=world.staff,
            helpers=[world.zone_admin],
        )  # fmt: skip
    world.project, world.case = project, matter
    return world


def other_admin(w):
    from tests.factories import member

    return member("zone_admin", username="admin_b", zone=w.zone_b)


def state(matter):
    return (
        list(
            ApprovalItem.objects.filter(matter=matter)
            .order_by("id")
            .values_list("category__code", "state", "submitted_on", "approved_on", "version")
        ),
        Appointment.objects.filter(matter=matter).count(),
        AuditRecord.objects.count(),
    )


def test_checklist_set_and_change(case):
    w = case
    filing, permit, eia = approvals(w.zone_a, "project_filing", "construction_permit", "eia")
    items = agency.set_checklist(w.staff, w.case, [permit.pk, filing.pk])
    assert [i.category.code for i in items] == ["project_filing", "construction_permit"]
    assert all(i.state == "pending" for i in items)
    rec = AuditRecord.objects.for_object(w.case).latest("id")
    assert rec.after == {"approval_items": ["施工许可", "项目备案/核准"]}
    assert MatterEvent.objects.filter(matter=w.case, text__contains="审批清单").exists()
    # the same list again: nothing written
    count = AuditRecord.objects.count()
    agency.set_checklist(w.staff, w.case, [filing.pk, permit.pk])
    assert AuditRecord.objects.count() == count
    # swap permit for eia; a started item cannot be removed
    items = agency.set_checklist(w.staff, w.case, [filing.pk, eia.pk])
    assert {i.category.code for i in items} == {"project_filing", "eia"}
    item = items[0]
    with time_machine.travel(MONDAY, tick=False):
        agency.update_item(
            w.staff, item, version=item.version, state="submitted", submitted_on=D(2026, 10, 30)
        )
    before = state(w.case)
    with pytest.raises(ValidationError) as exc:
        agency.set_checklist(w.staff, w.case, [eia.pk])
    assert "已受理或已办结" in str(exc.value)
    assert state(w.case) == before


def test_checklist_refusals(case, world):
    w = case
    (filing,) = approvals(w.zone_a, "project_filing")
    catalogue.ensure_categories(w.zone_b)
    other_zone = Category.objects.get(zone=w.zone_b, kind=Kind.AGENCY, code="eia")
    help_cat = Category.objects.get(zone=w.zone_a, kind=Kind.HELP, code="funding")
    before = state(w.case)
    for bad in ([other_zone.pk], [help_cat.pk], ["x"], [999999]):
        with pytest.raises(ValidationError):
            agency.set_checklist(w.staff, w.case, bad)
    for actor in (w.leader, w.province):  # they read it, may not change it
        with pytest.raises(Forbidden):
            agency.set_checklist(actor, w.case, [filing.pk])
    with pytest.raises(Matter.DoesNotExist):  # another zone's admin does not see it
        agency.set_checklist(other_admin(w), w.case, [filing.pk])
    assert state(w.case) == before
    # not an agency case
    help_matter = services.create_matter(
        w.zone_admin, w.zone_a, kind="help", category=help_cat, title="资金", enterprise=w.a2
    )
    with pytest.raises(ValidationError):
        agency.set_checklist(w.zone_admin, help_matter, [filing.pk])


def test_enterprise_user_forbidden_not_404(case):
    """The enterprise sees its case (visible) but only officers manage the checklist."""
    w = case
    (filing,) = approvals(w.zone_a, "project_filing")
    assert Matter.objects.restrict(w.enterprise).filter(pk=w.case.pk).exists()
    with pytest.raises(Forbidden):
        agency.set_checklist(w.enterprise, w.case, [filing.pk])


def test_update_item_dates_and_promise(case):
    w = case
    filing, permit = approvals(w.zone_a, "project_filing", "construction_permit")
    items = agency.set_checklist(w.staff, w.case, [filing.pk, permit.pk])
    item = items[0]
    with time_machine.travel(MONDAY, tick=False):
        item = agency.update_item(
            w.staff, item, version=item.version, state="submitted", submitted_on="2026-10-26",
            approver="区行政审批局 王科长",
        )  # fmt: skip
        # five working days after Monday 26 October
        assert item.due_on == D(2026, 11, 2) and item.version == 2
        assert agency.item_elapsed(item) == 5  # Tue..Mon
        assert not agency.item_late(item)
        item = agency.update_item(
            w.staff, item, version=item.version, state="approved", submitted_on=D(2026, 10, 26),
            approved_on=D(2026, 10, 29), approver=item.approver,
        )  # fmt: skip
        assert agency.item_elapsed(item) == 3
        rec = AuditRecord.objects.for_object(item).latest("id")
        assert rec.before["state"] == "submitted" and rec.after["state"] == "approved"
        with pytest.raises(StaleVersion):
            agency.update_item(w.staff, item, version=1, state="pending")
        bad_cases = [
            {"state": "approved", "submitted_on": D(2026, 10, 26)},  # no approval date
            {"state": "approved", "submitted_on": D(2026, 10, 28), "approved_on": D(2026, 10, 27)},
            {"state": "submitted"},  # no acceptance date
            {"state": "pending", "submitted_on": D(2026, 10, 26)},
            {"state": "submitted", "submitted_on": D(2026, 10, 26), "approved_on": D(2026, 10, 27)},
            {"state": "submitted", "submitted_on": D(2026, 11, 20)},  # future
            {"state": "submitted", "submitted_on": "2026-13-01"},
            {"state": "done"},
            {"state": ""},
        ]
        before = state(w.case)
        for bad in bad_cases:
            with pytest.raises(ValidationError):
                agency.update_item(w.staff, item, version=item.version, **bad)
        for actor in (w.leader, w.enterprise):
            with pytest.raises(Forbidden):
                agency.update_item(actor, item, version=item.version, state="pending")
        with pytest.raises(ApprovalItem.DoesNotExist):
            agency.update_item(w.staff, 999999, version=1, state="pending")
        assert state(w.case) == before


def test_item_in_other_zone_is_missing(case, world):
    w = case
    (filing,) = approvals(w.zone_a, "project_filing")
    (item,) = agency.set_checklist(w.staff, w.case, [filing.pk])
    other = other_admin(w)
    with pytest.raises(ApprovalItem.DoesNotExist):
        agency.update_item(other, item, version=item.version, state="preparing")


def test_progress_and_project_elapsed(case):
    w = case
    filing, permit, eia = approvals(w.zone_a, "project_filing", "construction_permit", "eia")
    items = agency.set_checklist(w.staff, w.case, [filing.pk, permit.pk, eia.pk])
    # the case was created on 2026-11-02
    with time_machine.travel(datetime.datetime(2026, 11, 16, 2, tzinfo=datetime.UTC), tick=False):
        a = agency.update_item(
            w.staff, items[0], version=1, state="approved", submitted_on=D(2026, 10, 28),
            approved_on=D(2026, 11, 3),
        )  # fmt: skip
        b = agency.update_item(
            w.staff, items[1], version=1, state="submitted", submitted_on=D(2026, 11, 4)
        )
        c = agency.update_item(w.staff, items[2], version=1, state="not_needed")
        p = agency.progress(w.case)
        assert (p.approved, p.total, p.percent) == (1, 2, 50)
        assert p.started_on == D(2026, 10, 28)  # first acceptance before the case
        assert p.elapsed == 13  # 29 Oct .. 16 Nov, working days
        assert p.finished_on is None
        assert p.late == 1  # 施工许可 promised 7 working days after 4 Nov: 13 Nov
        b = agency.update_item(
            w.staff, b, version=b.version, state="approved", submitted_on=D(2026, 11, 4),
            approved_on=D(2026, 11, 10),
        )  # fmt: skip
        p = agency.progress(w.case)
        assert p.done and p.finished_on == D(2026, 11, 10) and p.elapsed == 9
        assert p.late == 0
        assert c.state == "not_needed" and agency.item_elapsed(c) is None
        assert a.approved_on == D(2026, 11, 3)


def test_appointments(case):
    w = case
    (filing,) = approvals(w.zone_a, "project_filing")
    (item,) = agency.set_checklist(w.staff, w.case, [filing.pk])
    tz = timezone.get_current_timezone()
    with time_machine.travel(MONDAY, tick=False):
        at = datetime.datetime(2026, 11, 4, 10, 0, tzinfo=tz)
        appt = agency.add_appointment(
            w.staff, w.case, mode="appointment", starts_at=at, place="政务服务中心3号窗口",
            item=item.pk, note="携带营业执照原件",
        )  # fmt: skip
        assert appt.item == item and not appt.is_cancelled
        assert Matter.objects.get(pk=w.case.pk).service_mode == "appointment"
        assert AuditRecord.objects.for_object(appt).get().action == "create"
        # after hours on a Saturday, or at 19:00 on a weekday
        agency.add_appointment(
            w.staff, w.case, mode="after_hours", starts_at="2026-11-07T10:00", place="服务中心"
        )
        agency.add_appointment(
            w.staff, w.case, mode="after_hours", starts_at=at.replace(hour=19), place="服务中心"
        )
        before = state(w.case)
        bad_cases = [
            {"mode": "regular", "starts_at": at, "place": "x"},
            {"mode": "after_hours", "starts_at": at, "place": "x"},  # office hours
            {"mode": "on_site", "starts_at": datetime.datetime(2026, 10, 1, 9, tzinfo=tz),
             "place": "x"},  # past
            {"mode": "on_site", "starts_at": at, "place": "  "},
            {"mode": "on_site", "starts_at": "tomorrow", "place": "x"},
            {"mode": "on_site", "starts_at": None, "place": "x"},
            {"mode": "on_site", "starts_at": at, "place": "x", "item": 999999},
        ]  # fmt: skip
        for bad in bad_cases:
            with pytest.raises(ValidationError):
                agency.add_appointment(w.staff, w.case, **bad)
        for actor in (w.leader, w.enterprise, w.province):
            with pytest.raises(Forbidden):
                agency.add_appointment(actor, w.case, mode="on_site", starts_at=at, place="x")
        with pytest.raises(ValidationError):
            agency.cancel_appointment(w.staff, appt, reason=" ")
        with pytest.raises(Forbidden):
            agency.cancel_appointment(w.enterprise, appt, reason="不去了")
        assert state(w.case) == before
        appt = agency.cancel_appointment(w.staff, appt, reason="企业材料未备齐")
        assert appt.is_cancelled and "企业材料未备齐" in appt.note
        with pytest.raises(ValidationError):
            agency.cancel_appointment(w.staff, appt, reason="again")


def test_closed_case_refuses_changes(case):
    w = case
    (filing,) = approvals(w.zone_a, "project_filing")
    (item,) = agency.set_checklist(w.staff, w.case, [filing.pk])
    m = Matter.objects.get(pk=w.case.pk)
    services.transition(w.staff, m, "withdrawn", version=m.version, text="项目终止")
    with pytest.raises(ValidationError):
        agency.update_item(w.staff, item, version=item.version, state="preparing")
    with pytest.raises(ValidationError):
        agency.set_checklist(w.staff, w.case, [])
