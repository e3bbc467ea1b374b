"""The layout of the project ledger (招商台账): columns with their Chinese headers and aliases,
and the import template with dropdowns and a 说明 sheet."""

import datetime
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from gaoxin.core.models import Department, Division, Industry, Tag
from gaoxin.core.spreadsheets import (
    Choice,
    Column,
    clean_text,
    halfwidth,
    parse_date,
    parse_decimal,
    parse_int,
    parse_wan,
    write_template,
)
from gaoxin.core.spreadsheets.normalize import compact, display, parse_usd_wan

from .. import references
from ..models import Category, Stage
from .places import COUNTRIES

SHEET_TITLE = "招商台账"
INDUSTRY_LIST = "行业代码"
CHAIN_LIST = "产业链"
CHANNEL_LIST = "招商渠道"
DEPARTMENT_LIST = "责任部门"
OFFICER_LIST = "责任人"
ORIGIN_LIST = "投资方来源"

# The stage date columns in pipeline order: (stage, field).
STAGE_DATES = (
    (Stage.LEAD, "lead_on"),
    (Stage.VISIT, "visit_on"),
    (Stage.NEGOTIATION, "negotiation_on"),
    (Stage.SIGNED, "signed_on"),
    (Stage.STARTED, "started_on"),
    (Stage.PRODUCTION, "production_on"),
)
# Import field → Commitment field.
COMMITMENT_COLUMNS = {
    "commit_investment": "investment",
    "commit_funds_in_place": "funds_in_place",
    "commit_funds_by": "funds_by",
    "commit_start_by": "start_by",
    "commit_production_by": "production_by",
    "commit_land_mu": "land_mu",
    "commit_annual_output": "annual_output",
    "commit_annual_tax": "annual_tax",
    "commit_jobs": "jobs",
}
# Project fields a cell fills as it is (references and stages are handled beside them).
PLAIN_FIELDS = (
    "name",
    "investor_name",
    "planned_investment",
    "fixed_asset_investment",
    "foreign_investment_usd",
    "land_mu",
    "building_area",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "site",
    "summary",
)


def _strip_unit(parser, *units):
    """A parser that accepts the value followed by one of `units` ("120亩", "3,000 平方米")."""
    pattern = re.compile("(" + "|".join(re.escape(u) for u in units) + ")$", re.IGNORECASE)

    def parse(value):
        if isinstance(value, str):
            text = pattern.sub("", compact(value))
            if text != compact(value) and not text:
                raise ValueError(_("「%(v)s」不是数字") % {"v": display(value)})
            value = text or value
        return parser(value)

    return parse


parse_usd = parse_usd_wan  # 万美元: 1.2亿美元, 500万美元, 3,000,000美元 (300)
parse_mu = _strip_unit(parse_decimal, "亩")
parse_area = _strip_unit(parse_decimal, "平方米", "平米", "㎡", "m²", "m2")
parse_people = _strip_unit(parse_int, "人", "名")


def parse_industry(value) -> tuple[str, str]:
    """(code, name) as typed: "C", "39", "397", "3974", "3974 显示器件制造", or a name alone.

    Any level of GB/T 4754-2017 may be given (a ledger often knows only the 大类).
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return str(int(value)), ""
        raise ValueError(_("行业代码应为 1 个字母或 2 至 4 位数字"))
    text = clean_text(halfwidth(str(value)))
    match = re.match(r"^([A-Za-z]|\d{2,4})(?:[\s\-—:：.、]+(.*))?$", text)
    if match and (match.group(2) or not match.group(1).isalpha() or len(text) == 1):
        return match.group(1).upper(), clean_text(match.group(2) or "")
    match = re.match(r"^(\d{2,4})(\D.*)$", text)  # "3974显示器件制造"
    if match:
        return match.group(1), clean_text(match.group(2))
    return "", text


def project_columns() -> list[Column]:
    """The ledger's columns. Headers and choice labels are always Chinese (the language the
    zone's workbooks are written in), whatever language the page is shown in."""
    with translation.override("zh-hans"):
        return _project_columns()


