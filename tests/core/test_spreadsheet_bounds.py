"""What the spreadsheet reader opens is bounded before calamine sees it (issue 11, item 2): hostile
files built for real (a value in XFD1048576, a sheet without <dimension>, a zip bomb, sizes that
lie, too many rows, a too-wide CSV) are refused with a Chinese reason and nothing imported.

Every test that hands calamine a far cell guards it with `calamine_forbidden`: on code without
the bounds calamine would ask for 512 GiB and abort the whole test run, so the guard fails the
test instead.
"""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
import python_calamine
import xlwt
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import Column, read_records
from gaoxin.core.spreadsheets.bounds import Exceeded, check_workbook
from gaoxin.enterprises.importers import import_enterprises
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.views import imports as enterprise_imports
from gaoxin.investment.views import imports as project_imports
from gaoxin.statistics.views import imports as statistics_imports

TARGET = enterprise_imports.TARGET

COLUMNS = [Column("name", "企业名称", required=True), Column("code", "统一社会信用代码")]
FAR = (
    "表格范围过大:工作表「名录」的单元格 XFD1048576 超出允许的 200 列 × 200000 行,"
    "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
)
SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """calamine must not open the file under test: opening it is the failure."""

    class Forbidden:
        @staticmethod
        def from_filelike(_fh):
            raise AssertionError("calamine opened a file the bounds should have refused")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Forbidden)


def workbook(cells: dict[str, object], title: str = "名录") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for ref, value in cells.items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def repack(data: bytes, replace: dict[str, bytes | None] = (), add=()) -> bytes:
    """The archive with members replaced (None: removed) and members added."""
    replace, out = dict(replace), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = replace.get(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for name, content in dict(add).items():
            dst.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(rows: str) -> bytes:
    """A worksheet without a <dimension>: only what a hostile generator needs to write."""
    return f"<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>".encode()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    return buffer.getvalue()


HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>'


def read(data: bytes, name: str = "名录.xlsx"):
    parsed = read_records(data, COLUMNS, name=name)
    assert parsed.fatal and parsed.records == []
    return [e.reason for e in parsed.errors]


# --- far cells ---------------------------------------------------------------------------------


def test_a_value_in_xfd1048576_is_refused_before_calamine(calamine_forbidden):
    data = workbook({"A1": "企业名称", "XFD1048576": "远"})
    assert len(data) < 6000  # a 5 KB file
    assert read(data) == [FAR]


def test_a_far_cell_is_found_without_a_dimension_tag(calamine_forbidden):
    rows = HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    data = repack(workbook({"A1": "企业名称"}), {SHEET: sheet_xml(rows)})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<dimension" not in z.read(SHEET)
    assert read(data) == [FAR]


def test_a_far_cell_without_references_is_counted_cell_by_cell(calamine_forbidden):
    """No r attributes at all: the position follows the rows and cells as calamine counts them."""
    rows = HEAD + "<row>" + "<c><v>1</v></c>" * 201 + "</row>"
    data = repack(workbook({"A1": "企业名称"}), {SHEET: sheet_xml(rows)})
    assert read(data) == [
        "表格范围过大:工作表「名录」的单元格 GS2 超出允许的 200 列 × 200000 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("AAAA1", "表格范围过大:工作表「名录」的单元格 AAAA1 超出允许的 200 列 × 200000 行,"
                  "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"),
        ("A99999999999", "表格范围过大:工作表「名录」的单元格 A99999999999 超出允许的 200 列 × "
                         "200000 行,请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"),
        ("1A", "无法读取文件「名录.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式"),
    ],
)  # fmt: skip
def test_references_beyond_excel_or_malformed(calamine_forbidden, ref, reason):
    rows = HEAD + f'<row r="2"><c r="{ref}"><v>1</v></c></row>'
    data = repack(workbook({"A1": "企业名称"}), {SHEET: sheet_xml(rows)})
    assert read(data) == [reason]


