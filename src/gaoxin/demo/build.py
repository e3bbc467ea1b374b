"""Build the demo province in one transaction: the zones with their departments and chain tags,
then every installed module's demo step in dependency order (`Module.demo_step`, each after the
modules its `demo_after` names), then one audit record per zone with what each step wrote.

The orchestrator names no module: a module that is not installed is simply not run, and a new
one joins by declaring its step (docs/adding-a-module.md). The steps share one `Demo` context
(context.py); each returns a summary kept under its label.
"""

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from gaoxin.core import audit, modules
from gaoxin.core.models import AuditRecord, Department, Tag, User, Zone

from .context import Demo
from .plan import ACCOUNTS, AS_OF, DEFAULT_SEED, MAIN_ZONE, PASSWORD, REGISTRY_KEEPERS, ZONES

ACTOR = "system"
AUDIT_MESSAGE = gettext_noop("演示数据")  # kept in Chinese, shown in the reader's language


class DemoExists(Exception):
    """The database already holds data the demo would clash with."""


def blockers() -> str | None:
    """Why the demo cannot be loaded here, or None on an empty database. Every module's rows
    belong to a zone (a protected foreign key), so a database without zones holds none."""
    zones = Zone.objects.count()
    if zones:
        return f"数据库中已有 {zones} 个园区"
    taken = sorted(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        return f"演示账号 {'、'.join(taken)} 已存在"
    return None


def steps() -> list[tuple[str, str]]:
    """(module label, dotted path of its demo step) of the installed modules, in the order they
    run: each after the modules its `demo_after` names."""
    return [
        (m.label, m.demo_step)
        for m in modules.in_dependency_order(modules.installed())
        if m.demo_step
    ]


@transaction.atomic
def build_demo(seed: int = DEFAULT_SEED, progress=None, through: str | None = None) -> Demo:
    """Load the demo province and return its context (`summaries` holds each step's summary);
    `progress(line)` receives the lines the steps report as they go; `through` stops after that
    module's step (the zones and their registry alone: `through="enterprises"`)."""
    reason = blockers()
    if reason:
        raise DemoExists(reason)
    demo = Demo(
        seed=seed,
        plans=ZONES,
        main=MAIN_ZONE,
        as_of=AS_OF,
        account_plans=ACCOUNTS,
        password=PASSWORD,
        keepers=REGISTRY_KEEPERS,
        progress=progress or (lambda line: None),
    )
    for plan in ZONES:
        _write_zone(demo, plan)
    for label, path in steps():
        demo.summaries[label] = import_string(path)(demo)
        if label == through:
            break
    AuditRecord.objects.bulk_create(
        audit.build(
            ACTOR,
            AuditRecord.Action.IMPORT,
            zone,
            zone=zone,
            after=_audit_counts(demo, zone),
            message=AUDIT_MESSAGE,
        )
        for zone in demo.zones.values()
    )
    return demo


def _write_zone(demo: Demo, plan) -> None:
    """The zone, its departments and its industry-chain tags."""
    zone = Zone.objects.create(
        code=plan.code,
        name=plan.name,
        short_name=plan.short_name,
        level=plan.level,
        division_id=plan.division,
    )
    demo.zones[plan.code] = zone
    departments = Department.objects.bulk_create(
        Department(zone=zone, name=name, short_name=short) for name, short in plan.departments
    )
    demo.departments[plan.code] = {d.name: d for d in departments}
    tags = Tag.objects.bulk_create(
        Tag(zone=zone, name=name, category=Tag.Category.INDUSTRY_CHAIN) for name in plan.tags
    )
    demo.tags[plan.code] = {t.name: t for t in tags}


def _audit_counts(demo: Demo, zone) -> dict:
    counts = {
        "部门": len(demo.departments[zone.code]),
        "产业链标签": len(demo.tags[zone.code]),
    }
    for summary in demo.summaries.values():
        if hasattr(summary, "audit"):
            counts.update(summary.audit(zone))
    return counts
