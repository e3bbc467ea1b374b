"""A zone's enterprise registry for the demo: unsaved Enterprise, Contact and StatusChange rows,
drawn from a seeded random.Random and built to the zone plan's exact counts."""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from gaoxin.enterprises.models import Contact, Enterprise, Scale, Status, StatusChange

from .chains import ABOVE_SCALE_ODDS, CHAINS, CROSS_BORDER, Line, is_industrial
from .identity import Codes, address, qq_email
from .names import CompanyNamer, person_name
from .plan import AS_OF, Flagship, ZonePlan

SUSPENDED_NOTES = ("订单不足，停产", "环保整改，停产", "设备升级改造，暂时停产", "资金链紧张，停产")
MOVED_OUT_NOTES = ("整体搬迁至省外", "生产基地迁往外地", "迁往其他园区")
DEREGISTERED_NOTES = ("股东会决议解散，已注销登记", "经营期满，注销登记", "被吸收合并，注销登记")
# Registered capital by scale class: (median, lowest, highest) in 万元.
CAPITAL = {
    Scale.LARGE: (20000, 5000, 60000),
    Scale.MEDIUM: (6000, 1000, 30000),
    Scale.SMALL: (1500, 100, 12000),
    Scale.MICRO: (150, 3, 2000),
}
TRADE_CAPITAL = {Scale.SMALL: (500, 50, 5000), Scale.MICRO: (100, 3, 1000)}
HIGH_TECH_SCALE_ODDS = {Scale.LARGE: 4, Scale.MEDIUM: 3.5, Scale.SMALL: 1.5, Scale.MICRO: 0.4}
CONTACT_TITLES = ("办公室主任", "财务负责人", "综合部经理", "行政经理", "副总经理")


def _industry_year_odds(year: int) -> int:
    return 1 if year < 2003 else 2 if year < 2009 else 4 if year < 2015 else 5 if year < 2020 else 2


def _trade_year_odds(year: int) -> int:
    return {2012: 1, 2013: 1, 2014: 2, 2015: 3, 2016: 4, 2020: 2}.get(year, 5)


def _years(first: int, odds) -> tuple[list[int], list[int]]:
    years = list(range(first, AS_OF.year + 1))
    return years, [odds(y) for y in years]


# Establishment years: the zone grew fastest in the 2010s; cross-border e-commerce is young.
INDUSTRY_YEARS = _years(1995, _industry_year_odds)
TRADE_YEARS = _years(2012, _trade_year_odds)


@dataclass
class Draft:
    chain: str
    line: Line | None
    established: datetime.date
    flagship: Flagship | None = None
    status: str = Status.OPERATING
    above_scale_since: datetime.date | None = None
    high_tech: bool = False
    scale: str = ""
    capital: Decimal | None = None
    enterprise: Enterprise | None = None
    contacts: list[Contact] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)

    @property
    def industry(self) -> str:
        return self.flagship.industry if self.flagship else self.line.code

    @property
    def industrial(self) -> bool:
        return is_industrial(self.industry)


def date_between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def weighted_sample(rng: random.Random, items: list, weight, k: int) -> list:
    """k items without replacement, each drawn with odds `weight(item)` (Efraimidis–Spirakis)."""
    keyed = [
        (rng.random() ** (1 / weight(item)), i) for i, item in enumerate(items) if weight(item) > 0
    ]
    if len(keyed) < k:
        raise ValueError(f"only {len(keyed)} candidates for {k} places")
    keyed.sort(reverse=True)
    return [items[i] for _key, i in keyed[:k]]


def round_capital(rng: random.Random, value: float) -> Decimal:
    """Registered capital as registrations show it: mostly round figures, some exact sums."""
    if rng.random() < 0.06:
        return Decimal(str(round(value, 2)))
    step = 1000 if value >= 20000 else 100 if value >= 1000 else 10 if value >= 100 else 1
    if step > 1 and rng.random() < 0.3:
        step //= 10
    return Decimal(max(step, round(value / step) * step))