def test_a_sheet_kept_outside_xl_worksheets_is_found_through_the_relationships(
    calamine_forbidden,
):
    data = workbook({"A1": "企业名称"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels")
        types = z.read("[Content_Types].xml")
    assert b"/xl/worksheets/sheet1.xml" in rels
    far = sheet_xml(HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    data = repack(
        data,
        {
            SHEET: None,
            "xl/_rels/workbook.xml.rels": rels.replace(b"/xl/worksheets/", b"/xl/hidden/"),
            "[Content_Types].xml": types.replace(b"/xl/worksheets/", b"/xl/hidden/"),
        },
        {"xl/hidden/sheet1.xml": far},
    )
    assert read(data) == [FAR]


def test_a_declared_dimension_alone_is_refused_before_the_cells(calamine_forbidden):
    rows = HEAD.replace("<row", '<dimension ref="A1:XFD1048576"/><row', 1)
    data = repack(workbook({"A1": "企业名称"}), {SHEET: sheet_xml(rows)})
    assert check_raises(data) == FAR


def check_raises(data: bytes) -> str:
    with pytest.raises(Exceeded) as caught:
        check_workbook(data)
    return str(caught.value)


def test_too_many_rows_and_too_many_cells(settings, calamine_forbidden):
    settings.IMPORT_MAX_ROWS = 50
    data = workbook({"A1": "企业名称", **{f"A{r}": f"企业{r}" for r in range(2, 62)}})
    assert read(data) == [
        "表格范围过大:工作表「名录」的单元格 A61 超出允许的 200 列 × 50 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS = 200000, 100
    data = workbook({"A1": "企业名称", "D30": "x"})
    assert read(data) == [
        "表格范围过大:区域 A1:D30 共 120 个单元格,超出允许的 100 个,"
        "请删除多余的行列或拆分成多个文件分批导入"
    ]


def test_a_file_within_the_bounds_is_read_by_calamine(settings):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELLS = 3, 2, 6
    data = workbook({"A1": "企业名称", "B1": "统一社会信用代码", "A3": "甲公司", "B3": "91"})
    parsed = read_records(data, COLUMNS, name="名录.xlsx")
    assert not parsed.fatal
    assert [(r.row, r.values) for r in parsed.records] == [(3, {"name": "甲公司", "code": "91"})]


def test_an_xls_beyond_the_bounds_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 100
    book = xlwt.Workbook()
    sheet = book.add_sheet("名录")
    sheet.write(0, 0, "企业名称")
    sheet.write(149, 1, "远")
    path = tmp_path / "名录.xls"
    book.save(str(path))
    parsed = read_records(path, COLUMNS)
    assert [e.reason for e in parsed.errors] == [
        "表格范围过大:工作表「名录」的单元格 B150 超出允许的 200 列 × 100 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]


# --- CSV -----------------------------------------------------------------------------------------


def test_a_too_wide_csv_and_one_with_too_many_rows(settings):
    wide = ("企业名称,统一社会信用代码\n" + ",".join(["x"] * 201) + "\n").encode()
    assert read(wide, "名录.csv") == [
        "表格范围过大:单元格 GS2 超出允许的 200 列 × 200000 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]
    widest = ("企业名称\n" + "," * 20000 + "\n").encode()  # beyond Excel's last column
    assert read(widest, "名录.csv") == [
        "表格范围过大:单元格 ACOG2 超出允许的 200 列 × 200000 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]
    settings.IMPORT_MAX_ROWS = 5
    long = ("企业名称\n" + "甲公司\n" * 5).encode()
    assert read(long, "名录.csv") == [
        "表格范围过大:单元格 A6 超出允许的 200 列 × 5 行,"
        "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
    ]


def test_a_file_over_the_size_limit_is_not_read(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "大.csv"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    assert read_records(path, COLUMNS).errors[0].reason == "文件过大(1.0 MB),上限为 1 MB"
    with path.open("rb") as fh:
        assert read(fh, "大.csv") == ["文件过大(1.0 MB),上限为 1 MB"]


# --- the zip itself ----------------------------------------------------------------------------


def test_a_zip_bomb_member_and_too_much_in_total(settings, calamine_forbidden):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    bomb = repack(workbook({"A1": "企业名称"}), add={"xl/media/image1.png": bytes(2 * 1048576)})
    assert len(bomb) < 20000
    assert read(bomb) == [
        "文件中的部件 xl/media/image1.png 解压后 2.0 MB,超过上限 1 MB;"
        "文件可能已损坏或是恶意构造的压缩包"
    ]
    parts = {f"xl/media/image{i}.png": bytes(400 * 1024) for i in range(3)}
    assert read(repack(workbook({"A1": "企业名称"}), add=parts)) == [
        "文件解压后共 1.2 MB,超过上限 1 MB;文件可能已损坏或是恶意构造的压缩包"
    ]


def test_too_many_members(settings, calamine_forbidden):
    settings.IMPORT_MAX_ZIP_MEMBERS = 12
    parts = {f"docProps/custom{i}.xml": b"<a/>" for i in range(10)}
    assert read(repack(workbook({"A1": "企业名称"}), add=parts)) == [
        "文件由 19 个部件组成,超过上限 12 个;文件可能已损坏或是恶意构造的压缩包"
    ]


def lying(data: bytes, member: str, size: int) -> bytes:
    """The archive with `member` declaring `size` bytes (and the CRC of that many): a reader that
    trusts the declaration stops there, one that inflates the data gets all of it."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
        crc = zlib.crc32(z.read(member)[:size])
    out = bytearray(data)
    struct.pack_into("<L", out, info.header_offset + 14, crc)
    struct.pack_into("<L", out, info.header_offset + 22, size)
    central = 0
    while True:
        central = out.index(b"PK\x01\x02", central)
        name_length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + name_length] == member.encode():
            break
        central += 4
    struct.pack_into("<L", out, central + 16, crc)
    struct.pack_into("<L", out, central + 24, size)
    return bytes(out)


def test_sizes_that_lie_are_a_damaged_file(calamine_forbidden):
    data = repack(workbook({"A1": "企业名称"}), add={"xl/media/image1.png": bytes(300_000)})
    data = lying(data, "xl/media/image1.png", 1000)
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # zipfile believes it
        assert len(z.read("xl/media/image1.png")) == 1000
    assert read(data, "lie.xlsx") == [
        "无法读取文件「lie.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式"
    ]


def test_a_document_type_declaration_is_refused(calamine_forbidden):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>')
    )
    data = repack(workbook({"A1": "企业名称"}), {SHEET: laughs})
    assert read(data, "laughs.xlsx") == [
        "无法读取文件「laughs.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式"
    ]


def test_a_plain_zip_named_xlsx_is_not_a_workbook(calamine_forbidden):
    assert read(plain_zip(), "名录.xlsx") == [
        "文件「名录.xlsx」不是 Excel 工作簿:压缩包中没有 [Content_Types].xml"
        "(可能是改了扩展名的普通 ZIP 或其他文档);请上传 .xlsx、.xls 或 .csv 文件"
    ]


# --- through the importer and the import page ---------------------------------------------------


@pytest.mark.django_db
def test_the_importer_writes_nothing_and_audits_the_rejection(world, calamine_forbidden):
    before = Enterprise.objects.count()
    result = import_enterprises(
        world.staff, world.zone_a, io.BytesIO(workbook({"A1": "企业名称", "XFD1048576": "远"})),
        name="名录.xlsx",
    )  # fmt: skip
    assert [e.reason for e in result.errors] == [FAR]
    assert Enterprise.objects.count() == before
    assert AuditRecord.objects.filter(action="import_rejected").count() == 1
    assert not AuditRecord.objects.filter(action="import").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        enterprise_imports.TARGET,
        project_imports.TARGET,
        statistics_imports.RETURNS,
        statistics_imports.OFFICIAL,
    ],
    ids=["enterprises", "projects", "returns", "official"],
)
def test_every_import_refuses_a_plain_zip_named_xlsx(world, tmp_path, calamine_forbidden, target):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(plain_zip())
    result = target.run(world.zone_admin, world.zone_a, path, progress=None, name="数据.xlsx")
    assert [e.reason for e in result.errors] == [
        "文件「数据.xlsx」不是 Excel 工作簿:压缩包中没有 [Content_Types].xml"
        "(可能是改了扩展名的普通 ZIP 或其他文档);请上传 .xlsx、.xls 或 .csv 文件"
    ]
    assert AuditRecord.objects.filter(action="import_rejected").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("far", FAR),
        (
            "plain",
            "文件「名录.xlsx」不是 Excel 工作簿:压缩包中没有 [Content_Types].xml"
            "(可能是改了扩展名的普通 ZIP 或其他文档);请上传 .xlsx、.xls 或 .csv 文件",
        ),
    ],
    ids=["far-cell", "plain-zip"],
)
def test_the_import_page_shows_the_reason_and_the_job_ends(
    client, world, settings, calamine_forbidden, content, message
):
    settings.IMPORT_SYNC = True
    data = workbook({"A1": "企业名称", "XFD1048576": "远"}) if content == "far" else plain_zip()
    before = Enterprise.objects.count()
    client.force_login(world.staff)
    upload = io.BytesIO(data)
    upload.name = "名录.xlsx"
    response = client.post(reverse("enterprises:import"), {"file": upload})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "导入未执行:共 1 处错误,没有写入任何数据。" in html and message in html
    assert "hx-trigger" not in html  # the job has ended: the page stops polling
    job_id = response.url.rstrip("/").split("/")[-1]
    state = TARGET.jobs.load(job_id, world.staff)
    assert (state["state"], state["result"]["ok"], state["result"]["error_count"]) == (
        "done",
        False,
        1,
    )
    assert Enterprise.objects.count() == before
