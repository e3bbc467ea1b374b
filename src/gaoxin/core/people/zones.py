"""Zones and their admins (platform admins only): list, create, edit; a zone's page lists its
admins and leads to creating one (the account form with the zone and role filled in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..errors import Forbidden
from ..forms import add_service_errors
from ..models import Role, User, Zone
from . import services
from .forms import ZoneForm


def _require_platform(request) -> None:
    if not services.is_platform_admin(request.user):
        raise Http404


@login_required
def zone_list(request):
    _require_platform(request)
    zones = Zone.objects.select_related("division", "province").annotate(
        admins=Count("membership", filter=Q(membership__role=Role.ZONE_ADMIN), distinct=True),
        people=Count("membership__user", distinct=True),
    )
    return render(request, "core/people/zones.html", {"zones": zones})


def _save(request, form, zone=None):
    try:
        if zone is None:
            return services.create_zone(request.user, form.cleaned_data)
        return services.update_zone(request.user, zone, form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
    except Forbidden:
        raise Http404 from None
    return None


@login_required
def zone_create(request):
    _require_platform(request)
    form = ZoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and (zone := _save(request, form)) is not None:
            messages.success(request, _("已新建园区「%(n)s」") % {"n": zone.name})
            return redirect("people:zone_edit", pk=zone.pk)
    return render(request, "core/people/zone_form.html", {"form": form}, status=status)


@login_required
def zone_edit(request, pk):
    _require_platform(request)
    zone = Zone.objects.filter(pk=pk).first()
    if zone is None:
        raise Http404
    initial = {f: getattr(zone, f) for f in ("code", "name", "short_name", "level")}
    initial["division"] = zone.division_id
    form = ZoneForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and _save(request, form, zone) is not None:
            messages.success(request, _("已保存"))
            return redirect("people:zone_edit", pk=zone.pk)
    admins = (
        User.objects.filter(memberships__zone=zone, memberships__role=Role.ZONE_ADMIN)
        .distinct()
        .order_by("username")
    )
    return render(
        request,
        "core/people/zone_form.html",
        {"form": form, "zone": zone, "admins": admins},
        status=status,
    )
