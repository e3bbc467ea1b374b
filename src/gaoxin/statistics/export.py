"""The economic cockpit as an .xlsx workbook: sheets 指标 / 趋势 / 行业门类 / 行业大类 /
重点企业 / 增长贡献, Chinese headers, figures as numbers in their indicator's unit (never text,
so officers can sum and chart them), each computed or official figure with its source."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import save_workbook
from gaoxin.core.spreadsheets.writing import safe_value

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NUMBER_FORMAT = "#,##0.00##"
PERCENT_FORMAT = "0.0"


def _value(value):
    if value is None:
        return None
    return float(value) if hasattr(value, "as_tuple") else value


def _put(ws, row: int, values, *, header=False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=safe_value(_value(value)))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        if header:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)


def _sheet(wb, title, headers, rows, *, numbers=(), percents=(), widths=None):
    ws = wb.create_sheet(title)
    _put(ws, 1, headers, header=True)
    for i, row in enumerate(rows, start=2):
        _put(ws, i, row)
        for col in numbers:
            ws.cell(row=i, column=col).number_format = NUMBER_FORMAT
        for col in percents:
            ws.cell(row=i, column=col).number_format = PERCENT_FORMAT
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths or [16] * len(headers), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return ws


def write_cockpit(data: dict, target) -> None:
    """Write the cockpit `data` (views.cockpit.cockpit_data) to a path or a writable object."""
    period, mode_label = data["period"], data["mode_label"]
    cards = data["official"] + data["computed"]
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        _("指标"),
        [
            _("指标"),
            _("代码"),
            _("数值"),
            _("单位"),
            _("同比增长(%)"),
            _("口径"),
            _("来源"),
            _("企业数"),
        ],  # fmt: skip
        [
            [
                c["figure"].name,
                c["code"],
                c["figure"].value,
                c["figure"].unit,
                c["figure"].yoy_pct,
                c["basis"],
                c["figure"].source_label,
                c["figure"].enterprises,
            ]
            for c in cards
        ],
        numbers=(3,),
        percents=(5,),
        widths=[30, 24, 18, 10, 14, 22, 18, 10],
    )
    points = cards[0]["trend"] if cards else []
    _sheet(
        wb,
        _("趋势"),
        [_("报告期")] + [f"{c['figure'].name}({c['figure'].unit})" for c in cards],
        [[p.label] + [c["trend"][i].value for c in cards] for i, p in enumerate(points)],
        numbers=range(2, len(cards) + 2),
        widths=[14] + [18] * len(cards),
    )
    focus = data["focus"]
    unit = f"({focus.unit})" if focus else ""
    for title, rows in ((_("行业门类"), data["sections"]), (_("行业大类"), data["divisions"])):
        _sheet(
            wb,
            title,
            [
                _("行业"),
                _("数值%(u)s") % {"u": unit},
                _("占比(%)"),
                _("同比增长(%)"),
                _("企业数"),
            ],  # fmt: skip
            [[r["label"], r["value"], r["share"], r["yoy_pct"], r["enterprises"]] for r in rows],
            numbers=(2,),
            percents=(3, 4),
            widths=[40, 18, 12, 14, 10],
        )
    _sheet(
        wb,
        _("重点企业"),
        [_("排名"), _("企业"), _("数值%(u)s") % {"u": unit}, _("占比(%)"), _("同比增长(%)")],
        [
            [i, r["name"], r["value"], r["share"], r["yoy_pct"]]
            for i, r in enumerate(data["top"], start=1)
        ],
        numbers=(3,),
        percents=(4, 5),
        widths=[8, 36, 18, 12, 14],
    )
    _sheet(
        wb,
        _("增长贡献"),
        [
            _("企业"),
            _("本期%(u)s") % {"u": unit},
            _("上年同期%(u)s") % {"u": unit},
            _("增减%(u)s") % {"u": unit},
            _("拉动增长(百分点)"),
            _("同比增长(%)"),
        ],  # fmt: skip
        [
            [r["name"], r["value"], r["base"], r["change"], r["contribution_pp"], r["yoy_pct"]]
            for r in data["contributions"]
        ],
        numbers=(2, 3, 4),
        percents=(6,),
        widths=[36, 16, 16, 16, 18, 14],
    )
    about = wb.create_sheet(_("说明"))
    lines = [
        [_("园区"), str(data["zone"])],
        [_("报告期"), period.label()],
        [_("口径"), mode_label],
        [_("分析指标"), focus.name if focus else ""],
        [_("未报送企业数"), data["missing"]],
        [_("待处理审核发现"), data["findings"]],
        [_("说明"), _("平台计算数据为已审核企业报表之和,增速按同口径(两年均有数据的企业)计算;官方数据按发布值列示并注明来源。")],
    ]  # fmt: skip
    for i, line in enumerate(lines, start=1):
        _put(about, i, line)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    save_workbook(wb, target)


def export_audited(actor, zone, data: dict, target, *, describe: str) -> None:
    """Write the cockpit workbook and record the export in the audit trail."""
    write_cockpit(data, target)
    audit.record(
        actor, AuditRecord.Action.EXPORT, zone=zone, repr_=_("经济运行监测导出"), message=describe
    )
