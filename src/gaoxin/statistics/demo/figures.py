"""Economic statistics' calibration targets: DOMAIN.md's published 2019 figures for the demo's
main zone, and the unpublished choices around them (the official figures of other periods, the
present period's work, deadlines).

Measured by `statistics.engine.figures(zone, 2019-12)`: computed figures are the sums of the
accepted returns' 1–12月 values, their growth the same-set (同口径) growth over the enterprises
that reported December of both years; official figures are stored as published. Each constant
carries its DOMAIN.md line; figures that are not published but chosen to be plausible say so.
Money is in 万元, electricity in 万千瓦时.
"""

import datetime
from decimal import Decimal

# | industrial value added 2019 (official) | 76亿元, +10.4% |
INDUSTRIAL_VALUE_ADDED_2019 = Decimal("760000")  # 万元, official figure
INDUSTRIAL_VALUE_ADDED_GROWTH_2019 = Decimal("10.4")  # %, comparable prices
# | industrial tax revenue 2019 | 2.44亿元, +14.9% |
INDUSTRIAL_TAX_2019 = Decimal("24400")  # 万元
INDUSTRIAL_TAX_GROWTH_2019 = Decimal("14.9")  # %
# | industrial electricity 2019 | 3亿千瓦时, +32.2% |
INDUSTRIAL_ELECTRICITY_2019 = Decimal("30000")  # 万千瓦时
INDUSTRIAL_ELECTRICITY_GROWTH_2019 = Decimal("32.2")  # %
# | R&D spending growth 2019 | +5.2% |
RD_SPENDING_GROWTH_2019 = Decimal("5.2")  # %
# | high-tech industry share of industrial value added 2019 | 24.2% |
HIGH_TECH_VALUE_ADDED_SHARE_2019 = Decimal("24.2")  # %
# Not published. The returns run from the 1–2月 return of 2018 to the present reporting period
# (October 2026, whose returns fell due in November: INVESTMENT_AS_OF is its "today").
STATISTICS_FIRST_PERIOD = 201802
STATISTICS_PRESENT_PERIOD = 202610
# Not published. The present period in the main zone: enterprises with no return at all, clean
# returns submitted and waiting for review, one sent back; the enterprise account's own return is
# a draft (so 催报 lists these plus the draft and the returned one).
PRESENT_NOT_STARTED = 9
PRESENT_SUBMITTED_CLEAN = 12
PRESENT_RETURNED = 1
# Not published. Deadlines other than the 8th of the following month (Spring Festival, National
# Day): period → due date.
STATISTICS_DEADLINES = {
    202602: datetime.date(2026, 3, 10),
    202609: datetime.date(2026, 10, 13),
    202610: datetime.date(2026, 11, 10),
}
# Not published. Official figures around the published 2019 ones: period → (value, yoy %), money
# in 万元. Value added at current prices, its growth at comparable prices (统计局).
VALUE_ADDED = {
    201812: ("688500", "9.8"),
    201912: (str(INDUSTRIAL_VALUE_ADDED_2019), str(INDUSTRIAL_VALUE_ADDED_GROWTH_2019)),
    202002: ("61300", "-31.6"),
    202003: ("121400", "-12.9"),
    202006: ("331800", "-1.4"),
    202009: ("542600", "1.8"),
    202012: ("781900", "3.2"),
    202112: ("903600", "13.6"),
    202212: ("961200", "6.1"),
    202312: ("1003400", "4.6"),
    202412: ("1077800", "7.2"),
    202512: ("1142300", "6.0"),
    202602: ("151600", "6.8"),
    202603: ("252900", "7.1"),
    202604: ("353100", "7.0"),
    202605: ("455800", "7.3"),
    202606: ("563200", "7.4"),
    202607: ("664500", "7.2"),
    202608: ("767300", "7.1"),
    202609: ("876100", "7.3"),
    202610: ("981200", "7.2"),
}
# Not published. High-tech share of value added (%) by December and 2026 Q3; 2019 is the
# published one. The high-tech value added stored beside it is share × value added.
HIGH_TECH_SHARE = {
    201812: "22.6", 201912: str(HIGH_TECH_VALUE_ADDED_SHARE_2019), 202012: "25.3",
    202112: "26.9", 202212: "28.2", 202312: "29.6", 202412: "30.8", 202512: "32.1",
    202609: "32.9",
}  # fmt: skip
# Not published. The tax bureau's industrial tax (万元, yoy %): 2019 is the published figure the
# returns add up to; other years a little above the returns' sums (the bureau counts all payers).
OFFICIAL_TAX = {
    201812: ("21236", "11.6"), 201912: (str(INDUSTRIAL_TAX_2019), str(INDUSTRIAL_TAX_GROWTH_2019)),
    202012: ("25300", "3.7"), 202112: ("29900", "18.2"), 202212: ("32000", "7.0"),
    202312: ("32600", "1.9"), 202412: ("35700", "9.5"), 202512: ("38000", "6.4"),
    202609: ("29100", "6.6"),
}  # fmt: skip
# Not published. GDP of the zone (万元, yoy % at comparable prices) by year and 2026 quarter.
GDP = {
    201812: ("1186000", "9.1"), 201912: ("1312000", "9.6"), 202012: ("1348000", "3.0"),
    202112: ("1532000", "11.8"), 202212: ("1617000", "5.6"), 202312: ("1695000", "5.2"),
    202412: ("1806000", "6.4"), 202512: ("1911000", "5.9"), 202603: ("436000", "6.1"),
    202606: ("952000", "6.3"), 202609: ("1458000", "6.2"),
}  # fmt: skip
# Not published. R&D intensity (R&D spending ÷ GDP, %) by year: a national high-tech zone's,
# a little under the above-scale enterprises' own R&D spending ÷ GDP.
RD_INTENSITY = {
    201812: "4.21", 201912: "4.48", 202012: "4.62", 202112: "4.70", 202212: "4.76",
    202312: "4.81", 202412: "4.88", 202512: "4.93",
}  # fmt: skip