class ZoneRegistry:
    """Generates one zone's enterprises; `codes` and `namer` are shared by the whole demo."""

    def __init__(self, plan: ZonePlan, zone, rng: random.Random, codes: Codes, names: set[str]):
        self.plan, self.zone, self.rng, self.codes = plan, zone, rng, codes
        self.namer = CompanyNamer(names)
        for flagship in plan.flagships:
            self.namer.reserve(flagship.name)

    def generate(self, keeper: str) -> list[Draft]:
        drafts = self._skeletons()
        self._pick_statuses(drafts)
        self._pick_above_scale(drafts)
        for draft in drafts:
            self._size(draft)
        self._pick_high_tech(drafts)
        for draft in drafts:
            self._fill(draft, keeper)
        return drafts

    # -- who is what -------------------------------------------------------------------------

    def _skeletons(self) -> list[Draft]:
        rng, drafts = self.rng, []
        for flagship in self.plan.flagships:
            drafts.append(
                Draft(
                    flagship.chain,
                    None,
                    flagship.established,
                    flagship=flagship,
                    above_scale_since=flagship.above_scale_since,
                    high_tech=flagship.high_tech,
                )
            )
        for chain, count in self.plan.chains:
            lines = CHAINS[chain]
            years = TRADE_YEARS if chain == CROSS_BORDER else INDUSTRY_YEARS
            count -= sum(1 for f in self.plan.flagships if f.chain == chain)
            for _ in range(count):
                line = rng.choices(lines, [line.weight for line in lines])[0]
                year = rng.choices(*years)[0]
                last = (
                    datetime.date(year, 5, 31)
                    if year == AS_OF.year
                    else datetime.date(year, 12, 31)
                )
                drafts.append(
                    Draft(chain, line, date_between(rng, datetime.date(year, 1, 1), last))
                )
        return drafts

    def _pick_statuses(self, drafts: list[Draft]) -> None:
        plan, rng = self.plan, self.rng
        pool = [d for d in drafts if not d.flagship and d.established.year <= 2018]
        chosen = rng.sample(pool, plan.suspended + plan.moved_out + plan.deregistered)
        for i, draft in enumerate(chosen):
            if i < plan.suspended:
                draft.status = Status.SUSPENDED
            elif i < plan.suspended + plan.moved_out:
                draft.status = Status.MOVED_OUT
            else:
                draft.status = Status.DEREGISTERED

    def _pick_above_scale(self, drafts: list[Draft]) -> None:
        plan, rng = self.plan, self.rng
        fixed = sum(1 for d in drafts if d.above_scale_since)
        pool = [
            d for d in drafts if not d.flagship and d.industrial and d.status == Status.OPERATING
        ]
        # 2019's newcomers grew out of recent arrivals: founded by the autumn of 2018.
        newcomers = weighted_sample(
            rng,
            [d for d in pool if d.established <= datetime.date(2018, 9, 30)],
            lambda d: ABOVE_SCALE_ODDS[d.chain] * (3 if d.established.year >= 2014 else 1),
            plan.new_above_scale_2019,
        )
        for draft in newcomers:
            month = 1 if rng.random() < 0.6 else rng.randint(2, 12)
            draft.above_scale_since = datetime.date(2019, month, 1)
        earlier = weighted_sample(
            rng,
            [d for d in pool if not d.above_scale_since and d.established.year <= 2017],
            lambda d: ABOVE_SCALE_ODDS[d.chain],
            plan.above_scale - plan.new_above_scale_2019 - fixed,
        )
        for draft in earlier:
            year = rng.randint(max(draft.established.year + 1, 2008), 2018)
            month = 1 if rng.random() < 0.75 else rng.randint(2, 12)
            draft.above_scale_since = datetime.date(year, month, 1)

    def _pick_high_tech(self, drafts: list[Draft]) -> None:
        fixed = sum(1 for d in drafts if d.high_tech)
        pool = [
            d
            for d in drafts
            if not d.flagship
            and d.status == Status.OPERATING
            and d.established <= datetime.date(2018, 12, 31)  # registered a year before 2020
        ]
        chosen = weighted_sample(
            self.rng,
            pool,
            lambda d: d.line.high_tech_odds * HIGH_TECH_SCALE_ODDS[d.scale],
            self.plan.high_tech - fixed,
        )
        for draft in chosen:
            draft.high_tech = True

    # -- the record itself ---------------------------------------------------------------------

    def _size(self, draft: Draft) -> None:
        """Scale class and registered capital (万元); 2019's newcomers to 规上 are still small."""
        rng, flagship = self.rng, draft.flagship
        if flagship:
            draft.scale, draft.capital = flagship.scale, flagship.capital
            return
        if draft.above_scale_since:
            odds = (0, 20, 80) if draft.above_scale_since.year == 2019 else (8, 40, 52)
            scale = rng.choices((Scale.LARGE, Scale.MEDIUM, Scale.SMALL), odds)[0]
        elif draft.industrial:
            scale = rng.choices((Scale.SMALL, Scale.MICRO), (45, 55))[0]
        else:
            scale = rng.choices((Scale.SMALL, Scale.MICRO), (25, 75))[0]
        median, low, high = CAPITAL[scale] if draft.industrial else TRADE_CAPITAL[scale]
        value = math.exp(rng.gauss(math.log(median), 0.7))
        draft.scale, draft.capital = scale, round_capital(rng, min(high, max(low, value)))

    def _fill(self, draft: Draft, keeper: str) -> None:
        rng, plan, flagship = self.rng, self.plan, draft.flagship
        division = plan.division if rng.random() < 0.7 else plan.city
        uscc = self.codes.uscc(rng, division, draft.established)
        scale, capital = draft.scale, draft.capital
        if flagship:
            name, legal_rep, street = flagship.name, flagship.legal_representative, flagship.street
            people = list(flagship.contacts)
        else:
            joint_stock = capital >= 5000 and rng.random() < 0.25
            name = self.namer.company(
                rng,
                plan.regions,
                draft.line.words,
                joint_stock=joint_stock,
                brackets=plan.bracket_regions,
            )
            legal_rep = person_name(rng)
            office = draft.chain == CROSS_BORDER or draft.industry == "6513"
            street = address(rng, "", plan.roads, plan.office_parks if office else ())
            people = self._contact_people(draft, scale, legal_rep)
        history = self._history(draft, keeper)
        draft.enterprise = Enterprise(
            zone=self.zone,
            name=name,
            uscc=uscc,
            legal_representative=legal_rep,
            registered_capital=capital,
            established_on=draft.established,
            industry_id=draft.industry,
            address=plan.address_prefix + street,
            scale=scale,
            above_scale=draft.above_scale_since is not None,
            above_scale_since=draft.above_scale_since,
            high_tech=draft.high_tech,
            status=draft.status,
            status_since=history[-1].on,
        )
        draft.history = history
        draft.contacts = [
            Contact(
                zone=self.zone,
                name=person,
                title=title,
                phone=self.codes.mobile(rng),
                email=qq_email(rng) if rng.random() < 0.3 else "",
                is_primary=i == 0,
            )
            for i, (person, title) in enumerate(people)
        ]

    def _contact_people(self, draft: Draft, scale: str, legal_rep: str) -> list[tuple[str, str]]:
        rng = self.rng
        if scale == Scale.MICRO and rng.random() < 0.5:
            people = [(legal_rep, rng.choice(("总经理", "执行董事兼总经理")))]
        else:
            people = [(person_name(rng), rng.choice(CONTACT_TITLES))]
        if rng.random() < (0.85 if draft.above_scale_since else 0.4):
            second = person_name(rng)
            if second not in (people[0][0], legal_rep):
                title = (
                    "统计员" if draft.above_scale_since else rng.choice(("财务负责人", "行政专员"))
                )
                people.append((second, title))
        return people

    def _history(self, draft: Draft, keeper: str) -> list[StatusChange]:
        rng = self.rng
        start = draft.established
        rows = [(Status.OPERATING, start, "设立登记")]
        earliest = max(start + datetime.timedelta(days=365), datetime.date(2015, 1, 1))
        if draft.status == Status.SUSPENDED:
            on = date_between(rng, max(earliest, datetime.date(2017, 1, 1)), AS_OF)
            rows.append((Status.SUSPENDED, on, rng.choice(SUSPENDED_NOTES)))
        elif draft.status == Status.MOVED_OUT:
            on = date_between(rng, earliest, AS_OF)
            rows.append((Status.MOVED_OUT, on, rng.choice(MOVED_OUT_NOTES)))
        elif draft.status == Status.DEREGISTERED:
            on = date_between(rng, earliest, AS_OF)
            if rng.random() < 0.5 and on - earliest > datetime.timedelta(days=120):
                stopped = date_between(rng, earliest, on - datetime.timedelta(days=90))
                rows.append((Status.SUSPENDED, stopped, rng.choice(SUSPENDED_NOTES)))
            rows.append((Status.DEREGISTERED, on, rng.choice(DEREGISTERED_NOTES)))
        return [
            StatusChange(zone=self.zone, status=s, on=on, note=note, actor_name=keeper)
            for s, on, note in rows
        ]
