"""Text over its limit is refused, never cut (issue 12): every matters service answers a
ValidationError naming the field and its limit, and writes nothing; text at the limit is kept
whole. The API answers 422 in the error shape. Generated text (a data query's title, an
escalation's notice) is shortened visibly, with an ellipsis, and kept whole where it comes from."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gaoxin.core.models import AuditRecord, Notification
from gaoxin.investment.models import Project
from gaoxin.matters import agency, assistance, catalogue, categories, meetings, services
from gaoxin.matters.models import Category, Kind, Matter, MatterEvent
from gaoxin.matters.services.data_query import query_description, query_title

pytestmark = pytest.mark.django_db


def too_long(n: int) -> str:
    return "长" * (n + 1)


def refused(call, field, label, limit) -> None:
    """`call()` is refused for `field`, with the message naming the label and the limit."""
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.message_dict[field] == [
        f"{label}不能超过 {limit} 个字(现为 {limit + 1} 个字)"
    ]


def counts():
    return (
        Matter.objects.count(),
        MatterEvent.objects.count(),
        AuditRecord.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def book(world):
    catalogue.ensure_categories(world.zone_a)
    world.funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    world.funding.department = world.dept_a
    world.funding.save()
    world.m = services.create_matter(
        world.enterprise, None, kind="help", category=world.funding, title="流动资金紧张"
    )
    return world


@pytest.mark.parametrize(
    "field,label,limit", [("title", "标题", 100), ("description", "详细情况", 5000),
                          ("contact", "联系人及电话", 100)],
)  # fmt: skip
def test_raising_a_matter(book, field, label, limit):
    before = counts()
    fields = {"kind": "help", "category": book.funding, "title": "招工难", field: too_long(limit)}
    refused(lambda: services.create_matter(book.enterprise, None, **fields), field, label, limit)
    assert counts() == before
    fields[field] = "字" * limit
    matter = services.create_matter(book.enterprise, None, **fields)
    assert getattr(Matter.objects.get(pk=matter.pk), field) == "字" * limit


def test_changing_a_matter(book):
    m = book.m
    before = counts()
    refused(lambda: services.update_matter(book.staff, m, version=1, title=too_long(100)),
            "title", "标题", 100)  # fmt: skip
    refused(
        lambda: services.assign(book.staff, m, version=1, department=book.dept_a,
                                note=too_long(300)),
        "note", "分派说明", 300,
    )  # fmt: skip
    due = timezone.localdate() + datetime.timedelta(days=40)
    refused(
        lambda: services.change_due(book.staff, m, version=1, due_on=due, reason=too_long(300)),
        "reason", "调整原因", 300,
    )  # fmt: skip
    refused(lambda: services.comment(book.staff, m, text=too_long(5000)), "text", "留言内容", 5000)
    refused(
        lambda: services.escalate(book.staff, m, reason=too_long(300)), "reason", "督办原因", 300
    )
    refused(lambda: services.resolve(book.staff, m, version=1, resolution=too_long(5000)),
            "resolution", "办理结果", 5000)  # fmt: skip
    refused(lambda: services.transition(book.enterprise, m, "withdrawn", version=1,
                                        text=too_long(1000)), "reason", "原因", 1000)  # fmt: skip
    assert counts() == before and Matter.objects.get(pk=m.pk).version == 1
    # at the limit: kept whole, on the matter and its timeline
    m = services.resolve(book.staff, m, version=1, resolution="果" * 5000)
    assert Matter.objects.get(pk=m.pk).resolution == "果" * 5000
    assert m.events.get(type="status").text == "果" * 5000
    refused(lambda: services.rate(book.enterprise, m, rating=4, comment=too_long(300)),
            "comment", "评价意见", 300)  # fmt: skip
    m = services.transition(book.enterprise, m, "reopened", version=m.version, text="因" * 1000)
    assert m.events.filter(type="status").last().text == "因" * 1000


def test_an_escalation_notice_fits_and_the_reason_stays_whole(book):
    m = services.assign(book.zone_admin, book.m, version=1, department=book.dept_a,
                        officer=book.staff)  # fmt: skip
    services.escalate(book.staff, m, reason="督" * 300)
    assert m.events.get(type="escalate").text == "督" * 300
    note = Notification.objects.get(user=book.leader, kind="matters.escalated")
    assert len(note.text) == 300 and note.text.endswith("督…")
    assert note.text.startswith(f"升级督办:{m.number} 流动资金紧张")


def test_a_data_query_title_is_shortened_visibly():
    title = query_title("营业收入", "问" * 300)
    assert len(title) == 100 and title.startswith("数据询问:营业收入 问") and title.endswith("…")
    assert query_title("营业收入", "同比下降 60%") == "数据询问:营业收入 同比下降 60%"
    assert query_description("请核实", "问" * 300) == "请核实\n" + "问" * 300
    description = query_description("说" * 6000, "问" * 300)
    assert len(description) == 5000 and description.endswith("…\n" + "问" * 300)


def test_agency_checklist_and_appointments(book):
    project = Project.objects.create(
        zone=book.zone_a, name="新能源电池项目", investor_name="某新能源公司",
        stage="signed", stage_on=timezone.localdate(), planned_investment=10000,
    )  # fmt: skip
    case = services.create_matter(book.zone_admin, book.zone_a, kind="agency", title="代办",
                                  project=project)  # fmt: skip
    permit = catalogue.standard(book.zone_a, Kind.AGENCY, "construction_permit")
    (item,) = agency.set_checklist(book.zone_admin, case, [permit.pk])
    refused(lambda: agency.update_item(book.zone_admin, item, version=1, state="preparing",
                                       approver=too_long(100)), "approver", "审批部门/经办人", 100)  # fmt: skip
    refused(lambda: agency.update_item(book.zone_admin, item, version=1, state="preparing",
                                       note=too_long(200)), "note", "备注", 200)  # fmt: skip
    when = timezone.now() + datetime.timedelta(days=3)
    refused(lambda: agency.add_appointment(book.zone_admin, case, mode="on_site", starts_at=when,
                                           place=too_long(100)), "place", "地点", 100)  # fmt: skip
    refused(lambda: agency.add_appointment(book.zone_admin, case, mode="on_site", starts_at=when,
                                           place="项目现场", note=too_long(200)), "note", "备注", 200)  # fmt: skip
    appointment = agency.add_appointment(
        book.zone_admin, case, mode="on_site", starts_at=when, place="项目现场", note="注" * 200
    )
    assert appointment.note == "注" * 200
    refused(lambda: agency.cancel_appointment(book.zone_admin, appointment, reason=too_long(150)),
            "reason", "取消原因", 150)  # fmt: skip
    cancelled = agency.cancel_appointment(book.zone_admin, appointment, reason="因" * 150)
    assert cancelled.note == "已取消:" + "因" * 150


def test_meetings(book):
    fields = {"title": "调度会", "held_on": timezone.localdate(), "chair": "主任"}
    for field, label, limit in (("title", "会议名称", 100), ("chair", "主持人", 50),
                                ("place", "地点", 100), ("attendees", "参会人员", 3000),
                                ("summary", "会议纪要", 20000)):  # fmt: skip
        refused(lambda f=field, n=limit: meetings.create_meeting(
            book.zone_admin, book.zone_a, **{**fields, f: too_long(n)}), field, label, limit)  # fmt: skip
    # every field at fault is named at once; an empty required one says so
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(book.zone_admin, book.zone_a, title="", held_on=None,
                                chair=too_long(50), summary=too_long(20000))  # fmt: skip
    assert set(error.value.message_dict) == {"title", "held_on", "chair", "summary"}
    assert error.value.message_dict["title"] == ["请填写会议名称"]
    meeting = meetings.create_meeting(book.zone_admin, book.zone_a, **fields, summary="纪" * 20000)
    assert meeting.summary == "纪" * 20000
    refused(lambda: meetings.update_meeting(book.zone_admin, meeting, version=1,
                                            place=too_long(100)), "place", "地点", 100)  # fmt: skip


def test_help_ledgers_and_groups(book):
    z, a = book.zone_a, book.zone_admin
    today = timezone.localdate()
    refused(lambda: assistance.create_group(a, z, name=too_long(50), leader_name="组长"),
            "name", "工作组名称", 50)  # fmt: skip
    refused(lambda: assistance.create_group(a, z, name="一组", leader_name=too_long(50)),
            "leader_name", "组长", 50)  # fmt: skip
    refused(lambda: assistance.create_group(a, z, name="一组", leader_name="组长",
                                            member_names=too_long(300)),
            "member_names", "其他成员", 300)  # fmt: skip
    award = {"enterprise": book.a1, "policy": "研发补助", "amount": "10", "paid_on": today}
    refused(lambda: assistance.add_award(a, z, **{**award, "policy": too_long(100)}),
            "policy", "政策名称", 100)  # fmt: skip
    refused(lambda: assistance.add_award(a, z, **award, note=too_long(200)), "note", "备注", 200)
    loan = {"enterprise": book.a1, "bank": "工商银行", "kind": "credit", "amount": "100",
            "granted_on": today}  # fmt: skip
    refused(lambda: assistance.add_loan(a, z, **{**loan, "bank": too_long(50)}), "bank", "银行", 50)
    refused(lambda: assistance.create_fair(a, z, title=too_long(100), held_on=today),
            "title", "招聘会名称", 100)  # fmt: skip
    fair = assistance.create_fair(a, z, title="春风行动", held_on=today, note="备" * 200)
    assert fair.note == "备" * 200
    refused(lambda: assistance.add_offer(a, fair, enterprise=book.a1, positions=3,
                                         jobs=too_long(200)), "jobs", "招聘岗位", 200)  # fmt: skip
    saved = assistance.add_award(a, z, **award)
    refused(lambda: assistance.remove_entry(a, saved, reason=too_long(200)),
            "reason", "删除原因", 200)  # fmt: skip
    book.a1.above_scale = True
    book.a1.save()
    refused(lambda: assistance.add_resumption(a, z, subject="enterprise", enterprise=book.a1,
                                              tracked_from=today, note=too_long(200)),
            "note", "备注", 200)  # fmt: skip


def test_categories(book):
    refused(lambda: categories.create_category(book.zone_admin, book.zone_a, kind="help",
                                               name=too_long(50), service_days=5),
            "name", "分类名称", 50)  # fmt: skip


# --- the API -----------------------------------------------------------------------------------


def test_the_api_answers_422_naming_the_field_and_the_limit(book, api_as):
    before = counts()
    r = api_as("enterprise").patch(
        f"/matters/{book.m.pk}", {"version": 1, "status": "withdrawn", "text": too_long(1000)}
    )
    assert r.status_code == 422
    body = r.json()
    assert set(body) >= {"detail", "errors"}
    assert body["errors"] == [
        {"field": "reason", "message": "原因不能超过 1000 个字(现为 1001 个字)"}
    ]
    assert counts() == before
    r = api_as("staff").post(f"/matters/{book.m.pk}/escalate", {"reason": too_long(300)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    assert counts() == before
