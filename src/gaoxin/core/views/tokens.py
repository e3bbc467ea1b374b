"""My API tokens (/account/tokens/): issue one tied to this browser session, see the live ones,
revoke any. Administrators revoke their people's tokens from the API or the people pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import tokens
from ..models import ApiToken


@login_required
def token_list(request):
    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name or len(name) > 100 or "\x00" in name:
            messages.error(request, _("请填写令牌用途(不超过 100 个字符)"))
        else:
            _token, new_key = tokens.issue(request.user, request, name=name)
    rows = ApiToken.objects.live().filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "core/tokens.html",
        {"tokens": rows, "new_key": new_key, "session_key": request.session.session_key},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    revoked = tokens.revoke(
        request.user, ApiToken.objects.live().filter(user=request.user, pk=pk), _("本人撤销")
    )
    if not revoked:
        raise Http404
    messages.success(request, _("令牌已撤销"))
    return redirect("tokens")
