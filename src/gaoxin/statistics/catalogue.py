"""The standard indicator catalogue and check rules every zone starts with, and how a zone's own
rows combine with them.

Seeded by a data migration (`load_standard`), so every database has them; a zone adds its own
indicators and overrides a standard rule by adding one of the same code.
"""

from django.db.models import Q

from gaoxin.core.spreadsheets.normalize import unit_scale

# code, name, unit, frequency, cumulative, source, aggregation, decimals, department, definition
STANDARD_INDICATORS = (
    ("output_value", "工业总产值", "万元", "monthly", True, "return", "sum", 1, "经济发展局",
     "以货币表现的工业企业在报告期内生产的工业产品总量(当年价格),B204-1 表。"),
    ("revenue", "营业收入", "万元", "monthly", True, "return", "sum", 1, "经济发展局",
     "企业经营主要业务和其他业务所确认的收入总额,B203 表;规上工业以主营业务收入 2000 万元为线。"),
    ("profit", "利润总额", "万元", "monthly", True, "return", "sum", 1, "经济发展局",
     "企业在报告期内实现的盈亏总额,可为负数,B203 表。"),
    ("industrial_tax", "税金总额", "万元", "monthly", True, "return", "sum", 1, "经济发展局",
     "企业报告期内实际缴纳的各项税金合计;园区口径的工业税收以税务局数据为准。"),
    ("industrial_electricity", "工业用电量", "万千瓦时", "monthly", True, "return", "sum", 1,
     "经济发展局", "企业报告期内工业生产消耗的电量,是能量而非金额,单位万千瓦时。"),
    ("employees", "从业人员期末人数", "人", "monthly", False, "return", "sum", 0, "经济发展局",
     "报告期末在本企业工作并取得劳动报酬的人员数,为时点数,不累计。"),
    ("rd_spending", "研发费用", "万元", "monthly", True, "return", "sum", 1, "科技创新局",
     "企业报告期内研究与试验发展活动的费用支出。"),
    ("exports", "出口交货值", "万元", "monthly", True, "return", "sum", 1, "经济发展局",
     "企业自营(委托)出口或交给外贸部门出口的产品价值。"),
    ("fixed_asset_investment", "固定资产投资", "万元", "monthly", True, "return", "sum", 1,
     "经济发展局", "企业报告期内建造和购置固定资产的投资额。"),
    ("rd_revenue_ratio", "研发费用占营业收入比重", "%", "monthly", True, "computed", "ratio", 2,
     "科技创新局", "研发费用 ÷ 营业收入 × 100(企业层面的研发投入强度),按同一批企业合计计算。"),
    ("export_ratio", "出口交货值占工业总产值比重", "%", "monthly", True, "computed", "ratio", 2,
     "经济发展局", "出口交货值 ÷ 工业总产值 × 100。"),
    ("industrial_value_added", "规上工业增加值", "万元", "monthly", True, "official", "none", 1,
     "经济发展局", "由统计局按可比价核算,不由企业填报,也不是企业数据之和;增速为可比价增速。"),
    ("hightech_value_added", "高新技术产业增加值", "万元", "monthly", True, "official", "none", 1,
     "经济发展局", "统计局核算的高新技术产业增加值。"),
    ("hightech_share", "高新技术产业增加值占规上工业增加值比重", "%", "monthly", True,
     "official", "none", 1, "经济发展局", "高新技术产业增加值 ÷ 规上工业增加值 × 100,统计局发布。"),
    ("gdp", "地区生产总值", "万元", "quarterly", True, "official", "none", 1, "经济发展局",
     "统计局核算的园区地区生产总值(GDP)。"),
    ("rd_intensity", "R&D 经费投入强度", "%", "yearly", True, "official", "none", 2, "科技创新局",
     "R&D 经费支出 ÷ 地区生产总值 × 100,统计局发布。"),
    ("official_tax", "工业税收(税务口径)", "万元", "monthly", True, "official", "none", 1,
     "经济发展局", "税务局提供的园区工业企业税收收入。"),
)  # fmt: skip

# Computed ratios: code → (numerator code, denominator code).
RATIOS = {
    "rd_revenue_ratio": ("rd_spending", "revenue"),
    "export_ratio": ("exports", "output_value"),
}

