"""The high-tech criteria and the 100-point innovation score as pure functions of figures
(DOMAIN.md, "High-tech enterprise criteria in detail"): no database here, so tests can hit every
boundary. `figures.py` gathers the figures; `__init__.assess` puts them together.

Every figure keeps where it came from (`Figure.source`: returns / ledger / entered / registry,
with a detail such as the periods or who entered it). A criterion is pass / fail / unknown; a
score item is a band of points (low–high) and the judgement takes its lower end.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
RETURNS, LEDGER, ENTERED, REGISTRY = "returns", "ledger", "entered", "registry"

HUNDRED = Decimal(100)
# Latest-year sales revenue bands (万元) and the R&D share each requires (%): ≤ 5000万 → 5%,
# ≤ 2亿 → 4%, above → 3%. A band's upper edge belongs to it.
RD_BANDS = ((Decimal(5000), Decimal(5)), (Decimal(20000), Decimal(4)), (None, Decimal(3)))
ST_STAFF_MIN = Decimal(10)  # %
RD_IN_CHINA_MIN = Decimal(60)  # %
HIGHTECH_SHARE_MIN = Decimal(60)  # % of total income
SCORE_PASS = 71  # "above 70"
# Growth bands: (lowest growth in %, points low, high); > 0 gives 1–2, ≤ 0 gives 0.
GROWTH_BANDS = ((Decimal(35), 9, 10), (Decimal(25), 7, 8), (Decimal(15), 5, 6), (Decimal(5), 3, 4))
CONVERSION_BANDS = ((5, 25, 30), (4, 19, 24), (3, 13, 18), (2, 7, 12), (1, 1, 6))


@dataclass
class Figure:
    """One number behind a judgement and where it came from."""

    label: str
    value: object
    source: str  # RETURNS, LEDGER, ENTERED, REGISTRY, or "computed"
    detail: str = ""  # the periods, the entering person, the ledger's counts …

    def as_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        return {"label": self.label, "value": value, "source": self.source, "detail": self.detail}


@dataclass
class Criterion:
    key: str
    title: str
    status: str
    rule: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "status": self.status, "rule": self.rule,
                "note": self.note, "figures": [f.as_dict() for f in self.figures]}  # fmt: skip


@dataclass
class Item:
    """A score item: `low`–`high` of at most `most` points; `known` False when an entry is
    missing (then low–high is 0–most)."""

    key: str
    title: str
    low: int
    high: int
    most: int
    known: bool = True
    figures: list[Figure] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "low": self.low, "high": self.high,
                "most": self.most, "known": self.known, "note": self.note,
                "figures": [f.as_dict() for f in self.figures]}  # fmt: skip


@dataclass
class Part:
    key: str
    title: str
    most: int
    items: list[Item]

    @property
    def low(self) -> int:
        return min(sum(i.low for i in self.items), self.most)

    @property
    def high(self) -> int:
        return min(sum(i.high for i in self.items), self.most)

    @property
    def known(self) -> bool:
        return all(i.known for i in self.items)

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "most": self.most, "low": self.low,
                "high": self.high, "known": self.known,
                "items": [i.as_dict() for i in self.items]}  # fmt: skip


def percent(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator in %, None when it cannot be computed."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def shown(value: Decimal | None, places=2) -> str:
    return "—" if value is None else f"{value.quantize(Decimal(1).scaleb(-places))}%"


def at_least(value, minimum) -> str:
    """PASS when `value` ≥ `minimum`, FAIL below, UNKNOWN when there is no value."""
    if value is None:
        return UNKNOWN
    return PASS if value >= minimum else FAIL


def entered_flag(value) -> str:
    return UNKNOWN if value is None else (PASS if value else FAIL)


# --- the criteria ---------------------------------------------------------------------------------


def registered(established_on, applying_on) -> Criterion:
    """Registered at least one full year before the application date."""
    rule = _("注册成立一年以上")
    figures = [Figure(_("成立日期"), established_on, REGISTRY)]
    figures.append(Figure(_("申报日期"), applying_on, "computed"))
    if established_on is None:
        return Criterion(
            "registered", _("注册时间"), UNKNOWN, rule, figures, _("企业库未填成立日期")
        )
    try:
        anniversary = established_on.replace(year=established_on.year + 1)
    except ValueError:  # 29 February
        anniversary = established_on.replace(year=established_on.year + 1, day=28)
    status = PASS if anniversary <= applying_on else FAIL
    return Criterion("registered", _("注册时间"), status, rule, figures)


def core_ip(entered: bool | None, granted: int, who: str) -> Criterion:
    """Owns IP supporting its main products: the entered judgement when given, else any granted
    patent or software copyright in the ledger."""
    rule = _("拥有对主要产品(服务)发挥核心支持作用的知识产权所有权")
    figures = [Figure(_("已授权专利与软件著作权"), granted, LEDGER, _("知识产权台账"))]
    if entered is not None:
        figures.append(Figure(_("拥有核心知识产权"), entered, ENTERED, who))
        status = entered_flag(entered)
    else:
        status = PASS if granted else UNKNOWN
    return Criterion("core_ip", _("核心知识产权"), status, rule, figures)


def tech_field(field_value: str, field_label: str, where: str) -> Criterion:
    rule = _("主要产品(服务)属于《国家重点支持的高新技术领域》")
    if not field_value:
        return Criterion("field", _("技术领域"), UNKNOWN, rule, [], _("尚无登记的技术领域"))
    figure = Figure(_("技术领域"), field_label, LEDGER, where)
    return Criterion("field", _("技术领域"), PASS, rule, [figure])


def st_staff(st: int | None, staff: int | None, who: str, staff_figure: Figure) -> Criterion:
    """S&T staff ≥ 10% of all staff."""
    share = percent(st, staff)
    figures = [Figure(_("科技人员数"), st, ENTERED, who), staff_figure,
               Figure(_("科技人员占比"), shown(share), "computed")]  # fmt: skip
    rule = _("科技人员占职工总数的比例不低于 10%")
    return Criterion("st_staff", _("科技人员占比"), at_least(share, ST_STAFF_MIN), rule, figures)


def rd_threshold(latest_revenue: Decimal) -> Decimal:
    """The R&D share (%) required for the latest year's sales revenue (万元)."""
    for top, share in RD_BANDS:
        if top is None or latest_revenue <= top:
            return share
    raise AssertionError("unreachable")


