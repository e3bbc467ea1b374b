"""Importing monthly returns from a workbook: all or nothing, every error at its cell."""

import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERRORS_SHEET
from gaoxin.statistics.catalogue import indicators_for
from gaoxin.statistics.importers import import_returns, write_returns_template
from gaoxin.statistics.models import (
    Finding,
    Indicator,
    Return,
    ReturnRevision,
    ReturnStatus,
    ReturnValue,
)
from tests.factories import EnterpriseFactory, uscc_for
from tests.support.returns_import import FIGURES, HEADERS, row, workbook
from tests.support.spreadsheets import errors

CODES = [
    "output_value", "revenue", "profit", "industrial_tax", "industrial_electricity", "employees",
    "rd_spending", "exports", "fixed_asset_investment",
]  # fmt: skip


def nothing_written():
    assert Return.objects.count() == 0
    assert ReturnRevision.objects.count() == 0
    assert Finding.objects.count() == 0
    assert set(AuditRecord.objects.values_list("action", flat=True)) == {"import_rejected"}


@pytest.fixture
def zone(world):
    return world.zone_a


def test_a_good_workbook_submits_returns_with_revisions_findings_and_audit(zone, world, tmp_path):
    path = workbook(tmp_path, [row(world.a1), row(world.a2, "2019年11月")])
    result = import_returns(world.staff, zone, path)
    assert errors(result) == []
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    ret = Return.objects.get(enterprise=world.a1)
    assert ret.zone == zone and ret.period == 201912
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.submitted_by == world.staff and ret.submitted_at is not None
    assert ret.due_on == datetime.date(2020, 1, 8)
    assert ret.data == {c: str(v) for c, v in zip(CODES, FIGURES, strict=True)}
    assert Return.objects.get(enterprise=world.a2).period == 201911
    revision = ReturnRevision.objects.get(ret=ret)
    assert (revision.number, revision.status, revision.data) == (0, "submitted", ret.data)
    assert revision.actor == world.staff and revision.actor_name == "staff"
    assert ReturnValue.objects.count() == 0  # submitted, not accepted
    assert revision.note == "批量导入:报表.xlsx"
    # One audit record for the import; each new return's revision is its row-level trail.
    (record,) = AuditRecord.objects.all()
    assert record.action == "import" and record.zone == zone and record.actor == world.staff
    assert record.after["created"] == 2 and record.after["periods"] == [201911, 201912]
    assert record.after["revisions"] == 2 and record.time == revision.at


def test_who_changed_an_imported_return_shows_on_its_page(zone, world, tmp_path, client):
    """The return's page answers "who changed this return": its history names the importer and
    the file, and its timeline holds the import's audit record (not another import's)."""
    import_returns(world.zone_admin, zone, workbook(tmp_path, [row(world.a2)], name="早.xlsx"))
    import_returns(world.staff, zone, workbook(tmp_path, [row(world.a1)]))
    ret = Return.objects.get(enterprise=world.a1)
    client.force_login(world.staff)
    html = client.get(reverse("statistics:return", args=[ret.pk])).content.decode()
    history = html[html.index('id="return-history"') : html.index('id="timeline"')]
    assert "批量导入:报表.xlsx" in history and world.staff.display_name in history
    timeline = html[html.index('id="timeline"') :]
    timeline = timeline[: timeline.index("</ul>")]
    assert timeline.count('class="audit-entry"') == 1, timeline
    assert "批量导入" in timeline and world.staff.display_name in timeline


def test_findings_for_a_cumulative_decrease_and_a_unit_slip(zone, world, tmp_path):
    november = [12000, 11500, 800, 420, 360, 350, 460, 1800, 300]
    december = [11000, 115000000, 900, 460, 400, 352, 500, 2000, 320]  # output fell; revenue in 元
    path = workbook(
        tmp_path, [row(world.a1, "2019-11", november), row(world.a1, "2019-12", december)]
    )
    result = import_returns(world.staff, zone, path)
    assert errors(result) == []
    ret = Return.objects.get(enterprise=world.a1, period=201912)
    found = {(f.rule_code, f.severity, f.status) for f in Finding.objects.filter(ret=ret)}
    assert ("cumulative-output", "error", "open") in found
    assert ("unit-slip-revenue", "error", "open") in found
    slip = Finding.objects.get(ret=ret, rule_code="unit-slip-revenue")
    assert slip.indicator == Indicator.objects.get(code="revenue", zone=None)
    assert slip.enterprise == world.a1 and slip.period == 201912 and slip.zone == zone
    assert not Finding.objects.filter(ret__period=201911).exists()
    assert not AuditRecord.objects.filter(object_id=str(ret.pk)).exists()  # the import's record


