"""Each person's notifications (`/notifications/`, the bell in the top bar): the list, newest
first, unread marked; mark one read and open what it is about, or mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Notification
from ..models.access import VIEW
from ..paging import page_of

PER_PAGE = 50


@login_required
def notification_list(request):
    rows = Notification.objects.restrict(request.user)
    page = page_of(request, rows, PER_PAGE)
    # The unread count: the bell's (`unread_count`), counted once per request.
    return render(request, "core/notifications.html", {"page": page})


def _opens(user, note) -> str | None:
    """The page the notification opens, when `user` may still see what it is about (a target
    whose model answers `restrict()` is checked; the page itself checks any other)."""
    if not note.url or not url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return None
    if note.content_type_id is None:
        return note.url
    model = note.content_type.model_class()
    if model is None:
        return None
    rows = model._default_manager.all()
    if hasattr(rows, "restrict"):
        rows = rows.restrict(user, VIEW)
    return note.url if rows.filter(pk=note.object_id).exists() else None


@login_required
@require_POST
def notification_read(request):
    """Mark one notification read (`id`, then open its page) or all of them."""
    mine = Notification.objects.restrict(request.user)
    now = timezone.now()
    ident = request.POST.get("id", "")
    if ident:
        note = mine.filter(pk=ident).first() if ident.isdigit() and len(ident) < 19 else None
        if note is None:
            raise Http404(_("未找到该通知"))
        if note.read_at is None:
            mine.filter(pk=note.pk).update(read_at=now)
        return redirect(_opens(request.user, note) or "notifications")
    count = mine.unread().update(read_at=now)
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications")