def rd_ratio(years: list[tuple[int, Decimal, Decimal]]) -> Criterion:
    """R&D spending ÷ sales revenue over the years given ((year, revenue, rd) from the returns'
    December values, oldest first) against the band of the latest year's revenue."""
    rule = _(
        "近三个会计年度研发费用总额占销售收入总额的比例:≤5000万元 5%,5000万–2亿元 4%,2亿元以上 3%"
    )
    if not years:
        return Criterion(
            "rd_ratio", _("研发费用占比"), UNKNOWN, rule, [], _("没有已审核的年度报表(12月)")
        )
    periods = "、".join(f"{y}年12月" for y, _r, _d in years)
    revenue = sum((r for _y, r, _d in years), Decimal(0))
    rd = sum((d for _y, _r, d in years), Decimal(0))
    latest = years[-1][1]
    threshold = rd_threshold(latest)
    ratio = percent(rd, revenue)
    figures = [
        Figure(_("销售收入合计(万元)"), revenue, RETURNS, periods),
        Figure(_("研发费用合计(万元)"), rd, RETURNS, periods),
        Figure(_("最近一年销售收入(万元)"), latest, RETURNS, f"{years[-1][0]}年12月"),
        Figure(_("研发费用占比"), shown(ratio), "computed"),
        Figure(_("应达比例"), shown(threshold, 0), "computed"),
    ]
    note = "" if len(years) == 3 else _("按 %(n)s 个会计年度计算") % {"n": len(years)}
    return Criterion("rd_ratio", _("研发费用占比"), at_least(ratio, threshold), rule, figures, note)


