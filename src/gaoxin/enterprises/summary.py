"""The zone's registry in figures, for the home page (all counts through the access path)."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Enterprise, Status


def zone_summary(user, zone) -> dict:
    qs = Enterprise.objects.restrict(user, "view").active().filter(zone=zone)
    totals = qs.aggregate(
        total=Count("pk"),
        operating=Count("pk", filter=Q(status=Status.OPERATING)),
        above_scale=Count("pk", filter=Q(above_scale=True, status=Status.OPERATING)),
        high_tech=Count("pk", filter=Q(high_tech=True, status=Status.OPERATING)),
    )
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    by_tag = list(
        qs.filter(status=Status.OPERATING)
        .values_list("tags__name")
        .annotate(n=Count("pk"))
        .exclude(tags__name=None)
        .order_by("-n")
    )
    new_above = list(
        qs.filter(above_scale=True, above_scale_since__isnull=False)
        .annotate(year=ExtractYear("above_scale_since"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    status_labels = dict(Status.choices)
    return {
        **totals,
        "new_above_scale": new_above,
        "charts": {
            "by_tag": {
                "tooltip": {},
                "grid": {"left": 80, "right": 20, "top": 10, "bottom": 30},
                "xAxis": {"type": "value"},
                "yAxis": {"type": "category", "data": [t for t, _n in reversed(by_tag)]},
                "series": [{"type": "bar", "data": [n for _t, n in reversed(by_tag)]}],
            },
            "by_status": {
                "tooltip": {"trigger": "item"},
                "series": [
                    {
                        "type": "pie",
                        "radius": ["45%", "70%"],
                        "data": [
                            {"name": str(status_labels[s]), "value": by_status.get(s, 0)}
                            for s in Status.values
                        ],
                    }
                ],
            },
            "new_above": {
                "tooltip": {},
                "grid": {"left": 40, "right": 20, "top": 20, "bottom": 30},
                "xAxis": {"type": "category", "data": [str(y) for y, _n in new_above]},
                "yAxis": {"type": "value", "minInterval": 1},
                "series": [
                    {
                        "type": "bar",
                        "data": [n for _y, n in new_above],
                        "label": {"show": True, "position": "top"},
                    }
                ],
            },
        },
    }


def home_card(request) -> dict | None:
    """The home page's card: the zone's registry at a glance (core.modules, `home_cards`)."""
    zone = request.zone
    if zone is None:
        return None
    summary = zone_summary(request.user, zone)
    return {"summary": summary, "charts": summary.pop("charts")}


def my_enterprise_card(request) -> dict | None:
    """An enterprise user's card: their enterprise and the way to its whole file (一企一档)."""
    from gaoxin.core import workbench

    ids = request.user.own_enterprise_ids()
    found = list(Enterprise.objects.restrict(request.user, "view").active().filter(pk__in=ids)[:3])
    if not found:
        return None
    tasks = [
        workbench.Task(
            e.name,
            reverse("enterprises:detail", args=[e.pk]),
            note=e.get_status_display(),
            tone="info",
            badge=_("一企一档"),
        )
        for e in found
    ]
    return workbench.card(_("我的企业"), icon="bi-building", tasks=tasks, key="my-enterprise")
