"""The demo's investment pipeline (招商引资): projects from first lead to production with their
dated stage events, the investors' commitments and funds in place, 百日招商 drives and the
departments' annual targets.

The main zone is calibrated to DOMAIN.md's published figures (figures.py, "investment
attraction"). The projects behind them are drawn in cohorts whose stage dates fall in fixed
windows, so every seed gives exactly 52 / 41 / 37 for 2019 and 8 (119.8亿元, two ≥ 50亿元) / 13
for 2020 Q1. Calibration choice: the figures are published for industrial projects, and the
main zone's non-industrial projects (services, agriculture, infrastructure) have no 签约, 开工
or 投产 date in 2019 or 2020 Q1 (theirs are in 2018, or from April 2020 on), so the figures are
the same with the category filter and without it.

Every history is made by `investment.stages` (`enter`, then `apply_move` for each move), the
rules pages, API and importer go through, on the project in memory; rows are then written in
bulk. Stage events carry the responsible officer (a demo account of the department); every
project and commitment has a CREATE audit record. The other zones get a smaller pipeline
without calibration, so the province view is not empty.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Tag
from gaoxin.enterprises.models import Status
from gaoxin.investment import stages
from gaoxin.investment.delivery import with_overdue
from gaoxin.investment.models import (
    ORDER,
    Campaign,
    Category,
    Commitment,
    DepartmentTarget,
    FundsEntry,
    Project,
    Stage,
    StageEvent,
)
from gaoxin.investment.services import thresholds_for, validate, validate_commitment
from gaoxin.investment.summary import Period, headline

from . import figures
from .chains import (
    BIOMEDICINE,
    CHAINS,
    CROSS_BORDER,
    ELECTRONICS,
    MATERIALS,
    OTHER,
    SMART_MANUFACTURING,
    TEXTILES,
    is_industrial,
)
from .names import CompanyNamer
from .plan import AS_OF as REGISTRY_AS_OF
from .registry import date_between

D = datetime.date
AS_OF = figures.INVESTMENT_AS_OF
NOT_BEFORE = figures.DEADLINES_NOT_BEFORE
ACTOR = "system"
AUDIT_MESSAGE = "演示数据"
CHANNELS = ("产业链招商", "以商招商", "展会招商", "驻外招商", "基金招商", "委托招商")
# Departments that carry investment work, with their share of new projects (招商局 leads).
INVESTMENT_DEPARTMENTS = (
    ("招商局", 62),
    ("经济发展局", 18),
    ("科技创新局", 10),
    ("企业服务局", 10),
)

# What industrial projects in each class build; "{n}" takes one of the sizes.
PRODUCTS: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "3974": (("年产{n}万片液晶显示模组项目", (300, 500, 800, 1200)),
             ("Mini LED背光模组生产基地项目", ()), ("车载显示屏生产项目", ())),
    "3051": (("年产{n}万平方米电子玻璃深加工项目", (200, 500, 800)),
             ("触摸屏盖板玻璃生产项目", ())),
    "3042": (("超薄柔性玻璃生产线项目", ()),),
    "3976": (("光通信器件研发及产业化项目", ()), ("年产{n}万只光模块项目", (100, 300, 500))),
    "3982": (("年产{n}万平方米高密度印制电路板项目", (60, 100, 150, 240)),
             ("柔性线路板生产基地项目", ())),
    "3981": (("年产{n}亿只片式多层陶瓷电容器项目", (50, 100, 200)), ("电感元件生产项目", ())),
    "3983": (("智能传感器生产基地项目", ()), ("年产{n}万只汽车传感器项目", (500, 1000))),
    "3922": (("智能终端生产基地项目", ()), ("年产{n}万台5G通信模组项目", (100, 300))),
    "3975": (("LED照明器件生产项目", ()),),
    "3984": (("年产{n}万只微型电声器件项目", (3000, 5000)),),
    "3990": (("消费电子精密结构件项目", ()), ("电子产品组装生产线项目", ())),
    "1711": (("年产{n}万锭高档紧密纺纱项目", (5, 10, 20)),),
    "1712": (("年产{n}万米高档面料织造项目", (1000, 3000, 5000)),),
    "1713": (("高档面料印染升级改造项目", ()),),
    "1751": (("年产{n}万米化纤面料织造项目", (2000, 5000)),),
    "1761": (("年产{n}吨针织面料项目", (3000, 5000, 8000)),),
    "1811": (("户外运动服饰生产基地项目", ()),),
    "1819": (("年产{n}万件高档服装智能制造项目", (200, 500, 800, 1000)), ("服装智能工厂项目", ())),
    "1821": (("年产{n}万件针织休闲服饰项目", (300, 600)),),
    "1829": (("年产{n}万件针织内衣项目", (500, 1000)),),
    "1830": (("服饰配件生产项目", ()),),
    "1941": (("年产{n}吨羽绒加工项目", (1000, 2000)),),
    "1942": (("年产{n}万件羽绒服装项目", (100, 200, 300)),),
    "2651": (("年产{n}万吨改性工程塑料项目", (3, 5, 10)),),
    "2659": (("碳纤维复合材料制品项目", ()),),
    "2661": (("年产{n}万吨电子化学品项目", (1, 2, 5)),),
    "2662": (("年产{n}吨高纯电子级化学品项目", (5000, 10000)),),
    "3091": (("年产{n}万吨锂电池负极材料项目", (2, 5, 10)),),
    "3240": (("高性能合金材料生产项目", ()),),
    "3252": (("年产{n}万吨高性能铝合金型材项目", (3, 5, 10)),),
    "3254": (("稀土永磁材料深加工项目", ()),),
    "2921": (("年产{n}万平方米光学功能膜项目", (3000, 5000)),),
    "3985": (("年产{n}万吨锂电池正极材料项目", (2, 3, 5)), ("电子浆料生产项目", ())),
    "3099": (("新型无机非金属材料项目", ()),),
    "3491": (("工业机器人及核心零部件生产基地项目", ()),),
    "3499": (("智能物流装备生产项目", ()),),
    "3562": (("半导体封装设备生产项目", ()),),
    "3563": (("锂电池智能装备制造项目", ()),),
    "3569": (("电子专用装备制造项目", ()),),
    "3525": (("精密模具及注塑件项目", ()),),
    "4011": (("智能控制系统研发生产项目", ()),),
    "3421": (("高端数控机床生产项目", ()),),
    "3444": (("液压元件生产项目", ()),),
    "3813": (("年产{n}万台微特电机项目", (500, 1000, 2000)),),
    "3599": (("新能源汽车零部件智能装备项目", ()),),
    "2720": (("化学原料药及制剂生产项目", ()),),
    "2740": (("中药饮片及中成药生产基地项目", ()),),
    "2761": (("生物制药研发生产基地项目", ()),),
    "2770": (("年产{n}亿片医用敷料项目", (5, 10)),),
    "3584": (("医疗器械产业园项目", ()), ("医用影像设备生产项目", ())),
    "3589": (("康复医疗设备生产项目", ()),),
    "2231": (("绿色包装材料生产项目", ()),),
    "2319": (("包装印刷生产项目", ()),),
    "3311": (("装配式钢结构建筑生产基地项目", ()),),
    "1495": (("食品添加剂生产项目", ()),),
}  # fmt: skip
# Which chains new industrial investors come from, by weight.
CHAIN_ODDS = {
    ELECTRONICS: 35,
    MATERIALS: 22,
    SMART_MANUFACTURING: 20,
    TEXTILES: 12,
    BIOMEDICINE: 8,
    OTHER: 3,
}
# Origin of domestic investors: province, weight, the cities their company names start with.
ORIGINS = (
    ("440000", 30, ("深圳市", "东莞市", "广州", "佛山市", "惠州市", "中山市")),
    ("330000", 18, ("杭州", "宁波", "温州", "绍兴", "湖州", "台州")),
    ("320000", 14, ("苏州", "无锡", "常州", "南京")),
    ("310000", 10, ("上海",)),
    ("350000", 8, ("厦门", "泉州", "福州")),
    ("110000", 5, ("北京",)),
    ("430000", 3, ("长沙",)),
    ("360000", 4, ("南昌", "赣州", "上饶")),
)
# 境外 investors: origin country / region, name prefix, organisational form.
FOREIGN = (
    ("中国香港", "香港", "控股有限公司"),
    ("中国台湾", "台湾", "股份有限公司"),
    ("新加坡", "新加坡", "私人有限公司"),
    ("日本", "日本", "株式会社"),
    ("韩国", "韩国", "株式会社"),
    ("德国", "德国", "有限公司"),
)
FOREIGN_SHARE = 0.1
LOCAL = "360000"  # 江西: the zone's own enterprises expanding (以商招商)
USD_RATE = 7  # 万元 per 万美元, for the foreign-investment field

NOTES = {
    Stage.LEAD: ("通过{c}获得项目信息", "{c}对接,登记线索", "客商来电咨询落户政策"),
    Stage.VISIT: ("投资方来区实地考察", "投资方考察项目选址", "投资方高管来区考察产业配套"),
    Stage.NEGOTIATION: ("进入实质性洽谈", "就用地和扶持政策开展洽谈", "洽谈投资协议条款"),
    Stage.SIGNED: ("签订投资协议", "在集中签约仪式上签约", "签订正式投资合同"),
    Stage.STARTED: ("项目开工建设", "举行开工仪式", "取得施工许可,开工建设"),
    Stage.PRODUCTION: ("竣工验收,正式投产", "一期建成投产", "生产线调试完成,正式投产"),
}
CLOUD_SIGNING = "疫情期间“云签约”"
BACK_TO_VISIT = (
    "投资方要求重新考察选址",
    "投资方更换对接团队,需重新考察",
    "原选址地块规划调整,重新考察",
)
BACK_TO_NEGOTIATION = (
    "协议核心条款调整,退回重新洽谈",
    "投资方要求调整用地面积,重新洽谈",
    "投资方股权结构变更,协议需重签",
)
BACK_TO_SIGNED = (
    "尚未取得施工许可,开工登记有误,退回签约",
    "开工时间登记错误,退回后重新登记",
)
HOLD_REASONS = (
    "受市场行情影响,投资方放缓投资节奏",
    "投资方融资未到位,暂缓推进",
    "项目用地报批中,待土地指标落实",
    "产品技术路线调整,投资方重新论证",
    "投资方内部重组,暂缓决策",
)
RESUME_NOTES = ("土地指标已落实,恢复推进", "融资到位,恢复推进", "投资方完成论证,恢复推进")
DROP_REASONS = (
    "投资方资金链断裂,项目终止",
    "投资方战略调整,放弃在本区投资",
    "环评未获批准,双方协商终止",
    "投资方选择其他地区落户",
    "项目用地规划调整,双方协商解除协议",
)
DROP_BEFORE_SIGNING = (
    "考察后投资方认为产业配套不足,终止洽谈",
    "投资方选择其他地区落户",
    "项目能耗指标不符合园区准入要求",
    "投资方要求的扶持条件超出政策范围,终止洽谈",
)
FUNDS_NOTES = ("注册资本金到位", "股东增资到位", "设备购置款到位", "工程建设款到位")


Move = tuple[str, datetime.date, str]


def between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return date_between(rng, lo, hi) if hi > lo else lo


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
    endings: tuple[str, ...] = ()  # for the cohort's first projects, see `ZonePipeline._path`


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


@dataclass
class InvestmentSummary:
    zone: object
    projects: int = 0
    events: int = 0
    commitments: int = 0
    funds: int = 0
    overdue: int = 0
    campaigns: int = 0
    targets: int = 0
    stages: dict = field(default_factory=dict)


def trade_and_word(name: str, regions) -> tuple[str, str]:
    """The 字号 and industry words of a registry name ("江西鸿泰光电科技有限公司" → 鸿泰, 光电科技)."""
    base = name.split("（")[0]
    for form in ("股份有限公司", "有限公司"):
        base = base.removesuffix(form)
    for region in sorted((r for r, _w in regions), key=len, reverse=True):
        if base.startswith(region) and len(base) > len(region) + 2:
            return base[len(region) : len(region) + 2], base[len(region) + 2 :]
    return base[:2], base[2:]


class ZonePipeline:
    """One zone's pipeline, drawn from a seeded random.Random."""

    def __init__(self, plan, zone, rng, *, departments, chains, officers, registry, namer):
        self.plan, self.zone, self.rng, self.namer = plan, zone, rng, namer
        self.departments = departments  # name → Department of this zone
        self.chains = chains  # chain name → Tag
        self.officers = officers  # department name → User; None → the zone's fallback
        self.registry = registry  # [(Enterprise, chain name)]
        # Who may be an investor's company: operating industrial enterprises of a known product.
        self.pool = [
            (e, c)
            for e, c in registry
            if e.status == Status.OPERATING
            and is_industrial(e.industry_id)
            and e.industry_id in PRODUCTS
        ]
        self.used: set[int] = set()
        self.names: set[str] = set()
        for enterprise, _chain in registry:
            namer.trade_names.add(trade_and_word(enterprise.name, plan.regions)[0])
        self.channels: dict[str, Tag] = {}

    # -- histories ---------------------------------------------------------------------------

    def _note(self, stage: str, on: datetime.date, channel: str = "") -> str:
        if stage == Stage.SIGNED and D(2020, 2, 1) <= on <= D(2020, 3, 31):
            return CLOUD_SIGNING
        return self.rng.choice(NOTES[stage]).format(c=channel or "招商渠道")

    def _approach(self, until: datetime.date, *, direct=False, back=False) -> list[Move]:
        """线索 → 考察 → 洽谈 before `until`; some skip stages, a few go back once."""
        rng = self.rng
        if direct:
            path = [Stage.NEGOTIATION]
        else:
            path = rng.choices(
                (
                    [Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION],
                    [Stage.VISIT, Stage.NEGOTIATION],
                    [Stage.LEAD, Stage.NEGOTIATION],
                    [Stage.LEAD, Stage.VISIT],
                ),
                (55, 25, 12, 8),
            )[0]
        first = until - days(rng.randint(45, 400))
        dates = sorted(between(rng, first, until - days(3)) for _ in path[1:])
        moves = [(s, d, "") for s, d in zip(path, [first, *dates], strict=True)]
        if back and path[-2:] == [Stage.VISIT, Stage.NEGOTIATION]:
            lo = moves[-1][1]
            again = sorted(between(rng, lo, until - days(1)) for _ in range(2))
            moves += [
                (Stage.VISIT, again[0], rng.choice(BACK_TO_VISIT)),
                (Stage.NEGOTIATION, again[1], "重新考察后恢复洽谈"),
            ]
        return moves

    def _path(self, signed, started=None, production=None, ending="", direct=False) -> list[Move]:
        """The moves of a project signed on `signed` (then started, into production), with its
        ending: dropped, hold_signed (on hold since, never started), hold_resume, back_signed
        (signed once before, back to 洽谈), back_started (开工 corrected back to 签约), or
        no_start / late_production / short_funds (behind on a commitment, see `_commitment`)."""
        rng = self.rng
        first_signing = signed
        if ending == "back_signed":
            first_signing = signed - days(rng.randint(40, 120))
        moves = self._approach(first_signing, direct=direct, back=rng.random() < 0.15)
        moves.append((Stage.SIGNED, first_signing, ""))
        if ending == "back_signed":
            back = between(rng, first_signing + days(5), signed - days(10))
            moves += [
                (Stage.NEGOTIATION, back, rng.choice(BACK_TO_NEGOTIATION)),
                (Stage.SIGNED, signed, "重新签订投资协议"),
            ]
        if started:
            if ending == "hold_resume" and (started - signed).days > 60:
                hold = between(rng, signed + days(20), started - days(30))
                moves.append((Stage.ON_HOLD, hold, rng.choice(HOLD_REASONS)))
                moves.append((Stage.STARTED, started, rng.choice(RESUME_NOTES) + ",开工建设"))
            elif ending == "back_started" and (AS_OF - started).days > 40:
                moves.append((Stage.STARTED, started, ""))
                back = started + days(rng.randint(5, 20))
                moves.append((Stage.SIGNED, back, rng.choice(BACK_TO_SIGNED)))
                started = between(rng, back + days(10), min(back + days(90), AS_OF))
                moves.append((Stage.STARTED, started, "取得施工许可,重新登记开工"))
                if production and production <= started:
                    production = None
            else:
                moves.append((Stage.STARTED, started, ""))
        if production:
            moves.append((Stage.PRODUCTION, production, ""))
        last = moves[-1][1]
        if ending == "dropped":
            on = later(rng, last, 120, 600)
            moves.append((Stage.DROPPED, on, rng.choice(DROP_REASONS)))
        elif ending == "hold_signed":
            on = later(rng, last, 150, 400)
            moves.append((Stage.ON_HOLD, on, rng.choice(HOLD_REASONS)))
        return moves

    def _open(self, stage: str, last: datetime.date, ending: str = "") -> list[Move]:
        """A project not (yet) signed: up to `stage` by `last`, then maybe on hold or dropped."""
        rng = self.rng
        order = [Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION]
        path = order[: order.index(stage) + 1]
        if len(path) > 1 and rng.random() < 0.3:
            path = path[1:]
        first = last - days(rng.randint(20, 300)) if len(path) > 1 else last
        dates = sorted(between(rng, first, last) for _ in path[1:])
        moves = [(s, d, "") for s, d in zip(path, [first, *dates], strict=True)]
        if ending == "back" and path[-2:] == [Stage.VISIT, Stage.NEGOTIATION]:
            on = later(rng, moves[-1][1], 0, 60)
            moves.append((Stage.VISIT, on, rng.choice(BACK_TO_VISIT)))
        elif ending == "hold":
            on = later(rng, moves[-1][1], 10, 120)
            moves.append((Stage.ON_HOLD, on, rng.choice(HOLD_REASONS)))
        elif ending == "dropped":
            on = later(rng, moves[-1][1], 10, 200)
            moves.append((Stage.DROPPED, on, rng.choice(DROP_BEFORE_SIGNING)))
        return moves

    def _recent(self, signed: datetime.date, ending: str = "", quick=False) -> Spec:
        """A project signed after March 2020: started and into production when due by AS_OF."""
        rng = self.rng
        started = signed + days(rng.randint(30, 150) if quick else rng.randint(45, 300))
        started = started if started <= AS_OF - days(5) else None
        production = None
        if started:
            span = rng.randint(150, 330) if quick else rng.randint(240, 720)
            production = started + days(span)
            production = production if production <= AS_OF - days(5) else None
        if ending in ("no_start", "hold_signed", "dropped"):
            started = production = None
        if ending == "late_production":
            production = None
        if ending == "back_started" and not started:
            ending = ""
        if ending == "hold_resume" and not started:
            ending = ""
        moves = self._path(signed, started, production, ending)
        return Spec(moves=moves, ending=ending, quick=quick)

    # -- the plans ---------------------------------------------------------------------------

    def main_specs(self) -> list[Spec]:
        """The calibrated main zone: cohorts up to 2019, 2020 Q1, the years since, the open
        pipeline and the non-industrial projects."""
        rng, specs = self.rng, []
        for cohort in MAIN_COHORTS:
            for i in range(cohort.count):
                ending = cohort.endings[i] if i < len(cohort.endings) else ""
                signed = between(rng, *cohort.signed)
                started = between(rng, max(cohort.started[0], signed + days(20)), cohort.started[1])
                gap = 60 if cohort.quick else 90
                windows = [w for w in cohort.production if w[1] >= started + days(gap)]
                lo, hi = rng.choice(windows)
                production = between(rng, max(lo, started + days(gap)), hi)
                if ending in ("dropped", "hold_signed"):
                    started = production = None
                elif ending == "late_production":
                    production = None
                spec = Spec(
                    moves=self._path(signed, started, production, ending),
                    ending=ending,
                    quick=cohort.quick,
                    link=production is not None,
                )
                specs.append(spec)
        self._flagship(specs[6], "二期项目")  # a 2018 cohort project: 鸿泰光电 expands
        specs += self._specs_2020q1()
        specs += self._specs_since(
            [between(rng, D(2020, 4, 8), D(2023, 12, 22)) for _ in range(24)],
            ("dropped", "dropped", "hold_resume", "late_production", "short_funds",
             "back_signed", "back_started"),
        )  # fmt: skip
        recent = [between(rng, D(2024, 1, 8), D(2026, 8, 28)) for _ in range(18)]
        # Four signed within the 百日招商 under way on AS_OF.
        recent += [between(rng, D(2026, 9, 2), D(2026, 11, 16)) for _ in range(4)]
        tail = self._specs_since(
            sorted(recent[:18]) + recent[18:],
            ("no_start", "no_start", "hold_signed", "short_funds", "back_started", "back_signed",
             "dropped"),
        )  # fmt: skip
        # 鸿泰光电's second project: signed in 2024 or 2025 and started.
        own = next(s for s in tail[7:] if s.moves[-1][0] == Stage.STARTED and not s.ending)
        self._flagship(own, "Mini LED背光模组技改扩产项目")
        specs += tail
        specs += self._open_specs(28)
        specs += self._non_industrial()
        return specs

    def small_specs(self) -> list[Spec]:
        """A smaller, uncalibrated pipeline for the other zones."""
        rng = self.rng
        signed = sorted(between(rng, D(2020, 6, 1), D(2026, 10, 30)) for _ in range(10))
        return self._specs_since(signed, ("dropped", "short_funds")) + self._open_specs(6)

    def _specs_since(self, dates, endings) -> list[Spec]:
        specs = []
        for i, signed in enumerate(dates):
            ending = endings[i] if i < len(endings) else ""
            specs.append(self._recent(signed, ending, quick=self.rng.random() < 0.2))
        return specs

    def _specs_2020q1(self) -> list[Spec]:
        rng, specs = self.rng, []
        for i, amount in enumerate(figures.PROJECTS_SIGNED_2020Q1_AMOUNTS):
            signed = between(rng, D(2020, 1, 6), D(2020, 3, 31))
            if D(2020, 1, 22) <= signed < D(2020, 2, 10):  # 春节 and the first weeks of 疫情
                signed += days(20)
            started = between(rng, D(2020, 5, 6), D(2020, 12, 25))
            large = i < len(LARGE_2020Q1)
            last = D(2023, 6, 30) if large else D(2022, 6, 30)
            production = between(rng, started + days(300 if large else 200), last)
            ending = "dropped" if i == 5 else ""
            if ending:
                started = production = None
            spec = Spec(moves=self._path(signed, started, production, ending), planned=amount)
            spec.ending = ending
            if large:
                spec.chain, spec.industry, spec.product, spec.origin, spec.investor_word = (
                    LARGE_2020Q1[i]
                )
            specs.append(spec)
        return specs

    def _open_specs(self, count: int) -> list[Spec]:
        """Leads, visits and negotiations of 2025–2026, two on hold, some dropped earlier."""
        rng, specs = self.rng, []
        plan = (
            [(Stage.LEAD, "")] * 10
            + [(Stage.VISIT, "")] * 7
            + [(Stage.NEGOTIATION, "back")] * 2
            + [(Stage.NEGOTIATION, "")] * 5
            + [(Stage.NEGOTIATION, "hold")] * 2
            + [(Stage.VISIT, "dropped")] * 2
        )
        if count < len(plan):
            plan = rng.sample(plan, count)
        for stage, ending in plan:
            if ending == "dropped":
                last = between(rng, D(2021, 6, 1), D(2026, 6, 30))
            elif stage == Stage.LEAD:
                last = between(rng, D(2026, 1, 5), AS_OF - days(2))
            else:
                last = between(rng, D(2025, 10, 8), AS_OF - days(15))
            specs.append(Spec(moves=self._open(stage, last, ending), ending=ending))
        return specs

    def _non_industrial(self) -> list[Spec]:
        rng, specs = self.rng, []
        for category, chain, industry, product, word, moves in NON_INDUSTRIAL:
            dated, last = [], None
            for stage, year, month in moves:
                lo = D(year, month, 1) if last is None else max(D(year, month, 1), last)
                on = between(rng, lo, min(month_end(lo), AS_OF))
                dated.append((stage, on, ""))
                last = on
            planned = money(math.exp(rng.gauss(math.log(15000), 0.6)), 500)
            specs.append(
                Spec(
                    moves=dated,
                    category=category,
                    chain=chain,
                    industry=industry,
                    product=product,
                    investor_word=word,
                    planned=planned,
                )
            )
        return specs

    def _flagship(self, spec: Spec, product: str) -> None:
        enterprise = next(e for e, _c in self.registry if e.name == FLAGSHIP)
        spec.enterprise, spec.expansion, spec.link = enterprise, True, False
        spec.chain, spec.industry = ELECTRONICS, enterprise.industry_id
        spec.product = product
        if product == "二期项目":
            spec.product = "年产800万片液晶显示模组二期项目"
        self.used.add(enterprise.pk)

    # -- dressing a spec: who invests, in what, how much ---------------------------------------

    def _signed_on(self, spec: Spec) -> datetime.date | None:
        dates = [on for stage, on, _n in spec.moves if stage == Stage.SIGNED]
        return dates[-1] if dates else None

    def _pick_enterprise(self, lo: datetime.date, hi: datetime.date):
        candidates = [
            (e, c) for e, c in self.pool if lo <= e.established_on <= hi and e.pk not in self.used
        ]
        if not candidates:
            return None
        weights = [3 if e.above_scale else 1 for e, _c in candidates]
        enterprise, chain = self.rng.choices(candidates, weights)[0]
        self.used.add(enterprise.pk)
        return enterprise, chain

    def _dress(self, spec: Spec) -> None:
        rng = self.rng
        signed = self._signed_on(spec)
        anchor = signed or spec.moves[0][1]
        if spec.category == Category.INDUSTRIAL and spec.enterprise is None and spec.chain is None:
            found = None
            if spec.link and signed and signed <= REGISTRY_AS_OF:
                # the investor's new company, registered around the signing
                found = self._pick_enterprise(
                    signed - days(240), min(signed + days(150), REGISTRY_AS_OF)
                )
            elif signed and spec.ending != "short_funds" and rng.random() < 0.15:
                # an enterprise of the zone expands (以商招商)
                found = self._pick_enterprise(D(1990, 1, 1), anchor - days(3 * 365))
                spec.expansion = found is not None
            if found:
                spec.enterprise, spec.chain = found
                spec.industry = spec.enterprise.industry_id
        if spec.category == Category.INDUSTRIAL and spec.chain is None:
            chains = [c for c in CHAIN_ODDS if c == OTHER or c in self.chains]
            spec.chain = rng.choices(chains, [CHAIN_ODDS[c] for c in chains])[0]
        if not spec.industry:
            lines = [ln for ln in CHAINS[spec.chain] if ln.code in PRODUCTS]
            spec.industry = rng.choices(lines, [ln.weight for ln in lines])[0].code
        if not spec.product:
            template, sizes = rng.choice(PRODUCTS[spec.industry])
            spec.product = template.format(n=rng.choice(sizes)) if sizes else template
            if spec.expansion:
                spec.product = spec.product.removesuffix("项目") + rng.choice(
                    ("二期项目", "扩产项目", "技术改造项目")
                )
        if not spec.investor_word:
            words = [w for ln in CHAINS.get(spec.chain, ()) if ln.code == spec.industry
                     for w in ln.words]  # fmt: skip
            spec.investor_word = rng.choice(words) if words else "科技"
        if spec.planned is None:
            median, high = (5000, 15000) if spec.quick else (18000, 300000)
            value = math.exp(rng.gauss(math.log(median), 0.8))
            low = 1500 if spec.quick else 3000
            spec.planned = money(min(high, max(low, value)), 500 if value < 20000 else 1000)

    def _investor(self, spec: Spec) -> tuple[str, str, str | None, str]:
        """(investor name, the project's short name, origin province, origin country)."""
        rng = self.rng
        if spec.expansion:
            trade, word = trade_and_word(spec.enterprise.name, self.plan.regions)
            return spec.enterprise.name, trade + word[:2], LOCAL, ""
        if spec.enterprise is not None:
            trade, word = trade_and_word(spec.enterprise.name, self.plan.regions)
        else:
            trade, word = self.namer.trade_name(rng), spec.investor_word
        if spec.origin is None and rng.random() < FOREIGN_SHARE:
            country, prefix, form = rng.choice(FOREIGN)
            return f"{prefix}{trade}{word}{form}", trade + word[:2], None, country
        province = spec.origin
        if province is None:  # funds in place are counted for investors from outside Jiangxi
            origins = [o for o in ORIGINS if spec.ending != "short_funds" or o[0] != LOCAL]
            province = rng.choices([o[0] for o in origins], [o[1] for o in origins])[0]
        cities = next(o[2] for o in ORIGINS if o[0] == province)
        form = rng.choice(("股份有限公司", "集团有限公司", "有限公司", "有限公司"))
        return f"{rng.choice(cities)}{trade}{word}{form}", trade + word[:2], province, ""

    def _channel_and_department(self, spec: Spec, country: str) -> tuple[str, str]:
        rng = self.rng
        if spec.expansion:
            channel = "以商招商"
            department = "企业服务局" if rng.random() < 0.7 else "招商局"
        elif country:
            channel = rng.choice(("驻外招商", "展会招商", "委托招商"))
            department = "招商局"
        else:
            channel = rng.choices(CHANNELS, (30, 12, 12, 18, 10, 8))[0]
            names, weights = zip(*INVESTMENT_DEPARTMENTS, strict=True)
            department = "科技创新局" if channel == "基金招商" else rng.choices(names, weights)[0]
        if department not in self.departments:
            department = "招商局"
        return channel, department

    # -- rows --------------------------------------------------------------------------------

    def project(self, spec: Spec) -> tuple[Project, list[StageEvent]]:
        rng = self.rng
        self._dress(spec)
        investor, short, province, country = self._investor(spec)
        if spec.product.startswith(short[2:]):  # 永峰服装 + 服装智能工厂项目
            short = short[:2]
        name = f"{short}{spec.product}"
        while name in self.names:
            name = f"{self.namer.trade_name(rng)}{spec.investor_word[:2]}{spec.product}"
        self.names.add(name)
        channel, department = self._channel_and_department(spec, country)
        officer = self.officers.get(department) or self.officers[None]
        planned = spec.planned
        industrial = spec.category == Category.INDUSTRIAL
        share = rng.uniform(0.6, 0.9) if industrial else rng.uniform(0.5, 0.8)
        project = Project(
            zone=self.zone,
            name=name,
            category=spec.category,
            investor_name=investor,
            investor_enterprise=spec.enterprise,
            origin_province_id=province,
            origin_country=country,
            industry_id=spec.industry,
            chain=self.chains.get(spec.chain or ""),
            channel=self.channels[channel],
            planned_investment=planned,
            fixed_asset_investment=money(float(planned) * share),
            foreign_investment_usd=(
                money(float(planned) / USD_RATE * rng.uniform(0.6, 1.0), 10) if country else None
            ),
            department=self.departments[department],
            officer=officer,
            summary=(
                f"{investor}投资建设,计划总投资{_yi(planned)}亿元,"
                f"主要建设{spec.product.removesuffix('项目')}。"
            ),
        )
        events = [
            stages.enter(
                project, spec.moves[0][0], on=spec.moves[0][1], note=spec.moves[0][2] or
                self._note(spec.moves[0][0], spec.moves[0][1], channel), actor=officer,
                today=AS_OF,
            )
        ]  # fmt: skip
        for stage, on, note in spec.moves[1:]:
            note = note or (self._note(stage, on) if stage in NOTES else "")
            events.append(
                stages.apply_move(project, stage, on=on, note=note, actor=officer, today=AS_OF)
            )
        reached = ORDER.get(project.halted_from or project.stage, 0)
        if reached >= ORDER[Stage.NEGOTIATION]:
            self._sizes(project, spec)
        validate(project)
        return project, events

    def _sizes(self, project: Project, spec: Spec) -> None:
        """Land or floor space, output, tax and jobs, as negotiated (and committed at signing)."""
        rng, planned = self.rng, float(project.planned_investment)
        if spec.quick or planned < 6000:
            project.building_area = Decimal(rng.randint(10, 60) * 500)
            project.site = f"{self.plan.address_prefix}标准厂房{rng.randint(1, 24)}栋"
        else:
            project.land_mu = Decimal(max(10, round(planned / rng.uniform(280, 520))))
            a, b = rng.sample(self.plan.roads, 2)
            project.site = f"{self.plan.address_prefix}{a}以东、{b}以北地块"
        if project.category == Category.INDUSTRIAL:
            project.expected_output = money(planned * rng.uniform(1.2, 2.5))
        else:
            project.expected_output = money(planned * rng.uniform(0.2, 0.6))
        project.expected_tax = money(float(project.expected_output) * rng.uniform(0.03, 0.06), 10)
        project.expected_jobs = max(20, min(3000, round(planned / rng.uniform(60, 200))))

    def commitment(self, project: Project, spec: Spec) -> tuple[Commitment, list[FundsEntry]]:
        """What the investor promised at signing and the funds in place so far; `spec.ending`
        decides which projects fall behind."""
        rng, ending = self.rng, spec.ending
        signed, started, production = project.signed_on, project.started_on, project.production_on
        behind = ending in ("no_start", "hold_signed")
        if started:
            start_by = started + days(rng.randint(0, 60))
            if rng.random() < 0.15:  # started, but after the deadline
                start_by = max(signed + days(30), started - days(rng.randint(20, 90)))
        elif behind or project.stage == Stage.DROPPED:
            start_by = month_end(signed + days(rng.randint(120, 200)))
        else:
            start_by = max(month_end(signed + days(rng.randint(120, 240))), NOT_BEFORE)
        if production:
            production_by = production + days(rng.randint(0, 120))
            if rng.random() < 0.15:
                production_by = production - days(rng.randint(30, 150))
            production_by = max(production_by, start_by)
        elif ending == "late_production":
            production_by = month_end(started + days(rng.randint(365, 540)))
        elif behind or project.stage == Stage.DROPPED:
            production_by = month_end(start_by + days(rng.randint(365, 720)))
        else:
            production_by = max(month_end(start_by + days(rng.randint(365, 720))), NOT_BEFORE)
        commitment = Commitment(
            zone=self.zone,
            project=project,
            investment=project.planned_investment,
            start_by=start_by,
            production_by=production_by,
            land_mu=project.land_mu,
            annual_output=project.expected_output,
            annual_tax=project.expected_tax,
            jobs=project.expected_jobs,
        )
        funds = []
        if project.origin_province_id != LOCAL:
            funds = self._funds(project, commitment, ending)
        validate_commitment(commitment)
        return commitment, funds

    def _funds(self, project, commitment, ending) -> list[FundsEntry]:
        rng, signed = self.rng, project.signed_on
        promised = money(float(project.planned_investment) * rng.uniform(0.3, 0.6))
        commitment.funds_in_place = promised
        funds_by = month_end(signed + days(rng.randint(365, 730)))
        if ending == "short_funds":
            funds_by = min(funds_by, month_end(AS_OF - days(200)))
            total, last = promised * Decimal(str(round(rng.uniform(0.4, 0.75), 2))), funds_by
        elif project.stage == Stage.DROPPED:
            total, last = promised * Decimal("0.1"), min(funds_by, project.stage_on)
        elif ending in ("no_start", "hold_signed"):
            total, last = promised * Decimal(str(round(rng.uniform(0.1, 0.4), 2))), funds_by
        elif funds_by < AS_OF:
            total, last = promised * Decimal(str(round(rng.uniform(1.0, 1.15), 2))), funds_by
        else:  # not due yet: in place pro rata
            funds_by = max(funds_by, NOT_BEFORE)
            elapsed = (AS_OF - signed).days / (funds_by - signed).days
            total, last = promised * Decimal(str(round(elapsed * rng.uniform(0.6, 1.0), 2))), AS_OF
        commitment.funds_by = funds_by
        last = min(last, AS_OF)
        if total < 10 or last <= signed:
            return []
        parts = rng.randint(1, 4) if total >= 1000 else 1
        weights = [rng.uniform(1, 3) for _ in range(parts)]
        amounts = [money(float(total) * w / sum(weights), 10) for w in weights[:-1]]
        amounts.append(total.quantize(Decimal("1")) - sum(amounts, Decimal(0)))
        dates = sorted(between(rng, signed + days(10), last) for _ in range(parts))
        source = (
            FundsEntry.Source.FOREIGN
            if project.origin_country
            else (FundsEntry.Source.OUT_OF_PROVINCE)
        )
        return [
            FundsEntry(
                zone=self.zone,
                project=project,
                on=on,
                amount=amount,
                source=source,
                note=rng.choice(FUNDS_NOTES),
                actor_name=project.officer.username,
            )
            for on, amount in zip(dates, amounts, strict=True)
            if amount > 0
        ]