def category_choice() -> Choice:
    return Choice(
        _("项目类别"),
        {str(label): value for value, label in Category.choices},
        aliases={f"{label}项目": value for value, label in Category.choices}
        | {"基建": Category.INFRASTRUCTURE, "现代服务业": Category.SERVICES},
    )


def halt_choice() -> Choice:
    return Choice(
        _("暂缓/终止"),
        {str(Stage.ON_HOLD.label): Stage.ON_HOLD, str(Stage.DROPPED.label): Stage.DROPPED},
        aliases={
            "已暂缓": Stage.ON_HOLD,
            "暂停": Stage.ON_HOLD,
            "中止": Stage.ON_HOLD,
            "搁置": Stage.ON_HOLD,
            "已终止": Stage.DROPPED,
            "放弃": Stage.DROPPED,
            "取消": Stage.DROPPED,
        },
    )


def _project_columns() -> list[Column]:
    category, halt = category_choice(), halt_choice()
    money = _("单位万元;也可写 1.2亿、500万")
    date = _("如 2019-03-05、2019年3月5日、2019.3.5")
    committed = _("仅已签约项目填写(须有签约日期)")

    def money_col(f, header, aliases=(), required=False, help_=""):
        return Column(f, header, aliases, required=required, parser=parse_wan,
                      help=help_ or money)  # fmt: skip

    def date_col(f, header, aliases=(), help_=""):
        return Column(f, header, aliases, parser=parse_date, date=True, help=help_ or date)

    return [
        Column("name", _("项目名称"), ("项目", "项目全称", "招商项目名称"), required=True,
               width=32, help=_("同一园区内不能与未删除的项目重名")),
        Column("category", _("项目类别"), ("类别", "项目类型", "产业类别"), parser=category,
               choices=tuple(category.labels), help=_("不填为工业")),
        Column("investor_name", _("投资方"),
               ("投资主体", "投资方名称", "投资企业", "投资商", "签约企业", "投资单位"),
               required=True, width=28),
        Column("origin", _("投资方来源"),
               ("投资方来源地", "来源地", "客商来源地", "投资来源地", "投资方所在地"),
               list_name=ORIGIN_LIST,
               help=_("省份(如 广东省 或 广东),或境外国家/地区(如 德国、中国香港)")),
        Column("industry", _("行业代码"),
               ("行业", "所属行业", "国民经济行业", "行业分类", "行业代码及名称"),
               parser=parse_industry, list_name=INDUSTRY_LIST, text=True, width=28,
               help=_("GB/T 4754-2017 任一层级的代码,如 C、39、397、3974,可写「3974 显示器件制造」")),
        Column("chain", _("产业链"), ("所属产业链", "产业链标签", "产业链条"),
               list_name=CHAIN_LIST, help=_("本园区已定义的产业链标签")),
        Column("channel", _("招商渠道"), ("渠道", "招商方式", "项目来源", "来源渠道"),
               list_name=CHANNEL_LIST, help=_("本园区已定义的招商渠道,如 以商招商、展会")),
        money_col("planned_investment", _("计划总投资(万元)"),
                  ("计划总投资", "总投资", "总投资(万元)", "投资总额", "投资总额(万元)",
                   "项目总投资", "项目总投资(万元)", "计划投资(万元)"), required=True),
        money_col("fixed_asset_investment", _("其中固定资产投资(万元)"),
                  ("固定资产投资", "固定资产投资(万元)", "其中固定资产投资", "其中:固定资产投资",
                   "固投(万元)"), help_=_("不超过计划总投资;") + money),
        Column("foreign_investment_usd", _("外资(万美元)"),
               ("外资", "利用外资(万美元)", "外资金额(万美元)", "外资额"), parser=parse_usd,
               help=_("单位万美元")),
        Column("land_mu", _("用地(亩)"), ("用地", "用地面积(亩)", "用地面积", "占地(亩)",
               "占地面积(亩)", "土地(亩)"), parser=parse_mu),
        Column("building_area", _("建筑面积(平方米)"),
               ("建筑面积", "建筑面积(㎡)", "建筑面积(m²)", "建筑面积(平米)"), parser=parse_area),
        money_col("expected_output", _("预计年产值(万元)"),
                  ("预计年产值", "年产值(万元)", "达产年产值(万元)", "预计产值(万元)")),
        money_col("expected_tax", _("预计年税收(万元)"),
                  ("预计年税收", "年税收(万元)", "达产年税收(万元)", "预计税收(万元)")),
        Column("expected_jobs", _("预计用工(人)"), ("预计用工", "用工(人)", "预计就业(人)",
               "新增就业(人)"), parser=parse_people),
        Column("department", _("责任部门"), ("责任单位", "牵头部门", "负责部门", "招商部门"),
               list_name=DEPARTMENT_LIST, help=_("本园区的部门名称")),
        Column("officer", _("责任人"), ("招商责任人", "项目责任人", "项目负责人"),
               list_name=OFFICER_LIST, help=_("本园区工作人员的账号或姓名")),
        Column("site", _("项目选址"), ("选址", "项目地址", "建设地点", "落户地点"), width=28),
        Column("summary", _("项目简介"), ("建设内容", "项目内容", "主要建设内容"), width=36),
        date_col("lead_on", _("线索日期"), ("线索时间", "获取线索日期", "信息获取日期")),
        date_col("visit_on", _("考察日期"), ("考察时间", "实地考察日期")),
        date_col("negotiation_on", _("洽谈日期"), ("洽谈时间", "开始洽谈日期")),
        date_col("signed_on", _("签约日期"), ("签约时间", "协议签订日期", "签约日")),
        date_col("started_on", _("开工日期"), ("开工时间",), _("须有签约日期,且不早于签约日期")),
        date_col("production_on", _("投产日期"), ("投产时间", "竣工投产日期"),
                 _("须有开工日期,且不早于开工日期")),
        Column("halt", _("暂缓/终止"), ("暂缓或终止", "暂缓终止", "是否暂缓/终止"), parser=halt,
               choices=tuple(halt.labels), help=_("不填表示正常推进")),
        date_col("halt_on", _("暂缓/终止日期"), ("暂缓日期", "终止日期", "暂缓或终止日期"),
                 _("填写暂缓/终止时必填,不早于最后一个阶段日期")),
        Column("halt_reason", _("暂缓/终止原因"), ("暂缓原因", "终止原因", "暂缓或终止原因"),
               width=28, help=_("填写暂缓/终止时必填")),
        money_col("commit_investment", _("承诺投资(万元)"), ("承诺投资", "协议投资(万元)"),
                  help_=committed),
        money_col("commit_funds_in_place", _("承诺到位资金(万元)"), ("承诺到位资金",),
                  help_=committed + _(";须同时填写资金到位期限")),
        date_col("commit_funds_by", _("资金到位期限"), ("承诺资金到位期限", "到位期限"), committed),
        date_col("commit_start_by", _("开工期限"), ("承诺开工期限", "约定开工期限"), committed),
        date_col("commit_production_by", _("投产期限"), ("承诺投产期限", "约定投产期限"),
                 committed),
        Column("commit_land_mu", _("承诺用地(亩)"), ("协议用地(亩)",), parser=parse_mu,
               help=committed),
        money_col("commit_annual_output", _("承诺年产值(万元)"), ("承诺年产值",), help_=committed),
        money_col("commit_annual_tax", _("承诺年税收(万元)"), ("承诺年税收",), help_=committed),
        Column("commit_jobs", _("承诺用工(人)"), ("承诺用工",), parser=parse_people,
               help=committed),
    ]  # fmt: skip


