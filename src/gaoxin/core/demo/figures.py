"""Calibration targets of the demo zone, in one place.

The main demo zone is calibrated to the figures a national high-tech zone in Jiangxi published for
2019 and the first quarter of 2020 (DOMAIN.md, "The demo zone's published figures"). Each
constant carries its DOMAIN.md line; figures that are not published but chosen to be plausible
say so. Money is in 万元, electricity in 万千瓦时 (DESIGN.md conventions). Later modules
(investment, statistics, innovation, services) add their targets here and build to them.
"""

import datetime
from decimal import Decimal

# ---- the enterprise registry (gaoxin.core.demo.registry builds to these) -----------------------

# | new above-scale industrial enterprises in 2019 | 39 |
NEW_ABOVE_SCALE_2019 = 39
# Not published. Above-scale industrial enterprises in the registry (入规 dates up to 2019), so
# that the 39 newcomers are about a quarter of the total, as in a fast-growing zone.
ABOVE_SCALE_TOTAL = 165
# Not published. Valid high-tech enterprises (about a fifth of the registry).
HIGH_TECH_TOTAL = 112
# Not published. Enterprises in the main zone's registry.
MAIN_ZONE_ENTERPRISES = 600

# ---- investment attraction (gaoxin.core.demo.investment builds to these) -----------------------
# Measured by `investment.summary.headline` over the main zone's projects, with or without the
# category filter: the demo's non-industrial projects have no 签约/开工/投产 date in 2019 or
# 2020 Q1 (a calibration choice, see investment.py).

# | industrial projects signed in 2019 / construction started / into production | 52 / 41 / 37 |
PROJECTS_SIGNED_2019 = 52
PROJECTS_STARTED_2019 = 41
PROJECTS_IN_PRODUCTION_2019 = 37
# | industrial projects signed in 2020 Q1 | 8, total 119.8亿元, two of them over 50亿元 |
PROJECTS_SIGNED_2020Q1 = 8
PROJECTS_SIGNED_2020Q1_INVESTMENT = Decimal("1198000")  # 万元, planned total investment
PROJECTS_SIGNED_2020Q1_OVER_50YI = 2
# | projects into production in 2020 Q1 | 13 |
PROJECTS_IN_PRODUCTION_2020Q1 = 13

# Not published. How 119.8亿元 splits among the eight: two "5020" projects (≥ 50亿元, the
# national zone's default threshold) and six of 1.2亿–5亿元. Sums to the published total.
PROJECTS_SIGNED_2020Q1_AMOUNTS = tuple(
    Decimal(v) for v in ("520000", "506000", "50000", "35000", "30000", "25000", "20000", "12000")
)
# Not published. Where the 2019 and 2020 Q1 counts come from (the cohorts of investment.py):
# started in 2019 = 16 signed in 2018 + 25 signed in 2019; into production in 2019 = 30 signed
# and started in 2018 + 7 small projects in standard factory buildings signed, started and
# producing within 2019; into production in 2020 Q1 = 8 signed in 2018 + 5 signed in 2019, all
# started in 2019. The other 27 signed in 2019 started later, or never (dropped, on hold).
STARTED_2019_SIGNED_2018 = 16
STARTED_2019_SIGNED_2019 = 25
IN_PRODUCTION_2019_STARTED_2018 = 30
IN_PRODUCTION_2019_QUICK = 7
IN_PRODUCTION_2020Q1_SIGNED_2018 = 8
IN_PRODUCTION_2020Q1_SIGNED_2019 = 5
# Not published. The pipeline's story runs to this day (leads and visits in 2026, a 百日招商 under
# way); no stage date is later, so the data never depends on the day it is built.
INVESTMENT_AS_OF = datetime.date(2026, 11, 20)
# Not published. Deadlines not yet due lie at least this far out, so the projects behind on
# their commitments stay the same for months after INVESTMENT_AS_OF.
DEADLINES_NOT_BEFORE = datetime.date(2027, 3, 31)
# Not published. Main-zone projects behind on a commitment on INVESTMENT_AS_OF (start or
# production deadline passed without the stage, or funds short after their deadline).
OVERDUE_PROJECTS = 9
# Not published. Non-industrial projects (services, agriculture, infrastructure) in the main zone.
NON_INDUSTRIAL_PROJECTS = 14
# Not published. The two 百日招商 drives: one past (spring 2020, during the epidemic's 云签约) and
# one under way on INVESTMENT_AS_OF; (name, start, end, projects, investment 万元, 亿元以上).
CAMPAIGNS = (
    (
        "2020年春季百日招商攻坚行动",
        datetime.date(2020, 3, 1),
        datetime.date(2020, 6, 8),
        15,
        Decimal("1500000"),
        8,
    ),
    (
        "2026年秋冬季百日招商攻坚行动",
        datetime.date(2026, 9, 1),
        datetime.date(2026, 12, 9),
        10,
        Decimal("600000"),
        5,
    ),
)
# Not published. Annual targets of the departments that carry investment work in the main zone
# (projects signed, investment signed in 万元, 亿元以上 projects), for 2019 and scaled by year.
DEPARTMENT_TARGETS = {
    "招商局": (34, Decimal("1400000"), 18),
    "经济发展局": (8, Decimal("300000"), 4),
    "科技创新局": (6, Decimal("200000"), 3),
    "企业服务局": (6, Decimal("150000"), 3),
}
# Not published. Each year's targets against 2019's, in % (the 2020 drive after the epidemic,
# lower targets in the slower years after).
TARGET_SCALE = {
    2019: 100, 2020: 90, 2021: 70, 2022: 60, 2023: 60, 2024: 50, 2025: 50, 2026: 50,
}  # fmt: skip

# ---- economic statistics (gaoxin.core.demo.statistics builds to these) -----------------------
# Measured by `statistics.engine.figures(zone, 2019-12)`: computed figures are the sums of the
# accepted returns' 1–12月 values, their growth the same-set (同口径) growth over the enterprises
# that reported December of both years; official figures are stored as published.

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

# ---- published figures for later modules (not yet built by the demo) -------------------------

# | newly certified high-tech enterprises / new provincial+ platforms / invention patents /
#   provincial+ talents, 2019 | 33 / 3 / 38 / 14 |
NEW_HIGH_TECH_2019 = 33
NEW_PLATFORMS_2019 = 3
INVENTION_PATENTS_2019 = 38
NEW_TALENTS_2019 = 14
# | enterprises moved to the cloud | 70+ |
ENTERPRISES_ON_CLOUD_MIN = 70
# | awards to enterprises (2020 H1) | 63 enterprises, 1950万元+ |
AWARDED_ENTERPRISES_2020H1 = 63
AWARDS_2020H1_MIN = Decimal("1950")  # 万元
# | credit to enterprises / special guaranteed loans | 20+ enterprises 2.34亿元 /
#   11 enterprises 1.1亿元 |
CREDIT_ENTERPRISES_MIN = 20
CREDIT_AMOUNT = Decimal("23400")  # 万元
GUARANTEED_LOAN_ENTERPRISES = 11
GUARANTEED_LOAN_AMOUNT = Decimal("11000")  # 万元
# | jobs offered at online job fairs | 5000+ |
JOB_FAIR_POSITIONS_MIN = 5000
# | work resumption of above-scale enterprises and key projects | 100% |
WORK_RESUMPTION_RATE = Decimal("100")  # %
# | provincial ranking of the zone | 55th at end of 2018 → 32nd at mid-2019 |
PROVINCIAL_RANK_2018_END = 55
PROVINCIAL_RANK_2019_MID = 32
