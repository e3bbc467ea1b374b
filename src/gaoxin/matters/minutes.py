"""The minutes of a scheduling meeting (会议纪要) as a Word document (.docx, python-docx), laid out
as the zone's documents are (after GB/T 9704 党政机关公文格式): an A4 page, the title in 方正小标宋
(黑体 where that is not installed is the reader's substitution), headings in 黑体, the body in
仿宋_GB2312 and the tables in 宋体, each with a Latin font for digits and letters. Then: the date,
place, chair and attendees, the projects walked, the problems carried over from earlier meetings
and this meeting's problems as tables (number, problem, project, responsible department, officer,
deadline, status; an open problem past its deadline is marked 逾期 in red), then the summary.

The download's name is Chinese: 调度会纪要-2026年第3次.docx, the meeting's place among the
zone's meetings of its year."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gaoxin.core.clock import today

from . import meetings
from .models import Light, Meeting

# (East Asian font, Latin font) by role.
TITLE_FONT = ("方正小标宋简体", "Times New Roman")
HEADING_FONT = ("黑体", "Times New Roman")
BODY_FONT = ("仿宋_GB2312", "Times New Roman")
TABLE_FONT = ("宋体", "Times New Roman")
RED = RGBColor(0xC0, 0x00, 0x00)
# A4 (GB/T 148) with the margins of GB/T 9704, a little narrower at the sides for the tables.
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(25), "right": Mm(25)}
HEADINGS = ("序号", "编号", "问题", "项目/企业", "责任部门", "责任人", "办理期限", "状态")
WIDTHS = (9, 22, 36, 28, 20, 15, 20, 10)  # mm: 160, the text width of the page


def _set_fonts(rfonts_owner, font):
    east, latin = font
    rfonts = rfonts_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:hint"), "eastAsia")


def _font(run, font=BODY_FONT, size=None, bold=None, color=None):
    _set_fonts(run._element, font)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc, text="", *, font=BODY_FONT, size=14, bold=False, align=None):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _heading(doc, text):
    return _para(doc, text, font=HEADING_FONT, size=15)


def _subject(matter) -> str:
    parts = [str(s) for s in (matter.project.name if matter.project_id else None,
                              matter.enterprise.name if matter.enterprise_id else None) if s]  # fmt: skip
    return " / ".join(parts)


def is_overdue(matter, on=None) -> bool:
    """An open problem past its deadline (the red light)."""
    return matter.light(on or today()) == Light.RED


def _table(doc, rows, on):
    table = doc.add_table(rows=1, cols=len(HEADINGS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        _font(cell.paragraphs[0].add_run(_(text)), HEADING_FONT, 10.5)
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
            _font(cell.paragraphs[0].add_run(text), TABLE_FONT, 10.5)
        if is_overdue(matter, on):
            status = cells[-1].paragraphs[0]
            _font(status.add_run(" " + _("逾期")), TABLE_FONT, 10.5, True, RED)
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS, strict=True):
            cell.width = Mm(width)
    return table


def _page(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(14)


def _count_line(rows, on) -> str:
    open_count = sum(1 for m in rows if m.is_active)
    late = sum(1 for m in rows if is_overdue(m, on))
    text = _("共 %(n)s 项,其中仍在办理 %(o)s 项、已办结 %(d)s 项") % {
        "n": len(rows), "o": open_count, "d": len(rows) - open_count,
    }  # fmt: skip
    if late:
        text += _(",逾期 %(l)s 项") % {"l": late}
    return text + "。"


def build(meeting) -> bytes:
    """The minutes of `meeting` as .docx bytes."""
    on = today()
    doc = Document()
    _page(doc)
    _para(doc, meeting.title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, _("会议纪要"), font=HEADING_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
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
        _para(doc, _count_line(carried, on))
        _table(doc, carried, on)
    else:
        _para(doc, _("(无)"))

    own = meetings.problems(meeting)
    _heading(doc, _("三、本次会议议定问题"))
    if own:
        _para(doc, _("共 %(n)s 项,由责任部门在办理期限内办结。") % {"n": len(own)})
        _table(doc, own, on)
    else:
        _para(doc, _("(无)"))

    _heading(doc, _("四、会议要求"))
    for line in (meeting.summary or _("(无)")).splitlines() or [""]:
        if line.strip():
            _para(doc, line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def sequence(meeting) -> int:
    """The meeting's place among its zone's meetings of the same year (by date, then entry)."""
    same_year = Meeting.objects.filter(zone_id=meeting.zone_id, held_on__year=meeting.held_on.year)
    before = same_year.filter(held_on__lt=meeting.held_on).count()
    same_day = same_year.filter(held_on=meeting.held_on, pk__lte=meeting.pk).count()
    return before + same_day


def filename(meeting) -> str:
    """调度会纪要-2026年第3次.docx"""
    return _("调度会纪要-%(y)s年第%(n)s次.docx") % {
        "y": meeting.held_on.year,
        "n": sequence(meeting),
    }
