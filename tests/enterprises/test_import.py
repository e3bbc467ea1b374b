"""The enterprise importer: real workbooks in, exact rows, errors and audit records out."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlwt
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core.codes import uscc_check_char
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL, ERRORS_SHEET, LISTS_SHEET, NOTES_SHEET
from gaoxin.enterprises.importers import (
    export_enterprises,
    import_enterprises,
    write_enterprise_template,
)
from gaoxin.enterprises.importers.validation import Validator
from gaoxin.enterprises.models import Contact, Enterprise
from tests.factories import EnterpriseFactory
from tests.support.enterprise_import import HEADERS, TEMPLATE_HEADERS, code, counts, row, workbook
from tests.support.spreadsheets import errors

pytestmark = pytest.mark.django_db


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


# --- a clean import ----------------------------------------------------------------------------


def test_messy_values_are_imported_exactly(world, tmp_path):
    today = timezone.localdate()
    path = workbook(
        tmp_path,
        [
            {
                "企业名称": "  江西赣江光电科技有限公司\u3000",
                "统一社会信用代码": fullwidth(code(1)).lower(),
                "法定代表人": "张伟",
                "注册资本(万元)": "1.2亿",
                "成立日期": "２０１９年１１月",
                "行业代码": "3974 显示器件制造",
                "地址": "南昌市高新区艾溪湖北路 88 号",
                "企业规模": "中型",
                "规上企业": "√",
                "入规日期": 44197,  # an Excel serial: 2021-01-01
                "高新技术企业": "是",
                "经营状态": "在营",
                "产业链标签": "电子信息",
                "联系人": "李娜",
                "联系电话": "０７９１－８８１２３４５６",
            },
            {
                "企业名称": "江西赣锋纺织有限公司",
                "统一社会信用代码": f" {code(2)} ",
                "注册资本(万元)": "3,000,000元",
                "成立日期": dt.date(2015, 3, 8),
                "行业代码": 1711,
                "企业规模": "小型企业",
                "规上企业": "否",
                "高新技术企业": "N",
                "经营状态": "停产",
            },
            {
                "企业名称": "南昌智造机器人有限公司",
                "统一社会信用代码": code(3),
                "注册资本(万元)": "５００万",
                "成立日期": "2020.1.5",
                "行业代码": "工业机器人制造",
                "产业链标签": "电子信息、电子信息",
            },
        ],
    )
    result = import_enterprises(world.staff, world.zone_a, path)

    assert errors(result) == []
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    rows = Enterprise.objects.filter(uscc__in=[code(1), code(2), code(3)]).order_by("uscc")
    assert [
        (
            e.zone_id, e.name, e.uscc, e.legal_representative, e.registered_capital,
            e.established_on, e.industry_id, e.address, e.scale, e.above_scale,
            e.above_scale_since, e.high_tech, e.status, e.version,
            sorted(t.name for t in e.tags.all()),
            [(c.name, c.phone, c.is_primary) for c in e.contacts.all()],
            [(s.status, s.on, s.note, s.actor_name) for s in e.status_changes.all()],
        )
        for e in rows
    ] == [
        (world.zone_a.pk, "江西赣江光电科技有限公司", code(1), "张伟", Decimal("12000"),
         dt.date(2019, 11, 1), "3974", "南昌市高新区艾溪湖北路 88 号", "medium", True,
         dt.date(2021, 1, 1), False, "operating", 1, ["电子信息"],  # 高新: derived, ignored
         [("李娜", "0791-88123456", True)], [("operating", today, "批量导入登记", "staff")]),
        (world.zone_a.pk, "江西赣锋纺织有限公司", code(2), "", Decimal("300"),
         dt.date(2015, 3, 8), "1711", "", "small", False, None, False, "suspended", 1, [], [],
         [("suspended", today, "批量导入登记", "staff")]),
        (world.zone_a.pk, "南昌智造机器人有限公司", code(3), "", Decimal("500"),
         dt.date(2020, 1, 5), "3491", "", "", False, None, False, "operating", 1, ["电子信息"],
         [], [("operating", today, "批量导入登记", "staff")]),
    ]  # fmt: skip

    creates = AuditRecord.objects.filter(action="create").order_by("id")
    assert [(a.actor_id, a.zone_id, a.object_repr) for a in creates] == [
        (world.staff.pk, world.zone_a.pk, "江西赣江光电科技有限公司"),
        (world.staff.pk, world.zone_a.pk, "江西赣锋纺织有限公司"),
        (world.staff.pk, world.zone_a.pk, "南昌智造机器人有限公司"),
    ]
    first = creates[0]
    assert first.object_id == str(rows[0].pk)
    assert {k: first.after[k] for k in ("uscc", "industry", "tags")} == {
        "uscc": code(1),
        "industry": "3974",
        "tags": ["电子信息"],
    }
    assert Decimal(first.after["registered_capital"]) == Decimal("12000")
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_name, summary.zone_id, summary.object_repr) == (
        "staff",
        world.zone_a.pk,
        "企业批量导入:企业.xlsx",
    )
    assert summary.after == {
        "file": "企业.xlsx",
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "update_existing": False,
    }
    assert summary.message == "导入完成:共 3 行,新建 3 条,更新 0 条,未变化 0 条。"


def test_audit_snapshot_equals_what_a_single_create_records(world, tmp_path):
    """The bulk path writes the same `after` as services.create_enterprise would."""
    from gaoxin.core import audit

    import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, [row(1, 产业链标签="电子信息")])
    )
    enterprise = Enterprise.objects.get(uscc=code(1))
    record = AuditRecord.objects.get(action="create")
    assert record.after == audit.snapshot(enterprise)


# --- errors: nothing is written -----------------------------------------------------------------


def test_invalid_uscc_names_the_expected_check_character(world, tmp_path):
    good = code(7)
    expected = uscc_check_char(good[:17])
    wrong = "0" if expected != "0" else "1"
    bad = good[:17] + wrong
    before = counts()
    result = import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, [row(7, 统一社会信用代码=bad)])
    )
    assert errors(result) == [
        (2, "统一社会信用代码", bad,
         f"统一社会信用代码校验位错误:第 18 位应为 {expected},实际为 {wrong}"),
    ]  # fmt: skip
    assert counts() == before


def test_a_duplicate_uscc_within_the_file(world, tmp_path):
    rows = [row(1), row(2), row(3, 统一社会信用代码=code(1).lower())]
    result = import_enterprises(world.staff, world.zone_a, workbook(tmp_path, rows))
    assert errors(result) == [
        (4, "统一社会信用代码", code(1).lower(), "与第 2 行的统一社会信用代码重复")
    ]
    assert not Enterprise.objects.filter(uscc__in=[code(1), code(2)]).exists()


def test_an_unknown_tag_lists_the_zones_tags(world, tmp_path):
    result = import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, [row(1, 产业链标签="电子信息、量子计算")])
    )
    assert errors(result) == [
        (2, "产业链标签", "电子信息、量子计算", "标签 量子计算 未在本园区定义(可选:电子信息)")
    ]


@pytest.mark.parametrize("role", ["leader", "enterprise", "province"])
def test_who_may_not_add_is_refused_and_nothing_is_written(world, tmp_path, role):
    before = counts()
    with pytest.raises(Forbidden) as exc:
        import_enterprises(world.users[role], world.zone_a, workbook(tmp_path, [row(1)]))
    assert str(exc.value) == "无权在该园区导入企业"
    assert counts() == before


def test_staff_cannot_import_into_another_zone(world, tmp_path):
    before = counts()
    with pytest.raises(Forbidden):
        import_enterprises(world.staff, world.zone_b, workbook(tmp_path, [row(1)]))
    assert counts() == before


def test_one_bad_row_means_nothing_is_written(world, tmp_path):
    rows = [row(i) for i in range(1, 6)] + [row(6, 成立日期="2019-13-01")]
    before = counts()
    result = import_enterprises(world.staff, world.zone_a, workbook(tmp_path, rows))
    assert errors(result) == [
        (7, "成立日期", "2019-13-01", "日期不存在:2019年13月1日"),
    ]
    assert (result.created, result.updated) == (0, 0)
    assert counts() == before
    assert not AuditRecord.objects.filter(action__in=["create", "import"]).exists()


def test_every_error_of_every_row_is_returned(world, tmp_path):
    future = timezone.localdate() + dt.timedelta(days=1)
    rows = [
        row(1, 企业名称="甲" * 101),
        row(2, 规上企业="否", 入规日期="2020-01-01"),
        row(3, 成立日期=future, 企业规模="巨型"),
        row(4, 联系电话="13800138000"),
        row(5, 行业代码=""),
    ]
    path = workbook(tmp_path, rows, headers=HEADERS)
    result = import_enterprises(world.staff, world.zone_a, path)
    assert errors(result) == [
        (2, "企业名称", "甲" * 101, "确保该变量包含不超过 100 字符 (目前字符数 101)。"),
        (3, "入规日期", "2020-01-01", "非规上企业不应填写入规日期"),
        (4, "成立日期", future.isoformat(), "成立日期不能晚于今天"),
        (4, "企业规模", "巨型", "「巨型」不是有效的企业规模,可选:大型、中型、小型、微型"),
        (5, "联系人", "", "填写了联系电话,请同时填写联系人"),
        (6, "行业代码", "", "必填项不能为空"),
    ]


@pytest.mark.parametrize(
    ("typed", "industry", "reason"),
    [
        ("3974 显示器件制造", "3974", None),
        ("3974显示器件制造", "3974", None),
        ("3974", "3974", None),
        (3974, "3974", None),
        (111, "0111", None),  # Excel dropped the leading zero of 0111 稻谷种植
        ("显示器件制造", "3974", None),
        ("显示器件", "3974", None),
        ("39", None, "「39 计算机、通信和其他电子设备制造业」是大类,请填写 4 位小类代码"),
        ("9999", None, "行业代码 9999 不存在于 GB/T 4754-2017"),
        ("3974 棉纺纱加工", None, "行业代码 3974 是「显示器件制造」,与填写的名称「棉纺纱加工」不符"),
        ("纺纱", None,
         "行业名称「纺纱」对应多个小类(1711 棉纺纱加工、1731 麻纤维纺前加工和纺纱 等 2 个),请填写 4 位代码"),
        ("量子", None, "找不到名称含「量子」的行业小类,请填写 4 位行业代码"),
    ],
)  # fmt: skip
def test_industry_by_code_or_unambiguous_name(world, tmp_path, typed, industry, reason):
    result = import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, [row(1, 行业代码=typed)])
    )
    if reason is None:
        assert errors(result) == []
        assert Enterprise.objects.get(uscc=code(1)).industry_id == industry
    else:
        assert errors(result) == [(2, "行业代码", str(typed), reason)]


def test_errors_workbook_marks_the_exact_cell(world, tmp_path):
    rows = [row(1), row(2, 成立日期="去年"), row(3)]
    path = workbook(
        tmp_path, rows, headers=["企业名称", "统一社会信用代码", "行业代码", "成立日期"]
    )
    result = import_enterprises(world.staff, world.zone_a, path)
    out = tmp_path / "marked.xlsx"
    assert result.write_errors_workbook(out)
    wb = openpyxl.load_workbook(out)
    ws = wb["企业名录"]
    marked = [
        (cell.coordinate, cell.comment.text)
        for r in ws.iter_rows()
        for cell in r
        if cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    ]
    reason = "无法识别的日期「去年」:请按 2019-11-03 或 2019年11月3日 填写"
    assert marked == [("D3", reason)]
    assert ws["D3"].value == "去年" and ws["A3"].value == "江西测试2电子有限公司"
    assert [tuple(c.value for c in r) for r in wb[ERRORS_SHEET].iter_rows(min_row=2)] == [
        (3, "成立日期", "去年", reason)
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件是空的(0 字节)"),
        ("企业名称,成立日期\n甲,2019-01-01\n".encode("gbk"),
         "缺少必填列:统一社会信用代码、行业代码(表头在第 1 行)"),
    ],
)  # fmt: skip
def test_file_problems_come_back_as_errors(world, tmp_path, content, reason):
    path = tmp_path / "企业.csv"
    path.write_bytes(content)
    result = import_enterprises(world.staff, world.zone_a, path)
    assert errors(result) == [(None, "", "", reason)]


# --- existing enterprises ------------------------------------------------------------------------


def test_an_existing_uscc_is_an_error_unless_updating(world, tmp_path):
    path = workbook(tmp_path, [row(1, 统一社会信用代码=world.a2.uscc)])
    result = import_enterprises(world.staff, world.zone_a, path)
    assert errors(result) == [
        (2, "统一社会信用代码", world.a2.uscc,
         f"统一社会信用代码 {world.a2.uscc} 已被「甲二纺织有限公司」(甲高新区)使用;"
         "如需更新已有企业,请勾选「按统一社会信用代码更新已有企业」(命令行加 --update)"),
    ]  # fmt: skip


def test_a_uscc_of_another_zone_is_refused_without_naming_its_holder(world, tmp_path):
    path = workbook(tmp_path, [row(1, 统一社会信用代码=world.b1.uscc)])
    result = import_enterprises(world.staff, world.zone_a, path, update_existing=True)
    assert errors(result) == [
        (2, "统一社会信用代码", world.b1.uscc,
         f"统一社会信用代码 {world.b1.uscc} 已在平台登记,不能重复登记"),
    ]  # fmt: skip
    assert "乙一" not in str(errors(result))
    world.b1.refresh_from_db()
    assert world.b1.version == 1


def test_a_uscc_of_another_zone_is_named_to_someone_who_may_see_it(world, tmp_path):
    path = workbook(tmp_path, [row(1, 统一社会信用代码=world.b1.uscc)])
    result = import_enterprises(world.admin, world.zone_a, path, update_existing=True)
    assert errors(result) == [
        (2, "统一社会信用代码", world.b1.uscc,
         f"统一社会信用代码 {world.b1.uscc} 已被「乙一新材料有限公司」(乙高新区)使用,"
         "该企业属于其他园区,不能在本园区导入或更新"),
    ]  # fmt: skip


def test_update_or_create(world, tmp_path):
    Enterprise.objects.filter(pk=world.a1.pk).update(address="原地址", registered_capital=100)
    Contact.objects.create(
        zone=world.zone_a, enterprise=world.a2, name="王芳", phone="1", is_primary=True
    )
    rows = [
        {"企业名称": "甲一电子科技有限公司", "统一社会信用代码": world.a1.uscc, "行业代码": "3974",
         "注册资本(万元)": "800", "地址": "", "经营状态": "停产", "产业链标签": "电子信息",
         "联系人": "赵六", "联系电话": "13900000000"},
        {"企业名称": "甲二纺织有限公司", "统一社会信用代码": world.a2.uscc.lower(),
         "行业代码": "1711 棉纺纱加工", "联系人": "王芳"},
        row(9),
    ]  # fmt: skip
    result = import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, rows), update_existing=True
    )
    assert errors(result) == []
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)

    a1 = Enterprise.objects.get(pk=world.a1.pk)
    today = timezone.localdate()
    assert (a1.registered_capital, a1.address, a1.status, a1.status_since, a1.version) == (
        Decimal("800"),
        "原地址",  # a blank cell keeps what is there
        "suspended",
        today,
        2,
    )
    assert [(c.name, c.phone, c.is_primary) for c in a1.contacts.all()] == [
        ("赵六", "13900000000", True)
    ]
    assert [(s.status, s.on, s.note) for s in a1.status_changes.all()] == [
        ("suspended", today, "批量导入")
    ]
    update = AuditRecord.objects.get(action="update")
    assert (update.object_id, update.actor_name, update.message) == (
        str(a1.pk),
        "staff",
        "批量导入",
    )
    changed = {k: (b, a) for k, b, a in update.changed_fields()}
    assert [Decimal(v) for v in changed.pop("registered_capital")] == [100, 800]
    assert changed == {
        "status": ("operating", "suspended"),
        "status_since": (None, today.isoformat()),
        "contacts": ([], ["赵六 13900000000"]),
    }
    assert Enterprise.objects.get(pk=world.a2.pk).version == 1  # unchanged: not touched
    assert AuditRecord.objects.filter(action="create").count() == 1
    assert AuditRecord.objects.get(action="import").after["unchanged"] == 1


def test_a_change_made_during_the_import_cancels_it(world, tmp_path, monkeypatch):
    """Someone saves an enterprise between validation and writing: nothing is written."""
    run = Validator.run

    def run_then_someone_edits(self):
        plan = run(self)
        Enterprise.objects.filter(pk=world.a1.pk).update(version=F("version") + 1)
        return plan

    monkeypatch.setattr(Validator, "run", run_then_someone_edits)
    rows = [row(1), row(2, 统一社会信用代码=world.a1.uscc, 注册资本_万元="5")]
    before = counts()
    result = import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, rows), update_existing=True
    )
    assert errors(result) == [
        (3, "统一社会信用代码", world.a1.uscc, "该企业在导入期间被他人修改,已全部撤销,请重新导入")
    ]
    assert counts() == before


def test_a_uscc_registered_during_the_import_cancels_it(world, tmp_path, monkeypatch):
    run = Validator.run

    def run_then_someone_registers(self):
        plan = run(self)
        EnterpriseFactory(zone=world.zone_a, uscc=code(2))
        return plan

    monkeypatch.setattr(Validator, "run", run_then_someone_registers)
    result = import_enterprises(world.staff, world.zone_a, workbook(tmp_path, [row(1), row(2)]))
    assert [e.reason for e in result.errors] == [
        "写入时与库中数据冲突(可能有人同时登记了相同的统一社会信用代码),已全部撤销,请重新导入"
    ]
    assert result.created == 0
    assert not Enterprise.objects.filter(uscc=code(1)).exists()
    assert not AuditRecord.objects.filter(action__in=["create", "import"]).exists()


# --- formats, export, template, scale -------------------------------------------------------------


def test_gbk_csv_and_xls(world, tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["企业名称", "统一社会信用代码", "行业代码", "注册资本(万元)", "成立日期"])
    writer.writerow(["赣州稀金新材料有限公司", code(1), "3089", "1.2亿", "43772"])
    (tmp_path / "gbk.csv").write_bytes(buffer.getvalue().encode("gbk"))

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("企业")
    for c, value in enumerate(["企业名称", "统一社会信用代码", "行业代码", "成立日期"]):
        sheet.write(0, c, value)
    for c, value in enumerate(["吉安电子电路有限公司", code(2), 3982]):
        sheet.write(1, c, value)
    sheet.write(1, 3, dt.date(2018, 5, 6), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    book.save(str(tmp_path / "old.xls"))

    for name in ("gbk.csv", "old.xls"):
        result = import_enterprises(world.staff, world.zone_a, tmp_path / name)
        assert errors(result) == [] and result.created == 1
    assert list(
        Enterprise.objects.filter(uscc__in=[code(1), code(2)])
        .order_by("uscc")
        .values_list("name", "industry_id", "registered_capital", "established_on")
    ) == [
        ("赣州稀金新材料有限公司", "3089", Decimal("12000"), dt.date(2019, 11, 3)),
        ("吉安电子电路有限公司", "3982", None, dt.date(2018, 5, 6)),
    ]


def test_export_has_the_import_headers_and_imports_back_unchanged(world, tmp_path):
    Enterprise.objects.filter(pk=world.a1.pk).update(
        registered_capital=Decimal("1200.5"), established_on=dt.date(2019, 11, 3), scale="medium"
    )
    Contact.objects.create(
        zone=world.zone_a, enterprise=world.a1, name="李娜", phone="0791-88123456"
    )
    out = tmp_path / "export.xlsx"
    queryset = Enterprise.objects.restrict(world.staff, "view").filter(zone=world.zone_a)
    assert export_enterprises(queryset.order_by("name"), out) == 2

    ws = openpyxl.load_workbook(out)["企业名录"]
    assert [c.value for c in ws[1]] == HEADERS
    assert [c.value for c in ws[2]] == [
        "甲一电子科技有限公司", world.a1.uscc, "张三", 1200.5, dt.datetime(2019, 11, 3),
        "3974 显示器件制造", None, "中型", "否", None, "否", "在营", "电子信息", "李娜", "0791-88123456",
    ]  # fmt: skip

    result = import_enterprises(world.staff, world.zone_a, out, update_existing=True)
    assert errors(result) == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_template_lists_industries_and_the_zones_tags_and_imports_once_filled(world, tmp_path):
    out = tmp_path / "template.xlsx"
    write_enterprise_template(out, world.zone_a)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["企业名录", NOTES_SHEET, LISTS_SHEET]
    ws = wb["企业名录"]
    assert [c.value for c in ws[1]] == TEMPLATE_HEADERS
    assert ws["A2"].value == "【示例】江西赣江光电科技有限公司"
    rules = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert rules == {
        "F2:F20001": "'代码表'!$A$2:$A$1382",  # the 1,381 classes of GB/T 4754-2017
        "H2:H20001": '"大型,中型,小型,微型"',
        "I2:I20001": '"是,否"',
        "K2:K20001": '"在营,停产,迁出,注销"',
    }
    assert wb[LISTS_SHEET]["A2"].value == "0111 稻谷种植"
    notes = [r[0] for r in wb[NOTES_SHEET].iter_rows(values_only=True)]
    assert "7. 本园区的产业链标签:电子信息" in notes

    ws.append(["江西模板公司", code(1), None, "2亿", None, "3974 显示器件制造"])
    wb.save(out)
    result = import_enterprises(world.staff, world.zone_a, out)
    assert errors(result) == [] and result.rows == 1
    assert Enterprise.objects.get(uscc=code(1)).registered_capital == Decimal("20000")


def test_progress_goes_through_the_three_stages(world, tmp_path):
    calls = []
    rows = [row(i) for i in range(600)]
    import_enterprises(
        world.staff, world.zone_a, workbook(tmp_path, rows), progress=lambda *a: calls.append(a)
    )
    assert calls == [
        (0, 600, "read"), (500, 600, "read"), (600, 600, "read"),
        (0, 600, "validate"), (500, 600, "validate"), (600, 600, "validate"),
        (600, 600, "write"),
    ]  # fmt: skip


def test_queries_do_not_grow_with_the_rows(world, tmp_path):
    def queries_for(n, offset):
        rows = [row(offset + i, 产业链标签="电子信息", 联系人="张三") for i in range(n)]
        path = workbook(tmp_path, rows, name=f"{n}.xlsx")
        with CaptureQueriesContext(connection) as ctx:
            result = import_enterprises(world.staff, world.zone_a, path)
        assert result.created == n
        return len(ctx.captured_queries)

    small, large = queries_for(10, 0), queries_for(400, 1000)
    assert small <= 15
    # 40× the rows: only more INSERT batches (SQLite binds ≤ 999 values per statement).
    assert large - small <= 20


def test_a_rejected_file_and_its_fixed_version_are_both_audited(world, tmp_path):
    bad = code(2)[:17] + ("0" if code(2)[17] != "0" else "1")
    rows = [row(1), row(2, 统一社会信用代码=bad), row(3)]
    result = import_enterprises(world.staff, world.zone_a, workbook(tmp_path, rows))
    assert (result.created, len(result.errors)) == (0, 1)
    rejected = AuditRecord.objects.get(action="import_rejected")
    assert (rejected.actor_name, rejected.zone, rejected.after["rows"]) == (
        "staff",
        world.zone_a,
        3,
    )
    assert rejected.after["errors"][0]["row"] == 3
    assert rejected.after["errors"][0]["column"] == "统一社会信用代码"
    assert not Enterprise.objects.filter(uscc__in=[code(1), code(3)]).exists()

    rows[1] = row(2)
    result = import_enterprises(world.staff, world.zone_a, workbook(tmp_path, rows, name="b.xlsx"))
    assert (result.created, result.errors) == (3, [])
    summary = AuditRecord.objects.get(action="import")
    assert summary.after["created"] == 3
    assert AuditRecord.objects.filter(action="create", actor_name="staff").count() == 3


def test_a_chinese_workbook_imports_while_the_page_is_in_english(world, tmp_path):
    from django.utils import translation

    with translation.override("en"):
        result = import_enterprises(
            world.staff,
            world.zone_a,
            workbook(tmp_path, [row(1, 经营状态="在营", 企业规模="小型")]),
        )
    assert (result.created, result.errors) == (1, [])
