"""What the demo province holds: its zones, their departments and chains, the hand-written
flagship enterprises and the demo accounts. The orchestrator (build.py) and the modules' demo
steps turn this plan into rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import figures
from .chains import (
    BIOMEDICINE,
    CROSS_BORDER,
    ELECTRONICS,
    MATERIALS,
    OTHER,
    SMART_MANUFACTURING,
    TEXTILES,
)

PROVINCE = "360000"  # 江西省
DEFAULT_SEED = 2019
PASSWORD = "gaoxin-demo-2026"
# The demo's story runs to mid-2020 (DOMAIN.md's figures are for 2019 and early 2020); no
# generated date is later, so the data never depends on the day it is built.
AS_OF = datetime.date(2020, 6, 30)

NATIONAL_DEPARTMENTS = (
    ("招商局", "招商局"),
    ("经济发展局", "经发局"),
    ("科技创新局", "科创局"),
    ("政务服务中心", "政务中心"),
    ("企业服务局", "企服局"),
    ("党政办公室", "党政办"),
)
PROVINCIAL_DEPARTMENTS = (
    ("招商局", "招商局"),
    ("经济发展局", "经发局"),
    ("企业服务局", "企服局"),
    ("党政办公室", "党政办"),
)


@dataclass(frozen=True)
class Flagship:
    """A hand-written enterprise, counted in its zone's totals."""

    name: str
    chain: str
    industry: str
    established: datetime.date
    capital: Decimal  # 万元
    scale: str
    above_scale_since: datetime.date | None
    high_tech: bool
    legal_representative: str
    street: str  # after the zone's address prefix
    contacts: tuple[tuple[str, str], ...]  # (name, title); the first is the primary contact


@dataclass(frozen=True)
class ZonePlan:
    code: str
    name: str
    short_name: str
    level: str
    division: str  # GB/T 2260 county code
    city: str  # its prefecture
    address_prefix: str
    regions: tuple[tuple[str, int], ...]  # region words of company names, with weights
    bracket_regions: tuple[str, ...]  # places that may follow the trade name: "鸿泰光电(九江)"
    roads: tuple[str, ...]
    office_parks: tuple[str, ...]
    departments: tuple[tuple[str, str], ...]
    chains: tuple[tuple[str, int], ...]  # enterprises per chain, flagships included
    above_scale: int
    new_above_scale_2019: int
    high_tech: int
    suspended: int
    moved_out: int
    deregistered: int
    flagships: tuple[Flagship, ...] = field(default=())

    @property
    def enterprises(self) -> int:
        return sum(n for _chain, n in self.chains)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(chain for chain, _n in self.chains if chain != OTHER)


MAIN_FLAGSHIPS = (
    Flagship(
        "江西鸿泰光电科技有限公司", ELECTRONICS, "3974", datetime.date(2011, 5, 18),
        Decimal("52000"), "large", datetime.date(2012, 1, 1), True, "林国栋", "光电大道1号",
        (("王丽娟", "统计员"), ("林国栋", "董事长")),
    ),
    Flagship(
        "九江晶彩电子玻璃股份有限公司", ELECTRONICS, "3051", datetime.date(2009, 8, 26),
        Decimal("36800"), "large", datetime.date(2010, 1, 1), True, "吴德明", "光电大道88号",
        (("邓晓燕", "财务负责人"), ("胡志刚", "统计员")),
    ),
    Flagship(
        "赣江恒信纺织服饰有限公司", TEXTILES, "1819", datetime.date(2006, 3, 15),
        Decimal("8800"), "medium", datetime.date(2008, 1, 1), False, "涂建华", "纺织路66号",
        (("涂建华", "总经理"),),
    ),
    Flagship(
        "江西聚材高分子材料有限公司", MATERIALS, "2651", datetime.date(2013, 10, 9),
        Decimal("15000"), "medium", datetime.date(2015, 1, 1), True, "彭永忠", "科创大道208号",
        (("曾丽", "办公室主任"), ("彭永忠", "总经理")),
    ),
    Flagship(
        "江西智衡机器人科技有限公司", SMART_MANUFACTURING, "3491", datetime.date(2016, 7, 12),
        Decimal("10000"), "medium", datetime.date(2018, 1, 1), True, "肖俊", "兴业大道19号",
        (("肖俊", "总经理"), ("余倩", "统计员")),
    ),
    Flagship(
        "赣江云通跨境电子商务有限公司", CROSS_BORDER, "5292", datetime.date(2017, 4, 20),
        Decimal("1000"), "small", None, False, "钟晓峰", "跨境电商产业园A栋501室",
        (("钟晓峰", "总经理"),),
    ),
    Flagship(
        "江西仁济药业有限公司", BIOMEDICINE, "2740", datetime.date(2004, 11, 2),
        Decimal("6000"), "medium", datetime.date(2011, 1, 1), True, "万春生", "科创大道36号",
        (("万春生", "总经理"), ("聂慧", "统计员")),
    ),
)  # fmt: skip

