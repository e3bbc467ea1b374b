"""The investment pipeline's calibration targets: DOMAIN.md's published figures for the demo's
main zone ("investment attraction"), and the unpublished choices that produce them.

Measured by `investment.summary.headline` over the main zone's projects, with or without the
category filter: the demo's non-industrial projects have no 签约/开工/投产 date in 2019 or
2020 Q1 (a calibration choice, see the package's docstring). Each constant carries its DOMAIN.md
line; figures that are not published but chosen to be plausible say so. Money is in 万元.
"""

import datetime
from decimal import Decimal

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
# Not published. Where the 2019 and 2020 Q1 counts come from (the cohorts of specs.py):
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
