from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import Tag
from ..pages import ServiceCall, zone_for


def _admin_zone(request):
    """The zone whose tags its admins keep; 404 for everyone else."""
    zone = zone_for(request)
    if not request.user.roles() & services.TAG_ADMINS:
        raise Http404
    return zone


def _refused_is_missing(call: ServiceCall) -> None:
    """A refused tag change answers 404, as the page does for those it is not open to."""
    if call.status == 403:
        raise Http404


@login_required
def tag_list(request):
    """Zone-defined labels such as industry chains (电子信息, 纺织服装, 新材料)."""
    zone = _admin_zone(request)
    if request.method == "POST":
        call = ServiceCall()
        with call:
            tag = services.create_tag(
                request.user,
                zone,
                request.POST.get("name", ""),
                request.POST.get("category", Tag.Category.INDUSTRY_CHAIN),
            )
        _refused_is_missing(call)
        if call.ok:
            messages.success(request, _("已添加标签「%(n)s」") % {"n": tag.name})
        else:
            messages.error(request, call.message())
        return redirect("tags")
    tags = Tag.objects.restrict(request.user).filter(zone=zone)
    return render(request, "core/tags.html", {"tags": tags, "categories": Tag.Category.choices})


@login_required
@require_POST
def tag_delete(request, pk):
    zone = _admin_zone(request)
    tag = Tag.objects.restrict(request.user, "delete").filter(zone=zone, pk=pk).first()
    if tag is None:
        raise Http404
    call = ServiceCall()
    with call:
        services.delete_tag(request.user, tag)
    _refused_is_missing(call)
    if call.ok:
        messages.success(request, _("已删除标签「%(n)s」") % {"n": tag.name})
    else:
        messages.error(request, call.message())
    return redirect("tags")
