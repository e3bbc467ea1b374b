"""The cockpit's figures as an .xlsx workbook: sheets 概览 / 漏斗 / 速度 / 部门 / 月度, Chinese
headers, money as numbers in 万元 (never text, so officers can sum and chart them)."""

import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import save_workbook
from gaoxin.core.spreadsheets.writing import safe_value

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MONEY_FORMAT = "#,##0.00##"
PERCENT_FORMAT = "0.0"


def _put(ws, row: int, values, *, header=False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=safe_value(value))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        if header:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)


def _sheet(wb, title, headers, rows, *, money=(), widths=None):
    ws = wb.create_sheet(title)
    _put(ws, 1, headers, header=True)
    for i, row in enumerate(rows, start=2):
        _put(ws, i, row)
        for col in money:
            ws.cell(row=i, column=col).number_format = MONEY_FORMAT
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths or [16] * len(headers), start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    return ws


def _median(value):
    return value["median"]


def write_cockpit(data: dict, target) -> None:
    """Write the cockpit `data` (views.cockpit.cockpit_data) to a path or a writable object."""
    period, figures, thresholds = data["period"], data["figures"], data["thresholds"]
    wb = Workbook()
    wb.remove(wb.active)

    overview = wb.create_sheet(_("概览"))
    _put(overview, 1, [_("园区"), str(data["zone"])])
    _put(overview, 2, [_("期间"), period.label])
    _put(overview, 3, [_("开始日期"), period.start])
    _put(overview, 4, [_("结束日期"), period.end])
    _put(overview, 5, [_("项目类别"), data["category_label"]])
    _put(overview, 7, [_("指标"), _("项目数"), _("计划总投资(万元)")], header=True)
    rows = [
        [_("签约"), figures["signed"]["count"], figures["signed"]["investment_wan"]],
        [_("开工"), figures["started"]["count"], figures["started"]["investment_wan"]],
        [_("投产"), figures["production"]["count"], figures["production"]["investment_wan"]],
        [_("亿元以上签约项目"), figures["over_100m"], None],
        [_("5020 签约项目"), figures["class_5020"], None],
    ]
    for i, row in enumerate(rows, start=8):
        _put(overview, i, row)
        overview.cell(row=i, column=3).number_format = MONEY_FORMAT
    _put(overview, 14, [_("亿元以上门槛(万元)"), thresholds.large])
    _put(overview, 15, [_("5020 门槛(万元)"), thresholds.class_5020])
    for r in (14, 15):
        overview.cell(row=r, column=2).number_format = MONEY_FORMAT
    for col, width in zip("ABC", (22, 26, 20), strict=True):
        overview.column_dimensions[col].width = width

    _sheet(
        wb,
        _("漏斗"),
        [_("阶段"), _("期间内到达项目数"), _("较上一阶段转化率(%)")],
        [[r["label"], r["count"], r["rate"]] for r in data["funnel"]],
        widths=[12, 18, 22],
    )

    speed = data["speed"]
    speed_rows = [
        [
            _("本期全部"),
            _median(speed["visit_to_signed"]),
            speed["visit_to_signed"]["count"],
            _median(speed["signed_to_started"]),
            speed["signed_to_started"]["count"],
        ]
    ]
    speed_rows += [
        [
            _("本期·%(d)s") % {"d": r["department"]},
            _median(r["visit_to_signed"]),
            r["visit_to_signed"]["count"],
            _median(r["signed_to_started"]),
            r["signed_to_started"]["count"],
        ]
        for r in speed["by_department"]
    ]
    speed_rows += [
        [
            _("%(y)s 年") % {"y": r["year"]},
            _median(r["visit_to_signed"]),
            r["visit_to_signed"]["count"],
            _median(r["signed_to_started"]),
            r["signed_to_started"]["count"],
        ]
        for r in data["speed_by_year"]
    ]
    _sheet(
        wb,
        _("速度"),
        [
            _("范围"),
            _("考察→签约中位天数"),
            _("考察→签约项目数"),
            _("签约→开工中位天数"),
            _("签约→开工项目数"),
        ],
        speed_rows,
        widths=[24, 18, 16, 18, 16],
    )

    _sheet(
        wb,
        _("部门"),
        [
            _("部门"),
            _("签约项目数"),
            _("签约计划总投资(万元)"),
            _("亿元以上签约项目数"),
            _("开工项目数"),
            _("投产项目数"),
            _("年度目标签约项目数"),
            _("年度目标签约投资额(万元)"),
            _("年度目标亿元以上项目数"),
        ],
        [
            [
                r["department"],
                r["signed"],
                r["signed_investment_wan"],
                r["large"],
                r["started"],
                r["production"],
                r["target_projects"],
                r["target_investment_wan"],
                r["target_large"],
            ]
            for r in data["departments"]
        ],
        money=(3, 8),
        widths=[18, 12, 20, 16, 12, 12, 18, 22, 20],
    )

    _sheet(
        wb,
        _("月度"),
        [_("月份"), _("签约项目数"), _("签约计划总投资(万元)"), _("开工项目数"), _("投产项目数")],
        [
            [r["month"], r["signed"], r["signed_investment_wan"], r["started"], r["production"]]
            for r in data["monthly"]
        ],
        money=(3,),
        widths=[12, 12, 20, 12, 12],
    )

    save_workbook(wb, target)


def export_audited(actor, zone, data: dict, target, *, describe: str) -> None:
    """Write the cockpit workbook and record the export in the audit trail."""
    write_cockpit(data, target)
    audit.record(
        actor, AuditRecord.Action.EXPORT, zone=zone, repr_=_("招商驾驶舱导出"), message=describe
    )