MAIN_ZONE = ZonePlan(
    code="GJ",
    name="赣江高新技术产业开发区",
    short_name="赣江高新区",
    level="national",
    division="360425",  # 永修县
    city="360400",  # 九江市
    address_prefix="江西省九江市永修县赣江高新区",
    regions=(("江西", 5), ("九江", 3), ("永修", 2), ("赣江", 1)),
    bracket_regions=("九江", "永修"),
    roads=(
        "高新大道", "光电大道", "科创大道", "赣江大道", "兴业大道", "创业路", "纺织路",
        "云居路", "柘林路", "致远路", "鸿业路", "同心路", "工业一路", "工业二路", "工业三路",
    ),
    office_parks=("跨境电商产业园", "电子商务创业园", "科创中心"),
    departments=NATIONAL_DEPARTMENTS,
    chains=(
        (ELECTRONICS, 180),
        (TEXTILES, 150),
        (MATERIALS, 80),
        (SMART_MANUFACTURING, 70),
        (CROSS_BORDER, 60),
        (BIOMEDICINE, 25),
        (OTHER, 35),
    ),
    above_scale=figures.ABOVE_SCALE_TOTAL,
    new_above_scale_2019=figures.NEW_ABOVE_SCALE_2019,
    high_tech=figures.HIGH_TECH_TOTAL,
    suspended=18,
    moved_out=12,
    deregistered=14,
    flagships=MAIN_FLAGSHIPS,
)  # fmt: skip

ZONES = (
    MAIN_ZONE,
    ZonePlan(
        code="LH",
        name="潦河高新技术产业园区",
        short_name="潦河高新园",
        level="provincial",
        division="360921",  # 奉新县
        city="360900",  # 宜春市
        address_prefix="江西省宜春市奉新县潦河高新园",
        regions=(("江西", 4), ("宜春", 3), ("奉新", 3)),
        bracket_regions=("宜春", "奉新"),
        roads=("潦河大道", "冯川路", "应星大道", "工业大道", "纺织大道", "新材料路", "创新路"),
        office_parks=("电商创业园",),
        departments=PROVINCIAL_DEPARTMENTS,
        chains=((TEXTILES, 50), (MATERIALS, 30), (SMART_MANUFACTURING, 25), (OTHER, 15)),
        above_scale=32,
        new_above_scale_2019=6,
        high_tech=14,
        suspended=5,
        moved_out=3,
        deregistered=4,
    ),
    ZonePlan(
        code="XJ",
        name="信江高新技术产业园区",
        short_name="信江高新园",
        level="provincial",
        division="361123",  # 玉山县
        city="361100",  # 上饶市
        address_prefix="江西省上饶市玉山县信江高新园",
        regions=(("江西", 4), ("上饶", 3), ("玉山", 3)),
        bracket_regions=("上饶", "玉山"),
        roads=("信江大道", "怀玉大道", "工业大道", "智造路", "医药路", "科技路", "三清路"),
        office_parks=("创业服务中心",),
        departments=PROVINCIAL_DEPARTMENTS,
        chains=((SMART_MANUFACTURING, 35), (MATERIALS, 25), (BIOMEDICINE, 15), (OTHER, 15)),
        above_scale=24,
        new_above_scale_2019=4,
        high_tech=12,
        suspended=4,
        moved_out=2,
        deregistered=3,
    ),
)


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str
    zone: str | None = None  # zone code
    department: str | None = None
    enterprise: str | None = None  # flagship name
    province: str | None = None
    superuser: bool = False


ACCOUNTS = (
    Account("admin", "周明远", "platform_admin", superuser=True),
    Account("zone_admin", "刘建华", "zone_admin", zone="GJ"),
    Account("staff", "陈晓敏", "zone_staff", zone="GJ", department="经济发展局"),
    Account("leader", "黄志强", "zone_leader", zone="GJ"),
    Account(
        "enterprise", "王丽娟", "enterprise_user", zone="GJ", enterprise="江西鸿泰光电科技有限公司"
    ),
    Account("province", "徐文斌", "province_viewer", province=PROVINCE),
    Account("zhaoshang", "吴俊峰", "zone_staff", zone="GJ", department="招商局"),
    Account("keji", "胡雪梅", "zone_staff", zone="GJ", department="科技创新局"),
    Account("zhengwu", "熊婷", "zone_staff", zone="GJ", department="政务服务中心"),
    Account("qifu", "罗文杰", "zone_staff", zone="GJ", department="企业服务局"),
    Account("lh_admin", "邹国平", "zone_admin", zone="LH"),
    Account("lh_staff", "彭丽", "zone_staff", zone="LH", department="经济发展局"),
    Account("xj_admin", "程卫东", "zone_admin", zone="XJ"),
    Account("xj_staff", "余佳", "zone_staff", zone="XJ", department="经济发展局"),
)

# Who keeps each zone's registry (the status history names them).
REGISTRY_KEEPERS = {"GJ": "staff", "LH": "lh_staff", "XJ": "xj_staff"}
