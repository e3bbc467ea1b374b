"""The innovation cockpit as an .xlsx workbook: sheets 概况 / 技术领域 / 发明专利 / 平台人才上云 /
说明, Chinese headers, counts as numbers."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaoxin.core.spreadsheets import save_workbook
from gaoxin.core.spreadsheets.writing import figures_sheet


def overview_rows(data: dict) -> list[list]:
    s, p, pat = data["summary"], data["pipeline"], data["patents"]
    stats = data["statistics"]
    rows = [
        [_("有效高新技术企业"), s["hightech"]["valid"], _("年末(当年为今天)有效")],
        [_("新认定高新技术企业"), s["hightech"]["new"], _("当年发证")],
        [_("培育库企业"), p["reserve"], _("截至统计日")],
        [_("已申报企业"), p["applied"], _("截至统计日")],
        [_("待重新认定企业"), p["renewal"], _("12 个月内到期")],
        [_("发明专利授权"), s["patents"]["invention_granted"], _("当年授权")],
        [_("每万人发明专利授权"), pat["granted_per_10k"], _("按目标中的常住人口")],
        [_("有效发明专利"), pat["invention_owned"], _("截至年末")],
        [_("每万人有效发明专利"), pat["owned_per_10k"], _("按目标中的常住人口")],
        [_("新增创新平台"), s["platforms"]["new"], _("当年认定")],
        [_("新增省级以上平台"), s["platforms"]["new_provincial_plus"], _("当年认定")],
        [_("新增省级以上人才"), s["talents"]["provincial_plus"], _("当年入选")],
        [_("上云企业"), s["cloud"]["enterprises"], _("截至年末")],
    ]
    for code in ("rd_intensity", "hightech_share", "rd_revenue_ratio"):
        figure = stats.get(code)
        if figure:
            rows.append([f"{figure['name']}({figure['unit']})", figure["value"],
                         f"{figure['source']} {stats['period']}"])  # fmt: skip
    return rows


def write_cockpit(zone, data: dict, target) -> None:
    """Write the cockpit `data` (summary.cockpit) to a path or a writable object."""
    wb = Workbook()
    wb.remove(wb.active)
    figures_sheet(
        wb, _("概况"), [_("指标"), _("数值"), _("说明")], overview_rows(data), [26, 14, 30]
    )
    figures_sheet(
        wb, _("技术领域"), [_("技术领域"), _("有效高企"), _("当年新认定")],
        [[r["label"], r["valid"], r["new"]] for r in data["by_field"]], [22, 12, 12],
    )  # fmt: skip
    figures_sheet(
        wb, _("发明专利"), [_("年度"), _("发明专利授权")],
        [[r["year"], r["granted"]] for r in data["patents"]["trend"]], [10, 14],
    )  # fmt: skip
    rows = [[_("创新平台"), r["label"], r["total"], r["new"]] for r in data["platforms"]]
    rows += [[_("科技人才"), r["label"], None, r["n"]] for r in data["talents"]]
    rows += [[_("企业上云"), r["label"], r["n"], None] for r in data["cloud"]]
    figures_sheet(wb, _("平台人才上云"), [_("类别"), _("级别"), _("累计"), _("当年新增")], rows,
           [12, 14, 10, 10])  # fmt: skip
    about = wb.create_sheet(_("说明"))
    lines = [
        (_("园区"), zone.name),
        (_("年度"), str(data["year"])),
        (_("统计日"), data["day"].isoformat()),
        (_("说明"), _("有效高企为统计日有效的证书;新认定按发证日期;发明专利含 PCT 发明,按授权公告日;上云企业按截至年末的企业数。")),
    ]  # fmt: skip
    for i, (k, v) in enumerate(lines, start=1):
        about.cell(row=i, column=1, value=k)
        about.cell(row=i, column=2, value=v)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 80
    save_workbook(wb, target)
