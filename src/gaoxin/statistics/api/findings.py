"""Findings of the checks: the list (open ones by default), the enterprise's explanation, a query
to the enterprise with a deadline (services.send_query; the matters module follows it as a matter)
and closing a warning."""

from django.utils.translation import gettext as _
from ninja import Query

from gaoxin.core.api import (
    WRITE_ERRORS,
    PathId,
    check_access,
    local,
    paginate,
    valid_id,
    zone_by_code,
)
from gaoxin.core.models.access import CHANGE, VIEW
from gaoxin.core.periods import Period

from .. import services
from ..models import Finding
from ..services.findings import REVIEW_REFUSED
from .common import router
from .schemas import (
    READ_ERRORS,
    StatCloseIn,
    StatExplainIn,
    StatFindingList,
    StatFindingOut,
    StatFindingQuery,
    StatQueryIn,
    enterprise_ref,
    period_text,
)

RELATED = ("zone", "enterprise", "indicator")


def visible(user):
    return Finding.objects.restrict(user, VIEW)


def finding_out(f: Finding) -> dict:
    return {
        "id": f.pk,
        "zone": f.zone.code,
        "return_id": f.ret_id,
        "enterprise": enterprise_ref(f.enterprise),
        "period": period_text(f.period),
        "rule_code": f.rule_code,
        "kind": f.kind,
        "kind_name": f.get_kind_display(),
        "indicator": f.indicator.code if f.indicator_id else None,
        "indicator_name": f.indicator.name if f.indicator_id else None,
        "severity": f.severity,
        "severity_name": f.get_severity_display(),
        "message": f.message,
        "status": f.status,
        "status_name": f.get_status_display(),
        "explanation": f.explanation,
        "query_due_on": f.query_due_on,
        "queried_at": local(f.queried_at),
        "created_at": local(f.created_at),
        "closed_at": local(f.closed_at),
    }


def filtered_findings(user, filters):
    """The findings the list shows (also read by the findings page's export)."""
    qs = visible(user).select_related(*RELATED)
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.period:
        qs = qs.filter(period=Period.parse(filters.period, field="period").key)
    if filters.status == "all":
        pass
    elif filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=services.OPEN_FINDINGS)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.indicator:
        qs = qs.filter(indicator__code=filters.indicator.strip())
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    return qs.order_by("-period", "severity", "enterprise__name", "pk")


def check_finding(user, pk: int, *, review: bool) -> Finding:
    """404 unless visible; 403 unless `user` may act on it (officers of its zone to query or
    close it; the enterprise itself or an officer to explain it)."""
    check_access(visible(user), Finding.objects.restrict(user, CHANGE), pk, _("无权处理该审核发现"))
    finding = Finding.objects.select_related(*RELATED).get(pk=pk)
    if review:  # the service's own refusal, told before the payload is read further
        services.require_officer(user, finding.zone, REVIEW_REFUSED)
    return finding


def _reload(pk: int) -> dict:
    return finding_out(Finding.objects.select_related(*RELATED).get(pk=valid_id(pk, Finding)))


@router.get(
    "/findings",
    response={200: StatFindingList, **READ_ERRORS},
    summary="审核发现(默认未关闭的;企业用户只见本企业)",
)
def list_findings(request, filters: Query[StatFindingQuery]):
    page = paginate(
        filtered_findings(request.auth, filters), filters.page, filters.page_size, filters.cursor
    )
    return page.out([finding_out(f) for f in page.rows])


@router.post(
    "/findings/{int:finding_id}/explain",
    response={200: StatFindingOut, **WRITE_ERRORS},
    summary="企业对审核发现作情况说明",
)
def explain_finding(request, finding_id: PathId, payload: StatExplainIn):
    user = request.auth
    finding = check_finding(user, finding_id, review=False)
    services.explain(user, finding, payload.text)
    return _reload(finding_id)


@router.post(
    "/findings/{int:finding_id}/query",
    response={200: StatFindingOut, **WRITE_ERRORS},
    summary="向企业发送询问(附回复期限)",
)
def query_finding(request, finding_id: PathId, payload: StatQueryIn):
    user = request.auth
    finding = check_finding(user, finding_id, review=True)
    services.send_query(user, finding, due_on=payload.due_on, message=payload.message)
    return _reload(finding_id)


@router.post(
    "/findings/{int:finding_id}/close",
    response={200: StatFindingOut, **WRITE_ERRORS},
    summary="关闭审核发现(警告类;错误须由企业改正)",
)
def close_finding(request, finding_id: PathId, payload: StatCloseIn):
    user = request.auth
    finding = check_finding(user, finding_id, review=True)
    services.close_finding(user, finding, note=payload.note)
    return _reload(finding_id)