def test_messy_values_and_alias_headers_are_understood(zone, world, tmp_path):
    headers = [
        " 报告期 ", "统一代码", "单位名称", "本年累计工业总产值", "营业收入（万元）", "利润总额",
        "税金总额(万元)", "用电量（万千瓦时）", "从业人员", "研发费用(万元)", "出口交货值(万元)",
        "固定资产投资(万元)",
    ]  # fmt: skip
    messy = ["１２０００", " 1.15亿 ", "3,000", "４２０.５", "360 ", 350, "", "-", "0.03亿"]
    name = " 甲一电子科技有限公司 "
    path = workbook(
        tmp_path, [["2019年1-12月", f" {world.a1.uscc.lower()} ", name, *messy]], headers=headers
    )
    result = import_returns(world.staff, zone, path)
    assert errors(result) == []
    assert Return.objects.get().data == {
        "output_value": "12000", "revenue": "11500", "profit": "3000", "industrial_tax": "420.5",
        "industrial_electricity": "360", "employees": "350", "rd_spending": None, "exports": None,
        "fixed_asset_investment": "300",
    }  # fmt: skip
    assert Return.objects.get().period == 201912


def test_the_period_can_come_with_the_import(zone, world, tmp_path):
    path = workbook(tmp_path, [row(world.a1)[1:]], headers=HEADERS[1:])
    result = import_returns(world.staff, zone, path, period="2019-12")
    assert errors(result) == []
    assert Return.objects.get().period == 201912


def bad(world, tmp_path, rows, headers=HEADERS, **kwargs):
    result = import_returns(world.staff, world.zone_a, workbook(tmp_path, rows, headers), **kwargs)
    nothing_written()
    return errors(result)


def test_a_bad_check_digit_is_an_error_at_its_cell(world, tmp_path):
    wrong = "1" if world.a1.uscc[-1] == "0" else "0"  # whatever the factory's code ends with
    uscc = world.a1.uscc[:-1] + wrong
    assert bad(world, tmp_path, [row(world.a2), ["2019-12", uscc, None, *FIGURES]]) == [
        (3, "统一社会信用代码", uscc,
         f"统一社会信用代码校验位错误:第 18 位应为 {world.a1.uscc[-1]},实际为 {wrong}"),
    ]  # fmt: skip


def test_an_enterprise_not_in_the_registry_is_an_error(world, tmp_path):
    uscc = uscc_for(77777777)
    assert bad(world, tmp_path, [["2019-12", uscc, None, *FIGURES]]) == [
        (2, "统一社会信用代码", uscc,
         f"统一社会信用代码 {uscc} 不在本园区企业库中:请先在企业库登记该企业,再导入报表"),
    ]  # fmt: skip


def test_another_zones_enterprise_is_an_error(world, tmp_path):
    assert bad(world, tmp_path, [row(world.b1)]) == [
        (2, "统一社会信用代码", world.b1.uscc,
         "「乙一新材料有限公司」属于乙高新技术产业开发区,不是本园区的企业,不能在本园区导入其报表"),
    ]  # fmt: skip


def test_a_deleted_enterprise_is_an_error(world, tmp_path):
    gone = EnterpriseFactory(zone=world.zone_a, name="已删除企业有限公司", is_deleted=True)
    assert bad(world, tmp_path, [row(gone)]) == [
        (2, "统一社会信用代码", gone.uscc, "「已删除企业有限公司」已从本园区企业库删除,不能导入其报表"),
    ]  # fmt: skip


def test_a_name_other_than_the_registrys_names_both(world, tmp_path):
    assert bad(world, tmp_path, [row(world.a1, name="甲一电子有限公司")]) == [
        (2, "企业名称", "甲一电子有限公司",
         f"企业名称「甲一电子有限公司」与企业库不一致:统一社会信用代码 {world.a1.uscc} "
         "登记的企业是「甲一电子科技有限公司」"),
    ]  # fmt: skip


def test_a_header_with_another_unit_is_an_error_never_converted(world, tmp_path):
    headers = list(HEADERS)
    headers[3], headers[7] = "工业总产值(元)", "用电量(千瓦时)"
    assert bad(world, tmp_path, [row(world.a1)], headers) == [
        (1, "工业总产值(元)", "工业总产值(元)",
         "表头「工业总产值(元)」的单位是「元」,但工业总产值的计量单位是万元:系统不会自动换算,"
         "请把该列数值换算为万元,并把表头改为「工业总产值(万元)」"),
        (1, "用电量(千瓦时)", "用电量(千瓦时)",
         "表头「用电量(千瓦时)」的单位是「千瓦时」,但工业用电量的计量单位是万千瓦时:系统不会自动换算,"
         "请把该列数值换算为万千瓦时,并把表头改为「工业用电量(万千瓦时)」"),
    ]  # fmt: skip


