from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import audit_display, modules, workbench
from ..models import AuditRecord, Notification, Role
from ..zones import SESSION_KEY, visible_zones

UNREAD_SHOWN = 5


def notifications_card(request) -> dict:
    """Core's own card: the person's unread notifications, newest first."""
    unread = Notification.objects.restrict(request.user).unread()
    shown = list(unread.select_related("sender")[:UNREAD_SHOWN])
    tasks = [
        workbench.Task(
            n.text,
            n.url or reverse("notifications"),
            note=f"{n.sender.display_name if n.sender else ''} {localtime(n.created_at):%m-%d %H:%M}",
            tone=n.kind_info.tone if n.kind_info.tone in workbench.TONES else "secondary",
            badge=str(n.kind_label),
        )
        for n in shown
    ]
    return workbench.card(
        _("未读通知"),
        icon="bi-bell",
        url=reverse("notifications"),
        tasks=tasks,
        count=len(tasks) if len(tasks) < UNREAD_SHOWN else unread.count(),
        empty=_("没有未读通知。"),
        key="notifications",
    )


@login_required
def home(request):
    """The person's workbench: their tasks from every module first (core.workbench), then, for
    the government side, the zone at a glance; the recent changes for those who read the log."""
    zone = request.zone
    recent = (
        AuditRecord.objects.restrict(request.user)
        .filter(zone=zone)
        .select_related("content_type")[:8]
        if zone
        else []
    )
    recent = audit_display.present(recent)  # people by their names, not their account names
    shown = modules.shown("home_cards", request) if zone else []
    tasks = [notifications_card(request)] if zone else []
    tasks += [c.context for c in shown if c.template == workbench.CARD_TEMPLATE]
    roles = request.user.roles()
    context = {
        "zone": zone,
        "task_cards": [c for c in tasks if c["tasks"] or c["figures"] or c["empty"]],
        "cards": [c for c in shown if c.template != workbench.CARD_TEMPLATE],
        "recent": recent,
        "role_labels": [label for value, label in Role.choices if value in roles],
    }
    return render(request, "core/home.html", context)


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
