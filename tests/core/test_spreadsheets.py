"""The generic spreadsheet pipeline: real .xlsx/.xls/.csv files written to tmp_path, read back."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlwt

from gaoxin.core.spreadsheets import (
    ERROR_FILL,
    ERRORS_SHEET,
    LISTS_SHEET,
    NOTES_SHEET,
    CellError,
    Choice,
    Column,
    ImportResult,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_text,
    parse_wan,
    read_records,
    split_list,
    write_errors_workbook,
    write_rows,
    write_template,
)

KIND = Choice("类型", {"甲类": "a", "乙类": "b"}, aliases={"甲": "a"})
COLUMNS = [
    Column("name", "企业名称", ("单位名称",), required=True),
    Column("code", "统一社会信用代码", ("信用代码",), required=True, parser=parse_code, text=True),
    Column("capital", "注册资本(万元)", ("注册资本",), parser=parse_wan),
    Column("day", "成立日期", parser=parse_date, date=True),
    Column("flag", "高新技术企业", parser=parse_bool, choices=("是", "否")),
    Column("kind", "类型", parser=KIND, choices=("甲类", "乙类")),
    Column("tags", "标签", parser=split_list),
]
HEADER = [
    "企业名称",
    "统一社会信用代码",
    "注册资本(万元)",
    "成立日期",
    "高新技术企业",
    "类型",
    "标签",
]


def xlsx(tmp_path, rows, name="data.xlsx", title="企业"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def write_csv(tmp_path, rows, encoding, name="data.csv", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def values(parsed):
    return [(r.row, r.values) for r in parsed.records]


def reasons(parsed):
    return [(e.row, e.column, e.value, e.reason) for e in parsed.errors]


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "wan"),
    [
        ("1.2亿", Decimal("12000")),
        ("1.2亿元", Decimal("12000")),
        ("500万", Decimal("500")),
        ("500万元", Decimal("500")),
        ("５００", Decimal("500")),
        ("1,234.5", Decimal("1234.5")),
        ("１，２３４．５", Decimal("1234.5")),
        ("3,000,000元", Decimal("300")),
        ("￥ 2 千万", Decimal("2000")),
        (" 800\u3000", Decimal("800")),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        (3000, Decimal("3000")),
    ],
)
def test_money_is_read_in_wan_yuan(typed, wan):
    assert parse_wan(typed) == wan


@pytest.mark.parametrize("typed", ["一千万", "12..5", "abc", "1.2 美元", True])
def test_unreadable_money_says_what_to_write(typed):
    with pytest.raises(ValueError) as exc:
        parse_wan(typed)
    assert "请填写数字,单位为万元(也可写 1.2亿、500万)" in str(exc.value)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2019年11月3日", dt.date(2019, 11, 3)),
        ("2019年11月3号", dt.date(2019, 11, 3)),
        ("２０１９年１１月３日", dt.date(2019, 11, 3)),
        ("2019.11.3", dt.date(2019, 11, 3)),
        ("2019/11/03", dt.date(2019, 11, 3)),
        ("2019-11-03", dt.date(2019, 11, 3)),
        ("2019-11-03 00:00:00", dt.date(2019, 11, 3)),
        (" 2019 - 11 - 03 ", dt.date(2019, 11, 3)),
        ("20191103", dt.date(2019, 11, 3)),
        (20191103, dt.date(2019, 11, 3)),
        ("2019年11月", dt.date(2019, 11, 1)),
        ("2019.11", dt.date(2019, 11, 1)),
        (43772, dt.date(2019, 11, 3)),
        (43772.0, dt.date(2019, 11, 3)),
        ("43772", dt.date(2019, 11, 3)),
        (dt.datetime(2019, 11, 3, 9, 30), dt.date(2019, 11, 3)),
        (dt.date(2019, 11, 3), dt.date(2019, 11, 3)),
    ],
)
def test_dates_in_every_shape_people_type(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2019-02-30", "日期不存在:2019年2月30日"),
        (2019, "「2019」只有年份,请填写完整日期,如 2019-11-03"),
        ("去年", "无法识别的日期「去年」:请按 2019-11-03 或 2019年11月3日 填写"),
        ("1899-01-01", "日期「1899-01-01」的年份早于 1900 年"),
    ],
)
def test_bad_dates_say_why(typed, reason):
    with pytest.raises(ValueError) as exc:
        parse_date(typed)
    assert str(exc.value) == reason


@pytest.mark.parametrize(
    ("typed", "flag"),
    [("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False)]
    + [("1", True), ("0", False), (1.0, True), (0, False), (True, True), ("ｙｅｓ", True)],
)
def test_booleans(typed, flag):
    assert parse_bool(typed) is flag


def test_text_and_codes_are_tidied():
    assert parse_text("ＡＢＣ\u3000科技（南昌）\u00a0 有限公司 ") == "ABC 科技（南昌） 有限公司"
    assert parse_text(13800138000.0) == "13800138000"
    assert parse_code(" ９１３６ ０１２１\u200b ab ") == "91360121AB"
    assert parse_decimal("1,234") == Decimal("1234")
    assert split_list("电子信息、新材料;新材料，光电；\n纺织") == [
        "电子信息",
        "新材料",
        "光电",
        "纺织",
    ]
    assert KIND("甲") == "a" and KIND("乙类") == "b" and KIND("ｂ") == "b"
    with pytest.raises(ValueError) as exc:
        KIND("丙类")
    assert str(exc.value) == "「丙类」不是有效的类型,可选:甲类、乙类"


def test_a_long_code_stored_as_a_number_is_refused():
    with pytest.raises(ValueError) as exc:
        parse_code(9.13601211e17)
    assert "超过 15 位的部分已丢失" in str(exc.value)


# --- reading ---------------------------------------------------------------------------------


def test_xlsx_header_below_a_title_with_messy_headers_and_values(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["2019年企业名录"],
            [],
            ["序号", "*企业名称", "信用代码 ", "注册资本（万元）", "成立日期", "高新技术企业", "类型", "标签", "备注"],
            [1, "【示例】示例公司", "X", "1", "2019-01-01", "是", "甲类", "", ""],
            [2, "甲公司", "９１３６０１２１ＭＡ35", "1.2亿", "2019年11月", "√", "甲", "电子信息、新材料", "x"],
            [None, None, None, None, None, None, None, None, "只有备注的行"],
            [3, "乙公司", "91360121MA36", 500, 43772, "否", "乙类", None, None],
            [4, "丙公司", "91360121MA37", None, dt.date(2020, 1, 2), None, None, None, None],
        ],
    )  # fmt: skip
    parsed = read_records(path, COLUMNS)
    assert parsed.errors == [] and not parsed.fatal
    assert parsed.layout.header_row == 2
    assert parsed.layout.headers["code"] == "信用代码"
    assert parsed.layout.ignored == ["序号", "备注"]
    assert values(parsed) == [
        (5, {"name": "甲公司", "code": "91360121MA35", "capital": Decimal("12000"),
             "day": dt.date(2019, 11, 1), "flag": True, "kind": "a",
             "tags": ["电子信息", "新材料"]}),
        (7, {"name": "乙公司", "code": "91360121MA36", "capital": Decimal("500"),
             "day": dt.date(2019, 11, 3), "flag": False, "kind": "b", "tags": None}),
        (8, {"name": "丙公司", "code": "91360121MA37", "capital": None,
             "day": dt.date(2020, 1, 2), "flag": None, "kind": None, "tags": None}),
    ]  # fmt: skip


def test_cell_errors_carry_excel_row_header_value_and_reason(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["甲公司", "", "很多", "2019-02-30", "也许", "丙类", ""],
            ["乙公司", "91360121MA36", "1", "2019-01-01", "是", "甲类", ""],
        ],
    )
    parsed = read_records(path, COLUMNS)
    assert reasons(parsed) == [
        (2, "统一社会信用代码", "", "必填项不能为空"),
        (2, "注册资本(万元)", "很多",
         "无法识别的金额「很多」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        (2, "成立日期", "2019-02-30", "日期不存在:2019年2月30日"),
        (2, "高新技术企业", "也许", "「也许」应填写 是 或 否"),
        (2, "类型", "丙类", "「丙类」不是有效的类型,可选:甲类、乙类"),
    ]  # fmt: skip
    assert [e.cell for e in parsed.errors] == ["B2", "C2", "D2", "E2", "F2"]
    assert parsed.records[0].failed == {"code", "capital", "day", "flag", "kind"}
    assert parsed.records[1].values["name"] == "乙公司"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding_chinese_offices_save(tmp_path, encoding):
    path = write_csv(
        tmp_path,
        [HEADER, ["赣州稀金新材料有限公司", "91360121MA35", "1.2亿", "2019年11月3日", "是", "乙类", "新材料、稀土"]],
        encoding,
    )  # fmt: skip
    parsed = read_records(path, COLUMNS)
    assert parsed.errors == []
    assert values(parsed) == [
        (2, {"name": "赣州稀金新材料有限公司", "code": "91360121MA35",
             "capital": Decimal("12000"), "day": dt.date(2019, 11, 3), "flag": True,
             "kind": "b", "tags": ["新材料", "稀土"]}),
    ]  # fmt: skip
    assert parsed.table.kind == "csv"


def test_tab_separated_csv(tmp_path):
    path = write_csv(tmp_path, [HEADER[:2], ["甲公司", "91360121MA35"]], "gbk", delimiter="\t")
    assert values(read_records(path, COLUMNS[:2])) == [
        (2, {"name": "甲公司", "code": "91360121MA35"})
    ]


def test_xls_written_by_xlwt(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("企业名录")
    for c, header in enumerate(HEADER):
        sheet.write(0, c, header)
    row = ["吉安电子有限公司", "91360121MA35", 3000, None, "否", "甲类", "电子信息"]
    for c, value in enumerate(row):
        if value is not None:
            sheet.write(1, c, value)
    sheet.write(1, 3, dt.date(2018, 5, 6), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    path = tmp_path / "old.xls"
    book.save(str(path))
    parsed = read_records(path, COLUMNS)
    assert parsed.table.kind == "xls"
    assert values(parsed) == [
        (2, {"name": "吉安电子有限公司", "code": "91360121MA35", "capital": Decimal("3000"),
             "day": dt.date(2018, 5, 6), "flag": False, "kind": "a", "tags": ["电子信息"]}),
    ]  # fmt: skip


def test_the_sheet_with_the_header_is_chosen(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active.append(["2024 年度企业名录"])
    data = wb.create_sheet("名录")
    data.append(HEADER[:2])
    data.append(["甲公司", "91360121MA35"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    parsed = read_records(path, COLUMNS)
    assert parsed.table.sheet == "名录"
    assert values(parsed) == [(2, {"name": "甲公司", "code": "91360121MA35"})]


def test_a_renamed_csv_is_read_for_what_it_is(tmp_path):
    """Content decides: an .xlsx saved under a .csv name is still read as a workbook."""
    real = xlsx(tmp_path, [HEADER[:2], ["甲公司", "91360121MA35"]])
    renamed = tmp_path / "actually-excel.csv"
    renamed.write_bytes(real.read_bytes())
    assert values(read_records(renamed, COLUMNS)) == [
        (2, {"name": "甲公司", "code": "91360121MA35"})
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.xlsx", b"", "文件是空的(0 字节)"),
        ("report.pdf", b"%PDF-1.4", "不支持的文件类型「.pdf」:请上传 .xlsx、.xls 或 .csv 文件"),
        ("broken.xlsx", b"not a workbook",
         "文件「broken.xlsx」不是有效的 Excel 文件(可能已损坏,或只是改了扩展名)"),
        ("broken2.xlsx", b"PK\x03\x04garbage",
         "无法读取文件「broken2.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式"),
        ("binary.csv", b"\x00\x01\x02",
         "文件内容不是文本,无法按 CSV 读取;请上传 .xlsx、.xls 或 .csv 文件"),
        ("nothing.csv", "甲,乙\n1,2\n".encode(),
         "没有找到表头:前 30 行中没有可识别的列名(如 企业名称、统一社会信用代码、注册资本(万元))"),
        ("only-header.csv", "企业名称,统一社会信用代码\n,\n".encode(),
         "表头(第 1 行)下面没有数据行"),
    ],
)  # fmt: skip
def test_unreadable_files_get_one_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    parsed = read_records(path, COLUMNS)
    assert parsed.fatal
    assert reasons(parsed) == [(None, "", "", reason)]
    assert parsed.records == []


def test_missing_required_columns_are_named(tmp_path):
    path = xlsx(tmp_path, [["注册资本", "成立日期"], ["1", "2019-01-01"]])
    parsed = read_records(path, COLUMNS)
    assert parsed.fatal
    assert reasons(parsed) == [
        (None, "", "", "缺少必填列:企业名称、统一社会信用代码(表头在第 1 行)")
    ]


def test_duplicated_headers_are_named_with_their_columns(tmp_path):
    path = xlsx(tmp_path, [["企业名称", "信用代码", "单位名称"], ["甲", "X", "乙"]])
    parsed = read_records(path, COLUMNS)
    assert parsed.fatal
    assert reasons(parsed) == [
        (1, "企业名称", "", "表头「企业名称」重复出现(A 列、C 列),请只保留一列")
    ]
    assert parsed.errors[0].cell == "C1"


def test_a_file_object_works_like_a_path(tmp_path):
    path = xlsx(tmp_path, [HEADER[:2], ["甲公司", "91360121MA35"]])
    stream = io.BytesIO(path.read_bytes())
    parsed = read_records(stream, COLUMNS, name="上传.xlsx")
    assert parsed.name == "上传.xlsx"
    assert values(parsed) == [(2, {"name": "甲公司", "code": "91360121MA35"})]


def test_progress_is_reported_up_to_the_total(tmp_path):
    rows = [HEADER[:2]] + [[f"公司{i}", f"CODE{i}"] for i in range(1200)]
    calls = []
    read_records(xlsx(tmp_path, rows), COLUMNS, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]


# --- writing ---------------------------------------------------------------------------------


def test_errors_workbook_marks_the_exact_cells_and_lists_them(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["企业名录"],
            HEADER,
            ["甲公司", "91360121MA35", "很多", dt.date(2019, 1, 2), "是", "", ""],
        ],
    )
    parsed = read_records(path, COLUMNS)
    extra = parsed.layout.error(3, "name", "甲公司", "企业名称与库中记录重复")
    row_level = parsed.layout.error(3, None, "", "整行有误")
    result = ImportResult("data.xlsx", errors=[*parsed.errors, extra, row_level], parsed=parsed)
    out = tmp_path / "marked.xlsx"
    assert result.write_errors_workbook(out) is True

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["企业", ERRORS_SHEET]
    ws = wb["企业"]
    assert ws["A1"].value == "企业名录" and ws["B3"].value == "91360121MA35"
    assert ws["D3"].value == dt.datetime(2019, 1, 2)  # dates stay dates
    assert ws["C3"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb == "00FFC7CE"
    assert ws["C3"].comment.text == (
        "无法识别的金额「很多」:请填写数字,单位为万元(也可写 1.2亿、500万)"
    )
    assert ws["A3"].comment.text == "整行有误\n企业名称与库中记录重复"
    assert ws["B3"].comment is None and ws["B3"].fill.fgColor.rgb == "00000000"
    listing = [tuple(c.value for c in row) for row in wb[ERRORS_SHEET].iter_rows()]
    assert listing == [
        ("行", "列", "值", "原因"),
        (3, None, None, "整行有误"),
        (3, "企业名称", "甲公司", "企业名称与库中记录重复"),
        (3, "注册资本(万元)", "很多",
         "无法识别的金额「很多」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
    ]  # fmt: skip


def test_errors_workbook_of_a_csv_and_file_level_errors(tmp_path):
    path = write_csv(tmp_path, [["注册资本"], ["1"]], "gbk")
    parsed = read_records(path, COLUMNS)
    out = tmp_path / "marked.xlsx"
    write_errors_workbook(out, parsed.table, parsed.errors)
    wb = openpyxl.load_workbook(out)
    assert [tuple(c.value for c in r) for r in wb[ERRORS_SHEET].iter_rows(min_row=2)] == [
        ("—", None, None, "缺少必填列:企业名称、统一社会信用代码(表头在第 1 行)")
    ]
    assert wb["data"]["A2"].value == "1"


def test_nothing_to_mark_when_the_file_could_not_be_read(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    parsed = read_records(path, COLUMNS)
    result = ImportResult("x.pdf", errors=parsed.errors, parsed=parsed)
    assert result.write_errors_workbook(tmp_path / "out.xlsx") is False
    assert not (tmp_path / "out.xlsx").exists()


def test_template_has_headers_example_notes_and_dropdowns(tmp_path):
    out = tmp_path / "template.xlsx"
    write_template(
        out,
        [*COLUMNS, Column("industry", "行业代码", list_name="行业")],
        title="企业名录",
        example={"name": "示例公司", "code": "91360121MA35", "day": dt.date(2019, 11, 3)},
        notes=["第一条说明"],
        lists={"行业": ["3974 显示器件制造", "3982 电子电路制造"]},
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["企业名录", NOTES_SHEET, LISTS_SHEET]
    ws = wb["企业名录"]
    assert [c.value for c in ws[1]] == [*HEADER, "行业代码"]
    assert ws["A1"].font.color.rgb == "00C00000"  # required columns in red
    assert ws["A2"].value == "【示例】示例公司" and ws["D2"].value == dt.datetime(2019, 11, 3)
    assert ws.column_dimensions["B"].number_format == "@"
    rules = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert rules == {
        "E2:E20001": '"是,否"',
        "F2:F20001": '"甲类,乙类"',
        "H2:H20001": "'代码表'!$A$2:$A$3",
    }
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[LISTS_SHEET]["A"]] == [
        "行业",
        "3974 显示器件制造",
        "3982 电子电路制造",
    ]
    notes = [r[0] for r in wb[NOTES_SHEET].iter_rows(values_only=True)]
    assert notes[:2] == ["填写说明", "第一条说明"] and "统一社会信用代码" in notes

    # Filled in and read back, the example row is skipped.
    ws.append(["真实公司", "91360121MA35"])
    wb.save(out)
    assert values(read_records(out, COLUMNS)) == [
        (3, {"name": "真实公司", "code": "91360121MA35", "capital": None, "day": None,
             "flag": None, "kind": None, "tags": None}),
    ]  # fmt: skip


def test_exports_write_typed_values_and_never_formulas(tmp_path):
    stream = io.BytesIO()
    count = write_rows(
        stream,
        COLUMNS[:4],
        [{"name": '=HYPERLINK("x")', "code": "9136\x07", "capital": Decimal("1.5")}],
        title="导出",
    )
    assert count == 1
    ws = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["导出"]
    assert [c.value for c in ws[2]] == ['=HYPERLINK("x")', "9136", 1.5, None]
    assert ws["A2"].data_type == "s"


def test_cell_error_reference():
    assert CellError(12, "成立日期", "x", "r", 27).cell == "AB12"
    assert CellError(None, "", "", "r").cell == ""