def _yi(wan: Decimal) -> str:
    return format((wan / 10000).quantize(Decimal("0.01")).normalize(), "f")


def build_zone(
    plan, zone, rng, *, departments, chains, officers, registry, names: set, calibrated: bool
) -> InvestmentSummary:
    """Write one zone's pipeline: channel tags, projects, events, commitments, funds, and for
    the main zone the campaigns and department targets; returns what was written."""
    summary = InvestmentSummary(zone)
    pipeline = ZonePipeline(
        plan,
        zone,
        rng,
        departments=departments,
        chains=chains,
        officers=officers,
        registry=registry,
        namer=CompanyNamer(names),
    )
    pipeline.channels = {
        t.name: t
        for t in Tag.objects.bulk_create(
            Tag(zone=zone, name=name, category=Tag.Category.SOURCE_CHANNEL) for name in CHANNELS
        )
    }
    specs = pipeline.main_specs() if calibrated else pipeline.small_specs()
    built = [(spec, *pipeline.project(spec)) for spec in specs]
    projects = Project.objects.bulk_create([p for _s, p, _e in built], batch_size=500)
    events = StageEvent.objects.bulk_create(
        [e for _s, _p, evs in built for e in evs], batch_size=500
    )
    commitments, funds = [], []
    for spec, project, _events in built:
        if project.signed_on:
            commitment, entries = pipeline.commitment(project, spec)
            commitments.append(commitment)
            funds += entries
    Commitment.objects.bulk_create(commitments, batch_size=500)
    FundsEntry.objects.bulk_create(funds, batch_size=500)
    campaigns, targets = [], []
    if calibrated:
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                zone=zone,
                name=name,
                start=start,
                end=end,
                target_projects=count,
                target_investment=investment,
                target_large=large,
                note="园区主要领导挂帅,各招商部门分解目标、按日调度",
            )
            for name, start, end, count, investment, large in figures.CAMPAIGNS
        )
    targets = DepartmentTarget.objects.bulk_create(
        _targets(zone, departments, calibrated), batch_size=500
    )
    AuditRecord.objects.bulk_create(
        [
            audit.build(
                ACTOR, AuditRecord.Action.CREATE, p, after=audit.snapshot(p), message=AUDIT_MESSAGE
            )
            for p in projects
        ]
        + [
            audit.build(
                ACTOR,
                AuditRecord.Action.CREATE,
                c,
                after=audit.snapshot(c),
                message=AUDIT_MESSAGE,
                repr_=f"{c.project.name} 的投资承诺",
            )
            for c in commitments
        ]
        + [
            audit.build(
                ACTOR, AuditRecord.Action.CREATE, c, after=audit.snapshot(c), message=AUDIT_MESSAGE
            )
            for c in campaigns
        ],
        batch_size=500,
    )
    summary.projects, summary.events = len(projects), len(events)
    summary.commitments, summary.funds, summary.campaigns = (
        len(commitments),
        len(funds),
        len(campaigns),
    )
    summary.targets = len(targets)
    for project in projects:
        summary.stages[project.stage] = summary.stages.get(project.stage, 0) + 1
    active = Project.objects.filter(zone=zone, is_deleted=False)
    summary.overdue = with_overdue(active, AS_OF).count()
    if calibrated:
        check_calibration(zone, summary.overdue)
    return summary


