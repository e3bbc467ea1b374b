from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..errors import Forbidden
from ..models import Tag


def _require_admin(request):
    roles = request.user.roles()
    if request.zone is None or not roles & services.TAG_ADMINS:
        raise Http404


@login_required
def tag_list(request):
    """Zone-defined labels such as industry chains (电子信息, 纺织服装, 新材料)."""
    _require_admin(request)
    if request.method == "POST":
        try:
            tag = services.create_tag(
                request.user,
                request.zone,
                request.POST.get("name", ""),
                request.POST.get("category", Tag.Category.INDUSTRY_CHAIN),
            )
            messages.success(request, _("已添加标签「%(n)s」") % {"n": tag.name})
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        except Forbidden:
            raise Http404 from None
        return redirect("tags")
    tags = Tag.objects.restrict(request.user).filter(zone=request.zone)
    return render(request, "core/tags.html", {"tags": tags, "categories": Tag.Category.choices})


@login_required
@require_POST
def tag_delete(request, pk):
    _require_admin(request)
    tag = Tag.objects.restrict(request.user, "delete").filter(zone=request.zone, pk=pk).first()
    if tag is None:
        raise Http404
    try:
        services.delete_tag(request.user, tag)
    except Forbidden:
        raise Http404 from None
    messages.success(request, _("已删除标签「%(n)s」") % {"n": tag.name})
    return redirect("tags")
