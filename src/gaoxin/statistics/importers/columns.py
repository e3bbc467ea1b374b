"""The layout of the statistics workbooks: the returns sheet (one row per enterprise and period,
one column per return indicator of the zone, the unit in the header) and the official figures
sheet; the cell parsers for periods and amounts, and the check on headers with a wrong unit."""

import datetime
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from gaoxin.core.codes import make_uscc
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import (
    CellError,
    Choice,
    Column,
    clean_text,
    display,
    halfwidth,
    header_key,
    parse_code,
    parse_decimal,
    parse_quantity,
    parse_text,
    write_template,
)

from ..catalogue import indicators_for
from ..models import OfficialSource

RETURNS_SHEET = "月度报表"
OFFICIAL_SHEET = "官方数据"
FIXED_FIELDS = ("period", "uscc", "name")
DASHES = {"-", "--", "—", "——", "/", "–"}  # "nothing to report" as people type it

# More names people give the standard indicators' columns (the catalogue name comes first).
EXTRA_NAMES = {
    "output_value": ("总产值", "工业总产值(当年价格)", "工业总产值(现价)", "产值"),
    "revenue": ("主营业务收入", "营业收入合计", "营收", "销售收入"),
    "profit": ("利润", "利润总额合计"),
    "industrial_tax": ("税金", "实缴税金", "纳税总额", "税收", "应交税费总额", "税金合计"),
    "industrial_electricity": ("用电量", "用电", "工业用电", "耗电量"),
    "employees": ("从业人员", "从业人数", "期末从业人数", "从业人员人数", "职工人数", "员工人数"),
    "rd_spending": ("研发投入", "研发经费", "R&D经费", "研究开发费用"),
    "exports": ("出口", "出口额", "出口交货值合计"),
    "fixed_asset_investment": ("固投", "固定资产投资额", "固定资产投资完成额"),
}
# Other spellings of a unit (header_key form: half-width, lower case, no spaces).
UNIT_SYNONYMS = {
    "万元": ("万元人民币",),
    "万千瓦时": ("万kwh", "万千瓦·时", "万度", "万kw·h", "万kw.h"),
    "人": ("人数",),
}
_UNIT_IN_HEADER = re.compile(r"^(.*?)[(\[](.+?)[)\]]$")
_CUMULATIVE = ("本年累计", "本年", "累计", "1-本月")
_UNITISH = re.compile(r"元|瓦|度|人|wh|%|个|吨|名|户|万|亿")


def _name_forms(name: str, cumulative: bool) -> list[str]:
    forms = [name]
    if cumulative:
        forms += [f"本年累计{name}", f"累计{name}", f"{name}本年累计", f"{name}累计"]
    return forms


def indicator_column(indicator) -> Column:
    """One return indicator's column: "工业总产值(万元)", its aliases with and without the unit."""
    names = (indicator.name, *EXTRA_NAMES.get(indicator.code, ()))
    units = (indicator.unit, *UNIT_SYNONYMS.get(indicator.unit, ()))
    aliases = []
    for name in names:
        for form in _name_forms(name, indicator.cumulative):
            aliases.append(form)
            aliases.extend(f"{form}({u})" for u in units)
            aliases.extend(f"{form}{u}" for u in units)
    what = _("本年累计值") if indicator.cumulative else _("期末数")
    return Column(
        indicator.code,
        f"{indicator.name}({indicator.unit})",
        tuple(dict.fromkeys(aliases)),
        parser=amount_parser(indicator),
        help=_("%(what)s,单位%(unit)s;可写 1.2亿、3,000 或全角数字,空白为未填报")
        % {"what": what, "unit": indicator.unit},
        example=Decimal("1234.5") if indicator.unit != "人" else 320,
        width=max(14, len(indicator.name) * 2 + 6),
    )


def amount_parser(indicator):
    """A cell → Decimal in the indicator's unit (`core.spreadsheets.parse_quantity`, as the
    return form and the API read a figure): 万/亿 suffixes are understood (1.2亿 = 12000 万);
    any other unit in the cell is refused, never converted behind the person's back."""
    unit = indicator.unit
    places = 0 if indicator.decimal_places == 0 else None

    def parse(value):
        if isinstance(value, str) and value.strip() in DASHES:
            return None
        number = parse_quantity(value, unit)
        if places == 0 and number != number.to_integral():
            raise ValueError(
                _("%(n)s应为整数(单位%(u)s),实际为 %(v)s")
                % {"n": indicator.name, "u": unit, "v": display(value)}
            )
        return number

    return parse


