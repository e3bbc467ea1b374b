"""The standard categories every zone starts with (DOMAIN.md, "Services and help"): the approval
items of agency cases, the six help measures, the kinds of scheduling problems, data queries and
visit follow-ups. A zone changes their service levels and departments, and adds its own."""

from django.db import transaction

from .models import Category, Kind

# (code, name, service level in working days)
STANDARD = {
    Kind.AGENCY: (
        ("project_filing", "项目备案/核准", 5),
        ("land_presite", "用地预审与选址", 20),
        ("land_planning", "建设用地规划许可", 10),
        ("building_planning", "建设工程规划许可", 10),
        ("drawing_review", "施工图审查", 10),
        ("construction_permit", "施工许可", 7),
        ("eia", "环评", 20),
        ("energy_review", "能评", 15),
        ("fire_design", "消防设计审查", 10),
        ("joint_acceptance", "竣工联合验收", 15),
    ),
    Kind.HELP: (
        ("epidemic", "防疫", 5),
        ("return_to_work", "返岗", 10),
        ("recruitment", "招工", 10),
        ("supplies", "物资", 5),
        ("funding", "资金", 15),
        ("work_safety", "安全生产", 10),
    ),
    Kind.SCHEDULING: (
        ("land", "用地保障", 15),
        ("approval", "审批手续", 15),
        ("construction", "施工建设", 15),
        ("utilities", "水电气配套", 15),
        ("funding", "资金到位", 15),
        ("other", "其他问题", 15),
    ),
    Kind.DATA_QUERY: (("data_query", "统计数据核实", 5),),
    Kind.VISIT: (("visit", "走访发现问题", 10),),
}


def ensure_categories(zone) -> None:
    """Give a zone the standard categories it does not have yet (idempotent, cheap when done)."""
    zone_id = getattr(zone, "pk", zone)
    have = set(Category.objects.filter(zone_id=zone_id).values_list("kind", "code"))
    missing = [
        Category(zone_id=zone_id, kind=kind, code=code, name=name, service_days=days, order=i)
        for kind, rows in STANDARD.items()
        for i, (code, name, days) in enumerate(rows)
        if (kind, code) not in have
    ]
    if missing:
        with transaction.atomic():
            Category.objects.bulk_create(missing, ignore_conflicts=True)


def categories_for(zone, kind=None):
    """The zone's active categories (of one kind), standard ones created on first use."""
    ensure_categories(zone)
    qs = Category.objects.filter(zone=zone, is_active=True)
    return qs.filter(kind=kind) if kind else qs


def standard(zone, kind, code=None) -> Category | None:
    """A standard category of the zone: the one named `code`, else the kind's first."""
    ensure_categories(zone)
    code = code or STANDARD[Kind(kind)][0][0]
    return Category.objects.filter(zone=zone, kind=kind, code=code).first()
