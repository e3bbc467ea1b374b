"""The utilities cockpit (水电气驾驶舱): accounts by days-left band, this year's warnings and how
they ended, the surprise stops (意外停供), consumption by industry and month, metered against
reported electricity; each figure links to its list; exported to .xlsx.

Readers: officers, leaders, admins and the province (the zone chosen with the zone switcher);
enterprise users and partner accounts get 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets import XLSX

from .. import summary
from ..cockpit_export import write_cockpit
from ..models import Account, ZoneUtilitySettings
from . import charts


@login_required
def cockpit(request):
    zone = zone_for(request, Account, VIEW)
    data = summary.cockpit(zone, clock.today())
    context = {
        **data,
        "zone": zone,
        "nav": "cockpit",
        "charts": charts.cockpit_charts(data),
        "export_url": reverse("utilities:cockpit_export"),
        "can_set_levels": can_in_zone(request.user, ZoneUtilitySettings, zone, CHANGE),
    }
    return render(request, "utilities/cockpit.html", context)


@login_required
def cockpit_export(request):
    zone = zone_for(request, Account, VIEW)
    on = clock.today()
    data = summary.cockpit(zone, on)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=utilities-{zone.code}-{on:%Y%m%d}.xlsx"
    write_cockpit(zone, data, response)
    audit.record(
        request.user, AuditRecord.Action.EXPORT, zone=zone, repr_=_("水电气驾驶舱导出"),
        message=_("导出水电气驾驶舱:%(d)s") % {"d": on.isoformat()},
    )  # fmt: skip
    return response


urlpatterns = [
    path("cockpit/", cockpit, name="cockpit"),
    path("cockpit/export/", cockpit_export, name="cockpit_export"),
]
