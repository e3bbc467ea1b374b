"""Each person's inbox of matters to act on (their notifications are core's: `/notifications/`).

The inbox, in the zone the person works in, holds the active matters:
- where they are the officer or a helper;
- for zone staff, their department's matters nobody owns yet;
- for zone admins (and the platform admin), the zone's matters nobody owns yet and the escalated;
- for zone leaders, the escalated ones;
- for enterprise users, their own open requests and those resolved awaiting their rating.
Red first, then yellow, then by due date.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import RedirectView

from gaoxin.core import clock
from gaoxin.core.pages import zone_for
from gaoxin.core.paging import page_of
from gaoxin.core.roles import ADMINS, PLATFORM_ADMIN, ZONE_LEADER, ZONE_STAFF

from ..models import ACTIVE, Light, Matter, Status
from .matters import visible_matters

PER_PAGE = 50


def inbox_q(user, zone) -> Q:
    """Which of the zone's matters wait for `user` (see the module's docstring)."""
    if user.is_enterprise_only():
        return Q(status__in=ACTIVE) | Q(status=Status.RESOLVED, rating__isnull=True)
    helping = Matter.helpers.through.objects.filter(user=user).values("matter_id")
    q = Q(officer=user) | Q(pk__in=helping)
    roles = set()
    departments = set()
    for m in user.memberships_cached():
        if m.role == PLATFORM_ADMIN or m.zone_id == zone.pk:
            roles.add(m.role)
            if m.role == ZONE_STAFF and m.department_id:
                departments.add(m.department_id)
    if departments:
        q |= Q(department_id__in=departments, officer__isnull=True)
    if roles & ADMINS:
        q |= Q(officer__isnull=True) | Q(escalated_at__isnull=False)
    if ZONE_LEADER in roles:
        q |= Q(escalated_at__isnull=False)
    return Q(status__in=ACTIVE) & q


def inbox_matters(user, zone, today):
    """The matters waiting for `user` in `zone`, red first, then yellow, then by due date."""
    return (
        visible_matters(user, zone, today)
        .filter(inbox_q(user, zone))
        .order_by("light_rank", "due_on", "pk")
    )


def _why(matter, user, helping: set[int]) -> str:
    """Why the matter is in this inbox, in a word."""
    if matter.officer_id == user.pk:
        return _("我负责")
    if matter.pk in helping:
        return _("我协办")
    if matter.escalated_at:
        return _("升级督办")
    if matter.status == Status.RESOLVED:
        return _("待评价")
    if matter.officer_id is None:
        return _("待分派")
    return _("待办理")


@login_required
def inbox(request):
    zone = zone_for(request)
    user = request.user
    today = clock.today()
    rows = inbox_matters(user, zone, today)
    counts = rows.order_by().aggregate(
        total=Count("pk"),
        red=Count("pk", filter=Q(light_db=Light.RED)),
        yellow=Count("pk", filter=Q(light_db=Light.YELLOW)),
    )
    # counted above with the lights: no second COUNT
    page = page_of(request, rows, PER_PAGE, counted=(counts["total"], True))
    matters = list(page.object_list)
    helping = set(
        Matter.helpers.through.objects.filter(
            user=user, matter_id__in=[m.pk for m in matters]
        ).values_list("matter_id", flat=True)
    )
    return render(
        request,
        "matters/inbox.html",
        {
            "page": page,
            "rows": [(m, _why(m, user, helping)) for m in matters],
            "counts": counts,
            "today": today,
            "zone": zone,
            "is_enterprise": user.is_enterprise_only(),
        },
    )


def notifications_read_moved(request):
    """The old address of marking notifications read: a 308, so that the browser repeats the POST
    (with its form) at core's `notifications_read`."""
    response = HttpResponsePermanentRedirect(reverse("notifications_read"))
    response.status_code = 308
    return response


urlpatterns = [
    path("inbox/", inbox, name="inbox"),
    # The notifications moved to core (`/notifications/`): old links and forms still arrive.
    path(
        "notifications/",
        RedirectView.as_view(pattern_name="notifications", permanent=True, query_string=True),
        name="notifications",
    ),
    path("notifications/read/", notifications_read_moved, name="notifications_read"),
]
