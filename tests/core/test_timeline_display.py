"""Timelines people can read (core.audit_display and core/_timeline.html): field labels, values as
people say them, references by name in one query per model, nothing secret, bounded queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from gaoxin.core import audit
from gaoxin.core.audit_display import present
from gaoxin.core.models import ApiToken, AuditRecord, Department, User
from gaoxin.enterprises import services as enterprises
from gaoxin.investment import services as investment
from gaoxin.investment.models import Project, Stage
from gaoxin.matters import services as matters
from gaoxin.statistics import services as statistics
from tests.factories import DepartmentFactory, member
from tests.support.returns import RETURN_DATA

pytestmark = pytest.mark.django_db

D = datetime.date
RAW = ("{'", "_id", "+00:00", "None", "True", "False")


def changes(entry) -> dict[str, tuple]:
    return {c.label: (c.old, c.new) for c in entry.changes}


def text_of(entry) -> str:
    """The entry as the template writes it."""
    return " ".join(
        f"{c.label}: {c.new}" if c.old is None else f"{c.label}: {c.old} → {c.new}"
        for c in entry.changes
    )


def latest(obj):
    return present(AuditRecord.objects.for_object(obj).order_by("-time", "-id")[:1])[0]


def page_timeline(html: str, element_id: str = "timeline") -> str:
    """The text of the timeline list on a page (tags removed, blanks squeezed)."""
    match = re.search(rf'<ul class="gx-timeline[^"]*" id="{element_id}">(.*?)</ul>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return flat(match.group(1))


def flat(html: str) -> str:
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return text.replace(" :", ":")


def assert_readable(text: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{raw!r} on the timeline: {text}"


@pytest.fixture
def officer(world):
    world.staff.full_name = "王科员"
    world.staff.save()
    return world.staff


# --- the renderer ------------------------------------------------------------------------------


def test_an_enterprise_edit_reads_as_labels_and_values(world, officer):
    enterprises.update_enterprise(
        officer,
        world.a1,
        {
            "name": "甲一电子科技股份有限公司",
            "scale": "medium",
            "registered_capital": Decimal("12000"),
            "above_scale": True,
            "established_on": D(2015, 6, 1),
            "industry": "3976",
        },
        version=world.a1.version,
    )
    entry = latest(world.a1)
    shown = changes(entry)
    assert entry.action == "修改" and entry.actor == "王科员"
    assert shown["企业名称"] == ("甲一电子科技有限公司", "甲一电子科技股份有限公司")
    assert shown["企业规模"] == ("—", "中型")
    assert shown["注册资本"][1] == "1.20 亿元"  # the unit moved from the label to the value
    assert shown["规上企业"] == ("否", "是")
    assert shown["成立日期"][1] == "2015-06-01"
    assert shown["国民经济行业"][0].startswith("3974 ") and shown["国民经济行业"][1].startswith(
        "3976 "
    )
    assert "版本" not in shown and "更新时间" not in shown  # bookkeeping
    assert_readable(text_of(entry))


def test_a_project_stage_change_shows_the_stage_labels(world):
    project = investment.create_project(
        world.admin,
        world.zone_a,
        stage="negotiation",
        on=D(2024, 1, 5),
        name="甲新能源项目",
        investor_name="某投资方",
        planned_investment=Decimal("5000"),
        department=world.dept_a,
        officer=world.staff,
    )
    investment.move_stage(world.admin, project, "signed", on=D(2024, 2, 1))
    entry = latest(project)
    shown = changes(entry)
    assert entry.action == "阶段变更"
    assert shown["当前阶段"] == ("洽谈", "签约")
    assert shown["签约日期"] == ("—", "2024-02-01")
    assert "洽谈 → 签约" in entry.message


def test_a_project_created_shows_what_was_filled_with_units(world, officer):
    project = investment.create_project(
        world.admin,
        world.zone_a,
        name="甲新材料项目",
        investor_name="某投资方",
        planned_investment=Decimal("5000"),
        land_mu=Decimal("120.5"),
        expected_jobs=300,
        department=world.dept_a,
        officer=officer,
    )
    entry = latest(project)
    shown = changes(entry)
    assert entry.action == "新建"
    assert shown["计划总投资"] == (None, "5,000 万元")  # no "before" for a creation
    assert shown["用地"] == (None, "120.5 亩")
    assert shown["预计用工"] == (None, "300 人")
    assert shown["责任部门"] == (None, "经济发展局")
    assert shown["责任人"] == (None, "王科员")
    assert shown["当前阶段"] == (None, "线索")
    assert "其中固定资产投资" not in shown  # left empty: nothing to say


def test_a_return_submitted_names_the_person_and_shows_local_time(world, officer):
    ret = statistics.return_for(officer, world.a1, "2019-12", create=True)
    ret = statistics.save_draft(officer, ret, data=RETURN_DATA, version=ret.version)
    ret = statistics.submit(officer, ret, version=ret.version)
    entry = latest(ret)
    shown = changes(entry)
    assert entry.action == "状态变更"
    assert shown["状态"] == ("草稿", "已报送")
    assert shown["报送人"] == ("—", "王科员")
    local = timezone.localtime(ret.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert shown["报送时间"] == ("—", local)
    assert entry.message.startswith("报送 2019年12月")


def test_a_return_draft_shows_only_the_figures_that_changed(world, officer):
    ret = statistics.return_for(officer, world.a1, "2019-12", create=True)
    ret = statistics.save_draft(officer, ret, data=RETURN_DATA, version=ret.version)
    statistics.save_draft(officer, ret, data={"revenue": "1300"}, version=ret.version)
    shown = changes(latest(ret))
    assert shown["填报数据"] == ("revenue: 1150", "revenue: 1300")


def test_a_matter_reassigned_names_department_and_officers(world, officer):
    second = member("zone_staff", username="li", zone=world.zone_a, department=world.dept_a)
    second.full_name = "李科长"
    second.save()
    other = DepartmentFactory(zone=world.zone_a, name="企业服务局")
    matter = matters.create_matter(
        world.admin, world.zone_a, kind="visit", title="厂房漏水", enterprise=world.a1,
        department=world.dept_a,
    )  # fmt: skip
    matter = matters.assign(
        world.admin, matter, version=matter.version, department=world.dept_a, officer=officer
    )
    matter = matters.assign(
        world.admin, matter, version=matter.version, department=other, officer=second,
        helpers=[officer],
    )  # fmt: skip
    shown = changes(latest(matter))
    assert shown["责任部门"] == ("经济发展局", "企业服务局")
    assert shown["责任人"] == ("王科员", "李科长")
    assert shown["协办人"] == ("—", "王科员")
    first = present(AuditRecord.objects.for_object(matter).order_by("time", "id"))[1]
    assert changes(first)["状态"] == ("待受理", "已分派")


def test_a_deleted_referent_shows_its_id(world):
    gone = Department.objects.create(zone=world.zone_a, name="撤并的局")
    record = audit.record(
        world.admin,
        AuditRecord.Action.UPDATE,
        world.a1,
        before={"industry": "3974"},
        after={"industry": "9999"},
    )
    dept = audit.record(
        world.admin,
        AuditRecord.Action.UPDATE,
        Department.objects.get(pk=world.dept_a.pk),
        before={"name": "经济发展局"},
        after={"name": "经济发展局"},
    )
    project = investment.create_project(
        world.admin, world.zone_a, name="甲项目", investor_name="某", department=gone,
        planned_investment=Decimal("1"),
    )  # fmt: skip
    moved = audit.record(
        world.admin,
        AuditRecord.Action.UPDATE,
        project,
        before={"department": gone.pk},
        after={"department": 987654},
    )
    entries = present([record, dept, moved])
    assert changes(entries[0])["国民经济行业"][1] == "#9999（已删除）"
    assert entries[1].changes == []
    assert changes(entries[2])["责任部门"] == ("撤并的局", "#987654（已删除）")


def test_a_soft_deleted_referent_keeps_its_name(world):
    enterprises.delete_enterprise(world.admin, world.a2, reason="迁出本区")
    project = investment.create_project(
        world.admin, world.zone_a, name="甲项目", investor_name="某", planned_investment=1,
    )  # fmt: skip
    record = audit.record(
        world.admin, AuditRecord.Action.UPDATE, project,
        before={"investor_enterprise": None}, after={"investor_enterprise": world.a2.pk},
    )  # fmt: skip
    assert changes(present([record])[0])["落地企业"] == ("—", "甲二纺织有限公司（已删除）")


def test_secrets_and_unlabelled_fields_never_appear(world):
    user = User.objects.get(pk=world.staff.pk)
    before = audit.snapshot(user)
    user.set_password("Another-Secret-9")
    user.full_name = "新名字"
    user.save()
    record = audit.record(
        world.admin, AuditRecord.Action.UPDATE, user, before=before, after=audit.snapshot(user)
    )
    token, _key = ApiToken.issue(user)
    token_record = audit.record(
        world.admin, AuditRecord.Action.TOKEN, token, after=audit.snapshot(token)
    )
    odd = audit.record(
        world.admin, AuditRecord.Action.UPDATE, world.a1,
        before={"some_internal_key": 1}, after={"some_internal_key": 2},
    )  # fmt: skip
    user_entry, token_entry, odd_entry = present([record, token_record, odd])
    assert set(changes(user_entry)) == {"姓名", "密码修改时间"}
    assert changes(user_entry)["姓名"][1] == "新名字"
    assert "pbkdf2" not in text_of(user_entry)
    token_text = text_of(token_entry)
    assert token.key_hash not in token_text
    assert [c.new for c in token_entry.changes] == [user.display_name]  # only whose token
    assert odd_entry.changes == []  # a key that is no field and no word: not shown raw


def test_times_in_local_time_booleans_lists_and_words(world):
    record = audit.record(
        world.admin,
        AuditRecord.Action.IMPORT,
        zone=world.zone_a,
        after={
            "file": "企业.xlsx",
            "rows": 1200,
            "update_existing": True,
            "errors": [{"row": 3, "column": "企业名称", "reason": "不能为空"}],
            "created_at": "2024-01-01T16:30:00+00:00",
        },
    )
    shown = changes(present([record])[0])
    assert shown["文件"] == (None, "企业.xlsx")
    assert shown["行数"] == (None, "1,200")
    assert shown["更新已有记录"] == (None, "是")
    assert shown["错误"] == (None, "行: 3；列: 企业名称；原因: 不能为空")
    assert shown["创建时间"] == (None, "2024-01-02 00:30")  # Asia/Shanghai


def test_in_english_labels_choices_and_money_follow_the_language(world):
    project = investment.create_project(
        world.admin, world.zone_a, stage="negotiation", on=D(2024, 1, 5), name="甲项目",
        investor_name="某投资方", planned_investment=Decimal("76000"),
    )  # fmt: skip
    investment.move_stage(world.admin, project, "signed", on=D(2024, 2, 1))
    records = AuditRecord.objects.for_object(project).order_by("time", "id")
    with translation.override("en"):
        created, moved = present(records)
        stage_label = str(Project._meta.get_field("stage").verbose_name)
        labels = (str(Stage.NEGOTIATION.label), str(Stage.SIGNED.label))
    assert changes(moved)[stage_label] == labels
    money = [c.new for c in created.changes if c.new.endswith("yuan")]
    assert money == ["760 million yuan"]  # 7.6亿元 in the English magnitude, not 万元


def test_a_note_kept_in_chinese_is_shown_in_the_readers_language(world):
    record = audit.record(
        world.admin, AuditRecord.Action.DELETE, world.dept_a, message="在管理后台删除"
    )
    typed = audit.record(world.admin, AuditRecord.Action.UPDATE, world.a1, message="企业自述")
    with translation.override("en"):
        entries = present([record, typed])
    assert [e.message for e in entries] == ["Deleted in the admin site", "企业自述"]
    assert [e.action for e in entries][0] != "删除"  # the action label too


def test_who_kept_by_account_name_shows_the_person(world, officer):
    matter = matters.create_matter(
        world.admin, world.zone_a, kind="visit", title="走访", enterprise=world.a1
    )
    kept = audit.record(
        world.admin, AuditRecord.Action.UPDATE, matter,
        before={"raised_by_name": "老张"}, after={"raised_by_name": officer.username},
    )  # fmt: skip
    counts = audit.record(
        world.admin, AuditRecord.Action.CREATE, zone=world.zone_a, after={"企业": 90}
    )
    entries = present([kept, counts])
    assert changes(entries[0])["提出人"] == ("老张", "王科员")  # no such account: as typed
    assert changes(entries[1]) == {"企业": (None, "90")}  # a key that is words already


def test_actor_by_full_name_and_system_when_none(world, officer):
    by_officer = audit.record(officer, AuditRecord.Action.UPDATE, world.a1)
    by_nobody = audit.record(None, AuditRecord.Action.UPDATE, world.a1)
    assert [e.actor for e in present([by_officer, by_nobody])] == ["王科员", "系统"]


# --- queries -----------------------------------------------------------------------------------


def _many_records(world, n: int) -> None:
    people = [member("zone_staff", zone=world.zone_a) for _ in range(5)]
    depts = [DepartmentFactory(zone=world.zone_a) for _ in range(5)]
    project = investment.create_project(
        world.admin, world.zone_a, name="甲项目", investor_name="某", planned_investment=1,
    )  # fmt: skip
    ct = ContentType.objects.get_for_model(project)
    AuditRecord.objects.bulk_create(
        audit.build(
            people[i % 5],
            AuditRecord.Action.UPDATE,
            project,
            before={"officer": people[i % 5].pk, "department": depts[i % 5].pk, "stage": "lead"},
            after={"officer": people[(i + 1) % 5].pk, "department": i + 10_000, "stage": "visit"},
        )
        for i in range(n)
    )
    assert AuditRecord.objects.filter(content_type=ct).count() == n + 1
    return project


def test_two_hundred_records_take_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    project = _many_records(world, 200)
    records = AuditRecord.objects.for_object(project).order_by("-time", "-id")
    with django_assert_max_num_queries(4):  # the records, the people, the departments (+1)
        entries = present(records)
    assert len(entries) == 201
    shown = changes(entries[0])
    assert shown["当前阶段"] == ("线索", "考察")
    assert shown["责任部门"][1].endswith("（已删除）")


def test_the_project_page_with_two_hundred_records_is_bounded(
    client, world, django_assert_max_num_queries
):
    project = _many_records(world, 200)
    client.force_login(world.admin)
    url = reverse("investment:project_detail", args=[project.pk])
    client.get(url)  # the session's first write
    with django_assert_max_num_queries(20):  # 17 today; one a row would be 200+
        html = client.get(url).content.decode()
    text = page_timeline(html)
    assert "当前阶段: 线索 → 考察" in text
    assert_readable(text)


# --- pages -------------------------------------------------------------------------------------


def test_enterprise_page_timeline_is_readable(client, world, officer):
    enterprises.update_enterprise(
        officer, world.a1, {"scale": "medium", "registered_capital": Decimal("800")},
        version=world.a1.version,
    )  # fmt: skip
    client.force_login(world.zone_admin)
    text = page_timeline(
        client.get(reverse("enterprises:detail", args=[world.a1.pk])).content.decode()
    )
    assert "企业规模: — → 中型" in text
    assert "注册资本: — → 800 万元" in text
    assert "王科员" in text
    assert_readable(text)


def test_enterprise_status_history_names_the_person(client, world, officer):
    enterprises.change_status(
        officer, world.a1, "suspended", on=D(2024, 3, 1), note="设备检修", version=world.a1.version
    )
    client.force_login(world.zone_admin)
    html = client.get(reverse("enterprises:detail", args=[world.a1.pk])).content.decode()
    history = html.split('id="status-history"', 1)[1].split("</table>", 1)[0]
    assert "王科员" in history and ">staff<" not in history
    assert "经营状态: 在营 → 停产" in page_timeline(html)


def test_project_page_timeline_is_readable(client, world):
    project = investment.create_project(
        world.admin, world.zone_a, stage="negotiation", on=D(2024, 1, 5), name="甲项目",
        investor_name="某投资方", planned_investment=Decimal("5000"), department=world.dept_a,
    )  # fmt: skip
    investment.move_stage(world.admin, project, "signed", on=D(2024, 2, 1))
    client.force_login(world.zone_admin)
    html = client.get(reverse("investment:project_detail", args=[project.pk])).content.decode()
    text = page_timeline(html)
    assert "当前阶段: 洽谈 → 签约" in text
    assert "签约日期: — → 2024-02-01" in text
    assert_readable(text)
    stages = page_timeline(html, "stage-timeline")
    assert f"洽谈 → 签约 · {world.admin.full_name}" in stages  # the person, not the account


def test_return_page_timeline_is_readable(client, world, officer):
    ret = statistics.return_for(officer, world.a1, "2019-12", create=True)
    ret = statistics.save_draft(officer, ret, data=RETURN_DATA, version=ret.version)
    ret = statistics.submit(officer, ret, version=ret.version)
    client.force_login(world.zone_admin)
    html = client.get(reverse("statistics:return", args=[ret.pk])).content.decode()
    text = page_timeline(html)
    assert "状态: 草稿 → 已报送" in text
    assert "报送人: — → 王科员" in text
    assert_readable(text)
    history = page_timeline(html, "return-history")
    assert "王科员" in history and "staff" not in history  # the person, not the account


def test_matter_page_change_records_for_officers_only(client, world, officer):
    matter = matters.create_matter(
        world.admin, world.zone_a, kind="visit", title="走访", enterprise=world.a1,
        department=world.dept_a,
    )  # fmt: skip
    matters.assign(
        world.admin, matter, version=matter.version, department=world.dept_a, officer=officer
    )
    url = reverse("matters:detail", args=[matter.pk])
    client.force_login(world.zone_admin)
    text = page_timeline(client.get(url).content.decode())
    assert "状态: 待受理 → 已分派" in text
    assert "责任人: — → 王科员" in text
    assert_readable(text)
    client.force_login(world.enterprise)
    html = client.get(url).content.decode()
    assert 'id="matter-changes"' not in html and 'id="matter-timeline"' in html


def test_people_page_timeline_hides_the_password(client, world):
    from gaoxin.core.people import services as people

    people.update_account(world.admin, world.staff, {"full_name": "王科员"})
    client.force_login(world.admin)
    text = page_timeline(
        client.get(reverse("people:detail", args=[world.staff.pk])).content.decode()
    )
    assert "姓名:" in text and "王科员" in text
    assert "pbkdf2" not in text and "password" not in text
    assert_readable(text)


def test_audit_page_shows_the_same_readable_changes(client, world, officer):
    enterprises.update_enterprise(
        officer, world.a1, {"above_scale": True}, version=world.a1.version
    )
    client.force_login(world.zone_admin)
    html = client.get(reverse("audit")).content.decode()
    text = flat(html)
    assert "规上企业: 否 → 是" in text
    assert "above_scale" not in html


def test_the_admins_recent_changes_on_the_home_page_name_the_person(client, world, officer):
    enterprises.update_enterprise(officer, world.a1, {"address": "新地址 1 号"}, version=1)
    client.force_login(world.zone_admin)
    html = client.get(reverse("home")).content.decode()
    recent = flat(html.split("最近变更", 1)[1].split("</ul>", 1)[0])
    assert f"王科员 · 修改 · {world.a1.name}" in recent
    assert officer.username not in recent
