"""The minutes of a scheduling meeting (会议纪要) as a Word document (.docx, python-docx): the
title, date, place, chair and attendees, the projects walked, the problems carried over from
earlier meetings and this meeting's problems as tables (number, problem, project, responsible
department, officer, deadline, status), then the summary."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import meetings

FONT = "宋体"
HEADINGS = ("序号", "编号", "问题", "项目/企业", "责任部门", "责任人", "办理期限", "状态")
WIDTHS = (1.0, 2.6, 4.6, 3.4, 2.4, 1.6, 2.2, 1.6)  # cm, about an A4 page's width


def _font(run, size=None, bold=None):
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    return run


def _para(doc, text="", *, size=12, bold=False, align=None):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), size, bold)
    return p


def _heading(doc, text):
    return _para(doc, text, size=14, bold=True)


def _subject(matter) -> str:
    parts = [str(s) for s in (matter.project.name if matter.project_id else None,
                              matter.enterprise.name if matter.enterprise_id else None) if s]  # fmt: skip
    return " / ".join(parts)


def _table(doc, rows):
    table = doc.add_table(rows=1, cols=len(HEADINGS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(_(text)), 10, True)
    for n, matter in enumerate(rows, 1):
        values = (
            str(n),
            matter.number,
            matter.title,
            _subject(matter),
            str(matter.department or _("待分派")),
            matter.officer.display_name if matter.officer_id else "",
            matter.due_on.isoformat(),
            str(matter.get_status_display()),
        )
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), 10)
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS, strict=True):
            cell.width = Cm(width)
    return table


def build(meeting) -> bytes:
    """The minutes of `meeting` as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    _para(doc, meeting.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, _("会议纪要"), size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    held = meeting.held_on
    date_text = _("%(y)s年%(m)s月%(d)s日") % {"y": held.year, "m": held.month, "d": held.day}
    for label, value in (
        (_("时间"), date_text),
        (_("地点"), meeting.place),
        (_("主持"), meeting.chair),
        (_("参会人员"), meeting.attendees),
        (_("记录"), meeting.created_by_name),
    ):
        if value:
            _para(doc, f"{label}:{value}")

    _heading(doc, _("一、调度项目"))
    projects = list(meeting.projects.order_by("name"))
    if projects:
        for n, project in enumerate(projects, 1):
            _para(doc, f"{n}. {project.name}({project.get_stage_display()})")
    else:
        _para(doc, _("(无)"))

    carried = meetings.agenda(meeting)
    _heading(doc, _("二、前次会议遗留问题"))
    if carried:
        open_count = sum(1 for m in carried if m.is_active)
        _para(
            doc,
            _("共 %(n)s 项,其中仍在办理 %(o)s 项、已办结 %(d)s 项。")
            % {"n": len(carried), "o": open_count, "d": len(carried) - open_count},
        )
        _table(doc, carried)
    else:
        _para(doc, _("(无)"))

    own = meetings.problems(meeting)
    _heading(doc, _("三、本次会议议定问题"))
    if own:
        _para(doc, _("共 %(n)s 项,由责任部门在办理期限内办结。") % {"n": len(own)})
        _table(doc, own)
    else:
        _para(doc, _("(无)"))

    _heading(doc, _("四、会议要求"))
    for line in (meeting.summary or _("(无)")).splitlines() or [""]:
        if line.strip():
            _para(doc, line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(meeting) -> str:
    return f"minutes-{meeting.held_on:%Y%m%d}-{meeting.pk}.docx"
