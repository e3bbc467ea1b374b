"""The service cockpit as an .xlsx workbook: sheets 概况 / 部门与类型 / 月度 / 帮扶台账 / 说明,
Chinese headers, counts and amounts as numbers (万元), rates in percent."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import save_workbook
from gaoxin.core.spreadsheets.writing import figures_sheet


def write_cockpit(data: dict, target) -> None:
    """Write the cockpit `data` (`cockpit.figures`) to a path or a writable object."""
    cards, span = data["cards"], data["span"]
    wb = Workbook()
    wb.remove(wb.active)
    figures_sheet(
        wb,
        _("概况"),
        [_("指标"), _("数值"), _("说明")],
        [
            [_("在办事项"), cards["open"]["value"], _("截至今日")],
            [_("临期(黄灯)"), cards["yellow"]["value"], _("截至今日")],
            [_("逾期(红灯)"), cards["red"]["value"], _("截至今日")],
            [_("升级督办"), cards["escalated"]["value"], _("在办事项中已升级的")],
            [_("期内办结"), cards["resolved"]["value"], span.label],
            [_("按期办结"), cards["on_time"]["value"], span.label],
            [_("按期办结率(%)"), cards["on_time"]["rate"], span.label],
            [_("办结用时中位数(天)"), cards["median_days"], span.label],
            [_("已评价"), cards["rated"]["value"], span.label],
            [_("平均评分"), cards["average_rating"], _("1–5 星")],
            [_("满意率(4–5 星,%)"), cards["good"]["rate"], span.label],
        ],
        [24, 14, 30],
    )
    kinds = data["departments"]["kinds"]
    headers = [_("责任部门")]
    for k in kinds:
        headers += [
            _("%(k)s·在办") % {"k": k["label"]},
            _("%(k)s·临期") % {"k": k["label"]},
            _("%(k)s·逾期") % {"k": k["label"]},
        ]
    headers += [_("合计·在办"), _("合计·临期"), _("合计·逾期")]
    rows = []
    for row in data["departments"]["rows"]:
        values = [row["name"]]
        for cell in [*row["cells"], row["total"]]:
            values += [cell["open"], cell["yellow"], cell["red"]] if cell else [0, 0, 0]
        rows.append(values)
    figures_sheet(wb, _("部门与类型"), headers, rows, [20] + [11] * (len(headers) - 1))
    figures_sheet(
        wb,
        _("月度"),
        [_("月份"), _("新提出"), _("办结")],
        [[m["label"], m["opened"], m["resolved"]] for m in data["monthly"]],
        [14, 10, 10],
    )
    ledgers = data["ledgers"]
    loans, jobs, res = ledgers["loans"], ledgers["jobs"], ledgers["resumption"]
    figures_sheet(
        wb,
        _("帮扶台账"),
        [_("项目"), _("企业数"), _("笔数/场次"), _("金额(万元)/岗位数/复工率(%)")],
        [
            [
                _("奖补兑现"),
                ledgers["awards"]["enterprises"],
                ledgers["awards"]["count"],
                ledgers["awards"]["amount_wan"],
            ],
            [
                _("信贷"),
                loans["credit"]["enterprises"],
                loans["credit"]["count"],
                loans["credit"]["amount_wan"],
            ],
            [
                _("担保专项贷款"),
                loans["guaranteed"]["enterprises"],
                loans["guaranteed"]["count"],
                loans["guaranteed"]["amount_wan"],
            ],
            [
                _("融资合计"),
                loans["total"]["enterprises"],
                loans["total"]["count"],
                loans["total"]["amount_wan"],
            ],
            [_("网络招聘会岗位"), jobs["enterprises"], jobs["fairs"], jobs["positions"]],
            [
                _("规上企业复工"),
                res["enterprises"]["resumed"],
                res["enterprises"]["tracked"],
                res["enterprises"]["rate"],
            ],
            [
                _("重点项目复工"),
                res["projects"]["resumed"],
                res["projects"]["tracked"],
                res["projects"]["rate"],
            ],
        ],  # fmt: skip
        [18, 10, 12, 28],
    )
    about = wb.create_sheet(_("说明"))
    lines = [
        (_("园区"), str(data["zone"])),
        (_("期间"), span.label),
        (_("导出日期"), data["today"].isoformat()),
        (_("说明"), _("在办、临期、逾期、升级督办为截至导出日的状态;办结、评价按期间内办结的事项统计;复工对象中“企业数”列为已复工数,“笔数/场次”列为跟踪数。")),
    ]  # fmt: skip
    for i, (k, v) in enumerate(lines, start=1):
        about.cell(row=i, column=1, value=k)
        about.cell(row=i, column=2, value=v)
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 80
    save_workbook(wb, target)


def export_audited(actor, zone, data: dict, target) -> None:
    """Write the workbook and record the export in the audit trail."""
    write_cockpit(data, target)
    audit.record(
        actor,
        AuditRecord.Action.EXPORT,
        zone=zone,
        repr_=_("服务总览导出"),
        message=_("导出服务总览:%(p)s") % {"p": data["span"].label},
    )
