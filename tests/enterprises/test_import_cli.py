"""`gaoxin import enterprises FILE --zone CODE` and `gaoxin export enterprises FILE --zone CODE`."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core import modules
from gaoxin.core.models import AuditRecord, User
from gaoxin.core.roles import PLATFORM_ADMIN
from gaoxin.core.spreadsheets import ERROR_FILL
from gaoxin.enterprises.models import Enterprise
from tests.support.enterprise_import import HEADERS, code, counts, row, workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_import_prints_a_summary_and_acts_as_the_first_platform_admin(world, tmp_path):
    path = workbook(tmp_path, [row(1), row(2)])
    output = run("import", "enterprises", str(path), "--zone", "ZA")
    assert output == "导入完成:共 2 行,新建 2 条,更新 0 条,未变化 0 条。\n"
    assert Enterprise.objects.filter(zone=world.zone_a, uscc__in=[code(1), code(2)]).count() == 2
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_id, summary.zone_id) == (world.admin.pk, world.zone_a.pk)


def test_import_as_a_named_user_with_update(world, tmp_path):
    path = workbook(tmp_path, [row(1, 统一社会信用代码=world.a2.uscc, 地址="新地址")])
    output = run("import", "enterprises", str(path), "--zone", "ZA", "--user", "staff", "--update")
    assert output == "导入完成:共 1 行,新建 0 条,更新 1 条,未变化 0 条。\n"
    world.a2.refresh_from_db()
    assert (world.a2.name, world.a2.address, world.a2.version) == (
        "江西测试1电子有限公司",
        "新地址",
        2,
    )
    assert AuditRecord.objects.get(action="update").actor_name == "staff"


def test_errors_are_listed_marked_next_to_the_file_and_exit_1(world, tmp_path):
    rows = [row(i) for i in range(60)] + [row(100 + i, 成立日期="某天") for i in range(55)]
    path = workbook(
        tmp_path, rows, headers=["企业名称", "统一社会信用代码", "行业代码", "成立日期"]
    )
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "enterprises", str(path), "--zone", "ZA", stdout=out)
    assert exc.value.returncode == 1
    assert str(exc.value) == "导入失败,没有写入任何数据"
    lines = out.getvalue().splitlines()
    reason = "无法识别的日期「某天」:请按 2019-11-03 或 2019年11月3日 填写"
    assert lines[0] == "导入未执行:共 55 处错误,没有写入任何数据。"
    assert lines[1] == f"第 62 行 成立日期「某天」: {reason}"
    assert lines[50] == f"第 111 行 成立日期「某天」: {reason}"
    marked = tmp_path / "企业.xlsx.errors.xlsx"
    assert lines[51:] == ["…… 另有 5 处错误未列出,见标注文件", f"已在 {marked} 中标出错误单元格"]
    ws = openpyxl.load_workbook(marked)["企业名录"]
    assert ws["D62"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert ws["D61"].fill.fgColor.rgb != ERROR_FILL.fgColor.rgb
    assert counts() == before


def test_a_user_who_may_not_import_gets_exit_1(world, tmp_path):
    path = workbook(tmp_path, [row(1)])
    before = counts()
    with pytest.raises(CommandError) as exc:
        run("import", "enterprises", str(path), "--zone", "ZA", "--user", "leader")
    assert (str(exc.value), exc.value.returncode) == ("leader: 无权在该园区导入企业", 1)
    assert counts() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("widgets", "x.xlsx", "--zone", "ZA"), "未知的数据类型 widgets,可选:" + ", ".join(sorted(modules.import_targets()))),
        (("enterprises", "x.xlsx", "--zone", "ZZ"), "园区代码 ZZ 不存在(已有:ZA, ZB, ZC)"),
        (("enterprises", "x.xlsx", "--zone", "ZA", "--user", "nobody"), "用户 nobody 不存在或已停用"),
        (("enterprises", "missing.xlsx", "--zone", "ZA"), "找不到文件 missing.xlsx"),
    ],
)  # fmt: skip
def test_bad_arguments_are_explained(world, args, message):
    with pytest.raises(CommandError) as exc:
        run("import", *args)
    assert str(exc.value) == message


def test_without_a_platform_admin_a_user_must_be_named(db, tmp_path):
    from tests.factories import ZoneFactory

    ZoneFactory(code="ZA")
    # None active, whatever else the module's tests have built.
    User.objects.filter(memberships__role=PLATFORM_ADMIN).update(is_active=False)
    with pytest.raises(CommandError) as exc:
        run("import", "enterprises", str(workbook(tmp_path, [row(1)])), "--zone", "ZA")
    assert str(exc.value) == "没有可用的平台管理员账号,请用 --user 指定操作人"


def test_export_writes_what_the_user_sees_and_imports_back(world, tmp_path):
    path = tmp_path / "out.xlsx"
    output = run("export", "enterprises", str(path), "--zone", "ZA", "--user", "staff")
    assert output == f"已导出 2 条企业到 {path}\n"
    ws = openpyxl.load_workbook(path)["企业名录"]
    assert [c.value for c in ws[1]] == HEADERS
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "甲一电子科技有限公司",
        "甲二纺织有限公司",
    ]
    export = AuditRecord.objects.get(action="export")
    assert (export.actor_name, export.zone_id, export.message) == (
        "staff",
        world.zone_a.pk,
        f"命令行导出 2 条到 {path}",
    )
    output = run("import", "enterprises", str(path), "--zone", "ZA", "--update")
    assert output == "导入完成:共 2 行,新建 0 条,更新 0 条,未变化 2 条。\n"


def test_the_enterprise_user_exports_only_their_own(world, tmp_path):
    path = tmp_path / "own.xlsx"
    assert run("export", "enterprises", str(path), "--zone", "ZA", "--user", "enterprise") == (
        f"已导出 1 条企业到 {path}\n"
    )


def test_export_needs_an_xlsx_name(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        run("export", "enterprises", str(tmp_path / "out.csv"), "--zone", "ZA")
    assert str(exc.value) == "导出文件名应以 .xlsx 结尾"
