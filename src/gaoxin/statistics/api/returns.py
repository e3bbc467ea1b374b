"""Monthly returns: the list, one return, a new draft, edits, the workflow (submit, accept, send
back, revise), who has not reported yet (催报) and reminders. Writes go through `services`."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Status

from gaoxin.core.api import (
    WRITE_ERRORS,
    ErrorOut,
    PathId,
    check_access,
    local,
    number,
    one_zone,
    paginate,
    reading_zone,
    valid_id,
    version_from,
    zone_by_code,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import CHANGE, VIEW, can_add
from gaoxin.core.paging import capped_count
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Enterprise

from .. import services
from ..models import Finding, Reminder, Return, ReturnStatus
from ..ordering import by_enterprise_name
from .common import router
from .schemas import (
    READ_ERRORS,
    StatMissingOut,
    StatReasonIn,
    StatReminderIn,
    StatReminderOut,
    StatReturnDetail,
    StatReturnIn,
    StatReturnList,
    StatReturnPatch,
    StatReturnQuery,
    StatReviseIn,
    StatVersionIn,
    check_codes,
    enterprise_ref,
    figures_in,
    period_text,
    sees_zone,
)

CREATE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Service errors under these names are the return's own; any other names a figure of `data`.
RETURN_FIELDS = {"__all__", "status", "version", "reason", "period", "data", "findings",
                 "explanations", "explanation", "enterprise"}  # fmt: skip


@contextmanager
def figure_fields():
    """The services name a bad figure by its indicator code; the API by its place, data.<code>
    (an unexplained warning is explanations.<rule code> in both)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                k if k in RETURN_FIELDS or k.startswith("explanations.") else f"data.{k}": v
                for k, v in exc.message_dict.items()
            }
        ) from None


def visible(user):
    return Return.objects.restrict(user, VIEW)


def return_out(r: Return) -> dict:
    return {
        "id": r.pk,
        "zone": r.zone.code,
        "enterprise": enterprise_ref(r.enterprise),
        "period": period_text(r.period),
        "period_label": r.period_obj.label(),
        "status": r.status,
        "status_name": r.get_status_display(),
        "data": {code: number(value) for code, value in figures_in(r.data).items()},
        "explanations": {str(k): str(v) for k, v in (r.explanations or {}).items()},
        "due_on": r.due_on,
        "submitted_at": local(r.submitted_at),
        "reviewed_at": local(r.reviewed_at),
        "returned_reason": r.returned_reason,
        "revision": r.revision,
        "version": r.version,
        "updated_at": local(r.updated_at),
    }


def finding_brief(f: Finding) -> dict:
    return {
        "id": f.pk,
        "rule_code": f.rule_code,
        "kind": f.kind,
        "indicator": f.indicator.code if f.indicator_id else None,
        "severity": f.severity,
        "severity_name": f.get_severity_display(),
        "message": f.message,
        "status": f.status,
        "status_name": f.get_status_display(),
        "explanation": f.explanation,
    }


def return_detail(user, pk: int, response=None) -> dict:
    ret = visible(user).select_related("zone", "enterprise").get(pk=valid_id(pk, Return))
    findings = ret.findings.select_related("indicator").order_by("severity", "pk")
    if response is not None:
        response["ETag"] = f'"{ret.version}"'
    return {**return_out(ret), "findings": [finding_brief(f) for f in findings]}


def check_return(user, pk: int, *, review: bool = False) -> Return:
    """The return `pk` for a write: 404 unless visible, 403 unless `user` may change it (and, to
    review it, works on the zone as an officer)."""
    check_access(visible(user), Return.objects.restrict(user, CHANGE), pk, _("无权修改该报表"))
    ret = Return.objects.select_related("zone", "enterprise").get(pk=pk)
    if review:
        services.require_officer(user, ret.zone)  # the service's own refusal, told first
    return ret