# code, name, kind, indicator, other, params, severity
STANDARD_RULES = (
    ("required-output", "工业总产值必填", "required", "output_value", None, {}, "error"),
    ("required-revenue", "营业收入必填", "required", "revenue", None, {}, "error"),
    ("required-electricity", "工业用电量必填", "required", "industrial_electricity", None, {},
     "error"),
    ("required-employees", "从业人员必填", "required", "employees", None, {}, "error"),
    ("range-output", "工业总产值不能为负", "range", "output_value", None, {"min": 0}, "error"),
    ("range-revenue", "营业收入不能为负", "range", "revenue", None, {"min": 0}, "error"),
    ("range-tax", "税金总额不能为负", "range", "industrial_tax", None, {"min": 0}, "error"),
    ("range-electricity", "工业用电量不能为负", "range", "industrial_electricity", None,
     {"min": 0}, "error"),
    ("range-employees", "从业人员应在 0–200000 人之间", "range", "employees", None,
     {"min": 0, "max": 200000}, "error"),
    ("range-rd", "研发费用不能为负", "range", "rd_spending", None, {"min": 0}, "error"),
    ("range-exports", "出口交货值不能为负", "range", "exports", None, {"min": 0}, "error"),
    ("cumulative-output", "累计工业总产值不应少于上月", "not_decreasing", "output_value", None,
     {}, "error"),
    ("cumulative-revenue", "累计营业收入不应少于上月", "not_decreasing", "revenue", None, {},
     "error"),
    ("cumulative-tax", "累计税金不应少于上月", "not_decreasing", "industrial_tax", None, {},
     "error"),
    ("cumulative-electricity", "累计用电量不应少于上月", "not_decreasing",
     "industrial_electricity", None, {}, "error"),
    ("cumulative-rd", "累计研发费用不应少于上月", "not_decreasing", "rd_spending", None, {},
     "error"),
    ("swing-month-output", "当月产值环比波动超过 50%", "swing_month", "output_value", None,
     {"pct": 50}, "warning"),
    ("swing-month-electricity", "当月用电量环比波动超过 50%", "swing_month",
     "industrial_electricity", None, {"pct": 50}, "warning"),
    ("swing-year-output", "累计产值同比波动超过 50%", "swing_year", "output_value", None,
     {"pct": 50}, "warning"),
    ("swing-year-revenue", "累计营业收入同比波动超过 50%", "swing_year", "revenue", None,
     {"pct": 50}, "warning"),
    ("ratio-electricity-output", "用电量与产值不匹配(每万元产值用电)", "ratio",
     "industrial_electricity", "output_value", {"min": 0.002, "max": 2}, "warning"),
    ("ratio-tax-revenue", "税金与营业收入不匹配", "ratio", "industrial_tax", "revenue",
     {"max": 0.3}, "warning"),
    ("ratio-rd-revenue", "研发费用超过营业收入的 50%", "ratio", "rd_spending", "revenue",
     {"max": 0.5}, "warning"),
    ("ratio-output-revenue", "产值与营业收入相差过大", "ratio", "output_value", "revenue",
     {"min": 0.2, "max": 5}, "warning"),
    ("peer-output-per-worker", "人均产值在同行业同规模企业中离群", "peer_outlier",
     "output_value", "employees", {"factor": 10, "min_peers": 5}, "warning"),
    ("unit-slip-output", "工业总产值疑似单位错误(相差约万倍)", "unit_slip", "output_value",
     None, {"factor": 1000}, "error"),
    ("unit-slip-revenue", "营业收入疑似单位错误(相差约万倍)", "unit_slip", "revenue", None,
     {"factor": 1000}, "error"),
    ("unit-slip-electricity", "用电量疑似单位错误(千瓦时当作万千瓦时)", "unit_slip",
     "industrial_electricity", None, {"factor": 1000}, "error"),
    ("unit-slip-profit", "利润总额疑似单位错误(相差约万倍)", "unit_slip", "profit", None,
     {"factor": 1000, "down": False}, "error"),
    ("unit-slip-tax", "税金总额疑似单位错误(相差约万倍)", "unit_slip", "industrial_tax", None,
     {"factor": 1000, "down": False}, "error"),
    ("unit-slip-rd", "研发费用疑似单位错误(相差约万倍)", "unit_slip", "rd_spending", None,
     {"factor": 1000, "down": False}, "error"),
    ("unit-slip-exports", "出口交货值疑似单位错误(相差约万倍)", "unit_slip", "exports", None,
     {"factor": 1000, "down": False}, "error"),
    ("unit-slip-investment", "固定资产投资疑似单位错误(相差约万倍)", "unit_slip",
     "fixed_asset_investment", None, {"factor": 1000, "down": False}, "error"),
)  # fmt: skip


# --- unit slips -----------------------------------------------------------------------------
# Every return indicator whose unit carries a scale word (万元, 万千瓦时, 万吨, 亿元, 千元) can be
# typed in its base unit by mistake (元 for 万元): each has a unit_slip rule. Figures that are
# often near nothing (profit, tax, R&D, exports, investment: a break-even month, a quarter's tax
# not yet paid) are only checked for being far too large ("down": false), the 元 slip. The standard ones
# are in STANDARD_RULES; a zone's own indicator gets its rule when it is saved
# (`ensure_unit_slip_rule`), and migration 0005 gave the existing ones theirs.
UNIT_SLIP = "unit_slip"
SLIP_CODE_PREFIX = "unit-slip-"


