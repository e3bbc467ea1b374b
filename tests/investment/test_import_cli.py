"""`gaoxin import projects FILE --zone CODE`: the ledger importer from the command line."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core import modules
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL
from gaoxin.investment.models import Project, StageEvent
from tests.support.ledger_import import counts, row, workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_import_prints_a_summary_and_acts_as_the_first_platform_admin(world, tmp_path):
    path = workbook(tmp_path, [row(1), row(2, 签约日期="2019-03-01", 开工日期="2019-06-01")])
    output = run("import", "projects", str(path), "--zone", "ZA")
    assert output == "导入完成:共 2 行,新建 2 条,更新 0 条,未变化 0 条。\n"
    projects = Project.objects.filter(zone=world.zone_a).order_by("name")
    assert [(p.name, p.stage) for p in projects] == [
        ("测试项目1", "lead"),
        ("测试项目2", "started"),
    ]
    assert StageEvent.objects.count() == 1 + 3
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_id, summary.zone_id) == (world.admin.pk, world.zone_a.pk)
    assert summary.object_repr == "招商项目批量导入:台账.xlsx"


def test_import_as_a_named_staff_member(world, tmp_path):
    path = workbook(tmp_path, [row(1)])
    output = run("import", "projects", str(path), "--zone", "ZA", "--user", "staff")
    assert output == "导入完成:共 1 行,新建 1 条,更新 0 条,未变化 0 条。\n"
    project = Project.objects.get()
    assert (project.department, project.events.get().actor_name) == (world.dept_a, "staff")


def test_errors_are_listed_marked_next_to_the_file_and_exit_1(world, tmp_path):
    rows = [row(i) for i in range(60)] + [row(100 + i, 线索日期="某天") for i in range(55)]
    path = workbook(tmp_path, rows)
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "projects", str(path), "--zone", "ZA", stdout=out)
    assert exc.value.returncode == 1
    assert str(exc.value) == "导入失败,没有写入任何数据"
    lines = out.getvalue().splitlines()
    reason = "无法识别的日期「某天」:请按 2019-11-03 或 2019年11月3日 填写"
    assert lines[0] == "导入未执行:共 55 处错误,没有写入任何数据。"
    assert lines[1] == f"第 62 行 线索日期「某天」: {reason}"
    assert lines[50] == f"第 111 行 线索日期「某天」: {reason}"
    marked = tmp_path / "台账.xlsx.errors.xlsx"
    assert lines[51:] == ["…… 另有 5 处错误未列出,见标注文件", f"已在 {marked} 中标出错误单元格"]
    ws = openpyxl.load_workbook(marked)["招商台账"]
    assert ws["D62"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert ws["D61"].fill.fgColor.rgb != ERROR_FILL.fgColor.rgb
    assert counts() == before


def test_a_stage_rule_fails_the_command(world, tmp_path):
    path = workbook(tmp_path, [row(1, 投产日期="2019-09-01")])
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "projects", str(path), "--zone", "ZA", stdout=out)
    assert exc.value.returncode == 1
    assert out.getvalue().splitlines()[1] == (
        "第 2 行 投产日期「2019-09-01」: 「投产」只能从「开工」推进(当前为「线索」),请先登记开工"
    )
    assert (tmp_path / "台账.xlsx.errors.xlsx").is_file()
    assert not Project.objects.exists()


def test_a_user_who_may_not_import_gets_exit_1(world, tmp_path):
    path = workbook(tmp_path, [row(1)])
    before = counts()
    with pytest.raises(CommandError) as exc:
        run("import", "projects", str(path), "--zone", "ZA", "--user", "leader")
    assert (str(exc.value), exc.value.returncode) == ("leader: 无权在该园区导入招商项目", 1)
    assert counts() == before


def test_update_is_not_offered_for_projects(world, tmp_path):
    path = workbook(tmp_path, [row(1)])
    with pytest.raises(CommandError) as exc:
        run("import", "projects", str(path), "--zone", "ZA", "--update")
    assert str(exc.value) == "招商项目导入不支持 --update:台账只新建项目,已有项目请在项目页面修改"
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("widgets", "x.xlsx", "--zone", "ZA"), "未知的数据类型 widgets,可选:" + ", ".join(sorted(modules.import_targets()))),
        (("projects", "x.xlsx", "--zone", "ZZ"), "园区代码 ZZ 不存在(已有:ZA, ZB, ZC)"),
        (("projects", "missing.xlsx", "--zone", "ZA"), "找不到文件 missing.xlsx"),
        (("projects", "x.xlsx", "--zone", "ZA", "--user", "nobody"), "用户 nobody 不存在或已停用"),
    ],
)  # fmt: skip
def test_bad_arguments_are_explained(world, args, message):
    with pytest.raises(CommandError) as exc:
        run("import", *args)
    assert str(exc.value) == message


def test_projects_cannot_be_exported_from_the_command_line(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        run("export", "projects", str(tmp_path / "out.xlsx"), "--zone", "ZA")
    assert str(exc.value) == "projects 不支持导出"