def _targets(zone, departments, calibrated: bool) -> list[DepartmentTarget]:
    rows = []
    base = figures.DEPARTMENT_TARGETS if calibrated else {"招商局": (8, Decimal("200000"), 3)}
    years = figures.TARGET_SCALE if calibrated else {AS_OF.year: 100}
    for year, scale in years.items():
        for name, (count, investment, large) in base.items():
            if name not in departments:
                continue
            rows.append(
                DepartmentTarget(
                    zone=zone,
                    department=departments[name],
                    year=year,
                    target_projects=max(1, round(count * scale / 100)),
                    target_investment=money(float(investment) * scale / 100, 10000),
                    target_large=max(1, round(large * scale / 100)),
                )
            )
    return rows


class CalibrationError(RuntimeError):
    """The demo did not come out at the published figures."""


def measured(zone) -> dict:
    """The calibrated figures as the cockpit computes them, with and without the category."""
    thresholds = thresholds_for(zone)
    projects = Project.objects.filter(zone=zone, is_deleted=False)
    out = {}
    for label, qs in (("all", projects), ("industrial", projects.filter(category="industrial"))):
        y2019 = headline(qs, Period(D(2019, 1, 1), D(2019, 12, 31), "2019"), thresholds)
        q1 = headline(qs, Period(D(2020, 1, 1), D(2020, 3, 31), "2020Q1"), thresholds)
        out[label] = {
            "signed_2019": y2019["signed"]["count"],
            "started_2019": y2019["started"]["count"],
            "production_2019": y2019["production"]["count"],
            "signed_2020q1": q1["signed"]["count"],
            "signed_2020q1_investment": q1["signed"]["investment_wan"],
            "class_5020_2020q1": q1["class_5020"],
            "production_2020q1": q1["production"]["count"],
        }
    return out


EXPECTED = {
    "signed_2019": figures.PROJECTS_SIGNED_2019,
    "started_2019": figures.PROJECTS_STARTED_2019,
    "production_2019": figures.PROJECTS_IN_PRODUCTION_2019,
    "signed_2020q1": figures.PROJECTS_SIGNED_2020Q1,
    "signed_2020q1_investment": figures.PROJECTS_SIGNED_2020Q1_INVESTMENT,
    "class_5020_2020q1": figures.PROJECTS_SIGNED_2020Q1_OVER_50YI,
    "production_2020q1": figures.PROJECTS_IN_PRODUCTION_2020Q1,
}


def check_calibration(zone, overdue: int) -> None:
    figures_now = measured(zone)
    for label, values in figures_now.items():
        if values != EXPECTED:
            raise CalibrationError(f"{zone.code} {label}: {values} != {EXPECTED}")
    if overdue != figures.OVERDUE_PROJECTS:
        raise CalibrationError(f"{zone.code}: {overdue} overdue, not {figures.OVERDUE_PROJECTS}")
