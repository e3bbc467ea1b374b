"""The registry's demo step: every zone's enterprises with their contacts and status history,
drawn from a seeded random.Random and built to the zone plan's exact counts (the main zone's are
DOMAIN.md's: 165 above scale, 39 of them new in 2019, 112 high-tech), then the demo accounts.

The demo is seed data, not a user action: rows are written with bulk_create, but every
enterprise passes the registry's own validation (`services.validate`). The accounts are written
here, after the registry, because the enterprise user belongs to a flagship enterprise and is
one of its listed contacts. `demo` is the demo's context (gaoxin.demo.context, duck-typed).
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from gaoxin.core.models import Membership, Role, User

from . import search
from .models import Contact, Enterprise, Scale, Status, StatusChange
from .services import validate

# The plan's chain of trading companies: young, in office parks (its own establishment years).
CROSS_BORDER = "跨境电商"
# How likely an enterprise of a chain is above scale, relative to the others (industry only).
ABOVE_SCALE_ODDS = {
    "电子信息": 1.4,
    "纺织服装": 1.2,
    "新材料": 1.2,
    "智能制造": 1.0,
    "生物医药": 1.2,
    "": 0.6,  # outside the zone's chains
}

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


def _years(first: int, odds, as_of: datetime.date) -> tuple[list[int], list[int]]:
    """Establishment years and their odds: the zone grew fastest in the 2010s; cross-border
    e-commerce is young."""
    years = list(range(first, as_of.year + 1))
    return years, [odds(y) for y in years]


@dataclass
class Draft:
    chain: str
    line: object | None  # the industry class (a chain's Line), None for a flagship
    established: datetime.date
    flagship: object | None = None  # the plan's Flagship
    status: str = Status.OPERATING
    above_scale_since: datetime.date | None = None
    high_tech: bool = False
    scale: str = ""
    capital: Decimal | None = None
    industrial: bool = False
    enterprise: Enterprise | None = None
    contacts: list[Contact] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)

    @property
    def industry(self) -> str:
        return self.flagship.industry if self.flagship else self.line.code


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
    """Generates one zone's enterprises; the demo's codes and names in use are shared by all."""

    def __init__(self, demo, plan, zone, rng: random.Random):
        self.demo, self.plan, self.zone, self.rng, self.codes = demo, plan, zone, rng, demo.codes
        self.namer = demo.namer()
        self.industry_years = _years(1995, _industry_year_odds, demo.as_of)
        self.trade_years = _years(2012, _trade_year_odds, demo.as_of)
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
            lines = self.demo.chains[chain]
            years = self.trade_years if chain == CROSS_BORDER else self.industry_years
            count -= sum(1 for f in self.plan.flagships if f.chain == chain)
            for _ in range(count):
                line = rng.choices(lines, [line.weight for line in lines])[0]
                year = rng.choices(*years)[0]
                last = (
                    datetime.date(year, 5, 31)
                    if year == self.demo.as_of.year
                    else datetime.date(year, 12, 31)
                )
                drafts.append(
                    Draft(chain, line, date_between(rng, datetime.date(year, 1, 1), last))
                )
        for draft in drafts:
            draft.industrial = self.demo.is_industrial(draft.industry)
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
            legal_rep = self.demo.person_name(rng)
            office = draft.chain == CROSS_BORDER or draft.industry == "6513"
            street = self.demo.address(rng, "", plan.roads, plan.office_parks if office else ())
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
                email=self.demo.email(rng) if rng.random() < 0.3 else "",
                is_primary=i == 0,
            )
            for i, (person, title) in enumerate(people)
        ]

    def _contact_people(self, draft: Draft, scale: str, legal_rep: str) -> list[tuple[str, str]]:
        rng = self.rng
        if scale == Scale.MICRO and rng.random() < 0.5:
            people = [(legal_rep, rng.choice(("总经理", "执行董事兼总经理")))]
        else:
            people = [(self.demo.person_name(rng), rng.choice(CONTACT_TITLES))]
        if rng.random() < (0.85 if draft.above_scale_since else 0.4):
            second = self.demo.person_name(rng)
            if second not in (people[0][0], legal_rep):
                title = (
                    "统计员" if draft.above_scale_since else rng.choice(("财务负责人", "行政专员"))
                )
                people.append((second, title))
        return people

    def _history(self, draft: Draft, keeper: str) -> list[StatusChange]:
        rng, as_of = self.rng, self.demo.as_of
        start = draft.established
        rows = [(Status.OPERATING, start, "设立登记")]
        earliest = max(start + datetime.timedelta(days=365), datetime.date(2015, 1, 1))
        if draft.status == Status.SUSPENDED:
            on = date_between(rng, max(earliest, datetime.date(2017, 1, 1)), as_of)
            rows.append((Status.SUSPENDED, on, rng.choice(SUSPENDED_NOTES)))
        elif draft.status == Status.MOVED_OUT:
            on = date_between(rng, earliest, as_of)
            rows.append((Status.MOVED_OUT, on, rng.choice(MOVED_OUT_NOTES)))
        elif draft.status == Status.DEREGISTERED:
            on = date_between(rng, earliest, as_of)
            if rng.random() < 0.5 and on - earliest > datetime.timedelta(days=120):
                stopped = date_between(rng, earliest, on - datetime.timedelta(days=90))
                rows.append((Status.SUSPENDED, stopped, rng.choice(SUSPENDED_NOTES)))
            rows.append((Status.DEREGISTERED, on, rng.choice(DEREGISTERED_NOTES)))
        return [
            StatusChange(zone=self.zone, status=s, on=on, note=note, actor_name=keeper)
            for s, on, note in rows
        ]


# -- the step ----------------------------------------------------------------------------------


@dataclass
class ZoneSummary:
    zone: object
    enterprises: int = 0
    above_scale: int = 0
    new_above_scale_2019: int = 0
    high_tech: int = 0
    contacts: int = 0
    accounts: int = 0

    def as_audit(self) -> dict:
        return {
            "企业": self.enterprises,
            "规上企业": self.above_scale,
            "其中2019年新入规": self.new_above_scale_2019,
            "高新技术企业": self.high_tech,
            "联系人": self.contacts,
            "账号": self.accounts,
        }

    def line(self) -> str:
        return (
            f"  {self.zone.name}:企业 {self.enterprises} 家(规上 {self.above_scale} 家,"
            f"其中 2019 年新入规 {self.new_above_scale_2019} 家;高新技术企业 {self.high_tech} 家)"
        )


@dataclass
class RegistrySummary:
    """What the step wrote: one ZoneSummary per zone, in plan order."""

    zones: list[ZoneSummary] = field(default_factory=list)

    def headline(self) -> str:
        return f"{sum(s.enterprises for s in self.zones)} 家企业"

    def audit(self, zone) -> dict:
        return next((s.as_audit() for s in self.zones if s.zone == zone), {})


def build(demo) -> RegistrySummary:
    """The demo step: each zone's registry (reported through `demo.progress` as it is written),
    then the demo accounts; fills `demo.registries` and `demo.accounts`."""
    result = RegistrySummary()
    flagships: dict[str, Draft] = {}
    for plan in demo.plans:
        zone = demo.zones[plan.code]
        drafts = ZoneRegistry(demo, plan, zone, demo.rng(plan.code)).generate(
            demo.keepers[plan.code]
        )
        summary = ZoneSummary(zone)
        _write_registry(drafts, demo.tags[plan.code], summary)
        result.zones.append(summary)
        flagships.update({d.flagship.name: d for d in drafts if d.flagship})
        demo.registries[plan.code] = [(d.enterprise, d.chain) for d in drafts]
        demo.progress(summary.line())
    demo.accounts = _write_accounts(demo, flagships)
    for summary in result.zones:
        summary.accounts = sum(1 for _u, m in demo.accounts if m.zone_id == summary.zone.pk)
    return result


def _write_registry(drafts, tags: dict, summary: ZoneSummary) -> None:
    enterprises = [d.enterprise for d in drafts]
    for enterprise in enterprises:
        validate(enterprise, check_unique=False)
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    search.index(enterprises, replace=False)
    contacts, history, links = [], [], []
    through = Enterprise.tags.through
    for draft in drafts:
        for row in draft.contacts + draft.history:
            row.enterprise = draft.enterprise
        contacts += draft.contacts
        history += draft.history
        if draft.chain in tags:
            links.append(through(enterprise=draft.enterprise, tag=tags[draft.chain]))
    Contact.objects.bulk_create(contacts, batch_size=500)
    StatusChange.objects.bulk_create(history, batch_size=500)
    through.objects.bulk_create(links, batch_size=500)
    summary.enterprises = len(enterprises)
    summary.above_scale = sum(e.above_scale for e in enterprises)
    summary.new_above_scale_2019 = sum(
        1 for e in enterprises if e.above_scale_since and e.above_scale_since.year == 2019
    )
    summary.high_tech = sum(e.high_tech for e in enterprises)
    summary.contacts = len(contacts)


def _write_accounts(demo, flagships: dict[str, Draft]) -> list[tuple[User, Membership]]:
    # One hash for all demo accounts: they share one published password, and PBKDF2 at Django's
    # work factor costs a fifth of a second per call. A changed password gets its own salt.
    rng = demo.rng("accounts")
    template = User()
    template.set_password(demo.password)
    users = User.objects.bulk_create(
        User(
            username=a.username,
            full_name=a.full_name,
            password=template.password,
            phone=_account_phone(a, flagships, demo.codes, rng),
            is_staff=a.superuser,
            is_superuser=a.superuser,
        )
        for a in demo.account_plans
    )
    memberships = Membership.objects.bulk_create(
        _membership(demo, a, user, flagships)
        for a, user in zip(demo.account_plans, users, strict=True)
    )
    return list(zip(users, memberships, strict=True))


def _account_phone(account, flagships: dict[str, Draft], codes, rng) -> str:
    if account.enterprise:  # the enterprise user is one of the company's listed contacts
        contacts = flagships[account.enterprise].contacts
        return next(c.phone for c in contacts if c.name == account.full_name)
    return codes.mobile(rng)


def _membership(demo, account, user, flagships: dict[str, Draft]) -> Membership:
    membership = Membership(
        user=user,
        role=Role(account.role),
        province_id=account.province,
        zone=demo.zones.get(account.zone),
        department=demo.departments.get(account.zone, {}).get(account.department),
        enterprise=flagships[account.enterprise].enterprise if account.enterprise else None,
    )
    membership.clean()
    return membership
