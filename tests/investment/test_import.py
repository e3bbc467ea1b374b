"""The ledger importer (招商台账): real workbooks in, exact projects, stage events, commitments,
errors and audit records out — every stage rule located at the cell that breaks it."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL, ERRORS_SHEET, LISTS_SHEET, NOTES_SHEET
from gaoxin.investment import services
from gaoxin.investment.importers import import_projects, write_project_template
from gaoxin.investment.models import Commitment, Project, StageEvent
from tests.factories import DepartmentFactory, TagFactory, member
from tests.support.ledger_import import HEADERS, counts, row, workbook
from tests.support.spreadsheets import errors

pytestmark = pytest.mark.django_db
D = datetime.date


def csv_file(tmp_path, rows: list[dict], name="台账.csv", encoding="utf-8-sig"):
    headers = [h for h in HEADERS if any(h in r for r in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for r in rows:
        writer.writerow(["" if r.get(h) is None else r.get(h) for h in headers])
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def zone(world):
    """zone_a with the chains, channels and departments a ledger names."""
    TagFactory(zone=world.zone_a, name="新材料")
    TagFactory(zone=world.zone_a, name="以商招商", category="source_channel")
    TagFactory(zone=world.zone_a, name="展会", category="source_channel")
    DepartmentFactory(zone=world.zone_a, name="招商二局", short_name="二局")
    world.officer = member("zone_staff", username="wangfang", zone=world.zone_a,
                           department=world.dept_a)  # fmt: skip
    world.officer.full_name = "王芳"
    world.officer.save()
    return world.zone_a


def one_error(world, tmp_path, rows, **kwargs):
    """Import `rows` as the zone admin; assert nothing was written; return the errors."""
    before = counts()
    result = import_projects(world.zone_admin, world.zone_a, workbook(tmp_path, rows, **kwargs))
    assert not result.ok
    assert counts() == before
    return errors(result)


# --- a clean import ----------------------------------------------------------------------------

FULL = {
    "项目名称": "年产 500 万片柔性显示模组项目",
    "项目类别": "工业",
    "投资方": "深圳华显光电股份有限公司",
    "投资方来源": "广东省",
    "行业代码": "3974 显示器件制造",
    "产业链": "电子信息",
    "招商渠道": "以商招商",
    "计划总投资(万元)": "5.2亿",
    "其中固定资产投资(万元)": 42000,
    "外资(万美元)": None,
    "用地(亩)": 120,
    "建筑面积(平方米)": 86000,
    "预计年产值(万元)": "15亿",
    "预计年税收(万元)": 6000,
    "预计用工(人)": 600,
    "责任部门": "经济发展局",
    "责任人": "王芳",
    "项目选址": "光电产业园 3 号地块",
    "线索日期": D(2019, 1, 8),
    "考察日期": D(2019, 2, 20),
    "洽谈日期": D(2019, 3, 5),
    "签约日期": D(2019, 4, 18),
    "开工日期": D(2019, 7, 1),
    "投产日期": D(2020, 3, 1),
    "承诺投资(万元)": "5.2亿",
    "承诺到位资金(万元)": 20000,
    "资金到位期限": D(2020, 6, 30),
    "开工期限": D(2019, 9, 30),
    "投产期限": D(2020, 12, 31),
    "承诺年产值(万元)": 150000,
    "承诺年税收(万元)": 6000,
    "承诺用工(人)": 600,
}
GOOD_ROWS = [
    FULL,
    {
        "项目名称": "德资精密轴承项目",
        "项目类别": "工业",
        "投资方": "舍弗勒(中国)有限公司",
        "投资方来源": "德国",
        "行业代码": "34",
        "计划总投资(万元)": 80000,
        "外资(万美元)": 5000,
        "考察日期": D(2019, 5, 6),
        "责任部门": "二局",
    },
    {
        "项目名称": "冷链物流中心",
        "项目类别": "服务业",
        "投资方": "香港冷链集团",
        "投资方来源": "中国香港",
        "招商渠道": "展会",
        "计划总投资(万元)": 15000,
        "洽谈日期": D(2019, 5, 1),
        "暂缓/终止": "暂缓",
        "暂缓/终止日期": D(2019, 6, 1),
        "暂缓/终止原因": "投资方资金未落实",
    },
    {
        "项目名称": "生态农业示范园",
        "项目类别": "农业",
        "投资方": "江西绿源农业有限公司",
        "投资方来源": "江西",
        "计划总投资(万元)": 8000,
        "签约日期": D(2019, 8, 8),
        "暂缓/终止": "终止",
        "暂缓/终止日期": D(2019, 12, 1),
        "暂缓/终止原因": "用地规划调整",
        "承诺投资(万元)": 8000,
    },
]


def check_good_import(world, result):
    assert result.ok, errors(result)
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    projects = {p.name: p for p in Project.objects.filter(zone=world.zone_a)}
    assert len(projects) == 4

    p = projects["年产 500 万片柔性显示模组项目"]
    assert (p.category, p.investor_name, p.origin_province_id, p.origin_country) == (
        "industrial",
        "深圳华显光电股份有限公司",
        "440000",
        "",
    )
    assert (p.industry_id, p.chain.name, p.channel.name) == ("3974", "电子信息", "以商招商")
    assert (p.planned_investment, p.fixed_asset_investment, p.foreign_investment_usd) == (
        Decimal("52000"),
        Decimal("42000"),
        None,
    )
    assert (p.land_mu, p.building_area, p.expected_output, p.expected_tax, p.expected_jobs) == (
        Decimal("120"),
        Decimal("86000"),
        Decimal("150000"),
        Decimal("6000"),
        600,
    )
    assert (p.department, p.officer.username, p.site) == (
        world.dept_a,
        "wangfang",
        "光电产业园 3 号地块",
    )
    assert (p.stage, p.stage_on, p.halted_from, p.version, p.is_deleted) == (
        "production", D(2020, 3, 1), "", 1, False,
    )  # fmt: skip
    assert (p.lead_on, p.visit_on, p.negotiation_on, p.signed_on, p.started_on, p.production_on) == (
        D(2019, 1, 8), D(2019, 2, 20), D(2019, 3, 5), D(2019, 4, 18), D(2019, 7, 1), D(2020, 3, 1),
    )  # fmt: skip
    assert list(p.events.values_list("kind", "from_stage", "stage", "on", "actor_name")) == [
        ("enter", "", "lead", D(2019, 1, 8), "zone_admin"),
        ("forward", "lead", "visit", D(2019, 2, 20), "zone_admin"),
        ("forward", "visit", "negotiation", D(2019, 3, 5), "zone_admin"),
        ("forward", "negotiation", "signed", D(2019, 4, 18), "zone_admin"),
        ("forward", "signed", "started", D(2019, 7, 1), "zone_admin"),
        ("forward", "started", "production", D(2020, 3, 1), "zone_admin"),
    ]
    assert set(p.events.values_list("zone_id", flat=True)) == {world.zone_a.pk}
    c = p.commitment
    assert (c.investment, c.funds_in_place, c.funds_by, c.start_by, c.production_by) == (
        Decimal("52000"), Decimal("20000"), D(2020, 6, 30), D(2019, 9, 30), D(2020, 12, 31),
    )  # fmt: skip
    assert (c.annual_output, c.annual_tax, c.jobs, c.zone_id) == (
        Decimal("150000"),
        Decimal("6000"),
        600,
        world.zone_a.pk,
    )

    p = projects["德资精密轴承项目"]
    assert (p.origin_province_id, p.origin_country, p.industry_id, p.foreign_investment_usd) == (
        None,
        "德国",
        "34",
        Decimal("5000"),
    )
    assert (p.department.name, p.stage, p.stage_on, p.lead_on, p.visit_on) == (
        "招商二局", "visit", D(2019, 5, 6), None, D(2019, 5, 6),
    )  # fmt: skip
    assert list(p.events.values_list("kind", "stage")) == [("enter", "visit")]
    assert not Commitment.objects.filter(project=p).exists()

    p = projects["冷链物流中心"]
    assert (p.category, p.origin_country, p.channel.name) == ("services", "中国香港", "展会")
    assert (p.stage, p.stage_on, p.halted_from, p.negotiation_on) == (
        "on_hold", D(2019, 6, 1), "negotiation", D(2019, 5, 1),
    )  # fmt: skip
    assert list(p.events.values_list("kind", "from_stage", "stage", "on", "note")) == [
        ("enter", "", "negotiation", D(2019, 5, 1), ""),
        ("hold", "negotiation", "on_hold", D(2019, 6, 1), "投资方资金未落实"),
    ]

    p = projects["生态农业示范园"]
    assert (p.category, p.origin_province_id, p.stage, p.halted_from, p.signed_on) == (
        "agriculture", "360000", "dropped", "signed", D(2019, 8, 8),
    )  # fmt: skip
    assert list(p.events.values_list("kind", "stage", "note")) == [
        ("enter", "signed", ""),
        ("drop", "dropped", "用地规划调整"),
    ]
    assert p.commitment.investment == Decimal("8000")

    creates = AuditRecord.objects.filter(action="create", zone=world.zone_a).order_by("id")
    assert [r.object_repr for r in creates] == [r["项目名称"] for r in GOOD_ROWS]
    assert {r.message for r in creates} == {"批量导入"}
    first = creates[0]
    assert (first.actor_name, first.object_id) == ("zone_admin", str(projects[FULL["项目名称"]].pk))
    assert first.after["planned_investment"] == "52000"
    assert first.after["stage"] == "production"
    assert first.after["commitment"]["funds_by"] == "2020-06-30"
    summary = AuditRecord.objects.get(action="import")
    assert summary.message == "导入完成:共 4 行,新建 4 条,更新 0 条,未变化 0 条。"
    assert summary.after["created"] == 4
    assert summary.after["events"] == 6 + 1 + 2 + 2
    assert summary.after["commitments"] == 2
    assert summary.after["by_stage"] == {
        "dropped": 1, "on_hold": 1, "production": 1, "visit": 1,
    }  # fmt: skip
    assert (summary.after["large"], summary.after["class_5020"]) == (3, 0)
    assert StageEvent.objects.count() == 11 and Commitment.objects.count() == 2


def test_a_good_workbook_creates_projects_events_commitments_and_audit(zone, world, tmp_path):
    result = import_projects(world.zone_admin, zone, workbook(tmp_path, GOOD_ROWS))
    check_good_import(world, result)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_good_csv_imports_the_same(zone, world, tmp_path, encoding):
    rows = [
        {k: (v.isoformat() if isinstance(v, D) else v) for k, v in r.items()} for r in GOOD_ROWS
    ]
    result = import_projects(world.zone_admin, zone, csv_file(tmp_path, rows, encoding=encoding))
    check_good_import(world, result)


def test_messy_values_are_normalised(zone, world, tmp_path):
    rows = [
        row(
            1,
            项目名称="  智能 装备\u3000产业园  ",
            投资方=" 广州 某某 集团 ",
            投资方来源="广东",
            行业代码=3491,
            计划总投资="１．２亿",
            固定资产投资="8,000",
            外资="1,200万美元",
            用地="１２０亩",
            建筑面积="3,000 平方米",
            预计用工="６００人",
            线索日期="２０１９年３月５日",
            考察日期="2019.3.20",
            洽谈日期=43585,  # Excel serial: 2019-04-30
            签约日期=" 2019/05/06 ",
            责任部门=" 经济发展局 ",
            责任人="wangfang",
        ),
        row(2, 行业代码="C", 计划总投资="3000万", 线索日期="2019年6月", 投资方来源="440000"),
        row(3, 行业代码=397, 计划总投资="30,000,000元", 线索日期="20190701", 项目类别="服务业项目"),
        row(4, 行业代码="显示器件制造"),
        row(5, 行业代码="其他农业"),  # both a 中类 (019) and its one 小类 (0190)
    ]
    result = import_projects(world.zone_admin, zone, workbook(tmp_path, rows))
    assert result.ok, errors(result)
    p = Project.objects.get(name="智能 装备 产业园")
    assert (p.investor_name, p.origin_province_id, p.industry_id) == (
        "广州 某某 集团",
        "440000",
        "3491",
    )
    assert (p.planned_investment, p.fixed_asset_investment, p.foreign_investment_usd) == (
        Decimal("12000"),
        Decimal("8000"),
        Decimal("1200"),
    )
    assert (p.land_mu, p.building_area, p.expected_jobs) == (Decimal("120"), Decimal("3000"), 600)
    assert (p.lead_on, p.visit_on, p.negotiation_on, p.signed_on) == (
        D(2019, 3, 5), D(2019, 3, 20), D(2019, 4, 30), D(2019, 5, 6),
    )  # fmt: skip
    assert (p.stage, p.department, p.officer.username) == ("signed", world.dept_a, "wangfang")
    p2 = Project.objects.get(name="测试项目2")
    assert (p2.industry_id, p2.planned_investment, p2.lead_on, p2.origin_province_id) == (
        "C", Decimal("3000"), D(2019, 6, 1), "440000",
    )  # fmt: skip
    assert Project.objects.get(name="测试项目4").industry_id == "3974"
    assert Project.objects.get(name="测试项目5").industry_id == "0190"
    p3 = Project.objects.get(name="测试项目3")
    assert (p3.industry_id, p3.planned_investment, p3.lead_on, p3.category) == (
        "397", Decimal("3000"), D(2019, 7, 1), "services",
    )  # fmt: skip


def test_aliases_and_a_title_row_are_understood(zone, world, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2019 年招商引资项目台账"])
    ws.append(
        ["项目", "投资主体", "总投资（亿元以外写万元）", "项目总投资（万元）", "签约时间", "备注"]
    )
    ws.append(["新能源电池项目", "宁德某某", "", "2亿", "2019-09-09", "重点"])
    path = tmp_path / "台账2019.xlsx"
    wb.save(path)
    result = import_projects(world.zone_admin, zone, path)
    assert result.ok, errors(result)
    assert result.ignored_columns == ["总投资（亿元以外写万元）", "备注"]
    p = Project.objects.get(name="新能源电池项目")
    assert (p.planned_investment, p.stage, p.signed_on) == (
        Decimal("20000"),
        "signed",
        D(2019, 9, 9),
    )


def test_the_template_imports_back_and_offers_dropdowns(zone, world, tmp_path):
    path = tmp_path / "模板.xlsx"
    write_project_template(path, zone)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["招商台账", NOTES_SHEET, LISTS_SHEET]
    ws = wb["招商台账"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["项目名称", "项目类别", "投资方"] and "承诺用工(人)" in headers
    assert ws["A2"].value.startswith("【示例】")
    validations = ws.data_validations.dataValidation
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in validations}
    assert formulas["B2"] == '"工业,服务业,农业,基础设施"'
    letter = openpyxl.utils.get_column_letter(headers.index("暂缓/终止") + 1)
    assert formulas[f"{letter}2"] == '"暂缓,终止"'
    chain = openpyxl.utils.get_column_letter(headers.index("产业链") + 1)
    lists = {col[0].value: [c.value for c in col[1:]] for col in wb[LISTS_SHEET].iter_cols()}
    assert lists["产业链"][:2] == ["新材料", "电子信息"]
    assert lists["招商渠道"][:2] == ["以商招商", "展会"]
    assert lists["责任部门"][:2] == ["招商二局", "经济发展局"]
    assert "王芳" in lists["责任人"] and "德国" in lists["投资方来源"]
    assert formulas[f"{chain}2"].startswith("'代码表'!$")
    notes = [r[0] for r in wb[NOTES_SHEET].iter_rows(values_only=True)]
    assert any(str(n).startswith("4. 阶段日期") for n in notes)
    assert "本园区的产业链:新材料、电子信息" in notes
    # the downloaded template, filled in, imports
    ws.append([{"项目名称": "模板项目", "投资方": "某投资方", "计划总投资(万元)": 100,
                "洽谈日期": D(2020, 1, 2)}.get(h) for h in headers])  # fmt: skip
    wb.save(path)
    result = import_projects(world.zone_admin, zone, path)
    assert result.ok, errors(result)
    assert result.rows == 1
    assert Project.objects.get(name="模板项目").stage == "negotiation"


# --- stage rules: each at its cell, nothing written --------------------------------------------

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        (
            {"签约日期": None, "开工日期": "2019-05-01"},
            "开工日期",
            "2019-05-01",
            "「开工」只能从「签约」推进(当前为「线索」),请先登记签约",
        ),
        (
            {"签约日期": "2019-03-01", "投产日期": "2019-05-01"},
            "投产日期",
            "2019-05-01",
            "「投产」只能从「开工」推进(当前为「签约」),请先登记开工",
        ),
        (
            {"线索日期": None, "开工日期": "2019-05-01"},
            "开工日期",
            "2019-05-01",
            "「开工」只能从「签约」推进,请先填写签约日期",
        ),
        (
            {"签约日期": "2099-01-01"},
            "签约日期",
            "2099-01-01",
            f"日期 2099-01-01 晚于今天({TODAY})",
        ),
        (
            {"线索日期": "2099-01-01"},
            "线索日期",
            "2099-01-01",
            f"日期 2099-01-01 晚于今天({TODAY})",
        ),
        (
            {"线索日期": "2019-03-01", "考察日期": "2019-02-01"},
            "考察日期",
            "2019-02-01",
            "日期 2019-02-01 早于上一阶段「线索」的日期 2019-03-01",
        ),
        (
            {"签约日期": "2019-03-01", "开工日期": "2019-02-28"},
            "开工日期",
            "2019-02-28",
            "日期 2019-02-28 早于上一阶段「签约」的日期 2019-03-01",
        ),
        (
            {"暂缓终止": "暂缓", "暂缓终止日期": "2019-02-01", "暂缓终止原因": None},
            "暂缓/终止原因",
            "",
            "暂缓必须说明原因",
        ),
        (
            # A blank reason: the error shows the cell as typed (openpyxl with lxml keeps the
            # spaces in the file, and the reader reports what is there).
            {"暂缓终止": "终止", "暂缓终止日期": "2019-02-01", "暂缓终止原因": "  "},
            "暂缓/终止原因",
            "  ",
            "终止必须说明原因",
        ),
        (
            {"暂缓终止": "暂缓", "暂缓终止原因": "资金"},
            "暂缓/终止日期",
            "",
            "请填写暂缓日期",
        ),
        (
            {"暂缓终止": "终止", "暂缓终止日期": "2019-01-01", "暂缓终止原因": "资金"},
            "暂缓/终止日期",
            "2019-01-01",
            "日期 2019-01-01 早于上一阶段「线索」的日期 2019-01-05",
        ),
        (
            {
                "签约日期": "2019-02-01",
                "开工日期": "2019-03-01",
                "投产日期": "2019-09-01",
                "暂缓终止": "终止",
                "暂缓终止日期": "2019-10-01",
                "暂缓终止原因": "搬迁",
            },
            "暂缓/终止",
            "终止",
            "已投产的项目不能暂缓或终止",
        ),
        (
            {"暂缓终止日期": "2019-02-01"},
            "暂缓/终止日期",
            "2019-02-01",
            "填写了暂缓/终止日期,请在「暂缓/终止」列填写暂缓或终止",
        ),
        (
            {"暂缓终止": "搁浅", "暂缓终止日期": "2019-02-01", "暂缓终止原因": "资金"},
            "暂缓/终止",
            "搁浅",
            "「搁浅」不是有效的暂缓/终止,可选:暂缓、终止",
        ),
        (
            {"线索日期": None},
            "线索日期",
            "",
            "至少填写一个阶段日期(线索、考察、洽谈、签约、开工或投产日期)",
        ),
        (
            {"线索日期": "去年春天"},
            "线索日期",
            "去年春天",
            "无法识别的日期「去年春天」:请按 2019-11-03 或 2019年11月3日 填写",
        ),
    ],
)
def test_each_stage_rule_is_reported_at_its_cell(
    zone, world, tmp_path, cells, column, value, reason
):
    rows = [row(1), row(2, **cells)]
    headers = [
        h
        for h in HEADERS
        if h in ("项目名称", "投资方", "计划总投资(万元)")
        or h.endswith("日期")
        or h.startswith("暂缓")
    ]
    assert one_error(world, tmp_path, rows, headers=headers) == [(3, column, value, reason)]


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        (
            {"承诺投资": 5000},
            "承诺投资(万元)",
            "5000",
            "项目签约后才能登记投资承诺:本行没有签约日期,请填写签约日期或清空承诺各列",
        ),
        (
            {
                "签约日期": "2019-03-01",
                "承诺投资": 5000,
                "承诺到位资金": 6000,
                "资金到位期限": "2020-01-01",
            },
            "承诺到位资金(万元)",
            "6000",
            "承诺到位资金不能超过承诺投资",
        ),
        (
            {"签约日期": "2019-03-01", "承诺到位资金": 6000},
            "资金到位期限",
            "",
            "承诺了到位资金,请填写到位期限",
        ),
        (
            {"签约日期": "2019-03-01", "开工期限": "2020-01-01", "投产期限": "2019-12-31"},
            "投产期限",
            "2019-12-31",
            "投产期限(2019-12-31)不能早于开工期限(2020-01-01)",
        ),
        (
            {"计划总投资": "1亿", "固定资产投资": "1.5亿"},
            "其中固定资产投资(万元)",
            "1.5亿",
            "其中固定资产投资(15000 万元)不能超过计划总投资(10000 万元)",
        ),
        (
            {"计划总投资": "很多"},
            "计划总投资(万元)",
            "很多",
            "无法识别的金额「很多」:请填写数字,单位为万元(也可写 1.2亿、500万)",
        ),
        (
            {"计划总投资": None},
            "计划总投资(万元)",
            "",
            "必填项不能为空",
        ),
        (
            {"项目名称": "项" * 101},
            "项目名称",
            "项" * 101,
            "确保该变量包含不超过 100 字符 (目前字符数 101)。",
        ),
    ],
)
def test_record_and_commitment_rules(zone, world, tmp_path, cells, column, value, reason):
    assert one_error(world, tmp_path, [row(1), row(2, **cells)], headers=HEADERS) == [
        (3, column, value, reason)
    ]


def test_every_error_of_every_row_is_listed_at_once(zone, world, tmp_path):
    rows = [
        row(1, 开工日期="2019-03-01", 责任部门="招商三局"),
        row(2),
        row(3, 计划总投资="很多", 投资方=None, 签约日期="2019-01-01"),
    ]
    found = one_error(world, tmp_path, rows, headers=HEADERS)
    assert [(r, c) for r, c, _v, _m in found] == [
        (2, "责任部门"),
        (2, "开工日期"),
        (4, "投资方"),
        (4, "计划总投资(万元)"),
        (4, "签约日期"),
    ]
    assert found[-1][3] == "日期 2019-01-01 早于上一阶段「线索」的日期 2019-01-05"
    assert AuditRecord.objects.filter(action="import_rejected").count() == 1
    rejected = AuditRecord.objects.get(action="import_rejected")
    assert rejected.message == "共 3 行,5 处错误,未写入任何数据"
    assert rejected.after["errors"][0]["column"] == "责任部门"


# --- references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        (
            {"责任部门": "招商三局"},
            "责任部门",
            "招商三局",
            "本园区没有部门「招商三局」(可选:招商二局、经济发展局)",
        ),
        (
            {"产业链": "量子信息"},
            "产业链",
            "量子信息",
            "本园区没有产业链「量子信息」(可选:新材料、电子信息)",
        ),
        (
            {"产业链": "展会"},
            "产业链",
            "展会",
            "本园区没有产业链「展会」,它是「招商渠道」类标签(可选:新材料、电子信息)",
        ),
        (
            {"招商渠道": "网络招商"},
            "招商渠道",
            "网络招商",
            "本园区没有招商渠道「网络招商」(可选:以商招商、展会)",
        ),
        ({"责任人": "张三丰"}, "责任人", "张三丰", "「张三丰」不是本园区的工作人员"),
        ({"责任人": "province"}, "责任人", "province", "「province」不是本园区的工作人员"),
        ({"投资方来源": "广栋省"}, "投资方来源", "广栋省", "未找到省份「广栋省」"),
        (
            {"投资方来源": "深圳市"},
            "投资方来源",
            "深圳市",
            "「深圳市」是地市或区县,请填写其所在省份「广东省」",
        ),
        (
            {"投资方来源": "火星"},
            "投资方来源",
            "火星",
            "「火星」既不是省份,也不是可识别的国家或地区:省内外投资方填写省份,如 广东省 或 广东;"
            "境外投资方填写国家或地区,如 德国、中国香港",
        ),
        ({"投资方来源": "中国"}, "投资方来源", "中国", "请填写投资方所在的具体省份,如 广东省"),
        ({"行业代码": "9999"}, "行业代码", "9999", "行业代码 9999 不存在于 GB/T 4754-2017"),
        (
            {"行业代码": "3974 纺织业"},
            "行业代码",
            "3974 纺织业",
            "行业代码 3974 是「显示器件制造」,与填写的名称「纺织业」不符",
        ),
        (
            {"行业代码": "量子计算"},
            "行业代码",
            "量子计算",
            "找不到名称为「量子计算」的行业,请填写行业代码,如 3974",
        ),
        (
            {"项目类别": "工业园"},
            "项目类别",
            "工业园",
            "「工业园」不是有效的项目类别,可选:工业、服务业、农业、基础设施",
        ),
    ],
)
def test_unknown_references_are_errors_at_their_cell(
    zone, world, tmp_path, cells, column, value, reason
):
    assert one_error(world, tmp_path, [row(1, **cells)], headers=HEADERS) == [
        (2, column, value, reason)
    ]


def test_references_of_another_zone_are_unknown(zone, world, tmp_path):
    DepartmentFactory(zone=world.zone_b, name="乙招商局")
    TagFactory(zone=world.zone_b, name="乙产业链")
    found = one_error(world, tmp_path, [row(1, 责任部门="乙招商局", 产业链="乙产业链")])
    assert [(c, m.split("(")[0]) for _r, c, _v, m in found] == [
        ("产业链", "本园区没有产业链「乙产业链」"),
        ("责任部门", "本园区没有部门「乙招商局」"),
    ]


def test_an_ambiguous_full_name_asks_for_the_account(zone, world, tmp_path):
    twin = member("zone_staff", username="wangfang2", zone=zone, department=world.dept_a)
    twin.full_name = "王芳"
    twin.save()
    assert one_error(world, tmp_path, [row(1, 责任人="王芳")]) == [
        (
            2,
            "责任人",
            "王芳",
            "本园区有 2 位名为「王芳」的工作人员(账号:wangfang、wangfang2),请填写账号",
        )
    ]
    result = import_projects(
        world.zone_admin, zone, workbook(tmp_path, [row(1, 责任人="wangfang2")])
    )
    assert result.ok and Project.objects.get().officer == twin


# --- duplicates --------------------------------------------------------------------------------


def test_duplicate_names_in_the_file_say_which_row(zone, world, tmp_path):
    rows = [row(1), row(2), row(3, 项目名称="测试项目1"), row(4, 项目名称=" 测试项目２ ")]
    assert one_error(world, tmp_path, rows) == [
        (4, "项目名称", "测试项目1", "与第 2 行的项目名称相同"),
        (5, "项目名称", " 测试项目２ ", "与第 3 行的项目名称相同"),
    ]


def test_a_reimported_ledger_does_not_double_projects(zone, world, tmp_path):
    path = workbook(tmp_path, [row(1), row(2, 签约日期="2019-02-02")])
    assert import_projects(world.zone_admin, zone, path).ok
    before = counts()
    result = import_projects(world.zone_admin, zone, path)
    assert errors(result) == [
        (2, "项目名称", "测试项目1", "本园区已有同名项目「测试项目1」(当前阶段:线索),请勿重复导入"),
        (3, "项目名称", "测试项目2", "本园区已有同名项目「测试项目2」(当前阶段:签约),请勿重复导入"),
    ]
    assert counts() == before


def test_deleted_projects_and_other_zones_do_not_block_a_name(zone, world, tmp_path):
    gone = services.create_project(world.zone_admin, zone, name="测试项目1", investor_name="甲",
                                   planned_investment=Decimal(1), on=D(2019, 1, 1))  # fmt: skip
    services.delete_project(world.zone_admin, gone, reason="录入重复")
    services.create_project(world.admin, world.zone_b, name="测试项目2", investor_name="乙",
                            planned_investment=Decimal(1), on=D(2019, 1, 1))  # fmt: skip
    result = import_projects(world.zone_admin, zone, workbook(tmp_path, [row(1), row(2)]))
    assert result.ok, errors(result)
    assert Project.objects.active().filter(zone=zone).count() == 2


# --- who may import what -----------------------------------------------------------------------


def test_staff_import_only_their_departments_projects(zone, world, tmp_path):
    rows = [row(1), row(2, 责任部门="经济发展局"), row(3, 责任部门="招商二局")]
    before = counts()
    result = import_projects(world.staff, zone, workbook(tmp_path, rows))
    assert errors(result) == [
        (4, "责任部门", "招商二局", "只能登记或修改本部门负责的项目(您的部门:经济发展局)")
    ]
    assert counts() == before
    result = import_projects(world.staff, zone, workbook(tmp_path, rows[:2]))
    assert result.ok
    # a blank department becomes the officer's own, as on the page
    assert set(Project.objects.values_list("department__name", flat=True)) == {"经济发展局"}
    assert set(
        AuditRecord.objects.filter(action="create").values_list("actor_name", flat=True)
    ) == {"staff"}


@pytest.mark.parametrize("role", ["leader", "enterprise", "province"])
def test_who_may_not_add_projects_is_refused(zone, world, tmp_path, role):
    before = counts()
    with pytest.raises(Forbidden, match="无权在该园区导入招商项目"):
        import_projects(world.users[role], zone, workbook(tmp_path, [row(1)]))
    assert counts() == before
    assert not AuditRecord.objects.filter(action="import_rejected").exists()


def test_zone_admin_of_another_zone_is_refused(zone, world, tmp_path):
    with pytest.raises(Forbidden):
        import_projects(world.zone_admin, world.zone_b, workbook(tmp_path, [row(1)]))


# --- broken files ------------------------------------------------------------------------------


def test_broken_files_get_a_clear_message(zone, world, tmp_path):
    def reasons(path):
        result = import_projects(world.zone_admin, zone, path)
        assert not result.ok and not result.can_mark or result.rows == 0
        return [e.reason for e in result.errors]

    fake = tmp_path / "台账.xlsx"
    fake.write_text("这不是表格")
    assert reasons(fake) == ["文件「台账.xlsx」不是有效的 Excel 文件(可能已损坏,或只是改了扩展名)"]
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    assert reasons(empty) == ["文件是空的(0 字节)"]
    doc = tmp_path / "台账.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert reasons(doc) == ["不支持的文件类型「.docx」:请上传 .xlsx、.xls 或 .csv 文件"]
    missing = workbook(tmp_path, [row(1)], headers=["项目名称", "线索日期"], name="缺列.xlsx")
    assert reasons(missing) == ["缺少必填列:投资方、计划总投资(万元)(表头在第 1 行)"]
    no_header = workbook(tmp_path, [{"甲": 1}], headers=["甲", "乙"], name="无表头.xlsx")
    assert reasons(no_header) == [
        "没有找到表头:前 30 行中没有可识别的列名(如 项目名称、项目类别、投资方)"
    ]
    only_header = workbook(
        tmp_path, [], headers=["项目名称", "投资方", "计划总投资(万元)"], name="空表.xlsx"
    )
    assert reasons(only_header) == ["表头(第 1 行)下面没有数据行"]
    assert counts() == (0, 0, 0, 0)
    assert AuditRecord.objects.filter(action="import_rejected").count() == 6


# --- the marked workbook -----------------------------------------------------------------------


def test_the_marked_workbook_shows_each_bad_cell(zone, world, tmp_path):
    rows = [row(1), row(2, 签约日期=None, 开工日期="2019-05-01"), row(3, 产业链="量子")]
    path = workbook(tmp_path, rows, headers=HEADERS)
    result = import_projects(world.zone_admin, zone, path)
    marked = tmp_path / "marked.xlsx"
    assert result.write_errors_workbook(marked)
    wb = openpyxl.load_workbook(marked)
    ws = wb["招商台账"]
    started = openpyxl.utils.get_column_letter(HEADERS.index("开工日期") + 1)
    chain = openpyxl.utils.get_column_letter(HEADERS.index("产业链") + 1)
    assert ws[f"{started}3"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert "「开工」只能从「签约」推进" in ws[f"{started}3"].comment.text
    assert ws[f"{chain}4"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert ws[f"{started}2"].fill.fgColor.rgb != ERROR_FILL.fgColor.rgb
    listing = list(wb[ERRORS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in listing] == [(3, "开工日期"), (4, "产业链")]


# --- no query per row --------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_rows(zone, world, tmp_path):
    def rows(start, n):
        return [
            row(i, 责任部门="经济发展局", 产业链="新材料", 招商渠道="展会", 责任人="王芳",
                投资方来源="广东", 行业代码="3974", 签约日期="2019-02-01", 开工日期="2019-03-01",
                承诺投资=20000)
            for i in range(start, start + n)
        ]  # fmt: skip

    import_projects(world.zone_admin, zone, workbook(tmp_path, rows(0, 1), name="warm.xlsx"))
    with CaptureQueriesContext(connection) as few:
        assert import_projects(world.zone_admin, zone, workbook(tmp_path, rows(10, 3))).ok
    with CaptureQueriesContext(connection) as many:
        assert import_projects(world.zone_admin, zone, workbook(tmp_path, rows(100, 150))).ok

    def kinds(queries):
        statements = [q["sql"].split()[0] for q in queries.captured_queries]
        return {k: statements.count(k) for k in set(statements)}

    few, many = kinds(few), kinds(many)
    # Reading and checking: the same statements for 3 rows as for 150 ...
    assert {k: n for k, n in many.items() if k != "INSERT"} == {
        k: n for k, n in few.items() if k != "INSERT"
    }
    # ... and the writes are bulk inserts (SQLite caps one statement at 999 values).
    assert few["INSERT"] == 4 and many["INSERT"] < 25, many
    assert Project.objects.count() == 1 + 3 + 150
    assert StageEvent.objects.count() == 3 * 154 and Commitment.objects.count() == 154