def slips(unit: str) -> bool:
    """Whether a figure in `unit` can be typed in the wrong scale: the unit has a scale word
    (万, 亿, 千 …) before its base, and is not a percentage."""
    scale, base = unit_scale(unit)
    return scale > 1 and base != "%"


def slip_factor(unit: str) -> int:
    """The unit_slip rule's default factor for `unit`: a slip is 10^4 off for 万 and 亿 units
    (元 for 万元, 万元 for 亿元), 10^3 for 千 units; the factor sits ten times below."""
    return 1000 if unit_scale(unit)[0] >= 10**4 else 100


def unit_slip_rule_fields(indicator) -> dict:
    """The zone's unit_slip rule for its own indicator (code, name, params, severity)."""
    return {
        "code": (SLIP_CODE_PREFIX + indicator.code)[:60],
        "name": f"{indicator.name}疑似单位错误"[:100],
        "kind": UNIT_SLIP,
        "params": {"factor": slip_factor(indicator.unit)},
        "severity": "error",
        "position": 1000,
    }


def ensure_unit_slip_rule(Rule, indicator):
    """Give a zone's own return indicator with a scaled unit its unit_slip rule when it has none
    (callable with historical models from a migration): the rule added, or None. A rule the
    zone switched off stays off."""
    if (
        indicator.zone_id is None
        or indicator.source != "return"
        or not slips(indicator.unit)
        or Rule.objects.filter(indicator_id=indicator.pk, kind=UNIT_SLIP).exists()
    ):
        return None
    fields = unit_slip_rule_fields(indicator)
    if Rule.objects.filter(zone_id=indicator.zone_id, code=fields["code"]).exists():
        return None
    return Rule.objects.create(zone_id=indicator.zone_id, indicator_id=indicator.pk, **fields)


def load_standard(Indicator, Rule) -> None:
    """Create or update the standard rows (callable with historical models from a migration)."""
    by_code = {}
    for position, row in enumerate(STANDARD_INDICATORS, start=1):
        code, name, unit, freq, cumulative, source, agg, places, dept, definition = row
        indicator, _ = Indicator.objects.update_or_create(
            zone=None,
            code=code,
            defaults={
                "name": name, "unit": unit, "frequency": freq, "cumulative": cumulative,
                "source": source, "aggregation": agg, "decimal_places": places,
                "department": dept, "definition": definition, "position": position * 10,
            },
        )  # fmt: skip
        by_code[code] = indicator
    for code, (numerator, denominator) in RATIOS.items():
        Indicator.objects.filter(pk=by_code[code].pk).update(
            numerator=by_code[numerator], denominator=by_code[denominator]
        )
    for position, (code, name, kind, indicator, other, params, severity) in enumerate(
        STANDARD_RULES, start=1
    ):
        Rule.objects.update_or_create(
            zone=None,
            code=code,
            defaults={
                "name": name, "kind": kind, "indicator": by_code[indicator],
                "other": by_code[other] if other else None, "params": params,
                "severity": severity, "position": position * 10,
            },
        )  # fmt: skip


def ensure_standard() -> None:
    """Reload the standard rows when a test flush emptied them (transactional browser tests), or
    when a reused database misses a standard rule added since."""
    from .models import Indicator, Rule

    if not Indicator.objects.filter(zone__isnull=True).exists() or Rule.objects.filter(
        zone__isnull=True
    ).count() < len(STANDARD_RULES):
        load_standard(Indicator, Rule)


def _effective(queryset, zone):
    """Standard rows with the zone's own of the same code in their place."""
    rows = {}
    for row in queryset.filter(Q(zone__isnull=True) | Q(zone=zone)).order_by("position", "code"):
        if row.code not in rows or row.zone_id is not None:
            rows[row.code] = row
    return sorted(rows.values(), key=lambda r: (r.position, r.code))


def indicators_for(zone, *, source: str | None = None, active_only: bool = True) -> list:
    """The zone's catalogue: standard indicators plus its own, in display order."""
    from .models import Indicator

    rows = _effective(Indicator.objects.all(), zone)
    return [
        r
        for r in rows
        if (not active_only or r.is_active) and (source is None or r.source == source)
    ]


def rules_for(zone) -> list:
    """The zone's active rules: standard ones, overridden or switched off by the zone's own."""
    from .models import Rule

    return [
        r
        for r in _effective(Rule.objects.select_related("indicator", "other"), zone)
        if r.is_active
    ]
