"""The REST API at /api/v1: one NinjaAPI, its authentication, its error shape and its docs.

Every error answers {"detail": "...", "errors": [{"field": "...", "message": "..."}]} (DESIGN.md,
Conventions): 400 malformed body, 401 not signed in, 403 forbidden, 404 missing or not visible,
405 wrong method, 409 stale version, 422 invalid data. Bad input never becomes a 500.
"""

import copy
import logging
from functools import wraps
from pathlib import Path

import ninja
from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.views import openapi_view
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer

from gaoxin.core import context, modules, partners
from gaoxin.core.api import LAST_USED_EVERY
from gaoxin.core.api import router as core_router
from gaoxin.core.api_tokens import router as tokens_router
from gaoxin.core.errors import Forbidden, NotFound, StaleVersion
from gaoxin.core.models import ApiToken
from gaoxin.core.people.api import auth_router as password_router
from gaoxin.core.people.api import hold_for_password_change
from gaoxin.core.people.api import router as people_router

logger = logging.getLogger(__name__)


# --- authentication -------------------------------------------------------------------------


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        if not token or len(token) > 256:
            return None
        api_token = ApiToken.objects.for_key(token)  # expired keys are not found
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        # At most one write a minute per token: an UPDATE on every read would serialise readers.
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        hold_for_password_change(request, api_token.user)  # 403 until a due change is made
        if not partners.may_reach(api_token.user, request.path_info):
            raise NotFound()  # a partner account reaches its modules only (core.partners)
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; CSRF applies to its unsafe methods.

    CSRF is checked only when the session really signs someone in, so a request with a bad
    bearer token and no session answers 401, not a confusing CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


# --- docs without a CDN ---------------------------------------------------------------------

