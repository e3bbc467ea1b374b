"""Scheduling meetings through their services: create and update (audited, 409 on stale), the
problems raised (internal scheduling matters), the agenda carried over from earlier meetings, and
the minutes as .docx."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import meetings, minutes, services
from gaoxin.matters.models import Matter, Meeting, Status

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: D, hour=10):
    return time_machine.travel(
        datetime.datetime(
            day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()
        ),
        tick=False,
    )


@pytest.fixture
def walked(world):
    def make(zone, name):
        return investment.create_project(
            world.admin, zone, stage="signed", on=D(2026, 3, 1), name=name,
            investor_name=f"{name}投资方", planned_investment=Decimal("80000"),
        )  # fmt: skip

    world.p1 = make(world.zone_a, "甲液晶模组项目")
    world.p2 = make(world.zone_a, "甲电子玻璃项目")
    world.pb = make(world.zone_b, "乙项目")
    return world


def meeting(w, held_on, title, **kw):
    kw.setdefault("projects", [w.p1, w.p2])
    kw.setdefault("chair", "张主任")
    return meetings.create_meeting(
        w.zone_admin, w.zone_a, title=title, held_on=held_on, place="管委会三楼会议室",
        attendees="招商局、自然资源分局、经济发展局", summary="会议要求各责任单位限时办结。", **kw,
    )  # fmt: skip


def test_create_update_and_refusals(walked):
    w = walked
    with at(D(2026, 9, 10)):
        m = meeting(w, D(2026, 9, 10), "9月重大项目调度会")
        assert set(m.projects.all()) == {w.p1, w.p2}
        assert AuditRecord.objects.for_object(m).get().action == "create"
        count = (Meeting.objects.count(), AuditRecord.objects.count())
        bad = [
            {"title": " ", "held_on": D(2026, 9, 10), "chair": "x"},
            {"title": "x", "held_on": None, "chair": "x"},
            {"title": "x", "held_on": "2026-02-30", "chair": "x"},
            {"title": "x", "held_on": D(2026, 9, 10), "chair": ""},
            {"title": "x", "held_on": D(2026, 9, 10), "chair": "x", "projects": [w.pb]},
            {"title": "x", "held_on": D(2030, 9, 10), "chair": "x"},
        ]
        for data in bad:
            with pytest.raises(ValidationError):
                meetings.create_meeting(w.zone_admin, w.zone_a, **data)
        for actor in (w.leader, w.province, w.enterprise):
            with pytest.raises(Forbidden):
                meetings.create_meeting(
                    actor, w.zone_a, title="x", held_on=D(2026, 9, 1), chair="x"
                )
        assert (Meeting.objects.count(), AuditRecord.objects.count()) == count
        m = meetings.update_meeting(
            w.staff, m, version=m.version, summary="新纪要", projects=[w.p1]
        )
        assert m.version == 2 and list(m.projects.all()) == [w.p1]
        rec = AuditRecord.objects.for_object(m).latest("id")
        assert rec.action == "update" and rec.after["summary"] == "新纪要"
        same = meetings.update_meeting(w.staff, m, version=m.version, summary="新纪要")
        assert same.version == 2  # nothing changed, nothing written
        with pytest.raises(StaleVersion):
            meetings.update_meeting(w.staff, m, version=1, summary="x")
        with pytest.raises(ValidationError):
            meetings.update_meeting(w.staff, m, version=m.version, held_on="x")
        with pytest.raises(ValidationError):
            meetings.update_meeting(w.staff, m, version=m.version, number="x")
        with pytest.raises(Forbidden):
            meetings.update_meeting(w.leader, m, version=m.version, summary="x")
        with pytest.raises(Meeting.DoesNotExist):
            meetings.update_meeting(w.enterprise, m, version=m.version, summary="x")
        assert Meeting.objects.get(pk=m.pk).summary == "新纪要"


def test_problems_and_agenda(walked):
    w = walked
    with at(D(2026, 9, 10)):
        sep = meeting(w, D(2026, 9, 10), "9月调度会")
        assert meetings.agenda(sep) == []
        land = meetings.add_problem(
            w.zone_admin, sep, title="用地指标未落实", project=w.p1, department=w.dept_a,
            officer=w.staff, due_on=D(2026, 9, 30),
        )  # fmt: skip
        power = meetings.add_problem(
            w.staff, sep, title="临时用电未接入", project=w.p2, due_on=D(2026, 10, 20)
        )
        road = meetings.add_problem(w.staff, sep, title="进场道路未硬化", project=w.p2)
        assert land.kind == "scheduling" and land.meeting == sep and land.channel == "meeting"
        assert not land.visible_to_enterprise and land.status == Status.ASSIGNED
        assert land.number.startswith("DD-2026-")
        assert meetings.problems(sep) == [land, power, road]
        with pytest.raises(Forbidden):
            meetings.add_problem(w.leader, sep, title="x", project=w.p1)
        with pytest.raises(ValidationError):
            meetings.add_problem(w.staff, sep, title="x")  # neither project nor enterprise
        with pytest.raises(ValidationError):
            meetings.add_problem(w.staff, sep, title="x", project=w.pb)
        with pytest.raises(ValidationError):
            meetings.add_problem(w.staff, sep, title=" ", project=w.p1)
        assert sep.problems.count() == 3
    with at(D(2026, 9, 20)):
        road = services.resolve(w.staff, road, version=road.version, resolution="已硬化")
    with at(D(2026, 10, 12)):
        oct_ = meeting(w, D(2026, 10, 12), "10月调度会")
        rows = meetings.agenda(oct_)
        # land is red (due 30 Sep), power green, road resolved since the previous meeting
        assert [(r.title, r.light_now) for r in rows] == [
            ("用地指标未落实", "red"), ("临时用电未接入", "green"), ("进场道路未硬化", "done"),
        ]  # fmt: skip
        water = meetings.add_problem(w.staff, oct_, title="供水管网未接通", project=w.p1)
    with at(D(2026, 10, 25)):
        power = Matter.objects.get(pk=power.pk)
        services.resolve(w.staff, power, version=power.version, resolution="已通电")
    with at(D(2026, 11, 10)):
        nov = meeting(w, D(2026, 11, 10), "11月调度会")
        titles = [r.title for r in meetings.agenda(nov)]
        # road was done before October's meeting: no longer carried; power done since October
        assert titles == ["用地指标未落实", "供水管网未接通", "临时用电未接入"]
        assert water.meeting == oct_
        # October's own agenda is unchanged in membership (it shows current status)
        assert {r.title for r in meetings.agenda(oct_)} == {
            "用地指标未落实", "临时用电未接入", "进场道路未硬化",
        }  # fmt: skip
        # enterprise users never see scheduling problems
        assert not Matter.objects.restrict(w.enterprise).filter(kind="scheduling").exists()


def test_minutes_docx(walked):
    w = walked
    with at(D(2026, 9, 10)):
        sep = meeting(w, D(2026, 9, 10), "9月调度会")
        meetings.add_problem(
            w.staff, sep, title="用地指标未落实", project=w.p1, department=w.dept_a,
            officer=w.staff, due_on=D(2026, 9, 30),
        )  # fmt: skip
    with at(D(2026, 10, 12)):
        oct_ = meeting(w, D(2026, 10, 12), "10月调度会")
        meetings.add_problem(w.staff, oct_, title="供水管网未接通", project=w.p2)
        data = minutes.build(oct_)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "10月调度会" in text and "2026年10月12日" in text and "张主任" in text
    assert "前次会议遗留问题" in text and "本次会议议定问题" in text
    assert "用地指标未落实" in cells and "供水管网未接通" in cells
    assert "经济发展局" in cells and "2026-09-30" in cells and "甲液晶模组项目" in cells
    assert len(doc.tables) >= 2


def _east_asia(run_or_style_element):
    rpr = run_or_style_element.rPr
    return rpr.rFonts.get(qn("w:eastAsia")) if rpr is not None and rpr.rFonts is not None else None


def test_minutes_layout_fonts_and_overdue_mark(walked):
    """A4 with margins, Chinese fonts on every run, the overdue problem marked 逾期 in red and the
    one within its deadline not."""
    w = walked
    with at(D(2026, 9, 10)):
        sep = meeting(w, D(2026, 9, 10), "9月调度会")
        late = meetings.add_problem(
            w.staff, sep, title="用地指标未落实", project=w.p1, department=w.dept_a,
            officer=w.staff, due_on=D(2026, 9, 30),
        )  # fmt: skip
        meetings.add_problem(
            w.staff, sep, title="环评批复待出具", project=w.p2, department=w.dept_a,
            officer=w.staff, due_on=D(2026, 12, 30),
        )  # fmt: skip
    with at(D(2026, 10, 12)):
        oct_ = meeting(w, D(2026, 10, 12), "10月调度会")
        data = minutes.build(oct_)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    for margin in (section.left_margin, section.right_margin, section.top_margin):
        assert 20 <= margin.mm <= 40
    text_width = section.page_width - section.left_margin - section.right_margin
    assert sum(c.width for c in doc.tables[0].rows[0].cells) <= text_width
    assert _east_asia(doc.styles["Normal"].element) == "仿宋_GB2312"
    title = doc.paragraphs[0]
    assert title.text == "10月调度会"
    assert _east_asia(title.runs[0]._element) in ("方正小标宋简体", "黑体")
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r for t in doc.tables for row in t.rows for c in row.cells
        for p in c.paragraphs for r in p.runs
    ]  # fmt: skip
    assert runs and all(_east_asia(r._element) for r in runs)
    body = next(p for p in doc.paragraphs if p.text.startswith("主持"))
    assert _east_asia(body.runs[0]._element) == "仿宋_GB2312"
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    carried = doc.tables[0]
    rows = {row.cells[2].text: row.cells[-1] for row in carried.rows[1:]}
    late_cell, fine_cell = rows["用地指标未落实"], rows["环评批复待出具"]
    marks = [r for r in late_cell.paragraphs[0].runs if r.text.strip() == "逾期"]
    assert len(marks) == 1 and marks[0].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert "逾期" not in fine_cell.text
    assert "逾期 1 项" in "\n".join(p.text for p in doc.paragraphs)
    # resolved, it is no longer marked
    with at(D(2026, 10, 12)):
        Matter.objects.filter(pk=late.pk).update(status=Status.RESOLVED)
        again = Document(io.BytesIO(minutes.build(oct_)))
    assert "逾期" not in " ".join(c.text for t in again.tables for row in t.rows for c in row.cells)


def test_minutes_file_name_counts_the_year(walked):
    w = walked
    with at(D(2026, 12, 20)):
        first = meeting(w, D(2026, 3, 5), "3月调度会")
        second = meeting(w, D(2026, 6, 5), "6月调度会")
        third = meeting(w, D(2026, 9, 5), "9月调度会")
        # another zone's meetings do not count
        meetings.create_meeting(
            w.admin, w.zone_b, title="乙区调度会", held_on=D(2026, 1, 5), chair="李主任",
            projects=[w.pb],
        )  # fmt: skip
    with at(D(2027, 1, 20)):
        next_year = meeting(w, D(2027, 1, 15), "1月调度会")
    assert minutes.filename(first) == "调度会纪要-2026年第1次.docx"
    assert minutes.filename(second) == "调度会纪要-2026年第2次.docx"
    assert minutes.filename(third) == "调度会纪要-2026年第3次.docx"
    assert minutes.filename(next_year) == "调度会纪要-2027年第1次.docx"