TEMPLATE_EXAMPLE = {
    "name": "年产 500 万片柔性显示模组项目",
    "category": Category.INDUSTRIAL,
    "investor_name": "深圳华显光电股份有限公司",
    "origin": "广东省",
    "industry": "3974 显示器件制造",
    "planned_investment": "5.2亿",
    "fixed_asset_investment": Decimal("42000"),
    "land_mu": Decimal("120"),
    "building_area": Decimal("86000"),
    "expected_output": Decimal("150000"),
    "expected_tax": Decimal("6000"),
    "expected_jobs": 600,
    "site": "高新区光电产业园 3 号地块",
    "lead_on": datetime.date(2019, 1, 8),
    "visit_on": datetime.date(2019, 2, 20),
    "negotiation_on": datetime.date(2019, 3, 5),
    "signed_on": datetime.date(2019, 4, 18),
    "started_on": datetime.date(2019, 7, 1),
    "commit_investment": Decimal("52000"),
    "commit_funds_in_place": Decimal("20000"),
    "commit_funds_by": datetime.date(2020, 6, 30),
    "commit_start_by": datetime.date(2019, 9, 30),
    "commit_production_by": datetime.date(2020, 12, 31),
    "commit_land_mu": Decimal("120"),
    "commit_annual_output": Decimal("150000"),
    "commit_annual_tax": Decimal("6000"),
    "commit_jobs": 600,
}


