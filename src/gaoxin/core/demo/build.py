"""Build the demo province in one transaction: zones, departments, chain tags, the enterprise
registry, accounts with their roles, the investment pipeline (investment.py) and one audit record
per zone.

The demo is seed data, not a user action: rows are written with bulk_create, but every
enterprise passes the registry's own validation (`enterprises.services.validate`).
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Department, Membership, Role, Tag, User, Zone
from gaoxin.enterprises.models import Contact, Enterprise, StatusChange
from gaoxin.enterprises.services import validate

from .identity import Codes
from .investment import InvestmentSummary, build_zone
from .matters import MattersSummary
from .matters import build_zone as build_matters
from .plan import (
    ACCOUNTS,
    DEFAULT_SEED,
    MAIN_ZONE,
    PASSWORD,
    REGISTRY_KEEPERS,
    ZONES,
    Account,
)
from .registry import Draft, ZoneRegistry
from .statistics import StatisticsSummary
from .statistics import build_zone as build_statistics

ACTOR = "system"
AUDIT_MESSAGE = "演示数据"


class DemoExists(Exception):
    """The database already holds data the demo would clash with."""


@dataclass
class ZoneSummary:
    zone: Zone
    enterprises: int = 0
    above_scale: int = 0
    new_above_scale_2019: int = 0
    high_tech: int = 0
    contacts: int = 0
    departments: int = 0
    tags: int = 0
    accounts: int = 0

    def as_audit(self) -> dict:
        return {
            "部门": self.departments,
            "产业链标签": self.tags,
            "企业": self.enterprises,
            "规上企业": self.above_scale,
            "其中2019年新入规": self.new_above_scale_2019,
            "高新技术企业": self.high_tech,
            "联系人": self.contacts,
            "账号": self.accounts,
        }


@dataclass
class DemoResult:
    seed: int
    zones: list[ZoneSummary] = field(default_factory=list)
    accounts: list[tuple[User, Membership]] = field(default_factory=list)
    investment: list[InvestmentSummary] = field(default_factory=list)
    statistics: list[StatisticsSummary] = field(default_factory=list)
    matters: MattersSummary | None = None


def blockers() -> str | None:
    """Why the demo cannot be loaded here, or None on an empty database."""
    zones = Zone.objects.count()
    if zones:
        return f"数据库中已有 {zones} 个园区"
    if Enterprise.objects.exists():
        return "数据库中已有企业数据"
    taken = sorted(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        return f"演示账号 {'、'.join(taken)} 已存在"
    return None


@transaction.atomic
def build_demo(seed: int = DEFAULT_SEED, progress=None) -> DemoResult:
    """Load the demo province; `progress(summary)` is called as each zone is written."""
    reason = blockers()
    if reason:
        raise DemoExists(reason)
    result = DemoResult(seed)
    codes, names = Codes(), set()
    zones, departments = {}, {}
    flagships: dict[str, Draft] = {}
    registries: dict[str, list] = {}
    for plan in ZONES:
        zone = Zone.objects.create(
            code=plan.code,
            name=plan.name,
            short_name=plan.short_name,
            level=plan.level,
            division_id=plan.division,
        )
        zones[plan.code] = zone
        depts = Department.objects.bulk_create(
            Department(zone=zone, name=name, short_name=short) for name, short in plan.departments
        )
        departments.update({(plan.code, d.name): d for d in depts})
        tags = {
            t.name: t
            for t in Tag.objects.bulk_create(
                Tag(zone=zone, name=name, category=Tag.Category.INDUSTRY_CHAIN)
                for name in plan.tags
            )
        }
        summary = ZoneSummary(zone, departments=len(depts), tags=len(tags))
        result.zones.append(summary)
        rng = random.Random(f"{seed}:{plan.code}")
        drafts = ZoneRegistry(plan, zone, rng, codes, names).generate(REGISTRY_KEEPERS[plan.code])
        _write_registry(drafts, tags, summary)
        flagships.update({d.flagship.name: d for d in drafts if d.flagship})
        registries[plan.code] = [(d.enterprise, d.chain) for d in drafts]
        if progress:
            progress(summary)
    rng = random.Random(f"{seed}:accounts")
    result.accounts = _write_accounts(zones, departments, flagships, codes, rng)
    for summary in result.zones:
        summary.accounts = sum(1 for _u, m in result.accounts if m.zone_id == summary.zone.pk)
    # The investment pipeline needs the zones' registries and officers; the main zone's is
    # calibrated to DOMAIN.md's published figures, the others are smaller.
    for plan in ZONES:
        zone = zones[plan.code]
        result.investment.append(
            build_zone(
                plan,
                zone,
                random.Random(f"{seed}:{plan.code}:investment"),
                departments={n: d for (code, n), d in departments.items() if code == plan.code},
                chains={t.name: t for t in Tag.objects.filter(zone=zone)},
                officers=_officers(zone, result.accounts),
                registry=registries[plan.code],
                names=names,
                calibrated=plan is MAIN_ZONE,
            )
        )
    # Economic statistics: every zone's monthly returns; the main zone's calibrated to DOMAIN.md's
    # 2019 figures, with a present period that has work in it (statistics.py).
    for plan in ZONES:
        zone = zones[plan.code]
        result.statistics.append(
            build_statistics(
                zone,
                random.Random(f"{seed}:{plan.code}:statistics"),
                registry=registries[plan.code],
                officers=_officers(zone, result.accounts),
                accounts=result.accounts,
                calibrated=plan is MAIN_ZONE,
            )
        )
    # Matters: the main zone's agency cases, scheduling meetings, working groups, help requests,
    # help ledgers (calibrated to DOMAIN.md's 2020 H1 figures) and data queries (matters.py).
    main = zones[MAIN_ZONE.code]
    result.matters = build_matters(main, seed)
    AuditRecord.objects.bulk_create(
        audit.build(
            ACTOR,
            AuditRecord.Action.IMPORT,
            s.zone,
            zone=s.zone,
            after={
                **s.as_audit(),
                **stats.as_audit(),
                **(result.matters.as_audit() if s.zone == main else {}),
            },
            message=AUDIT_MESSAGE,
        )
        for s, stats in zip(result.zones, result.statistics, strict=True)
    )
    return result


def _write_registry(drafts, tags: dict[str, Tag], summary: ZoneSummary) -> None:
    enterprises = [d.enterprise for d in drafts]
    for enterprise in enterprises:
        validate(enterprise, check_unique=False)
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
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


def _write_accounts(zones, departments, flagships, codes, rng) -> list[tuple[User, Membership]]:
    # One hash for all demo accounts: they share one published password, and PBKDF2 at Django's
    # work factor costs a fifth of a second per call. A changed password gets its own salt.
    template = User()
    template.set_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=a.username,
            full_name=a.full_name,
            password=template.password,
            phone=_account_phone(a, flagships, codes, rng),
            is_staff=a.superuser,
            is_superuser=a.superuser,
        )
        for a in ACCOUNTS
    )
    memberships = Membership.objects.bulk_create(
        _membership(a, user, zones, departments, flagships)
        for a, user in zip(ACCOUNTS, users, strict=True)
    )
    return list(zip(users, memberships, strict=True))


def _officers(zone, accounts) -> dict:
    """The zone's demo officers by department name; None → the zone's administrator."""
    officers = {}
    for user, m in accounts:
        if m.zone_id == zone.pk and m.role in (Role.ZONE_STAFF, Role.ZONE_ADMIN):
            officers.setdefault(m.department.name if m.department_id else None, user)
    return officers


def _account_phone(account: Account, flagships: dict[str, Draft], codes: Codes, rng) -> str:
    if account.enterprise:  # the enterprise user is one of the company's listed contacts
        contacts = flagships[account.enterprise].contacts
        return next(c.phone for c in contacts if c.name == account.full_name)
    return codes.mobile(rng)


def _membership(account: Account, user, zones, departments, flagships) -> Membership:
    membership = Membership(
        user=user,
        role=Role(account.role),
        province_id=account.province,
        zone=zones.get(account.zone),
        department=departments.get((account.zone, account.department)),
        enterprise=flagships[account.enterprise].enterprise if account.enterprise else None,
    )
    membership.clean()
    return membership
