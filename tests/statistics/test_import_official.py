"""Importing official figures: upsert per (zone, indicator, period), all or nothing."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.statistics.importers import import_official, write_official_template
from gaoxin.statistics.models import Indicator, OfficialFigure
from tests.support.returns_import import workbook
from tests.support.spreadsheets import errors

HEADERS = ["报告期", "指标", "数值", "同比增长(%)", "数据来源", "来源说明"]


def sheet(tmp_path, rows, headers=HEADERS):
    return workbook(tmp_path, rows, headers=headers, name="官方数据.xlsx")


def test_figures_are_created_then_updated_with_their_source(world, tmp_path):
    rows = [
        ["2019-12", "规上工业增加值", "76亿", "10.4", "统计局", "统计局 2019 年 12 月月报"],
        ["2019年1-12月", "hightech_share", 24.2, None, "统计局", None],
        ["2019-12", "工业税收(税务口径)", "24,400", "14.9%", "税务局", ""],
    ]
    result = import_official(world.staff, world.zone_a, sheet(tmp_path, rows))
    assert errors(result) == [] and (result.created, result.updated) == (3, 0)
    figures = {
        f.indicator.code: (f.period, f.value, f.yoy_pct, f.source, f.source_note)
        for f in OfficialFigure.objects.select_related("indicator")
    }
    assert figures == {
        "industrial_value_added": (
            201912, Decimal("760000"), Decimal("10.4"), "statistics", "统计局 2019 年 12 月月报"),
        "hightech_share": (201912, Decimal("24.2"), None, "statistics", ""),
        "official_tax": (201912, Decimal("24400"), Decimal("14.9"), "tax", ""),
    }  # fmt: skip
    assert AuditRecord.objects.filter(action="create").count() == 3
    assert AuditRecord.objects.get(action="import").after["created"] == 3

    again = [["2019-12", "industrial_value_added", 760000, "10.5", "统计局", "修正"]]
    result = import_official(world.staff, world.zone_a, sheet(tmp_path, again))
    assert errors(result) == [] and (result.created, result.updated) == (0, 1)
    figure = OfficialFigure.objects.get(indicator__code="industrial_value_added")
    assert (figure.yoy_pct, figure.version, figure.source_note) == (Decimal("10.5"), 2, "修正")
    update = AuditRecord.objects.get(action="update")
    assert update.before["yoy_pct"] == "10.4" and update.after["yoy_pct"] == "10.5"


def test_bad_rows_are_errors_at_their_cells_and_nothing_is_written(world, tmp_path):
    rows = [
        ["2019-12", "工业总产值", 1, None, "统计局", None],
        ["2019-12", "不存在的指标", 1, None, "统计局", None],
        ["2019-13", "规上工业增加值", 1, None, "统计局", None],
        ["2019-12", "规上工业增加值", None, None, "统计局", None],
        ["2019-12", "规上工业增加值", 1, None, "报纸", None],
        ["2019-11", "规上工业增加值", "很多", None, "统计局", None],
        ["2019-10", "gdp", 100, None, "统计局", None],
        ["2019-10", "地区生产总值", 100, None, "统计局", None],
    ]
    result = import_official(world.staff, world.zone_a, sheet(tmp_path, rows))
    listed = errors(result)
    assert listed[0] == (2, "指标", "工业总产值",
                         "「工业总产值」由平台根据企业报表计算,不是官方发布的指标,不能导入")  # fmt: skip
    assert listed[1][:3] == (3, "指标", "不存在的指标")
    assert listed[1][3].startswith("未知的官方指标「不存在的指标」,可选:规上工业增加值、")
    assert listed[2][:3] == (4, "报告期", "2019-13")
    assert listed[3] == (5, "数值", "", "数值和同比增长至少填写一项")
    assert listed[4] == (
        6, "数据来源", "报纸", "「报纸」不是有效的数据来源,可选:统计局、税务局、供电公司、科技局、其他"
    )  # fmt: skip
    assert listed[5][:3] == (7, "数值", "很多")
    assert listed[6] == (
        9, "指标", "地区生产总值", "与第 8 行重复:同一指标同一报告期(2019年10月)只能有一行"
    )  # fmt: skip
    assert len(listed) == 7
    assert OfficialFigure.objects.count() == 0
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["import_rejected"]


def test_who_may_not_enter_official_figures_is_refused(world, tmp_path):
    path = sheet(tmp_path, [["2019-12", "gdp", 1, None, "统计局", None]])
    for user in (world.leader, world.enterprise, world.province):
        with pytest.raises(Forbidden):
            import_official(user, world.zone_a, path)
    assert OfficialFigure.objects.count() == 0


def test_the_template_names_the_zones_official_indicators(world, tmp_path):
    Indicator.objects.create(
        zone=world.zone_a, code="zone_exports", name="园区进出口总额", unit="万元",
        source="official", aggregation="none",
    )  # fmt: skip
    path = tmp_path / "模板.xlsx"
    write_official_template(path, world.zone_a)
    book = load_workbook(path)
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    notes = "\n".join(str(r[0]) for r in book["说明"].iter_rows(values_only=True) if r[0])
    assert "园区进出口总额(zone_exports,万元)" in notes
    book.worksheets[0].append(["2019-12", "园区进出口总额", "1.5亿", 3, "其他", None])
    book.save(path)
    result = import_official(world.staff, world.zone_a, path)
    assert errors(result) == [] and result.created == 1
    assert OfficialFigure.objects.get().value == Decimal("15000")
