from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import modules
from ..models import AuditRecord
from ..zones import SESSION_KEY, visible_zones


@login_required
def home(request):
    zone = request.zone
    recent = (
        AuditRecord.objects.restrict(request.user)
        .filter(zone=zone)
        .select_related("content_type")[:8]
        if zone
        else []
    )
    cards = modules.shown("home_cards", request) if zone else []
    return render(request, "core/home.html", {"zone": zone, "cards": cards, "recent": recent})


@login_required
@require_POST
def switch_zone(request):
    pk = request.POST.get("zone", "").strip()
    # Not a number (or beyond what the database compares) reads like a zone the user cannot see.
    zone = (
        visible_zones(request.user).filter(pk=int(pk)).first()
        if pk.isascii() and pk.isdigit() and len(pk) <= 18
        else None
    )
    if zone is None:
        messages.error(request, _("未找到要切换的园区,或您无权查看该园区"))
    else:
        request.session[SESSION_KEY] = zone.pk
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)
