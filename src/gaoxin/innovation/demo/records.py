"""The demo's IP ledger and capacity records: patents with valid check characters, software
copyrights, platforms, talents, cooperation, cloud adoption, and the zone's yearly targets."""

import datetime
from decimal import Decimal

from ..codes import check_character
from ..models import (
    CloudAdoption,
    CloudLevel,
    Cooperation,
    Level,
    Patent,
    PatentKind,
    PatentStatus,
    Platform,
    PlatformKind,
    SoftwareCopyright,
    Talent,
    Target,
)
from . import figures as f

KIND_DIGITS = {PatentKind.INVENTION: "1", PatentKind.UTILITY: "2", PatentKind.DESIGN: "3"}
TOPICS = {
    "电子信息": ("液晶显示模组", "触控面板", "超薄电子玻璃", "光电器件", "柔性线路板", "传感器"),
    "纺织服装": ("功能性面料", "纺纱设备", "羽绒填充物", "印染废水处理", "服装裁剪装置"),
    "新材料": ("改性高分子材料", "碳纤维复合材料", "石墨负极材料", "铜合金", "环保助剂"),
    "智能制造": ("工业机器人", "智能仓储装置", "数控机床主轴", "视觉检测系统", "自动化装配线"),
    "跨境电商": ("跨境物流追踪系统", "订单分拣装置", "商品信息管理方法"),
    "生物医药": ("缓释制剂", "中药提取物", "医用敷料", "检测试剂盒", "原料药合成"),
    "": ("节能照明装置", "污水处理设备", "光伏支架", "余热回收装置"),
}
INVENTION_TITLES = (
    "一种{t}的制备方法",
    "{t}及其制备方法",
    "一种{t}的控制方法",
    "一种{t}的检测方法",
)
UTILITY_TITLES = ("一种{t}", "一种{t}用固定装置", "一种便于拆装的{t}", "一种{t}冷却结构")
DESIGN_TITLES = ("{t}外壳", "{t}(二)", "包装盒({t})")
PROVIDERS = ("阿里云", "华为云", "腾讯云", "天翼云", "移动云", "浪潮云")
PARTNERS = (
    "南昌大学", "江西理工大学", "华东交通大学", "江西师范大学", "江西农业大学", "九江学院",
    "江西财经大学", "东华理工大学", "中国科学院江西稀土研究院", "江西省科学院",
)  # fmt: skip
PROVINCIAL_PROGRAMMES = (
    "江西省“双千计划”", "江西省主要学科学术和技术带头人", "江西省青年井冈学者",
    "江西省高层次高技能领军人才",
)  # fmt: skip
NATIONAL_PROGRAMMES = ("国家高层次人才特殊支持计划",)
MUNICIPAL_PROGRAMMES = ("市级高层次人才计划", "市级青年拔尖人才")
PROVINCIAL_KINDS = (PlatformKind.ENGINEERING_CENTER, PlatformKind.ENTERPRISE_CENTER,
                    PlatformKind.KEY_LAB, PlatformKind.POSTDOCTORAL)  # fmt: skip
MUNICIPAL_KINDS = (PlatformKind.ENGINEERING_CENTER, PlatformKind.ENTERPRISE_CENTER,
                   PlatformKind.NEW_RD_INSTITUTE)  # fmt: skip


def day_in(rng, year: int, last: datetime.date = f.STORY_END) -> datetime.date:
    end = min(datetime.date(year, 12, 31), last)
    start = datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def short_name(enterprise) -> str:
    return (
        enterprise.name.removesuffix("有限公司").removesuffix("股份").removesuffix("有限责任公司")
    )