def parse_period(value) -> int:
    """A reporting period as yyyymm: 2019-12, 2019年12月, 2019年1-12月, 201912, a date cell.
    January is refused (the 1–2月 return covers it)."""
    if isinstance(value, datetime.date):
        return Period.reporting(Period(value.year, value.month)).key
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        if re.fullmatch(r"\d{4}\.1", text):
            raise ValueError(
                _(
                    "报告期「%(v)s」被 Excel 存成了数字,分不清是 1 月还是 10 月:请写成 %(y)s-10 这样的文本"
                )
                % {"v": text, "y": text[:4]}
            )
        return Period.reporting(text).key
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    return Period.reporting(clean_text(halfwidth(str(value))).replace(" ", "")).key


def return_columns(zone=None, *, indicators=None) -> list[Column]:
    """报告期, 统一社会信用代码, 企业名称, then one column per return indicator of the zone (the
    standard catalogue without a zone). Headers are always Chinese."""
    with translation.override("zh-hans"):
        if indicators is None:
            indicators = indicators_for(zone, source="return")
        return [
            Column("period", _("报告期"),
                   ("报表期", "报告期别", "统计期", "所属期", "所属期间", "期别", "月份", "统计月份",
                    "报告月份", "期间"),
                   parser=parse_period, text=True, width=12,
                   help=_("如 2019-12、2019年12月 或 2019年1-12月;1 月免报(1–2 月合并为 2 月一期)。"
                          "导入时指定了报告期的可不填")),
            Column("uscc", _("统一社会信用代码"),
                   ("信用代码", "社会信用代码", "统一代码", "USCC", "企业代码", "单位代码"),
                   required=True, parser=parse_code, text=True, width=22,
                   help=_("18 位,须是本园区企业库中的企业;校验位会自动核对")),
            Column("name", _("企业名称"), ("单位名称", "企业全称", "公司名称", "名称", "单位详细名称"),
                   parser=parse_text, width=30,
                   help=_("可不填;填写时须与企业库中该代码的企业名称一致")),
            *(indicator_column(i) for i in indicators),
        ]  # fmt: skip


def unit_errors(table, layout, indicators) -> list[CellError]:
    """Headers naming a return indicator with a unit other than its own ("工业总产值(元)",
    "用电量(千瓦时)"): an error at the header cell naming the expected unit."""
    by_name = {}
    for indicator in indicators:
        for name in (indicator.name, *EXTRA_NAMES.get(indicator.code, ())):
            by_name.setdefault(header_key(name), indicator)
    mapped = set(layout.columns.values())
    errors = []
    row = table.rows[layout.header_row]
    for c, cell in enumerate(row):
        if c in mapped or not isinstance(cell, str) or not cell.strip():
            continue
        match = _UNIT_IN_HEADER.match(header_key(cell))
        if not match:
            continue
        name, unit = match.groups()
        for mark in _CUMULATIVE:
            name = name.removeprefix(mark).removesuffix(mark)
        indicator = by_name.get(name)
        if indicator is None or not _UNITISH.search(unit):
            continue
        text = clean_text(cell)
        reason = _(
            "表头「%(h)s」的单位是「%(got)s」,但%(n)s的计量单位是%(u)s:系统不会自动换算,"
            "请把该列数值换算为%(u)s,并把表头改为「%(n)s(%(u)s)」"
        ) % {"h": text, "got": match.group(2), "n": indicator.name, "u": indicator.unit}
        errors.append(CellError(layout.header_row + 1, text, text, reason, c))
    return errors


