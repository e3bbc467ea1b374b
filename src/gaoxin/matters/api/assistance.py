"""The help ledgers over REST (/api/v1/assistance): their totals for a period (`summary`, what the
cockpit shows), the ledgers' rows for a period, and recording awards and loans.

Officers, leaders and the province read (ZONE_FIGURES_POLICY); enterprise users get 403. Writes go
through `assistance` services; removal takes a reason and is the zone admins'.
"""

from django.db.models import Sum
from django.utils.translation import gettext as _
from ninja import Body, Query, Status

from gaoxin.core.api import (
    SCOPED_READ_ERRORS,
    WRITE_ERRORS,
    DeleteIn,
    DeleteQuery,
    PathId,
    api_field_names,
    check_access,
    delete_reason,
    number,
    one_zone,
    paginate,
    reading_zone,
    service_names,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import ADD, DELETE, VIEW, can_in_zone

from .. import assistance, award_checks
from ..models import Award, JobFair, JobOffer, Loan, Resumption
from .common import assistance_router as router
from .schemas_assistance import (
    AssistanceAwardCreated,
    AssistanceAwardIn,
    AssistanceAwardList,
    AssistanceFairList,
    AssistanceListQuery,
    AssistanceLoanIn,
    AssistanceLoanList,
    AssistanceLoanOut,
    AssistancePeriodQuery,
    AssistanceResumptionList,
    AssistanceSummaryOut,
    check_period,
)


def ledger_zone(user, code, model=Award):
    """The zone to read: named by `code` (422 when unknown), else the user's own; 403 for users
    who do not read the zone's ledgers (enterprise users)."""
    zone = reading_zone(user, code)
    if not can_in_zone(user, model, zone, VIEW):
        raise Forbidden(_("无权查看帮扶台账"))
    return zone


def _totals(block):
    return {**block, "amount_wan": number(block["amount_wan"])}


def _rate(block):
    return {**block, "rate": None if block["rate"] is None else float(block["rate"])}


def summary_out(zone, data) -> dict:
    res = data["resumption"]
    return {
        "zone": zone.code,
        "start": data["start"],
        "end": data["end"],
        "awards": _totals(data["awards"]),
        "loans": {k: _totals(v) for k, v in data["loans"].items()},
        "jobs": data["jobs"],
        "resumption": {
            "as_of": res["as_of"],
            **{k: _rate(res[k]) for k in ("enterprises", "projects", "overall")},
        },
    }


def _ent(e):
    return {"id": e.pk, "name": e.name} if e is not None else None


def award_out(a: Award) -> dict:
    return {
        "id": a.pk,
        "enterprise": _ent(a.enterprise),
        "policy": a.policy,
        "amount_wan": number(a.amount),
        "paid_on": a.paid_on,
        "note": a.note,
        "created_by_name": a.created_by_name,
    }


def loan_out(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "enterprise": _ent(loan.enterprise),
        "bank": loan.bank,
        "kind": loan.kind,
        "kind_name": loan.get_kind_display(),
        "amount_wan": number(loan.amount),
        "granted_on": loan.granted_on,
        "note": loan.note,
        "created_by_name": loan.created_by_name,
    }


def _page(page, out):
    return page.out([out(r) for r in page.rows])


@router.get(
    "/summary",
    response={200: AssistanceSummaryOut, **SCOPED_READ_ERRORS},
    summary="帮扶台账汇总:奖补、融资、招聘岗位、复工率(期间含首尾日)",
)
def get_summary(request, filters: Query[AssistancePeriodQuery]):
    zone = ledger_zone(request.auth, filters.zone)
    check_period(filters.start, filters.end)
    return summary_out(zone, assistance.summary(zone, filters.start, filters.end))


def _rows(request, filters, model, field):
    zone = ledger_zone(request.auth, filters.zone, model)
    check_period(filters.start, filters.end)
    qs = model.objects.restrict(request.auth, VIEW).filter(zone=zone)
    return assistance.in_period(qs, field, filters.start, filters.end)


@router.get(
    "/awards", response={200: AssistanceAwardList, **SCOPED_READ_ERRORS}, summary="奖补兑现台账"
)
def list_awards(request, filters: Query[AssistanceListQuery]):
    qs = _rows(request, filters, Award, "paid_on").select_related("enterprise")
    return _page(paginate(qs, filters.page, filters.page_size, filters.cursor), award_out)


@router.get(
    "/loans", response={200: AssistanceLoanList, **SCOPED_READ_ERRORS}, summary="融资对接台账"
)
def list_loans(request, filters: Query[AssistanceListQuery]):
    qs = _rows(request, filters, Loan, "granted_on").select_related("enterprise")
    return _page(paginate(qs, filters.page, filters.page_size, filters.cursor), loan_out)


@router.get(
    "/fairs",
    response={200: AssistanceFairList, **SCOPED_READ_ERRORS},
    summary="招聘会及各企业提供的岗位",
)
def list_fairs(request, filters: Query[AssistanceListQuery]):
    qs = _rows(request, filters, JobFair, "held_on").annotate(total=Sum("offers__positions"))
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    rows = page.rows
    offers = {}
    for o in JobOffer.objects.filter(fair__in=rows).select_related("enterprise"):
        offers.setdefault(o.fair_id, []).append(
            {"enterprise": _ent(o.enterprise), "positions": o.positions, "jobs": o.jobs}
        )

    def out(f):
        return {
            "id": f.pk,
            "title": f.title,
            "held_on": f.held_on,
            "ends_on": f.ends_on,
            "online": f.online,
            "positions": f.total or 0,
            "offers": offers.get(f.pk, []),
        }

    return _page(page, out)


@router.get(
    "/resumptions",
    response={200: AssistanceResumptionList, **SCOPED_READ_ERRORS},
    summary="复工复产跟踪(按纳入跟踪日期筛选)",
)
def list_resumptions(request, filters: Query[AssistanceListQuery]):
    qs = _rows(request, filters, Resumption, "tracked_from").select_related("enterprise", "project")

    def out(r):
        return {
            "id": r.pk,
            "subject": r.subject,
            "subject_name": r.get_subject_display(),
            "enterprise": _ent(r.enterprise),
            "project": _ent(r.project),
            "tracked_from": r.tracked_from,
            "resumed_on": r.resumed_on,
            "workers_back": r.workers_back,
            "workers_total": r.workers_total,
            "version": r.version,
        }

    return _page(paginate(qs, filters.page, filters.page_size, filters.cursor), out)


def _create(request, code, model, add, payload, out):
    """Record a ledger row with `add(actor, zone, **payload)` in the zone named by `code` (or the
    user's only one); 403 for users who do not record ledgers there."""
    zone = one_zone(request.auth, code)
    if not can_in_zone(request.auth, model, zone, ADD):
        raise Forbidden(_("无权登记帮扶台账"))
    names = {"amount": "amount_wan"}
    with api_field_names(names):
        row = add(request.auth, zone, **service_names(payload.model_dump(), names))
    return Status(201, out(row))


@router.post(
    "/awards",
    response={201: AssistanceAwardCreated, **WRITE_ERRORS},
    summary="登记奖补兑现",
)
def create_award(request, payload: AssistanceAwardIn, zone: str | None = None):
    return _create(request, zone, Award, assistance.add_award, payload, award_created)


def award_created(a: Award) -> dict:
    """The award with the registered award checks' warnings (award_checks)."""
    return {**award_out(a), "warnings": award_checks.warnings_for(a.enterprise, a.amount)}


@router.post(
    "/loans",
    response={201: AssistanceLoanOut, **WRITE_ERRORS},
    summary="登记融资对接(信贷 / 担保专项贷款)",
)
def create_loan(request, payload: AssistanceLoanIn, zone: str | None = None):
    return _create(request, zone, Loan, assistance.add_loan, payload, loan_out)


def _delete(request, model, pk, params, payload):
    user = request.auth
    check_access(
        model.objects.restrict(user, VIEW),
        model.objects.restrict(user, DELETE),
        pk,
        _("只有园区管理员可以删除台账记录"),
    )
    assistance.remove_entry(user, model.objects.get(pk=pk), reason=delete_reason(params, payload))
    return Status(204, None)


@router.delete(
    "/awards/{int:award_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除奖补记录(须说明理由)",
)
def delete_award(
    request, award_id: PathId, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    return _delete(request, Award, award_id, params, payload)


@router.delete(
    "/loans/{int:loan_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除融资记录(须说明理由)",
)
def delete_loan(
    request, loan_id: PathId, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    return _delete(request, Loan, loan_id, params, payload)