def rd_in_china(share: Decimal | None, who: str) -> Criterion:
    rule = _("境内研发费用占全部研发费用的比例不低于 60%")
    figures = [Figure(_("境内研发费用占比"), shown(share), ENTERED, who)]
    return Criterion(
        "rd_in_china", _("境内研发费用"), at_least(share, RD_IN_CHINA_MIN), rule, figures
    )


def hightech_share(hightech, total_income_figure: Figure, who: str) -> Criterion:
    """High-tech products/services income ÷ TOTAL income (a subsidy booked as income dilutes it)."""
    share = percent(hightech, total_income_figure.value)
    figures = [Figure(_("高新技术产品(服务)收入(万元)"), hightech, ENTERED, who),
               total_income_figure, Figure(_("占总收入比例"), shown(share), "computed")]  # fmt: skip
    rule = _("近一年高新技术产品(服务)收入占同期总收入的比例不低于 60%")
    status = at_least(share, HIGHTECH_SHARE_MIN)
    return Criterion("hightech_share", _("高新收入占比"), status, rule, figures)


def innovation(parts: list[Part]) -> Criterion:
    """Above 70 points judged on the lower ends; unknown when only missing entries could lift
    it over."""
    low = sum(p.low for p in parts)
    high = sum(p.high for p in parts)
    figures = [Figure(p.title, f"{p.low}–{p.high}", "computed") for p in parts]
    figures.append(Figure(_("合计"), f"{low}–{high}", "computed"))
    if low >= SCORE_PASS:
        status = PASS
    elif high < SCORE_PASS or all(p.known for p in parts):
        status = FAIL
    else:
        status = UNKNOWN
    rule = _("企业创新能力评价应达到 70 分以上(按各档下限计)")
    return Criterion("innovation", _("创新能力评价"), status, rule, figures)


def no_incident(value: bool | None, who: str) -> Criterion:
    rule = _("申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为")
    figures = [Figure(_("无重大事故或违法"), value, ENTERED, who)] if value is not None else []
    return Criterion("no_incident", _("安全质量环境"), entered_flag(value), rule, figures)


def overall(criteria: list[Criterion]) -> str:
    statuses = {c.status for c in criteria}
    if FAIL in statuses:
        return FAIL
    return UNKNOWN if UNKNOWN in statuses else PASS


# --- the innovation score -------------------------------------------------------------------------


def entered_points(key, title, value, most, who) -> Item:
    if value is None:
        return Item(key, title, 0, most, most, known=False, note=_("未填写"))
    return Item(key, title, value, value, most, figures=[Figure(title, value, ENTERED, who)])


def ip_quantity(class_one: int, class_two: int) -> tuple[int, int]:
    if class_one >= 1:
        return 7, 8
    if class_two >= 5:
        return 5, 6
    if class_two >= 3:
        return 3, 4
    if class_two >= 1:
        return 1, 2
    return 0, 0