# Zone intranets are often offline: Swagger UI is served from the copy shipped inside ninja.
DOCS_ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
DOCS_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="stylesheet" href="{{ css }}">
<link rel="icon" href="{{ icon }}" type="image/png">
</head>
<body data-csrf-token="{{ csrf_token }}" data-api-csrf="true">
{{ swagger_settings|json_script:"swagger-settings" }}
<div id="swagger-ui"></div>
<script src="{{ bundle }}"></script>
<script src="{{ init }}"></script>
</body>
</html>
"""


class OfflineSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        def asset(name):
            return reverse(f"{api.urls_namespace}:docs-asset", args=[name])

        page = engines["django"].from_string(DOCS_PAGE)
        html = page.render(
            {
                "title": api.title,
                "css": asset("swagger-ui.css"),
                "icon": asset("favicon.png"),
                "bundle": asset("swagger-ui-bundle.js"),
                "init": asset("swagger-ui-init.js"),
                "csrf_token": get_token(request),
                "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
            }
        )
        return HttpResponse(html)


def docs_asset(request, name):
    if name not in DOCS_ASSETS:
        raise Http404(name)
    response = FileResponse((DOCS_ASSET_DIR / name).open("rb"), content_type=DOCS_ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def docs_for_signed_in(view):
    """The docs page and the schema need someone the API itself lets in (session or token),
    unless settings.API_DOCS_PUBLIC: anonymous get the login page (docs) or a 401 (schema)."""
    is_page = getattr(view, "func", view) is openapi_view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.API_DOCS_PUBLIC:
            try:
                user = next((u for auth in api.auth if (u := auth(request))), None)
            except HttpError as exc:  # e.g. a token held until a password change: 403
                return api.on_exception(request, exc)
            if user is None and is_page:
                return redirect_to_login(request.get_full_path())
            if user is None:
                return error_response(request, 401, STATUS_DETAILS[401])
        return view(request, *args, **kwargs)

    return wrapped


# --- the API --------------------------------------------------------------------------------


class GaoxinAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Built once per language and prefix: the operations are fixed once the URLs are loaded,
        and building the document takes over a second. Each caller gets its own copy."""
        key = (get_language(), path_prefix, tuple(sorted((path_params or {}).items())))
        built = self.__dict__.setdefault("_built_schemas", {})
        if key not in built:
            built[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return copy.deepcopy(built[key])

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = _json_not_allowed(pattern.callback)
        # Docs assets first, a JSON 404 for every other path under /api/v1/ last.
        return [
            path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
            *urls,
            # Exempt: an unsafe method on an unknown path answers 404 in JSON, not the CSRF page.
            re_path(r"^.*$", csrf_exempt(self._not_found), name="not-found"),
        ]

    def _not_found(self, request, *args, **kwargs):
        return error_response(request, 404, _("未找到该接口:%(p)s") % {"p": request.path})


def _json_not_allowed(view):
    """ninja answers a wrong method with a bare 405; give it the API's error shape."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allow = response["Allow"]
            response = error_response(
                request, 405, _("不支持 %(m)s 方法(可用:%(a)s)") % {"m": request.method, "a": allow}
            )
            response["Allow"] = allow
        return response

    return wrapped


class JSONOnlyParser(Parser):
    """Request bodies are JSON, declared as such. Any other content type (a multipart body without
    a boundary, a form, plain text) is refused before a view runs (415), so nothing downstream —
    the lockout's bookkeeping included — ever parses a body it cannot read."""

    def parse_body(self, request):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            request.body_error = (415, _("请求体应为 JSON(Content-Type: application/json)"))
            raise ValueError(content_type)
        return super().parse_body(request)


class UnicodeJSONRenderer(JSONRenderer):
    # Chinese text as UTF-8, not \\uXXXX escapes: readable in logs, curl and exports.
    json_dumps_params = {"ensure_ascii": False}


api = GaoxinAPI(
    title="高新区管理平台 API",
    version="1",
    description=(
        "先用 POST /api/v1/auth/token 换取令牌,再以 `Authorization: Bearer <令牌>` 调用;"
        "浏览器中也可直接使用登录会话(修改类请求需带 X-CSRFToken)。"
        '错误统一为 {"detail": ..., "errors": [{"field": ..., "message": ...}]}。'
    ),
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
    docs_decorator=docs_for_signed_in,
    renderer=UnicodeJSONRenderer(),
    parser=JSONOnlyParser(),
)
api.add_router("", core_router)
api.add_router("/auth", tokens_router)
api.add_router("/auth", password_router)
api.add_router("/people", people_router)
for module in modules.installed():  # each module's routers under its declared prefixes
    for prefix, router in module.api_routers:
        api.add_router(prefix, import_string(router))


# --- errors ---------------------------------------------------------------------------------


def error_response(request, status, detail, errors=(), **extra):
    body = {
        "detail": str(detail),
        "errors": [{"field": str(f), "message": str(m)} for f, m in errors],
        **extra,
    }
    return api.create_response(request, body, status=status)


STATUS_DETAILS = {
    400: "请求格式错误",
    401: "未登录或令牌无效、已过期",
    403: "无权执行此操作",
    404: "未找到",
    405: "不支持该请求方法",
    415: "请求体应为 JSON(Content-Type: application/json)",
    429: "请求过于频繁,请稍后再试",
}
NINJA_MESSAGES = {  # ninja's own English messages, by prefix
    "Cannot parse request body": "请求体不是合法的 JSON",
    "CSRF check Failed": "CSRF 校验失败:请刷新页面后重试",
    "Unauthorized": STATUS_DETAILS[401],
    "Forbidden": STATUS_DETAILS[403],
    "Too many requests": STATUS_DETAILS[429],
}


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if getattr(request, "body_error", None):
        status, message = request.body_error
        return error_response(request, status, message)
    message = str(exc)
    for prefix, chinese in NINJA_MESSAGES.items():
        if message.startswith(prefix):
            message = chinese
            break
    return error_response(request, exc.status_code, message or STATUS_DETAILS.get(exc.status_code))


# Pydantic error types → Chinese; `{...}` placeholders come from the error's ctx.
SCHEMA_MESSAGES = {
    "missing": "此项为必填项",
    "extra_forbidden": "不支持的字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": '应为数字(可写作字符串,如 "1200.5")',
    "decimal_parsing": '应为数字(可写作字符串,如 "1200.5")',
    "finite_number": "应为有限的数字",
    "decimal_max_digits": "数字位数不能超过 {max_digits} 位",
    "decimal_max_places": "小数位数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "datetime_type": "时间格式应为 ISO 8601,如 2024-01-31T08:00:00+08:00",
    "datetime_parsing": "时间格式应为 ISO 8601,如 2024-01-31T08:00:00+08:00",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "literal_error": "取值应为 {expected} 之一",
    "enum": "取值应为 {expected} 之一",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "too_long": "最多 {max_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "json_invalid": "不是合法的 JSON",
}


# Endpoints name their schema parameters so; ninja puts the name into error locations.
SCHEMA_PARAM_NAMES = {"payload", "filters", "params"}


def schema_error_field(loc) -> str:
    """("body", "payload", "contacts", 0, "email") → "contacts[0].email"; a query list → "tag"."""
    source, parts = (loc[0], list(loc[1:])) if loc else ("", [])
    if parts and (source == "body" or parts[0] in SCHEMA_PARAM_NAMES):
        parts = parts[1:]
    if source != "body":
        return str(parts[0]) if parts else ""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_error_message(error) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type"))
    ctx = error.get("ctx") or {}
    if template is None:
        # Our own validators raise ValueError with a Chinese message; keep it without the prefix.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", ", ")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or error.get("msg", "")


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    errors = []
    for error in exc.errors:
        field = schema_error_field(tuple(error.get("loc", ())))
        if not field and error.get("type") == "missing":
            errors.append(("", _("请求体不能为空")))
        else:
            errors.append((field, schema_error_message(error)))
    return validation_response(request, errors)


def validation_response(request, errors):
    if len(errors) == 1:
        field, message = errors[0]
        detail = f"{field}:{message}" if field else message
    else:
        detail = _("提交的数据有 %(n)d 处错误") % {"n": len(errors)}
    return error_response(request, 422, detail, errors)


@api.exception_handler(DjangoValidationError)
def on_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [
            ("" if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [("", message) for message in exc.messages]
    return validation_response(request, errors)


@api.exception_handler(StaleVersion)
def on_stale_version(request, exc):
    return error_response(
        request,
        409,
        str(exc),
        [("version", _("当前版本为 %(v)s") % {"v": exc.current_version})],
        current_version=exc.current_version,
    )


@api.exception_handler(Forbidden)
def on_forbidden(request, exc):
    return error_response(request, 403, str(exc) or STATUS_DETAILS[403])


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, str(exc) or STATUS_DETAILS[403])


_DOES_NOT_EXIST = {}


def _missing_model(exc_class):
    if not _DOES_NOT_EXIST:
        _DOES_NOT_EXIST.update({m.DoesNotExist: m for m in apps.get_models()})
    return next((_DOES_NOT_EXIST[c] for c in exc_class.__mro__ if c in _DOES_NOT_EXIST), None)


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc):
    # Missing and not visible answer the same 404, named by the model ("未找到该企业").
    model = _missing_model(type(exc))
    if model is None:
        return error_response(request, 404, STATUS_DETAILS[404])
    return error_response(request, 404, _("未找到该%(m)s") % {"m": model._meta.verbose_name})


@api.exception_handler(NotFound)
def on_not_found(request, exc):
    return error_response(request, 404, str(exc) or STATUS_DETAILS[404])


@api.exception_handler(Http404)
def on_http404(request, exc):
    return error_response(request, 404, STATUS_DETAILS[404])


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    rid = context.request_id.get() or getattr(request, "request_id", "")
    return error_response(request, 500, _("服务器内部错误(请求编号 %(r)s)") % {"r": rid})
