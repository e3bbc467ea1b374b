"""The demo province's published figures that are not a module's own calibration.

The main demo zone is calibrated to the figures a national high-tech zone in Jiangxi published for
2019 and the first quarter of 2020 (DOMAIN.md, "The demo zone's published figures"). Each module
keeps the targets its demo step builds to beside that step (`gaoxin.<module>.demo`); here are the
registry's, which the province plan (plan.py) is drawn to, and the published figures no module
builds yet. Each constant carries its DOMAIN.md line; figures that are not published but chosen to
be plausible say so. Money is in 万元 (DESIGN.md conventions).
"""

from decimal import Decimal

# ---- the enterprise registry (the main zone's plan; the registry's demo step builds to it) ------

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