def _label(value, choice: Choice):
    return choice.label_of.get(value, value)


def template_lists(zone) -> dict[str, list[str]]:
    """The dropdown lists of the template for `zone` (empty lists are left out)."""
    tags = Tag.objects.filter(zone=zone).order_by("name").values_list("name", "category")
    officers = references.officers_of(zone).values_list("username", "full_name")
    provinces = Division.objects.filter(level=Division.Level.PROVINCE).values_list("name", flat=1)
    industries = Industry.objects.order_by("code").values_list("code", "name")
    regions = list(dict.fromkeys(COUNTRIES.values()))
    lists = {
        INDUSTRY_LIST: [f"{c} {n}" for c, n in industries],
        CHAIN_LIST: [n for n, c in tags if c == Tag.Category.INDUSTRY_CHAIN],
        CHANNEL_LIST: [n for n, c in tags if c == Tag.Category.SOURCE_CHANNEL],
        DEPARTMENT_LIST: list(
            Department.objects.filter(zone=zone).order_by("name").values_list("name", flat=True)
        ),
        OFFICER_LIST: [full or user for user, full in officers],
        ORIGIN_LIST: [*provinces, *regions],
    }
    return {name: values for name, values in lists.items() if values}


def write_project_template(target, zone) -> None:
    lists = template_lists(zone)
    example = dict(TEMPLATE_EXAMPLE)
    with translation.override("zh-hans"):
        example["category"] = _label(example["category"], category_choice())
    for field, name in (("chain", CHAIN_LIST), ("channel", CHANNEL_LIST)):
        example[field] = (lists.get(name) or [""])[0]
    example["department"] = (lists.get(DEPARTMENT_LIST) or [""])[0]
    notes = [
        _("1. 第 1 行是表头,请勿修改;红色列名为必填列。从第 3 行开始填写,一行一个项目。"),
        _("2. 第 2 行是示例(以「【示例】」开头),导入时自动忽略,可以删除。"),
        _("3. 金额单位为万元,可写 1.2亿、500万;日期可写 2019-03-05、2019年3月5日 或 2019.3.5。"),
        _("4. 阶段日期:至少填写一个。线索、考察、洽谈可以跳过;开工须有签约日期,投产须有开工日期;"
          "每个日期不能早于前一个阶段的日期,也不能晚于今天。项目按填写的日期依次登记各阶段。"),
        _("5. 暂缓/终止:填写「暂缓」或「终止」时,须同时填写日期(不早于最后一个阶段日期)和原因。"),
        _("6. 承诺投资、承诺到位资金、各项期限等承诺列,仅对已签约(填了签约日期)的项目填写。"),
        _("7. 项目名称在文件内不能重复,也不能与本园区已有的项目重名(避免重复导入)。"),
        _("8. 部门工作人员只能导入本部门负责的项目;责任部门不填时记为本人所在部门。"),
        _("9. 导入要么全部成功,要么一条也不写入;有错误时可下载标出错误单元格的文件修改后重传。"),
    ]  # fmt: skip
    for label, name in (
        (_("本园区的产业链"), CHAIN_LIST),
        (_("本园区的招商渠道"), CHANNEL_LIST),
        (_("本园区的部门"), DEPARTMENT_LIST),
    ):
        if lists.get(name):
            notes.append(f"{label}:{'、'.join(lists[name])}")
    write_template(
        target, project_columns(), title=SHEET_TITLE, example=example, notes=notes, lists=lists
    )
