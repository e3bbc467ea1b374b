"""`gaoxin import returns FILE --zone CODE --period YYYY-MM` and `gaoxin import official`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core.models import AuditRecord
from gaoxin.statistics.models import OfficialFigure, Return
from tests.support.returns_import import FIGURES, HEADERS, row, workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_returns_with_a_period(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1)[1:], row(world.a2)[1:]], headers=HEADERS[1:])
    output = run("import", "returns", str(path), "--zone", "ZA", "--period", "2019-12")
    assert output == "导入完成:共 2 行,新建 2 条,更新 0 条,未变化 0 条。\n"
    assert sorted(Return.objects.values_list("period", "status")) == [
        (201912, "submitted"),
        (201912, "submitted"),
    ]
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_id, summary.zone_id) == (world.admin.pk, world.zone_a.pk)
    assert summary.object_repr == "月度报表批量导入:报表.xlsx"


def test_returns_as_a_named_officer_with_update(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1)])
    run("import", "returns", str(path), "--zone", "ZA", "--user", "staff")
    Return.objects.update(status="accepted")
    run("import", "returns", str(path), "--zone", "ZA", "--user", "staff", "--update")
    ret = Return.objects.get()
    assert (ret.status, ret.revision, ret.submitted_by_id) == ("submitted", 1, world.staff.pk)


def test_errors_are_printed_marked_and_exit_1(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1, "2019-01"), row(world.b1)])
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "returns", str(path), "--zone", "ZA", stdout=out, stderr=out)
    assert (str(exc.value), exc.value.returncode) == ("导入失败,没有写入任何数据", 1)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "导入未执行:共 2 处错误,没有写入任何数据。",
        "第 2 行 报告期「2019-01」: 1 月免报:1–2 月合并为一期,请填写 2019-02",
        f"第 3 行 统一社会信用代码「{world.b1.uscc}」: 「乙一新材料有限公司」属于乙高新技术产业开发区,"
        "不是本园区的企业,不能在本园区导入其报表",
    ]
    assert (tmp_path / "报表.xlsx.errors.xlsx").is_file()
    assert Return.objects.count() == 0


def test_a_period_the_file_contradicts_and_a_january_period(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1, "2019-11")])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "returns", str(path), "--zone", "ZA", "--period", "2019-01",
                     stdout=out, stderr=out)  # fmt: skip
    assert "文件 报告期「2019-01」: 1 月免报:1–2 月合并为一期,请填写 2019-02" in out.getvalue()
    assert Return.objects.count() == 0


def test_period_is_refused_for_kinds_without_one(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1)])
    with pytest.raises(CommandError) as exc:
        run("import", "enterprises", str(path), "--zone", "ZA", "--period", "2019-12")
    assert (str(exc.value), exc.value.returncode) == ("enterprises 不支持 --period", 2)


def test_official_figures(world, tmp_path):
    path = workbook(
        tmp_path,
        [["2019-12", "规上工业增加值", "76亿", "10.4%", "统计局", "月报"]],
        headers=["报告期", "指标", "数值", "同比增长(%)", "数据来源", "来源说明"],
        name="官方.xlsx",
    )
    output = run("import", "official", str(path), "--zone", "ZA")
    assert output == "导入完成:共 1 行,新建 1 条,更新 0 条,未变化 0 条。\n"
    figure = OfficialFigure.objects.get()
    assert (figure.period, str(figure.value), str(figure.yoy_pct), figure.source) == (
        201912, "760000.0000", "10.40", "statistics",
    )  # fmt: skip


def test_a_user_who_may_not_import_gets_exit_1(world, tmp_path):
    path = workbook(tmp_path, [row(world.a1, figures=FIGURES)])
    with pytest.raises(CommandError) as exc:
        run("import", "returns", str(path), "--zone", "ZA", "--user", "leader")
    assert (str(exc.value), exc.value.returncode) == ("leader: 无权在该园区导入月度报表", 1)
