"""Calibration targets of the demo zone, in one place.

The main demo zone is calibrated to the figures a national high-tech zone in Jiangxi published for
2019 and the first quarter of 2020 (DOMAIN.md, "The demo zone's published figures"). Each
constant carries its DOMAIN.md line; figures that are not published but chosen to be plausible
say so. Money is in 万元, electricity in 万千瓦时 (DESIGN.md conventions). Later modules
(investment, statistics, innovation, services) add their targets here and build to them.
"""

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

# ---- published figures for later modules (not yet built by the demo) -------------------------

# | industrial projects signed in 2019 / construction started / into production | 52 / 41 / 37 |
PROJECTS_SIGNED_2019 = 52
PROJECTS_STARTED_2019 = 41
PROJECTS_IN_PRODUCTION_2019 = 37
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
# | newly certified high-tech enterprises / new provincial+ platforms / invention patents /
#   provincial+ talents, 2019 | 33 / 3 / 38 / 14 |
NEW_HIGH_TECH_2019 = 33
NEW_PLATFORMS_2019 = 3
INVENTION_PATENTS_2019 = 38
NEW_TALENTS_2019 = 14
# | industrial projects signed in 2020 Q1 | 8, total 119.8亿元, two of them over 50亿元 |
PROJECTS_SIGNED_2020Q1 = 8
PROJECTS_SIGNED_2020Q1_INVESTMENT = Decimal("1198000")  # 万元, planned total investment
PROJECTS_SIGNED_2020Q1_OVER_50YI = 2
# | projects into production in 2020 Q1 | 13 |
PROJECTS_IN_PRODUCTION_2020Q1 = 13
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