def writing_enterprise(user, enterprise_id: int | None) -> Enterprise:
    """The enterprise a new return is for: the body's, or the enterprise user's own."""
    if enterprise_id is None:
        own = user.own_enterprise_ids()
        if len(own) != 1:
            raise ValidationError({"enterprise_id": _("请指定企业编号 enterprise_id")})
        enterprise_id = own.pop()
    enterprises = Enterprise.objects.restrict(user, VIEW).active().select_related("zone")
    enterprise = enterprises.filter(pk=valid_id(enterprise_id, Enterprise)).first()
    if enterprise is None:
        raise Enterprise.DoesNotExist()
    if not (enterprise.pk in user.own_enterprise_ids() or can_add(user, Return, enterprise.zone)):
        raise Forbidden(_("无权填报该企业的报表"))  # as services.return_for says it
    return enterprise


@router.get(
    "/returns",
    response={200: StatReturnList, **READ_ERRORS},
    summary="月度报表列表(企业用户只见本企业)",
)
def list_returns(request, filters: Query[StatReturnQuery]):
    user = request.auth
    qs = visible(user).select_related("zone", "enterprise")
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.period:
        qs = qs.filter(period=Period.parse(filters.period, field="period").key)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    counted = capped_count(qs)  # before the order's join
    ordered = by_enterprise_name(qs, count=counted[0])
    page = paginate(ordered, filters.page, filters.page_size, filters.cursor, counted=counted)
    return page.out([return_out(r) for r in page.rows])


@router.get(
    "/returns/{int:return_id}",
    response={200: StatReturnDetail, 401: ErrorOut, 404: ErrorOut},
    summary="月度报表详情(含审核发现)",
)
def get_return(request, response: HttpResponse, return_id: PathId):
    return return_detail(request.auth, return_id, response)


@router.post(
    "/returns",
    response={201: StatReturnDetail, **CREATE_ERRORS},
    summary="新建月度报表草稿",
)
def create_return(request, response: HttpResponse, payload: StatReturnIn):
    user = request.auth
    period = Period.parse(payload.period, field="period").key
    enterprise = writing_enterprise(user, payload.enterprise_id)
    check_codes(enterprise.zone, payload.data)
    existing = Return.objects.filter(enterprise=enterprise, period=period).first()
    if existing is not None:
        raise ValidationError(
            {"period": _("该企业本期报表已存在(编号 %(id)s),请修改原报表") % {"id": existing.pk}}
        )
    with figure_fields(), transaction.atomic():
        ret = services.return_for(user, enterprise, period, create=True)
        ret = services.save_draft(
            user, ret, data=payload.data, explanations=payload.explanations, version=ret.version
        )
    response["Location"] = f"{request.path.rstrip('/')}/{ret.pk}"
    return Status(201, return_detail(user, ret.pk, response))


