"""The .xlsx exports of the matters lists (agency cases, meetings, inbox, working groups): the
Chinese headers, a row with dates as dates, the list's filters applied, another zone's rows
absent, the export audited, and 404 for whoever cannot open the list."""

import datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django.utils import timezone

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import assistance, meetings, services
from tests.factories import member
from tests.support.spreadsheets import exported_sheet

pytestmark = pytest.mark.django_db

D = datetime.date
sheet = exported_sheet


def at(day):
    tz = timezone.get_current_timezone()
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=tz))


def filename(response) -> str:
    return unquote(response["Content-Disposition"].split("''", 1)[1])


@pytest.fixture
def data(world):
    w = world
    w.officer_b = member("zone_staff", username="staff_b", zone=w.zone_b)
    with at(D(2026, 9, 10)):
        w.p1 = investment.create_project(
            w.admin, w.zone_a, stage="signed", on=D(2026, 3, 1), name="甲液晶模组项目",
            investor_name="某投资方", planned_investment=Decimal("80000"),
        )  # fmt: skip
        p2 = investment.create_project(
            w.admin, w.zone_a, stage="signed", on=D(2026, 3, 1), name="甲二项目",
            investor_name="某投资方", planned_investment=Decimal("10000"),
        )  # fmt: skip
        pb = investment.create_project(
            w.admin, w.zone_b, stage="signed", on=D(2026, 3, 1), name="乙代办项目",
            investor_name="某投资方", planned_investment=Decimal("30000"),
        )  # fmt: skip
        w.case = services.create_matter(
            w.zone_admin, w.zone_a, kind="agency", title="甲代办", project=w.p1,
            enterprise=w.a1, department=w.dept_a, officer=w.staff, due_on=D(2026, 12, 31),
        )  # fmt: skip
        w.case2 = services.create_matter(
            w.zone_admin, w.zone_a, kind="agency", title="甲二代办", project=p2,
            enterprise=w.a2,
            department=w.dept_a, officer=w.zone_admin,
        )  # fmt: skip
        services.create_matter(w.admin, w.zone_b, kind="agency", title="乙代办", project=pb)
        meetings.create_meeting(
            w.zone_admin, w.zone_a, title="9月调度会", held_on=D(2026, 9, 10),
            chair="张主任", projects=[w.p1],
        )  # fmt: skip
        meetings.create_meeting(
            w.admin, w.zone_b, title="乙区调度会", held_on=D(2026, 9, 8), chair="李主任"
        )
        assistance.create_group(
            w.zone_admin, w.zone_a, name="第一帮扶工作组", leader_name="张三",
            department=w.dept_a, members=[w.staff], member_names="王五", enterprises=[w.a1],
        )  # fmt: skip
        assistance.create_group(w.admin, w.zone_b, name="乙区工作组", leader_name="李四")
    return w


def test_agency_export(client, data):
    w = data
    with at(D(2026, 10, 12)):
        client.force_login(w.staff)
        r = client.get("/matters/agency/export/")
        head, rows = sheet(r)
        assert head[:3] == ("编号", "标题", "项目") and "办理期限" in head
        assert filename(r).startswith("项目代办清单-") and filename(r).endswith(".xlsx")
        assert {row["标题"] for row in rows} == {"甲代办", "甲二代办"}  # zone B's absent
        row = next(row for row in rows if row["标题"] == "甲代办")
        assert row["项目"] == "甲液晶模组项目" and row["责任人"] == w.staff.display_name
        assert row["办理期限"] == datetime.datetime(2026, 12, 31)  # a date cell, not text
        # the list's filters: q, and mine (the staff officer owns only 甲代办)
        _h, rows = sheet(client.get("/matters/agency/export/?q=甲二"))
        assert [row["标题"] for row in rows] == ["甲二代办"]
        _h, rows = sheet(client.get("/matters/agency/export/?mine=1"))
        assert [row["标题"] for row in rows] == ["甲代办"]
        _h, rows = sheet(client.get("/matters/agency/export/?state=done"))
        assert rows == []
        record = AuditRecord.objects.filter(action="export").latest("id")
        assert record.actor == w.staff and "state=done" in record.message
        client.force_login(w.enterprise)  # its own enterprise's case only
        _h, rows = sheet(client.get("/matters/agency/export/"))
        assert [row["标题"] for row in rows] == ["甲代办"]
        client.force_login(w.officer_b)  # works in zone B: zone A's cases absent
        _h, rows = sheet(client.get("/matters/agency/export/"))
        assert [row["标题"] for row in rows] == ["乙代办"]
    client.logout()
    assert client.get("/matters/agency/export/").status_code == 302


