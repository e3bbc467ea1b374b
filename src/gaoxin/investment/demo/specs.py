"""What the main zone's pipeline is made of before it is drawn: the cohorts whose stage dates fall
in the windows of the published figures, the non-industrial projects kept out of them, the two
large projects of 2020 Q1, and `Spec`, a project before it is written; with the date and money
helpers the pipeline draws with."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from ..models import Category
from . import figures
from .catalogue import CROSS_BORDER, ELECTRONICS, MATERIALS

D = datetime.date
AS_OF = figures.INVESTMENT_AS_OF
NOT_BEFORE = figures.DEADLINES_NOT_BEFORE
Move = tuple[str, datetime.date, str]


def between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    """A day from `lo` to `hi`, both included (`lo` when `hi` is not later)."""
    if hi <= lo:
        return lo
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def later(rng: random.Random, last: datetime.date, lo: int, hi: int) -> datetime.date:
    """A day `lo`–`hi` days after `last`, but never after AS_OF."""
    return between(rng, min(last + days(lo), AS_OF), min(last + days(hi), AS_OF))


def month_end(day: datetime.date) -> datetime.date:
    following = D(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - days(1)


def money(value: float, step: int = 100) -> Decimal:
    return Decimal(max(step, round(value / step) * step))


@dataclass(frozen=True)
class Cohort:
    """Projects whose 签约, 开工 and 投产 dates fall in fixed windows (None: not reached)."""

    count: int
    signed: tuple[datetime.date, datetime.date]
    started: tuple[datetime.date, datetime.date] | None
    production: tuple[tuple[datetime.date, datetime.date], ...] | None
    quick: bool = False  # small projects in standard factory buildings
    endings: tuple[str, ...] = ()  # for the cohort's first projects, see `Histories._path`


Q1_2020 = ((D(2020, 1, 3), D(2020, 1, 21)), (D(2020, 3, 2), D(2020, 3, 31)))  # no February: 疫情
# The main zone's industrial projects signed up to 2019, from which 2019's and 2020 Q1's
# started and production counts come (figures.py names the splits).
MAIN_COHORTS = (
    # history: signed 2017, into production in 2018, or (large ones) after March 2020
    Cohort(4, (D(2017, 3, 1), D(2017, 8, 31)), (D(2017, 6, 1), D(2017, 12, 20)),
           ((D(2018, 3, 1), D(2018, 12, 20)),)),
    Cohort(2, (D(2017, 5, 1), D(2017, 10, 31)), (D(2018, 1, 8), D(2018, 6, 30)),
           ((D(2020, 5, 6), D(2020, 12, 25)),)),
    # signed and started in 2018, into production in 2019
    Cohort(figures.IN_PRODUCTION_2019_STARTED_2018, (D(2018, 1, 5), D(2018, 6, 30)),
           (D(2018, 3, 1), D(2018, 10, 31)), ((D(2019, 1, 5), D(2019, 12, 20)),)),
    # signed in 2018, started in 2019, into production in 2020 Q1
    Cohort(figures.IN_PRODUCTION_2020Q1_SIGNED_2018, (D(2018, 7, 2), D(2018, 12, 28)),
           (D(2019, 1, 8), D(2019, 6, 28)), Q1_2020),
    # signed in 2018, started in 2019, into production from May 2020
    Cohort(figures.STARTED_2019_SIGNED_2018 - figures.IN_PRODUCTION_2020Q1_SIGNED_2018,
           (D(2018, 5, 2), D(2018, 12, 28)), (D(2019, 1, 8), D(2019, 11, 28)),
           ((D(2020, 5, 6), D(2021, 6, 30)),)),
    # signed, started and into production within 2019 (standard factory buildings)
    Cohort(figures.IN_PRODUCTION_2019_QUICK, (D(2019, 1, 8), D(2019, 4, 30)),
           (D(2019, 2, 1), D(2019, 6, 28)), ((D(2019, 7, 1), D(2019, 12, 25)),), quick=True),
    # signed and started in 2019, into production in 2020 Q1
    Cohort(figures.IN_PRODUCTION_2020Q1_SIGNED_2019, (D(2019, 1, 8), D(2019, 5, 31)),
           (D(2019, 3, 1), D(2019, 8, 30)), Q1_2020),
    # signed and started in 2019, into production from May 2020
    Cohort(figures.STARTED_2019_SIGNED_2019 - figures.IN_PRODUCTION_2019_QUICK
           - figures.IN_PRODUCTION_2020Q1_SIGNED_2019,
           (D(2019, 1, 8), D(2019, 9, 30)), (D(2019, 3, 1), D(2019, 12, 20)),
           ((D(2020, 5, 6), D(2021, 12, 28)),)),
    # signed in 2019, started from April 2020 (or never: dropped, on hold)
    Cohort(figures.PROJECTS_SIGNED_2019 - figures.STARTED_2019_SIGNED_2019,
           (D(2019, 2, 1), D(2019, 12, 27)), (D(2020, 4, 8), D(2021, 3, 31)),
           ((D(2021, 2, 1), D(2022, 12, 28)),),
           endings=("dropped", "dropped", "hold_signed", "late_production", "short_funds")),
)  # fmt: skip

# The main zone's non-industrial projects: none has a 签约/开工/投产 date in 2019 or 2020 Q1
# (see the module's docstring). (category, chain, industry, project, investor word, moves as
# (stage, year, month)).
NON_INDUSTRIAL = (
    (Category.SERVICES, CROSS_BORDER, "5292", "跨境电商产业园二期项目", "电子商务",
     (("negotiation", 2017, 11), ("signed", 2018, 4), ("started", 2018, 8),
      ("production", 2020, 7))),
    (Category.SERVICES, CROSS_BORDER, "5920", "跨境电商智能仓储物流中心项目", "供应链管理",
     (("visit", 2020, 11), ("signed", 2021, 5), ("started", 2021, 10), ("production", 2022, 11))),
    (Category.SERVICES, "", "7540", "科技企业孵化器项目", "科技服务",
     (("lead", 2017, 9), ("signed", 2018, 3), ("started", 2018, 5), ("production", 2018, 12))),
    (Category.SERVICES, "", "6513", "工业互联网平台及软件研发中心项目", "信息技术",
     (("lead", 2022, 10), ("negotiation", 2023, 3), ("signed", 2023, 6), ("started", 2023, 9),
      ("production", 2024, 6))),
    (Category.SERVICES, "", "6121", "商务酒店及会展中心项目", "酒店管理",
     (("lead", 2025, 11), ("visit", 2026, 3), ("negotiation", 2026, 5))),
    (Category.SERVICES, "", "8391", "职业技能培训基地项目", "教育科技",
     (("lead", 2026, 1), ("visit", 2026, 3))),
    (Category.SERVICES, CROSS_BORDER, "5920", "冷链物流分拨中心项目", "冷链物流",
     (("visit", 2025, 3), ("negotiation", 2025, 6), ("signed", 2025, 9))),
    (Category.AGRICULTURE, "", "0141", "富硒蔬菜种植示范基地项目", "农业科技",
     (("visit", 2020, 4), ("signed", 2020, 5), ("started", 2020, 7), ("production", 2021, 4))),
    (Category.AGRICULTURE, "", "0171", "中药材种植及初加工基地项目", "生物科技",
     (("lead", 2023, 10), ("signed", 2024, 4), ("started", 2024, 6), ("production", 2025, 5))),
    (Category.AGRICULTURE, "", "0143", "花卉苗木种植基地项目", "园林",
     (("lead", 2026, 6),)),
    (Category.INFRASTRUCTURE, "", "4790", "标准厂房三期项目", "建设发展",
     (("negotiation", 2017, 12), ("signed", 2018, 2), ("started", 2018, 4),
      ("production", 2018, 11))),
    (Category.INFRASTRUCTURE, "", "4620", "园区污水处理厂扩建项目", "环境科技",
     (("negotiation", 2020, 12), ("signed", 2021, 3), ("started", 2021, 6),
      ("production", 2022, 8))),
    (Category.INFRASTRUCTURE, "", "4416", "分布式光伏发电项目", "新能源",
     (("visit", 2022, 11), ("signed", 2023, 2), ("started", 2023, 4), ("production", 2023, 10))),
    (Category.INFRASTRUCTURE, "", "4813", "园区路网及配套管网工程项目", "城市建设",
     (("negotiation", 2025, 2), ("signed", 2025, 4), ("started", 2025, 7))),
)  # fmt: skip

# The two "5020" projects of 2020 Q1 (figures.PROJECTS_SIGNED_2020Q1_AMOUNTS[:2]).
LARGE_2020Q1 = (
    (MATERIALS, "3985", "年产20万吨锂电池正极材料及前驱体项目", "330000", "新能源材料"),
    (ELECTRONICS, "3974", "Mini LED新型显示产业园项目", "440000", "光电科技"),
)
FLAGSHIP = "江西鸿泰光电科技有限公司"  # the enterprise account's company invests twice


@dataclass
class Spec:
    """A project before it is written: what it is and the moves of its history."""

    moves: list[Move]
    category: str = Category.INDUSTRIAL
    planned: Decimal | None = None
    chain: str | None = None  # None: drawn; "" for none
    industry: str = ""
    product: str = ""
    investor_word: str = ""
    enterprise: object = None  # the investor's company in the registry
    expansion: bool = False  # that company itself invests (以商招商)
    link: bool = False  # look for the investor's new company in the registry
    origin: str | None = None
    ending: str = ""
    quick: bool = False


def trade_and_word(name: str, regions) -> tuple[str, str]:
    """The 字号 and industry words of a registry name ("江西鸿泰光电科技有限公司" → 鸿泰, 光电科技)."""
    base = name.split("（")[0]
    for form in ("股份有限公司", "有限公司"):
        base = base.removesuffix(form)
    for region in sorted((r for r, _w in regions), key=len, reverse=True):
        if base.startswith(region) and len(base) > len(region) + 2:
            return base[len(region) : len(region) + 2], base[len(region) + 2 :]
    return base[:2], base[2:]