def test_january_is_exempt(world, tmp_path):
    assert bad(world, tmp_path, [row(world.a1, "2019-01"), row(world.a2, "2019年1月")]) == [
        (2, "报告期", "2019-01", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
        (3, "报告期", "2019年1月", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
    ]
    assert bad(world, tmp_path, [row(world.a1)], period="2019-01") == [
        (None, "报告期", "2019-01", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
    ]


def test_period_problems(world, tmp_path):
    assert bad(world, tmp_path, [row(world.a1, "2099-12")]) == [
        (2, "报告期", "2099-12", "不能导入未来月份(2099年12月)的报表"),
    ]
    assert bad(world, tmp_path, [row(world.a1, "2019-11")], period="2019-12") == [
        (2, "报告期", "2019-11", "报告期 2019年11月 与导入时指定的报告期 2019年12月 不一致"),
    ]
    assert bad(world, tmp_path, [row(world.a1)[1:]], HEADERS[1:]) == [
        (None, "", "",
         "表中没有「报告期」列:请加上「报告期」列,或在导入时指定报告期"
         "(页面上的「报告期」,命令行 --period YYYY-MM)"),
    ]  # fmt: skip


def test_a_duplicate_enterprise_and_period_names_the_first_row(world, tmp_path):
    rows = [row(world.a1), row(world.a2), row(world.a1, "2019年12月")]
    assert bad(world, tmp_path, rows) == [
        (4, "统一社会信用代码", world.a1.uscc,
         "与第 2 行重复:同一企业同一报告期(2019年12月)只能有一行"),
    ]  # fmt: skip


def test_bad_figures_are_errors_at_their_cells(world, tmp_path):
    figures = ["abc", *FIGURES[1:5], 350.5, *FIGURES[6:]]
    assert bad(world, tmp_path, [row(world.a1, figures=figures)]) == [
        (2, "工业总产值(万元)", "abc",
         "无法识别的金额「abc」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        (2, "从业人员期末人数(人)", "350.5", "从业人员期末人数应为整数(单位人),实际为 350.5"),
    ]  # fmt: skip


def test_broken_and_foreign_files_get_a_clear_message(world, tmp_path):
    def reasons(path):
        result = import_returns(world.staff, world.zone_a, path)
        return errors(result)

    broken = tmp_path / "报表.xlsx"
    broken.write_bytes(b"not a workbook at all")
    assert reasons(broken) == [
        (None, "", "", "文件「报表.xlsx」不是有效的 Excel 文件(可能已损坏,或只是改了扩展名)")
    ]
    pdf = tmp_path / "报表.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert reasons(pdf) == [
        (None, "", "", "不支持的文件类型「.pdf」:请上传 .xlsx、.xls 或 .csv 文件")
    ]
    assert reasons(workbook(tmp_path, [], name="空.xlsx")) == [
        (None, "", "", "表头(第 1 行)下面没有数据行")
    ]
    assert Return.objects.count() == 0
    assert AuditRecord.objects.filter(action="import_rejected").count() == 3


def test_every_error_is_listed_and_marked_in_the_workbook(world, tmp_path):
    uscc = uscc_for(77777777)
    rows = [row(world.a1, "2019-01"), ["2019-12", uscc, None, *FIGURES], row(world.a2)]
    result = import_returns(world.staff, world.zone_a, workbook(tmp_path, rows))
    assert [e.cell for e in result.sorted_errors()] == ["A2", "B3"]
    marked = tmp_path / "marked.xlsx"
    assert result.write_errors_workbook(marked)
    wb = load_workbook(marked)
    sheet = wb.worksheets[0]
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "1 月免报" in sheet["A2"].comment.text
    listing = [tuple(r) for r in wb[ERRORS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert [r[:2] for r in listing] == [(2, "报告期"), (3, "统一社会信用代码")]
    rejected = AuditRecord.objects.get(action="import_rejected")
    assert rejected.after["error_count"] == 2


def test_an_accepted_return_needs_update_and_then_becomes_a_revision(zone, world, tmp_path):
    ret = Return.objects.create(
        zone=zone, enterprise=world.a1, period=201912, status=ReturnStatus.ACCEPTED,
        data={"output_value": "9000"}, version=3,
    )  # fmt: skip
    path = workbook(tmp_path, [row(world.a1)])
    result = import_returns(world.staff, zone, path)
    assert errors(result) == [
        (2, "统一社会信用代码", world.a1.uscc,
         "「甲一电子科技有限公司」2019年12月的报表已审核通过,不能覆盖;如需更正,请勾选「作为修订更新"
         "已审核通过的报表」(命令行加 --update),将作为修订重新报送并保留历史"),
    ]  # fmt: skip
    ret.refresh_from_db()
    assert (ret.status, ret.version, ret.data) == ("accepted", 3, {"output_value": "9000"})

    result = import_returns(world.staff, zone, path, update_existing=True)
    assert errors(result) == [] and (result.created, result.updated) == (0, 1)
    ret.refresh_from_db()
    assert (ret.status, ret.revision, ret.version) == ("submitted", 1, 4)
    assert ret.data["output_value"] == "12000"
    revision = ReturnRevision.objects.get(ret=ret)
    assert (revision.number, revision.status) == (1, "submitted")
    assert revision.note == "批量导入修订(第 1 次):报表.xlsx"
    record = AuditRecord.objects.get(action="update", object_id=str(ret.pk))
    assert record.before["status"] == "accepted" and record.after["status"] == "submitted"
    assert record.message.startswith("批量导入修订(第 1 次)2019年12月 报表")


def test_drafts_and_returned_returns_are_overwritten(zone, world, tmp_path):
    draft = Return.objects.create(
        zone=zone, enterprise=world.a1, period=201912, data={"output_value": "1", "custom": "2"}
    )
    sent_back = Return.objects.create(
        zone=zone, enterprise=world.a2, period=201912, status=ReturnStatus.RETURNED,
        returned_reason="产值有误",
    )  # fmt: skip
    old = Finding.objects.create(
        zone=zone, ret=sent_back, enterprise=world.a2, period=201912, rule_code="x",
        kind="required", severity="error", message="旧问题",
    )  # fmt: skip
    result = import_returns(world.staff, zone, workbook(tmp_path, [row(world.a1), row(world.a2)]))
    assert errors(result) == [] and (result.created, result.updated) == (0, 2)
    draft.refresh_from_db()
    sent_back.refresh_from_db()
    assert draft.status == sent_back.status == "submitted"
    assert draft.data["output_value"] == "12000" and draft.data["custom"] == "2"
    assert (draft.revision, draft.version) == (0, 2)
    assert sent_back.returned_reason == ""
    assert not Finding.objects.filter(pk=old.pk).exists()


def test_who_may_not_add_returns_is_refused(zone, world, tmp_path):
    path = workbook(tmp_path, [row(world.a1)])
    for user in (world.leader, world.enterprise, world.province):
        with pytest.raises(Forbidden):
            import_returns(user, zone, path)
    assert Return.objects.count() == 0
    assert import_returns(world.zone_admin, zone, path).ok


def test_the_template_lists_the_zones_indicators_and_imports_back(zone, world, tmp_path):
    own = Indicator.objects.create(
        zone=zone, code="patents", name="专利授权量", unit="件", source="return",
        cumulative=True, decimal_places=0,
    )  # fmt: skip
    path = tmp_path / "模板.xlsx"
    write_returns_template(path, zone)
    sheet = load_workbook(path).worksheets[0]
    headers = [c.value for c in sheet[1]]
    expected = [f"{i.name}({i.unit})" for i in indicators_for(zone, source="return")]
    assert headers == ["报告期", "统一社会信用代码", "企业名称", *expected]
    assert "专利授权量(件)" in headers
    sheet.append(["2019-12", world.a1.uscc, None, *FIGURES, 3])
    sheet.parent.save(path)
    result = import_returns(world.staff, zone, path)
    assert errors(result) == [] and result.created == 1
    assert Return.objects.get().data[own.code] == "3"


def test_queries_do_not_grow_with_the_rows(zone, world, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(enterprises, name):
        rows = [row(e, p) for e in enterprises for p in ("2019-10", "2019-11", "2019-12")]
        with CaptureQueriesContext(connection) as ctx:
            assert import_returns(world.staff, zone, workbook(tmp_path, rows, name=name)).ok
        return len(ctx.captured_queries)

    queries([EnterpriseFactory(zone=zone)], "warm-up.xlsx")  # content types are cached
    few = queries([world.a1], "few.xlsx")
    more = [EnterpriseFactory(zone=zone) for _ in range(6)]
    assert queries([world.a2, *more], "more.xlsx") == few


def test_a_figure_too_big_to_store_asks_for_the_unit(zone, world, tmp_path):
    figures = [1e16, "2万亿", *FIGURES[2:]]
    result = import_returns(world.staff, zone, workbook(tmp_path, [row(world.a1, figures=figures)]))
    assert errors(result) == [
        (2, "工业总产值(万元)", "10000000000000000", "数值过大,请检查单位(应为万元)"),
        (2, "营业收入(万元)", "2万亿",
         "无法识别的金额「2万亿」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
    ]  # fmt: skip
