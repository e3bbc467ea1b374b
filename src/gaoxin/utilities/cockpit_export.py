"""The utilities cockpit as an .xlsx workbook: sheets 概况 / 用量 / 用电量核对 / 说明, Chinese
headers, counts and volumes as numbers (core.spreadsheets.writing.figures_sheet)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaoxin.core.spreadsheets import save_workbook
from gaoxin.core.spreadsheets.writing import figures_sheet


def overview_rows(data: dict) -> list[list]:
    rows = [[_("在用账户"), data["accounts"], _("未销户的预付费账户")]]
    rows += [[_("%(b)s账户") % {"b": b["label"]}, b["n"], _("按预警级别")] for b in data["bands"]]
    w, c = data["warnings"], data["cutoffs"]
    rows.append([_("今年发出预警"), w["raised"], _("1 月 1 日至统计日")])
    rows += [[_("其中%(l)s") % {"l": r["label"]}, r["n"], ""] for r in w["by_level"]]
    rows += [[_("预警结果:%(l)s") % {"l": r["label"]}, r["n"], ""] for r in w["ended"]]
    rows.append([_("今年停供"), c["n"], _("供应单位报告")])
    rows.append([_("意外停供"), c["surprise"], _("停供前未经两级预警")])
    return rows


def write_cockpit(zone, data: dict, target) -> None:
    """Write the cockpit `data` (summary.cockpit) to a path or a writable object."""
    wb = Workbook()
    wb.remove(wb.active)
    figures_sheet(
        wb, _("概况"), [_("指标"), _("数值"), _("说明")], overview_rows(data), [24, 12, 30]
    )
    rows = []
    months = []
    for block in data["consumption"]:
        months = block["months"]
        for r in block["rows"]:
            rows.append([block["label"], block["unit"], r["section"], r["label"], *r["values"],
                         r["total"]])  # fmt: skip
    headers = [_("类别"), _("单位"), _("门类"), _("行业"), *months, _("合计")]
    figures_sheet(wb, _("用量"), headers, rows, [8, 8, 6, 24, *([11] * len(months)), 12])
    figures_sheet(
        wb, _("用电量核对"),
        [_("报告期"), _("企业数"), _("电表计量(kWh)"), _("报表填报(kWh)"), _("偏差(%)")],
        [[r["period"], r["enterprises"], r["metered"], r["reported"], r["diff_percent"]]
         for r in data["electricity"]],
        [10, 10, 16, 16, 10],
    )  # fmt: skip
    about = wb.create_sheet(_("说明"))
    lines = [
        (_("园区"), zone.name),
        (_("统计日"), data["on"].isoformat()),
        (_("说明"), _("预警与停供按今年 1 月 1 日至统计日;用量为统计日前 12 个月各月读数用量之和,按企业所属国民经济行业门类;用电量核对只比较同月既有报表又有电表的企业,报表用电量(万千瓦时)已换算为千瓦时,1–2 月报表对应 1、2 月电表用量之和。")),
    ]  # fmt: skip
    for i, (k, v) in enumerate(lines, start=1):
        about.cell(row=i, column=1, value=k)
        about.cell(row=i, column=2, value=v)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 90
    save_workbook(wb, target)