def ip_part(*, advancement, support, class_one, class_two, own_rd, standard, who) -> Part:
    """Intellectual property, ≤ 30: quantity from the ledger, the rest entered."""
    low, high = ip_quantity(class_one, class_two)
    quantity = Item("ip_quantity", _("知识产权数量"), low, high, 8, figures=[
        Figure(_("I类知识产权(已授权发明、PCT 发明)"), class_one, LEDGER, _("知识产权台账")),
        Figure(_("II类知识产权(实用新型、外观设计、软件著作权)"), class_two, LEDGER,
               _("知识产权台账")),
    ])  # fmt: skip
    title = _("获得方式")
    if class_one + class_two == 0:
        acquired = Item("ip_acquired", title, 0, 0, 6, note=_("无知识产权"))
    elif own_rd is None:
        acquired = Item("ip_acquired", title, 1, 6, 6, known=False, note=_("未填写"))
    else:
        low, high = (1, 6) if own_rd else (1, 3)
        figure = Figure(_("自主研发"), own_rd, ENTERED, who)
        acquired = Item("ip_acquired", title, low, high, 6, figures=[figure])
    if standard is None:
        std = Item("ip_standard", _("主持制定标准(加分)"), 0, 2, 2, known=False, note=_("未填写"))
    else:
        points = 2 if standard else 0
        std = Item("ip_standard", _("主持制定标准(加分)"), points, points, 2,
                   figures=[Figure(_("主持制定国家或行业标准"), standard, ENTERED, who)])  # fmt: skip
    items = [
        entered_points("ip_advancement", _("技术先进程度"), advancement, 8, who),
        entered_points("ip_support", _("对主要产品的核心支持作用"), support, 8, who),
        quantity,
        acquired,
        std,
    ]
    return Part("ip", _("知识产权"), 30, items)


def conversion_band(average: Decimal) -> tuple[int, int]:
    for least, low, high in CONVERSION_BANDS:
        if average >= least:
            return low, high
    return 0, 0


def conversion_part(counts: list[int | None], who: str) -> Part:
    """Conversion of results, ≤ 30, by the yearly average over the three years entered."""
    title = _("科技成果转化能力")
    if any(c is None for c in counts):
        item = Item("conversion", title, 0, 30, 30, known=False, note=_("三年成果转化数未填全"))
        return Part("conversion", title, 30, [item])
    average = Decimal(sum(counts)) / 3
    low, high = conversion_band(average)
    figures = [Figure(_("近三年成果转化数"), "/".join(str(c) for c in counts), ENTERED, who),
               Figure(_("年均"), average.quantize(Decimal("0.01")), "computed")]  # fmt: skip
    return Part(
        "conversion", title, 30, [Item("conversion", title, low, high, 30, figures=figures)]
    )


def management_part(*, accounting, institution, platform, training, who) -> Part:
    items = [
        entered_points("rd_accounting", _("研发组织管理制度与辅助账"), accounting, 6, who),
        entered_points("rd_institution", _("研发机构与产学研合作"), institution, 6, who),
        entered_points("conversion_platform", _("成果转化平台与激励"), platform, 4, who),
        entered_points("talent_training", _("人才培养与绩效评价"), training, 4, who),
    ]
    return Part("management", _("研究开发组织管理水平"), 20, items)


def growth_rate(values: list[Decimal | None]) -> Decimal | None:
    """½ × (Y2/Y1 + Y3/Y2) − 1 in %, over three year-end figures (oldest first); None when fewer
    than three or a base is not positive."""
    if len(values) != 3 or any(v is None for v in values):
        return None
    y1, y2, y3 = values
    if y1 <= 0 or y2 <= 0:
        return None
    return ((y2 / y1 + y3 / y2) / 2 - 1) * HUNDRED


def growth_band(rate: Decimal | None) -> tuple[int, int]:
    if rate is None or rate <= 0:
        return 0, 0
    for least, low, high in GROWTH_BANDS:
        if rate >= least:
            return low, high
    return 1, 2


def growth_item(key, title, values: list, figures: list[Figure], *, missing: bool) -> Item:
    """`missing`: an entry the enterprise could still give is not there (unknown, 0–10)."""
    if missing:
        return Item(key, title, 0, 10, 10, known=False, figures=figures, note=_("未填写"))
    rate = growth_rate(values)
    low, high = growth_band(rate)
    note = "" if rate is not None else _("不足三年或基数不为正,计 0 分")
    figures = [*figures, Figure(_("增长率"), shown(rate), "computed")]
    return Item(key, title, low, high, 10, figures=figures, note=note)


def growth_part(net_assets: Item, sales: Item) -> Part:
    return Part("growth", _("企业成长性"), 20, [net_assets, sales])
