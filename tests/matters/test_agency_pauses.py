"""Working days stop while an approval item waits for the applicant (退回补正; issue 13, item 11):
its elapsed working days, its promised date, its overdue mark and the project's elapsed working
days leave out the days with the applicant; the return and the resubmission are recorded with
their dates (today by default), audited and on the timeline; bad dates are refused, nothing
written."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import agency, catalogue, services
from gaoxin.matters.models import ApprovalItem, Category, Kind, MatterEvent

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = datetime.datetime(2026, 11, 2, 1, tzinfo=datetime.UTC)  # 09:00 in Shanghai


def make_project(world, zone, name, **data):
    return investment.create_project(
        world.admin, zone, stage="signed", on=D(2026, 3, 1), name=name,
        investor_name=f"{name}投资方", planned_investment=Decimal("50000"), **data,
    )  # fmt: skip


def approvals(zone, *codes):
    catalogue.ensure_categories(zone)
    return [Category.objects.get(zone=zone, kind=Kind.AGENCY, code=c) for c in codes]


def on(day: D):
    """10:00 in Shanghai on `day`."""
    moment = datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def permit(world):
    """An agency case (created Monday 2 Nov 2026) whose 施工许可 (7 working days) was accepted on
    Wednesday 4 Nov: promised for Friday 13 Nov."""
    with time_machine.travel(MONDAY, tick=False):
        project = make_project(world, world.zone_a, "补正项目", department=world.dept_a)
        world.case = services.create_matter(
            world.zone_admin, world.zone_a, kind="agency", title="补正项目代办", project=project,
            enterprise=world.a1, department=world.dept_a, officer=world.staff,
        )  # fmt: skip
    (category,) = approvals(world.zone_a, "construction_permit")
    assert category.service_days == 7
    (item,) = agency.set_checklist(world.staff, world.case, [category.pk])
    with on(D(2026, 11, 4)):
        item = agency.update_item(
            world.staff, item, version=item.version, state="submitted", submitted_on=D(2026, 11, 4)
        )
    assert item.due_on == D(2026, 11, 13)
    world.item = item
    return world


def send_back(w, day, **kw):
    item = ApprovalItem.objects.get(pk=w.item.pk)
    return agency.update_item(
        w.staff, item, version=item.version, state="returned", submitted_on=D(2026, 11, 4), **kw
    )


def test_five_working_days_with_the_applicant_are_not_counted(permit):
    w = permit
    with on(D(2026, 11, 6)):  # Friday: sent back for the fire-safety drawings
        item = send_back(w, D(2026, 11, 6))
    assert item.pauses == [{"returned_on": "2026-11-06", "resumed_on": None}]
    assert item.due_on == D(2026, 11, 13)  # as of the day it went back
    event = MatterEvent.objects.filter(matter=w.case).order_by("-id").first()
    assert "2026-11-06 退回补正" in event.text
    audit = AuditRecord.objects.for_object(item).order_by("-id").first()
    assert audit.after["pauses"] == [{"returned_on": "2026-11-06", "resumed_on": None}]
    # five working days later (Mon 9 – Fri 13 Nov) it still waits: not overdue, 2 days used
    with on(D(2026, 11, 13)):
        item = ApprovalItem.objects.get(pk=item.pk)
        assert agency.item_elapsed(item) == 2  # 5 and 6 Nov
        assert agency.item_due(item) == D(2026, 11, 20)
        assert agency.item_late(item) is False
        p = agency.progress(w.case)
        assert p.late == 0
        assert p.elapsed == 4  # since the case opened on 2 Nov: 3–6 Nov; 9–13 Nov not
    with on(D(2026, 11, 16)):  # the clock still stopped on Monday
        assert agency.item_elapsed(item) == 2
        assert agency.item_due(item) == D(2026, 11, 23)
        assert agency.item_late(item) is False
        # the materials came back on Friday 13 Nov: the clock runs again from Monday
        item = agency.update_item(
            w.staff, item, version=item.version, state="submitted", submitted_on=D(2026, 11, 4),
            resubmitted_on=D(2026, 11, 13),
        )  # fmt: skip
        assert item.pauses == [{"returned_on": "2026-11-06", "resumed_on": "2026-11-13"}]
        assert item.due_on == D(2026, 11, 20)  # 7 working days: 5, 6, 16–20 Nov
        assert agency.item_elapsed(item) == 3
        assert agency.item_late(item) is False
        assert "承诺 2026-11-20 前办结" in MatterEvent.objects.order_by("-id").first().text
    with on(D(2026, 11, 20)):
        assert agency.item_late(item) is False
    with on(D(2026, 11, 23)):
        assert agency.item_late(item) is True  # now really past it
        assert agency.progress(w.case).late == 1
        item = agency.update_item(
            w.staff, item, version=item.version, state="approved", submitted_on=D(2026, 11, 4),
            approved_on=D(2026, 11, 19),
        )  # fmt: skip
        assert agency.item_elapsed(item) == 6  # 5, 6, 16–19 Nov
        assert agency.item_late(item) is False  # approved before 20 Nov
        p = agency.progress(w.case)
        assert p.done and p.finished_on == D(2026, 11, 19)
        assert p.elapsed == 8  # 3–6, 16–19 Nov


def test_without_the_pause_the_same_item_is_overdue(permit):
    """The control: an item that stays accepted over the same days is late on 16 Nov."""
    w = permit
    with on(D(2026, 11, 16)):
        item = ApprovalItem.objects.get(pk=w.item.pk)
        assert agency.item_elapsed(item) == 8
        assert agency.item_late(item) is True


def test_late_before_it_went_back_stays_late(permit):
    w = permit
    with on(D(2026, 11, 17)):
        item = send_back(w, D(2026, 11, 17))  # sent back after its promised 13 Nov
        assert agency.item_due(item) == D(2026, 11, 13)
        assert agency.item_late(item) is True
    with on(D(2026, 11, 24)):
        assert agency.item_late(item) is True


def test_project_clock_runs_while_another_item_is_with_the_approvers(permit):
    w = permit
    (filing,) = approvals(w.zone_a, "project_filing")
    agency.set_checklist(w.staff, w.case, [w.item.category_id, filing.pk])
    other = ApprovalItem.objects.get(matter=w.case, category=filing)
    with on(D(2026, 11, 6)):
        agency.update_item(
            w.staff, other, version=other.version, state="submitted", submitted_on=D(2026, 11, 5)
        )
        send_back(w, D(2026, 11, 6))
    with on(D(2026, 11, 13)):
        p = agency.progress(w.case)
        assert p.elapsed == 9  # 3–13 Nov: 备案 was with the approvers throughout


def test_two_rounds_and_dates_given(permit):
    w = permit
    with on(D(2026, 11, 20)):
        item = send_back(w, None, returned_on=D(2026, 11, 5))
        item = agency.update_item(
            w.staff, item, version=item.version, state="submitted", submitted_on=D(2026, 11, 4),
            resubmitted_on=D(2026, 11, 10),
        )  # fmt: skip
        item = send_back(w, None, returned_on=D(2026, 11, 12))
        assert item.pauses == [
            {"returned_on": "2026-11-05", "resumed_on": "2026-11-10"},
            {"returned_on": "2026-11-12", "resumed_on": None},
        ]
        # with the applicant 6–10 Nov (3 working days... 6, 9, 10) and since 12 Nov
        assert agency.item_elapsed(item) == 3  # 5, 11, 12 Nov
        assert agency.item_late(item) is False


def test_bad_dates_refused_nothing_written(permit):
    w = permit
    with on(D(2026, 11, 10)):
        before = (
            list(ApprovalItem.objects.values_list("state", "version", "pauses", "due_on")),
            AuditRecord.objects.count(),
            MatterEvent.objects.count(),
        )
        for kw, field, message in (
            ({"returned_on": D(2026, 11, 3)}, "returned_on", "退回日期不能早于受理日期"),
            ({"returned_on": D(2026, 11, 11)}, "returned_on", "退回日期不能晚于今天"),
            ({"returned_on": "11/06"}, "returned_on", "退回日期格式应为 YYYY-MM-DD"),
        ):
            with pytest.raises(ValidationError) as caught:
                send_back(w, None, **kw)
            assert caught.value.message_dict[field] == [message]
        assert (
            list(ApprovalItem.objects.values_list("state", "version", "pauses", "due_on")),
            AuditRecord.objects.count(),
            MatterEvent.objects.count(),
        ) == before
        item = send_back(w, None, returned_on=D(2026, 11, 6))
        for kw, field, message in (
            ({"state": "submitted", "resubmitted_on": D(2026, 11, 5)}, "resubmitted_on",
             "补正日期不能早于退回日期"),
            ({"state": "approved", "approved_on": D(2026, 11, 9),
              "resubmitted_on": D(2026, 11, 10)}, "approved_on", "办结日期不能早于补正日期"),
        ):  # fmt: skip
            with pytest.raises(ValidationError) as caught:
                agency.update_item(
                    w.staff, item, version=item.version, submitted_on=D(2026, 11, 4), **kw
                )
            assert caught.value.message_dict[field] == [message]
        assert ApprovalItem.objects.get(pk=item.pk).pauses == item.pauses
        # back to 未启动 (a correction): no acceptance, no pauses
        item = agency.update_item(w.staff, item, version=item.version, state="pending")
        assert item.pauses == [] and item.due_on is None


def test_panel_shows_the_stopped_clock(client, permit):
    w = permit
    with on(D(2026, 11, 13)):
        client.force_login(w.staff)
        r = client.post(
            f"/matters/items/{w.item.pk}/",
            {"version": w.item.version, "state": "returned", "submitted_on": "2026-11-04",
             "returned_on": "2026-11-06"},
        )  # fmt: skip
        assert r.status_code == 302
        item = ApprovalItem.objects.get(pk=w.item.pk)
        assert item.pauses == [{"returned_on": "2026-11-06", "resumed_on": None}]
        html = client.get(f"/matters/{w.case.pk}/").content.decode()
        assert "2026-11-06 起暂停计时" in html and "2026-11-20" in html
        assert 'id="agency-late"' not in html
        r = client.post(
            f"/matters/items/{w.item.pk}/",
            {"version": item.version, "state": "submitted", "submitted_on": "2026-11-04",
             "resubmitted_on": "2026-11-03"},
            follow=True,
        )  # fmt: skip
        assert "补正日期不能早于退回日期" in r.content.decode()
        assert ApprovalItem.objects.get(pk=w.item.pk).version == item.version