def write_returns_template(target, zone=None) -> None:
    columns = return_columns(zone)
    example = {"period": "2019-12", "uscc": make_uscc("9", "1", "360121", "MA35XK7Q"),
               "name": "江西赣江光电科技有限公司"}  # fmt: skip
    notes = [
        _("1. 第 1 行是表头,请勿修改;红色列名为必填列。从第 3 行开始填写,一行是一家企业一个报告期。"),
        _("2. 第 2 行是示例(以「【示例】」开头),导入时自动忽略,可以删除。"),
        _("3. 报告期写 2019-12、2019年12月 或 2019年1-12月;1 月免报,1–2 月合并为 2 月一期。"
          "导入时指定了报告期的,本列可以不填。"),
        _("4. 指标的计量单位写在表头括号里(如 工业总产值(万元)、工业用电量(万千瓦时)),请按表头单位"
          "填写;表头单位与系统不符时整表不导入,系统不会自动换算。累计指标填本年 1 月至报告期的累计值。"),
        _("5. 数值可写 1.2亿、3,000、全角数字;空白表示未填报,审核时按规则提示。"),
        _("6. 统一社会信用代码须是本园区企业库中的企业;同一企业同一报告期只能有一行。"),
        _("7. 已审核通过的报表默认不覆盖;勾选「作为修订更新已审核通过的报表」后按修订处理,"
          "重新进入待审核,历史版本保留。"),
        _("8. 导入要么全部成功,要么一条也不写入;有错误时可下载标出错误单元格的文件修改后重传。"),
    ]  # fmt: skip
    write_template(target, columns, title=RETURNS_SHEET, example=example, notes=notes)


# ---- official figures -----------------------------------------------------------------------


def _source_choice() -> Choice:
    return Choice(
        _("数据来源"),
        {str(label): value for value, label in OfficialSource.choices},
        aliases={"统计": "statistics", "税务": "tax", "电力公司": "power", "供电局": "power",
                 "国网": "power", "科技": "science", "科技部门": "science"},
    )  # fmt: skip


def _raw(value):
    """Kept as typed: 数值 is parsed with the indicator's unit once the indicator is known."""
    return value


def parse_pct(value) -> Decimal:
    if isinstance(value, str):
        value = halfwidth(value).strip().removesuffix("%").strip()
    return parse_decimal(value)


def official_period(value) -> int:
    if isinstance(value, datetime.date):
        return Period(value.year, value.month).key
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    return Period.of(clean_text(halfwidth(str(value))).replace(" ", "")).key


def official_columns() -> list[Column]:
    with translation.override("zh-hans"):
        source = _source_choice()
        return [
            Column("period", _("报告期"), ("统计期", "所属期", "期别", "月份", "时间"),
                   required=True, parser=official_period, text=True, width=12,
                   help=_("如 2019-12、2019年12月 或 2019年1-12月")),
            Column("indicator", _("指标"), ("指标名称", "指标代码", "统计指标", "项目"),
                   required=True, parser=parse_text, width=30,
                   help=_("官方指标的代码或中文名称,如 industrial_value_added 或 规上工业增加值")),
            Column("value", _("数值"), ("值", "绝对值", "本期数", "累计值", "数据"), parser=_raw,
                   help=_("按指标的计量单位填写(金额为万元,可写 76亿);比重类指标填百分数")),
            Column("yoy_pct", _("同比增长(%)"), ("同比增长", "同比增速", "增速", "同比(%)", "增长(%)",
                                                "同比增长率(%)", "增速(%)"),
                   parser=parse_pct, help=_("百分数,如 10.4 表示增长 10.4%,可写 -3.2")),
            Column("source", _("数据来源"), ("来源", "发布单位", "数据提供单位"), required=True,
                   parser=source, choices=tuple(source.labels),
                   formatter=lambda v: source.label_of.get(v, "")),
            Column("source_note", _("来源说明"), ("说明", "备注", "出处"), parser=parse_text, width=30,
                   help=_("如 统计局 2020-01-20 月报")),
        ]  # fmt: skip


def write_official_template(target, zone=None) -> None:
    indicators = indicators_for(zone, source="official")
    example = {"period": "2019-12", "indicator": "规上工业增加值", "value": "76亿",
               "yoy_pct": Decimal("10.4"), "source": "statistics",
               "source_note": "统计局 2019 年 12 月月报"}  # fmt: skip
    notes = [
        _("1. 第 1 行是表头,请勿修改;第 2 行是示例,导入时自动忽略。一行是一个指标一个报告期。"),
        _("2. 指标可填代码或名称;数值和同比增长至少填写一项。同一指标同一报告期已有数据的,按表中内容更新。"),
        _("3. 官方数据与平台根据企业报表计算的数据分开保存和标注。"),
        _("4. 本园区的官方指标:%(i)s")
        % {"i": "、".join(f"{i.name}({i.code},{i.unit})" for i in indicators)},
    ]  # fmt: skip
    write_template(target, official_columns(), title=OFFICIAL_SHEET, example=example, notes=notes)
