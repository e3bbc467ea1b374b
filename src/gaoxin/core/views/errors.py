"""Error answers outside the views: JSON in the API's error shape for every path under /api/
(a client of the API never gets an HTML page), a Chinese page everywhere else.

Wired as handler400/403/404/500 in gaoxin.urls and as CSRF_FAILURE_VIEW in the settings.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token

from gaoxin.core import context

API_PREFIX = "/api"


def is_api(request) -> bool:
    path = request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def api_error(status: int, detail: str) -> JsonResponse:
    """{"detail": ..., "errors": []}, as gaoxin.api's error_response writes it."""
    return JsonResponse(
        {"detail": str(detail), "errors": []},
        status=status,
        content_type="application/json; charset=utf-8",  # as ninja answers
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Every /api path no API route takes (/api, /api/v2/..., /api/v1 without its slash)."""
    return api_error(404, _("未找到该接口:%(p)s") % {"p": request.path})


def bad_request(request, exception=None):
    if is_api(request):
        return api_error(400, _("请求格式错误"))
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(403, str(exception or "") or _("无权执行此操作"))
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, _("未找到该接口:%(p)s") % {"p": request.path})
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    rid = context.request_id.get() or getattr(request, "request_id", "")
    if is_api(request):
        return api_error(500, _("服务器内部错误(请求编号 %(r)s)") % {"r": rid})
    # A plain context: whatever failed may fail again in the context processors.
    html = loader.get_template("500.html").render({"request_id": rid})
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    """A form or API call without a valid CSRF token (an expired page, another site's form)."""
    if is_api(request):
        return api_error(403, _("CSRF 校验失败:请刷新页面后重试"))
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