def test_meeting_export(client, data):
    w = data
    client.force_login(w.leader)
    r = client.get("/matters/meetings/export/")
    head, rows = sheet(r)
    assert head[:3] == ("会议日期", "会议名称", "主持人")
    assert filename(r).startswith("重大项目调度会清单-")
    assert [row["会议名称"] for row in rows] == ["9月调度会"]
    assert rows[0]["会议日期"] == datetime.datetime(2026, 9, 10)
    assert rows[0]["调度项目"] == "甲液晶模组项目" and rows[0]["议定问题数"] == 0
    client.force_login(w.officer_b)
    _h, rows = sheet(client.get("/matters/meetings/export/"))
    assert [row["会议名称"] for row in rows] == ["乙区调度会"]
    client.force_login(w.enterprise)
    assert client.get("/matters/meetings/export/").status_code == 404
    assert client.get("/matters/meetings/").status_code == 404


def test_inbox_export(client, data):
    w = data
    with at(D(2026, 10, 12)):
        client.force_login(w.staff)
        r = client.get("/matters/inbox/export/")
        head, rows = sheet(r)
        assert head[0] == "红黄绿灯" and "待办原因" in head
        assert filename(r).startswith("我的待办-")
        assert [row["标题"] for row in rows] == ["甲代办"]  # the staff's own, not zone_admin's
        assert rows[0]["待办原因"] == "我负责" and rows[0]["企业"] == w.a1.name
        client.force_login(w.zone_admin)
        _h, rows = sheet(client.get("/matters/inbox/export/"))
        assert "甲二代办" in {row["标题"] for row in rows}
        assert "乙代办" not in {row["标题"] for row in rows}
        client.force_login(w.officer_b)  # nothing waits for them in zone B
        _h, rows = sheet(client.get("/matters/inbox/export/"))
        assert rows == []


def test_group_export(client, data):
    w = data
    client.force_login(w.staff)
    r = client.get("/matters/assistance/groups/export/")
    head, rows = sheet(r)
    assert head[:3] == ("工作组", "组长", "牵头部门")
    assert filename(r).startswith("帮扶工作组清单-")
    assert [row["工作组"] for row in rows] == ["第一帮扶工作组"]
    assert rows[0]["包联企业"] == w.a1.name and rows[0]["包联企业数"] == 1
    assert w.staff.display_name in rows[0]["成员"] and "王五" in rows[0]["成员"]
    client.force_login(w.officer_b)
    _h, rows = sheet(client.get("/matters/assistance/groups/export/"))
    assert [row["工作组"] for row in rows] == ["乙区工作组"]
    client.force_login(w.enterprise)
    assert client.get("/matters/assistance/groups/export/").status_code == 404


def test_list_pages_link_their_export(client, data):
    client.force_login(data.zone_admin)
    for page, export in (
        ("/matters/agency/?q=甲", "/matters/agency/export/?q="),
        ("/matters/meetings/", "/matters/meetings/export/"),
        ("/matters/inbox/", "/matters/inbox/export/"),
        ("/matters/assistance/groups/", "/matters/assistance/groups/export/"),
    ):
        html = client.get(page).content.decode()
        assert 'id="export-xlsx"' in html and f'href="{export}' in html, page