@router.patch(
    "/returns/{int:return_id}",
    response={200: StatReturnDetail, **WRITE_ERRORS},
    summary="修改报表草稿(版本不符答 409)",
)
def update_return(
    request,
    response: HttpResponse,
    return_id: PathId,
    payload: StatReturnPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    version = version_from(payload.version, if_match, required=True)
    ret = check_return(user, return_id)
    check_codes(ret.zone, payload.data)
    with figure_fields():
        services.save_draft(
            user, ret, data=payload.data, explanations=payload.explanations, version=version
        )
    return return_detail(user, return_id, response)


def _action(request, response, return_id, payload, if_match, act, *, review=False):
    user = request.auth
    version = version_from(payload.version, if_match, required=True)
    ret = check_return(user, return_id, review=review)
    act(user, ret, version)
    return return_detail(user, return_id, response)


@router.post(
    "/returns/{int:return_id}/submit",
    response={200: StatReturnDetail, **WRITE_ERRORS},
    summary="报送报表(运行审核规则,记录发现;企业报送时有未更正的错误或未说明的警告则拒绝)",
)
def submit_return(
    request,
    response: HttpResponse,
    return_id: PathId,
    payload: StatVersionIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    def act(user, ret, version):
        with figure_fields():  # an enterprise's return with findings standing: 422, each named
            services.submit(user, ret, version=version)

    return _action(request, response, return_id, payload, if_match, act)


@router.post(
    "/returns/{int:return_id}/accept",
    response={200: StatReturnDetail, **WRITE_ERRORS},
    summary="审核通过报表(有未处理的错误或未说明的警告时拒绝)",
)
def accept_return(
    request,
    response: HttpResponse,
    return_id: PathId,
    payload: StatVersionIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    def act(user, ret, version):
        services.accept(user, ret, version=version)

    return _action(request, response, return_id, payload, if_match, act, review=True)


@router.post(
    "/returns/{int:return_id}/send-back",
    response={200: StatReturnDetail, **WRITE_ERRORS},
    summary="退回报表(需填写理由)",
)
def send_back_return(
    request,
    response: HttpResponse,
    return_id: PathId,
    payload: StatReasonIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    if not payload.reason.strip():
        raise ValidationError({"reason": _("请填写退回理由")})

    def act(user, ret, version):
        services.send_back(user, ret, reason=payload.reason.strip(), version=version)

    return _action(request, response, return_id, payload, if_match, act, review=True)


@router.post(
    "/returns/{int:return_id}/revise",
    response={200: StatReturnDetail, **WRITE_ERRORS},
    summary="修订已报送或已审核的报表(需填写理由,保留修订记录)",
)
def revise_return(
    request,
    response: HttpResponse,
    return_id: PathId,
    payload: StatReviseIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    if not payload.reason.strip():
        raise ValidationError({"reason": _("请填写修订理由")})

    def act(user, ret, version):
        check_codes(ret.zone, payload.data)
        with figure_fields():
            services.revise(
                user, ret, data=payload.data, reason=payload.reason.strip(), version=version
            )

    return _action(request, response, return_id, payload, if_match, act)


# --- who has not reported (催报) ---------------------------------------------------------------


@router.get(
    "/missing",
    response={200: StatMissingOut, **READ_ERRORS},
    summary="未报企业(应报而未报送或被退回的规上企业)",
)
def missing_returns(request, period: str, zone: str | None = None):
    user = request.auth
    zone_obj = reading_zone(user, zone)
    key = Period.parse(period, field="period").key
    if not sees_zone(user, Return, zone_obj):
        raise Forbidden(_("只有园区工作人员可以查看未报企业"))
    expected = list(services.expected_reporters(zone_obj, key).order_by("name", "pk"))
    statuses = dict(
        Return.objects.filter(zone=zone_obj, period=key).values_list("enterprise_id", "status")
    )
    done = {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED}
    missing = [e for e in expected if statuses.get(e.pk) not in done]
    reminded = {
        row["enterprise_id"]: row
        for row in Reminder.objects.filter(
            zone=zone_obj, period=key, enterprise_id__in=[e.pk for e in missing]
        )
        .values("enterprise_id")
        .annotate(n=Count("pk"), last=Max("sent_at"))
    }
    items = []
    for e in missing:
        status = statuses.get(e.pk)
        row = reminded.get(e.pk, {})
        items.append(
            {
                "enterprise": enterprise_ref(e),
                "uscc": e.uscc,
                "status": status,
                "status_name": str(ReturnStatus(status).label) if status else _("未填报"),
                "reminders": row.get("n", 0),
                "last_reminded_at": local(row.get("last")),
            }
        )
    return {
        "zone": zone_obj.code,
        "period": period_text(key),
        "due_on": services.due_on(zone_obj, key),
        "expected": len(expected),
        "reported": len(expected) - len(missing),
        "items": items,
    }


@router.post(
    "/reminders",
    response={200: StatReminderOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="一键催报(省略 enterprise_ids 则提醒全部未报企业)",
)
def send_reminders(request, payload: StatReminderIn):
    user = request.auth
    zone = one_zone(user, payload.zone)
    key = Period.parse(payload.period, field="period").key
    sent = services.remind(  # 403 with services.REMIND_REFUSED for all but the zone's officers
        user, zone, key, enterprise_ids=payload.enterprise_ids, message=payload.message.strip()
    )
    return {"sent": sent}
