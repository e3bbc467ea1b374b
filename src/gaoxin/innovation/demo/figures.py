"""Innovation's calibration targets: DOMAIN.md's published 2019 figures for the demo's main zone
and the unpublished choices around them. Each constant carries its DOMAIN.md line; figures not
published but chosen to be plausible say so. Other zones get the same story scaled by their
high-tech enterprises against the main zone's."""

import datetime

# | newly certified high-tech enterprises / new provincial+ platforms / invention patents /
#   provincial+ talents, 2019 | 33 / 3 / 38 / 14 |
NEW_HIGH_TECH_2019 = 33
NEW_PROVINCIAL_PLATFORMS_2019 = 3
INVENTION_PATENTS_2019 = 38
PROVINCIAL_TALENTS_2019 = 14
# | enterprises moved to the cloud | 70+ |  (not published exactly: 76 by the end of 2019)
CLOUD_BY_YEAR = {
    2017: 18, 2018: 41, 2019: 76, 2020: 112, 2021: 139, 2022: 161,
    2023: 180, 2024: 196, 2025: 211, 2026: 222,
}  # fmt: skip

# Not published. The innovation story runs to this day (the pipeline's, the returns' present):
# renewals up to its batches are issued, later ones applied for.
STORY_END = datetime.date(2026, 11, 20)
# The registry's high-tech flag holds on the registry's as-of day (plan.AS_OF, 2020-06-30): the
# certificate valid that day was issued in one of these years.
FIRST_VALID_YEARS = (2017, 2018, 2019)
# Not published. Jiangxi's certification batches (发证日期), one or two a year.
BATCHES = {
    2013: (datetime.date(2013, 10, 12),),
    2014: (datetime.date(2014, 10, 20),),
    2015: (datetime.date(2015, 9, 25), datetime.date(2015, 11, 16)),
    2016: (datetime.date(2016, 11, 15), datetime.date(2016, 12, 22)),
    2017: (datetime.date(2017, 8, 23), datetime.date(2017, 11, 28)),
    2018: (datetime.date(2018, 8, 13), datetime.date(2018, 12, 3)),
    2019: (datetime.date(2019, 9, 16), datetime.date(2019, 12, 3)),
    2020: (datetime.date(2020, 9, 14), datetime.date(2020, 11, 26)),
    2021: (datetime.date(2021, 11, 3), datetime.date(2021, 12, 15)),
    2022: (datetime.date(2022, 11, 18), datetime.date(2022, 12, 14)),
    2023: (datetime.date(2023, 11, 22), datetime.date(2023, 12, 28)),
    2024: (datetime.date(2024, 11, 19), datetime.date(2024, 12, 10)),
    2025: (datetime.date(2025, 11, 5), datetime.date(2025, 12, 12)),
    2026: (datetime.date(2026, 11, 14),),
}
# Not published. Non-certified enterprises: old certificates let lapse, revoked ones, and today's
# pipeline (培育库): reserve and applied.
LAPSED = 16
REVOKED = 2
RESERVE = 45
APPLIED = 18
# Not published. Certified enterprises whose entered high-tech income share sits near or under
# 60% (qualification at risk), as percentages.
AT_RISK_SHARES = ("57.8", "59.4", "61.2", "62.5", "63.9")
# Not published. Invention patents granted per year (2019 is published), utility models and
# designs granted as multiples of it, pending invention applications at the story's end.
INVENTIONS_GRANTED = {
    2015: 12, 2016: 17, 2017: 24, 2018: 31, 2019: INVENTION_PATENTS_2019, 2020: 45,
    2021: 52, 2022: 58, 2023: 63, 2024: 70, 2025: 76, 2026: 66,
}  # fmt: skip
UTILITY_PER_INVENTION = 3
DESIGN_PER_INVENTION = 1
PENDING_INVENTIONS = 60
# Not published. New provincial-or-higher platforms per year (2019 published), municipal ones.
PROVINCIAL_PLATFORMS = {
    2014: 1, 2015: 1, 2016: 2, 2017: 2, 2018: 2, 2019: NEW_PROVINCIAL_PLATFORMS_2019,
    2020: 2, 2021: 3, 2022: 2, 2023: 3, 2024: 2, 2025: 3, 2026: 2,
}  # fmt: skip
MUNICIPAL_PLATFORMS_PER_YEAR = (3, 6)
# Not published. New provincial-or-higher talents per year (2019 published), municipal ones.
PROVINCIAL_TALENTS = {
    2015: 6, 2016: 8, 2017: 9, 2018: 11, 2019: PROVINCIAL_TALENTS_2019, 2020: 12,
    2021: 15, 2022: 13, 2023: 16, 2024: 14, 2025: 17, 2026: 10,
}  # fmt: skip
MUNICIPAL_TALENTS_PER_YEAR = (8, 15)
COOPERATIONS = 30
SOFTWARE_COPYRIGHTS = 80
TECH_SME_PER_YEAR = 30
# Not published. The main zone's targets (year → new high-tech, reserve, invention patents,
# provincial+ platforms, provincial+ talents, cloud enterprises) and its resident population.
TARGETS = {
    2019: (30, 50, 35, 3, 12, 70),
    2020: (36, 55, 42, 3, 12, 100),
    2021: (40, 55, 50, 3, 14, 130),
    2022: (40, 60, 55, 3, 14, 155),
    2023: (42, 60, 60, 3, 15, 175),
    2024: (42, 60, 66, 3, 15, 190),
    2025: (45, 60, 72, 3, 16, 205),
    2026: (45, 60, 80, 3, 16, 230),
}
POPULATION = 92000
