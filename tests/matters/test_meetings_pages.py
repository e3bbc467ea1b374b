"""The meeting pages: list, create, edit (409 on stale), the detail with the carried-over agenda
first, raising a problem (bad input → 422, nothing written), the minutes download; leaders and
the province read, enterprise users get 404."""

import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import meetings
from gaoxin.matters.models import Matter, Meeting

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day):
    tz = timezone.get_current_timezone()
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=tz))


@pytest.fixture
def held(world):
    with at(D(2026, 9, 10)):
        world.p1 = investment.create_project(
            world.admin, world.zone_a, stage="signed", on=D(2026, 3, 1), name="甲液晶模组项目",
            investor_name="某投资方", planned_investment=Decimal("80000"),
        )  # fmt: skip
        world.sep = meetings.create_meeting(
            world.zone_admin, world.zone_a, title="9月调度会", held_on=D(2026, 9, 10),
            chair="张主任", projects=[world.p1],
        )  # fmt: skip
        world.land = meetings.add_problem(
            world.staff, world.sep, title="用地指标未落实", project=world.p1,
            department=world.dept_a, officer=world.staff, due_on=D(2026, 9, 30),
        )  # fmt: skip
    with at(D(2026, 10, 12)):
        world.oct = meetings.create_meeting(
            world.zone_admin, world.zone_a, title="10月调度会", held_on=D(2026, 10, 12),
            chair="张主任", projects=[world.p1],
        )  # fmt: skip
    return world


def written():
    return (
        Meeting.objects.count(),
        Matter.objects.count(),
        AuditRecord.objects.exclude(action__in=("login", "export")).count(),
    )


def test_list_and_roles(client, held, django_assert_max_num_queries):
    w = held
    with at(D(2026, 10, 12)):
        for user in (w.staff, w.leader, w.province, w.zone_admin):
            client.force_login(user)
            with django_assert_max_num_queries(12):
                html = client.get("/matters/meetings/").content.decode()
            assert "9月调度会" in html and "10月调度会" in html
            assert client.get(f"/matters/meetings/{w.oct.pk}/").status_code == 200
        client.force_login(w.leader)
        assert client.get("/matters/meetings/new/").status_code == 404
        assert client.get(f"/matters/meetings/{w.oct.pk}/edit/").status_code == 404
        html = client.get(f"/matters/meetings/{w.oct.pk}/").content.decode()
        assert 'id="problem-form"' not in html and 'id="edit-link"' not in html
        r = client.post(f"/matters/meetings/{w.oct.pk}/problems/", {"title": "x"})
        assert r.status_code == 404
        client.force_login(w.enterprise)
        for url in (
            "/matters/meetings/",
            f"/matters/meetings/{w.oct.pk}/",
            f"/matters/meetings/{w.oct.pk}/minutes.docx",
            "/matters/meetings/new/",
        ):
            assert client.get(url).status_code == 404, url
    client.logout()
    assert client.get("/matters/meetings/").status_code == 302


def test_detail_agenda_first(client, held):
    w = held
    with at(D(2026, 10, 12)):
        client.force_login(w.staff)
        html = client.get(f"/matters/meetings/{w.oct.pk}/").content.decode()
        agenda = html.index('id="agenda"')
        assert agenda < html.index('id="walked"') < html.index('id="problems"')
        assert f'id="agenda-table-{w.land.pk}" data-light="red"' in html
        assert "用地指标未落实" in html[agenda : html.index('id="walked"')]
        assert 'id="problem-form"' in html


def test_create_edit_and_stale(client, held):
    w = held
    with at(D(2026, 10, 20)):
        client.force_login(w.staff)
        assert client.get("/matters/meetings/new/").status_code == 200
        before = written()
        r = client.post("/matters/meetings/new/", {"title": "", "held_on": "2026-13-01"})
        assert r.status_code == 422 and "err-title" in r.content.decode()
        assert written() == before
        r = client.post(
            "/matters/meetings/new/",
            {"title": "11月调度会", "held_on": "2026-11-10", "chair": "李副主任",
             "projects": [w.p1.pk], "place": "管委会"},
        )  # fmt: skip
        assert r.status_code == 302
        nov = Meeting.objects.get(title="11月调度会")
        assert list(nov.projects.all()) == [w.p1]
        url = f"/matters/meetings/{nov.pk}/edit/"
        data = {"version": 1, "title": "11月调度会", "held_on": "2026-11-10", "chair": "李主任"}
        assert client.post(url, data).status_code == 302
        nov.refresh_from_db()
        assert nov.chair == "李主任" and nov.version == 2 and not nov.projects.exists()
        r = client.post(url, {**data, "chair": "王主任"})  # version 1 again
        assert r.status_code == 409 and "已被他人修改" in r.content.decode()
        nov.refresh_from_db()
        assert nov.chair == "李主任"


def test_raise_problem(client, held):
    w = held
    url = f"/matters/meetings/{w.oct.pk}/problems/"
    with at(D(2026, 10, 12)):
        client.force_login(w.staff)
        before = written()
        for data in (
            {"title": ""},
            {"title": "无对象的问题"},  # neither project nor enterprise
            {"title": "x", "project": w.p1.pk, "due_on": "2026-10-01"},  # past
            {"title": "x", "project": w.p1.pk, "department": 999999},
        ):
            r = client.post(url, data)
            assert r.status_code == 422, data
        assert written() == before
        r = client.post(
            url,
            {"title": "供水管网未接通", "project": w.p1.pk, "department": w.dept_a.pk,
             "officer": w.staff.pk, "due_on": "2026-10-30", "priority": "high"},
        )  # fmt: skip
        assert r.status_code == 302 and r.url.endswith("#problems")
        matter = Matter.objects.get(title="供水管网未接通")
        assert matter.meeting == w.oct and matter.kind == "scheduling"
        assert not matter.visible_to_enterprise and matter.priority == "high"
        assert client.get(url).status_code == 302


def test_minutes_download(client, held):
    w = held
    with at(D(2026, 10, 12)):
        client.force_login(w.leader)
        r = client.get(f"/matters/meetings/{w.oct.pk}/minutes.docx")
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert r["Content-Disposition"].startswith("attachment; filename*=")
        name = unquote(r["Content-Disposition"].split("''", 1)[1])
        assert name == "调度会纪要-2026年第2次.docx"
        doc = Document(io.BytesIO(r.content))
        cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        assert "用地指标未落实" in cells and "逾期" in cells  # due 2026-09-30, still open
        assert AuditRecord.objects.filter(action="export", object_id=str(w.oct.pk)).exists()
