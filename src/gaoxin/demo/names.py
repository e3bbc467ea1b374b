"""Chinese company and person names for the demo, drawn from a seeded random.Random.

A company name is built as registrations are: region + 字号 (trade name) + industry words +
organisational form, "江西鸿泰光电科技有限公司"; or, for an outside investor's subsidiary, trade
name + industry + (region) + form, "鸿泰光电科技(九江)有限公司". Names are unique in the demo
and a 字号 is not reused within a zone.
"""

import random

# Characters registrations favour for trade names: auspicious and technical.
TRADE_FIRST = (
    "鸿恒华瑞宏鑫晶联创精新金永嘉佳汇盛凯泰博达锦荣宇天康海信隆润兴昌正源聚卓远航德诚明光伟中科"
)
TRADE_SECOND = "泰信达源盛丰辉宇光创通科安和邦基德锐博诚昊晟腾越维恒业彩晖煌翔川峰林捷"

SURNAMES = (
    ("刘", 9),
    ("李", 8),
    ("王", 8),
    ("张", 7),
    ("陈", 8),
    ("黄", 6),
    ("吴", 5),
    ("胡", 5),
    ("徐", 5),
    ("罗", 4),
    ("万", 3),
    ("熊", 3),
    ("邹", 3),
    ("涂", 2),
    ("彭", 3),
    ("曾", 3),
    ("杨", 4),
    ("周", 4),
    ("赵", 2),
    ("朱", 3),
    ("龚", 2),
    ("邓", 2),
    ("肖", 3),
    ("余", 3),
    ("谢", 3),
    ("程", 2),
    ("付", 2),
    ("郭", 2),
    ("何", 2),
    ("叶", 2),
    ("钟", 2),
    ("江", 2),
    ("廖", 2),
    ("袁", 2),
    ("舒", 1),
    ("喻", 1),
    ("聂", 1),
    ("欧阳", 1),
    ("林", 3),
    ("汪", 2),
)
GIVEN_MALE = "建国华明伟强军斌涛勇磊超峰志刚文杰俊宏亮平东海波辉鹏飞龙生成金荣德林春云永忠"
GIVEN_FEMALE = "丽娟敏静芳燕霞红艳萍玲婷慧琴雪梅兰英秀莉颖倩琳洁蓉春晓欣悦"

# Trade names of well-known companies, regulated words, or unlucky meanings.
AVOID = {
    "博彩", "金川", "中科", "中信", "中通", "海信", "联通", "信达", "正泰", "晶科", "联创",
    "凯盛", "德邦", "恒安", "康泰", "天通", "精达", "金科", "新光", "华林",
}  # fmt: skip

_SURNAME_NAMES = [s for s, _w in SURNAMES]
_SURNAME_WEIGHTS = [w for _s, w in SURNAMES]


def person_name(rng: random.Random) -> str:
    surname = rng.choices(_SURNAME_NAMES, _SURNAME_WEIGHTS)[0]
    pool = GIVEN_MALE if rng.random() < 0.62 else GIVEN_FEMALE
    if rng.random() < 0.25:
        return surname + rng.choice(pool)
    first, second = rng.choice(pool), rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return surname + first + second


class CompanyNamer:
    """Unique company names across the demo; trade names unique within one zone."""

    def __init__(self, taken: set[str]):
        self.taken = taken  # shared by all zones
        self.trade_names: set[str] = set()  # of the current zone

    def trade_name(self, rng: random.Random) -> str:
        for _ in range(200):
            first, second = rng.choice(TRADE_FIRST), rng.choice(TRADE_SECOND)
            name = first + second
            if first != second and name not in self.trade_names and name not in AVOID:
                self.trade_names.add(name)
                return name
        raise RuntimeError("trade names exhausted")

    def reserve(self, name: str) -> None:
        """Keep a hand-written name (a flagship enterprise) from being generated again."""
        self.taken.add(name)

    def company(self, rng: random.Random, regions, words, *, joint_stock: bool, brackets=()) -> str:
        region_names = [r for r, _w in regions]
        region_weights = [w for _r, w in regions]
        form = "股份有限公司" if joint_stock else "有限公司"
        for _ in range(200):
            trade = self.trade_name(rng)
            region = rng.choices(region_names, region_weights)[0]
            word = rng.choice(words)
            if not joint_stock and region in brackets and rng.random() < 0.15:
                name = f"{trade}{word}（{region}）{form}"
            else:
                name = f"{region}{trade}{word}{form}"
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("company names exhausted")