class Records:
    """One zone's IP and capacity records (`story` is the zone's ZoneStory)."""

    def __init__(self, story):
        self.s, self.rng = story, story.rng

    def _topic(self, enterprise) -> str:
        return self.rng.choice(TOPICS.get(self.s.chain[enterprise.pk], TOPICS[""]))

    def _number(self, year: int, kind: str) -> str:
        while True:
            digits = f"{year}{KIND_DIGITS[kind]}{self.rng.randint(1, 1999999):07d}"
            if digits not in self.s.patent_digits:
                self.s.patent_digits.add(digits)
                return f"{digits}.{check_character(digits)}"

    def _patent(self, owner, kind, status, applied, granted=None) -> Patent:
        titles = {PatentKind.INVENTION: INVENTION_TITLES, PatentKind.UTILITY: UTILITY_TITLES}
        title = self.rng.choice(titles.get(kind, DESIGN_TITLES)).format(t=self._topic(owner))
        return Patent(
            zone=self.s.zone, enterprise=owner, number=self._number(applied.year, kind), kind=kind,
            title=title, applied_on=applied, granted_on=granted, status=status,
        )  # fmt: skip

    def patents(self, owners: list) -> int:
        """Granted patents per year (inventions to the calibrated counts), pending applications."""
        rng, s, rows = self.rng, self.s, []
        weights = [s.tech_weight(e) for e in owners]
        for year, inventions in f.INVENTIONS_GRANTED.items():
            plan = (
                (PatentKind.INVENTION, s.scaled(inventions), (2, 4)),
                (PatentKind.UTILITY, s.scaled(inventions * f.UTILITY_PER_INVENTION), (0, 1)),
                (PatentKind.DESIGN, s.scaled(inventions * f.DESIGN_PER_INVENTION), (0, 1)),
            )
            for kind, count, (lo, hi) in plan:
                for owner in rng.choices(owners, weights, k=count):
                    granted = day_in(rng, year)
                    applied = day_in(rng, year - rng.randint(lo, hi), granted)
                    lapsed = year < 2019 and kind != PatentKind.INVENTION and rng.random() < 0.3
                    status = PatentStatus.LAPSED if lapsed else PatentStatus.GRANTED
                    rows.append(self._patent(owner, kind, status, applied, granted))
        for owner in rng.choices(owners, weights, k=s.scaled(f.PENDING_INVENTIONS)):
            applied = day_in(rng, rng.choice((2023, 2024, 2025, 2026)))
            rows.append(self._patent(owner, PatentKind.INVENTION, PatentStatus.PENDING, applied))
        for owner in rng.choices(owners, weights, k=s.scaled(12)):
            applied = day_in(rng, rng.choice((2018, 2019, 2020, 2021)))
            status = rng.choice((PatentStatus.REJECTED, PatentStatus.WITHDRAWN))
            rows.append(self._patent(owner, PatentKind.INVENTION, status, applied))
        Patent.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def copyrights(self, owners: list) -> int:
        rng, s, rows = self.rng, self.s, []
        for _i in range(s.scaled(f.SOFTWARE_COPYRIGHTS)):
            owner = rng.choice(owners)
            day = day_in(rng, rng.randint(2016, 2026))
            while True:
                number = f"{day.year}SR{rng.randint(100000, 1999999):07d}"
                if number not in s.numbers:
                    s.numbers.add(number)
                    break
            title = f"{short_name(owner)}{rng.choice(('生产管理', '质量追溯', '设备监控', '仓储管理', '订单管理'))}系统V{rng.randint(1, 3)}.0"
            rows.append(
                SoftwareCopyright(
                    zone=s.zone, enterprise=owner, number=number, title=title, registered_on=day
                )
            )
        SoftwareCopyright.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def platforms(self, owners: list) -> int:
        rng, s, rows, taken = self.rng, self.s, [], set()

        def add(owner, kind, level, year):
            label = PlatformKind(kind).label
            if level == Level.MUNICIPAL:
                name = f"{short_name(owner)}{label}"
            else:
                name = (
                    f"{'国家' if level == Level.NATIONAL else '江西省'}{self._topic(owner)}{label}"
                )
            if (owner.pk, name, level) in taken:
                return
            taken.add((owner.pk, name, level))
            rows.append(
                Platform(zone=s.zone, enterprise=owner, name=name, kind=kind, level=level,
                         recognised_on=day_in(rng, year))
            )  # fmt: skip

        for year, count in f.PROVINCIAL_PLATFORMS.items():
            n = s.scaled(count)
            while n:
                level = (
                    Level.NATIONAL if year == 2021 and s.calibrated and n == 1 else Level.PROVINCIAL
                )
                before = len(rows)
                add(rng.choice(owners), rng.choice(PROVINCIAL_KINDS), level, year)
                n -= len(rows) - before
            for _i in range(s.scaled(rng.randint(*f.MUNICIPAL_PLATFORMS_PER_YEAR))):
                add(rng.choice(owners), rng.choice(MUNICIPAL_KINDS), Level.MUNICIPAL, year)
        Platform.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def talents(self, owners: list) -> int:
        rng, s, rows = self.rng, self.s, []
        for year, count in f.PROVINCIAL_TALENTS.items():
            drawn = [(Level.PROVINCIAL, PROVINCIAL_PROGRAMMES)] * s.scaled(count)
            if s.calibrated and year in (2017, 2021, 2024):
                drawn[0] = (Level.NATIONAL, NATIONAL_PROGRAMMES)
            drawn += [(Level.MUNICIPAL, MUNICIPAL_PROGRAMMES)] * s.scaled(
                rng.randint(*f.MUNICIPAL_TALENTS_PER_YEAR)
            )
            for level, programmes in drawn:
                rows.append(
                    Talent(zone=s.zone, enterprise=rng.choice(owners), level=level, year=year,
                           name=s.person_name(rng), programme=rng.choice(programmes))
                )  # fmt: skip
        Talent.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def cooperations(self, owners: list) -> int:
        rng, s, rows = self.rng, self.s, []
        for _i in range(s.scaled(f.COOPERATIONS)):
            owner = rng.choice(owners)
            starts = day_in(rng, rng.randint(2016, 2026))
            ends = starts + datetime.timedelta(days=365 * rng.randint(1, 3))
            rows.append(
                Cooperation(
                    zone=s.zone, enterprise=owner, partner=rng.choice(PARTNERS),
                    project=f"{self._topic(owner)}关键技术研究", starts_on=starts,
                    ends_on=ends, amount=Decimal(rng.randint(10, 300)),
                )
            )  # fmt: skip
        Cooperation.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def cloud(self, enterprises: list) -> int:
        """New enterprises on the cloud each year to the cumulative counts; some of the early
        ones moved up a level later."""
        rng, s, rows = self.rng, self.s, []
        pool = [e for e in enterprises if e.status == "operating"]
        rng.shuffle(pool)
        done = 0
        for year, total in f.CLOUD_BY_YEAR.items():
            for e in pool[done : s.scaled(total)]:
                rows.append(
                    CloudAdoption(zone=s.zone, enterprise=e, level=CloudLevel.BASIC,
                                  adopted_on=day_in(rng, year), provider=rng.choice(PROVIDERS))
                )  # fmt: skip
            done = max(done, s.scaled(total))
        for row in list(rows):
            if row.adopted_on.year <= 2021 and rng.random() < 0.25:
                level = CloudLevel.DEEP if rng.random() < 0.3 else CloudLevel.PLATFORM
                rows.append(
                    CloudAdoption(zone=s.zone, enterprise=row.enterprise, level=level,
                                  adopted_on=day_in(rng, rng.randint(2022, 2026)),
                                  provider=row.provider)
                )  # fmt: skip
        CloudAdoption.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def targets(self) -> int:
        s, rows = self.s, []
        for year, numbers in f.TARGETS.items():
            if not s.calibrated and year != f.STORY_END.year:
                continue
            new, reserve, patents, platforms, talents, cloud = (s.scaled(n) for n in numbers)
            rows.append(
                Target(zone=s.zone, year=year, new_hightech=new, reserve=reserve,
                       invention_patents=patents, provincial_platforms=platforms,
                       provincial_talents=talents, cloud_enterprises=cloud,
                       population=f.POPULATION if s.calibrated else None)
            )  # fmt: skip
        Target.objects.bulk_create(rows)
        return len(rows)
