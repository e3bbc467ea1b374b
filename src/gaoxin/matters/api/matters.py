"""The matters over REST: the list (the list page's filters), raise one, read it with its timeline,
change it (fields, assignment, due date, status: one transaction, 409 when stale), comment, rate,
escalate. Every write goes through `services`; what a role may not do answers 403 and changes
nothing, what it may not see answers 404."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Status

from gaoxin.core import clock
from gaoxin.core.api import (
    READ_ERRORS,
    SCOPED_READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PathId,
    filter_data,
    filtered,
    local,
    one_zone,
    paginate,
    reading_zone,
    valid_id,
    version_from,
    zone_by_code,
)
from gaoxin.core.records import check_version

from .. import agency, services
from ..filters import MatterFilter
from ..models import ACTIVE, Light, Matter, MatterEvent
from .common import router
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    MatterCommentIn,
    MatterDetailOut,
    MatterEscalateIn,
    MatterEventOut,
    MatterIn,
    MatterList,
    MatterListQuery,
    MatterPatch,
    MatterRatingIn,
)

RELATED = ("zone", "category", "enterprise", "project", "department", "officer")
ASSIGN_FIELDS = ("department", "officer", "helpers")


# --- filters ---------------------------------------------------------------------------------


def filtered_matters(user, filters, zone, today: datetime.date):
    """The matters the list page shows for the same parameters (its `MatterFilter`): the
    contract the cockpit's links rely on; bad values answer 422 by field."""
    qs = Matter.objects.restrict(user).filter(zone=zone)
    officer = not user.is_enterprise_only()
    flt = MatterFilter(filter_data(filters), queryset=qs, zone=zone, officer=officer, today=today)
    return filtered(flt)


# --- out -------------------------------------------------------------------------------------


def _ref(obj):
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _user(user):
    return None if user is None else {"id": user.pk, "name": user.display_name}


def matter_out(m: Matter, today: datetime.date) -> dict:
    light = m.light(today)
    return {
        "id": m.pk,
        "zone": m.zone.code,
        "number": m.number,
        "kind": m.kind,
        "kind_name": m.get_kind_display(),
        "category": _ref(m.category),
        "title": m.title,
        "description": m.description,
        "enterprise": _ref(m.enterprise),
        "project": _ref(m.project),
        "finding_id": m.finding_id,
        "meeting_id": m.meeting_id,
        "working_group_id": m.working_group_id,
        "channel": m.channel,
        "channel_name": m.get_channel_display(),
        "raised_by_name": m.raised_by_name,
        "contact": m.contact,
        "department": _ref(m.department),
        "officer": _user(m.officer),
        "helpers": [_user(h) for h in m.helpers.all()],
        "service_mode": m.service_mode,
        "priority": m.priority,
        "priority_name": m.get_priority_display(),
        "due_on": m.due_on,
        "status": m.status,
        "status_name": m.get_status_display(),
        "light": light,
        "light_name": str(Light(light).label),
        "visible_to_enterprise": m.visible_to_enterprise,
        "resolution": m.resolution,
        "escalated_at": local(m.escalated_at),
        "rating": m.rating,
        "rating_comment": m.rating_comment,
        "rated_at": local(m.rated_at),
        "created_at": local(m.created_at),
        "updated_at": local(m.updated_at),
        "resolved_at": local(m.resolved_at),
        "closed_at": local(m.closed_at),
        "version": m.version,
    }


def event_out(e: MatterEvent) -> dict:
    return {
        "id": e.pk,
        "type": e.type,
        "type_name": e.get_type_display(),
        "time": local(e.time),
        "actor_name": e.actor_name,
        "text": e.text,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "internal": e.internal,
        "attachment_name": e.attachment_name,
    }


def item_out(i) -> dict:
    return {
        "id": i.pk,
        "category": {"id": i.category_id, "name": i.category.name},
        "state": i.state,
        "state_name": i.get_state_display(),
        "approver": i.approver,
        "submitted_on": i.submitted_on,
        "approved_on": i.approved_on,
        "due_on": i.due_on,
        "note": i.note,
        "version": i.version,
    }


def detail(user, pk: int, response: HttpResponse | None = None) -> dict:
    matter = services.get_for(user, valid_id(pk, Matter), related=RELATED)
    if response is not None:
        response["ETag"] = f'"{matter.version}"'
    out = matter_out(matter, clock.today())
    out["timeline"] = [event_out(e) for e in services.events_for(user, matter)]
    items = matter.approval_items.select_related("category") if matter.kind == "agency" else []
    out["approval_items"] = [item_out(i) for i in items]
    return out


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "",
    response={200: MatterList, **READ_ERRORS, 403: ErrorOut},
    summary="事项列表(与事项列表页相同的筛选条件;企业用户只见本企业的)",
)
def list_matters(request, filters: Query[MatterListQuery]):
    user = request.auth
    zone, today = reading_zone(user, filters.zone), clock.today()
    qs = filtered_matters(user, filters, zone, today)
    qs = qs.select_related(*RELATED).prefetch_related("helpers").order_by("-created_at", "-id")
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([matter_out(m, today) for m in page.rows])


@router.post(
    "",
    response={201: MatterDetailOut, **WRITE_ERRORS},
    summary="登记事项(企业用户只能提交本企业的帮扶诉求)",
)
def create_matter(request, response: HttpResponse, payload: MatterIn):
    user = request.auth
    data = payload.model_dump()
    code = data.pop("zone")
    own = services.enterprise_of(user) if user.is_enterprise_only() else None
    # The service files an enterprise's request under its own zone (and checks every reference).
    zone = (zone_by_code(user, code) or own.zone) if own is not None else one_zone(user, code)
    matter = services.create_matter(user, zone, **data)
    return Status(201, detail(user, matter.pk, response))


@router.get(
    "/{int:matter_id}",
    response={200: MatterDetailOut, **SCOPED_READ_ERRORS},
    summary="事项详情(含办理动态;企业用户看不到内部备注)",
)
def get_matter(request, response: HttpResponse, matter_id: PathId):
    return detail(request.auth, matter_id, response)


def _apply(user, matter_id: int, changes: dict, version: int) -> None:
    """Every change of a PATCH in one transaction: the version is checked once, up front; each
    service then starts from the version the previous one left."""
    status, text = changes.pop("status", None), changes.pop("text", None)
    due_on, due_reason = changes.pop("due_on", None), changes.pop("due_reason", None)
    assign = {k: changes.pop(k) for k in ASSIGN_FIELDS if k in changes}
    if text is not None and status is None:
        raise ValidationError({"text": _("text 须与 status 一同提交")})
    if due_reason is not None and due_on is None:
        raise ValidationError({"due_reason": _("due_reason 须与 due_on 一同提交")})
    with transaction.atomic():
        matter = services.lock(user, matter_id)
        check_version(matter, version)
        reopen_first = status in ACTIVE  # a closed matter reopens before it is changed
        if reopen_first:
            matter = services.transition(user, matter, status, version=matter.version, text=text)
        if changes:
            matter = services.update_matter(user, matter, version=matter.version, **changes)
        if assign:
            matter = services.assign(
                user,
                matter,
                version=matter.version,
                department=assign.get("department", matter.department_id),
                officer=assign.get("officer", matter.officer_id),
                helpers=assign.get("helpers"),
            )
        if due_on is not None:
            matter = services.change_due(
                user, matter, version=matter.version, due_on=due_on, reason=due_reason
            )
        if status is not None and not reopen_first:
            matter = services.transition(user, matter, status, version=matter.version, text=text)


@router.patch(
    "/{int:matter_id}",
    response={200: MatterDetailOut, **WRITE_ERRORS},
    summary="修改事项:字段、分派、期限、状态(可一并提交;版本不符答 409)",
)
def update_matter(
    request,
    response: HttpResponse,
    matter_id: PathId,
    payload: MatterPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=True)
    _apply(user, valid_id(matter_id, Matter), changes, version)
    return detail(user, matter_id, response)


@router.post(
    "/{int:matter_id}/comments",
    response={201: MatterEventOut, **WRITE_ERRORS},
    summary="留言(工作人员可发内部备注)",
)
def add_comment(request, matter_id: PathId, payload: MatterCommentIn):
    pk = valid_id(matter_id, Matter)
    event = services.comment(request.auth, pk, text=payload.text, internal=payload.internal)
    return Status(201, event_out(event))


@router.post(
    "/{int:matter_id}/rating",
    response={200: MatterDetailOut, **WRITE_ERRORS},
    summary="企业评价已办结的事项(1–5 星;评价后关闭)",
)
def rate_matter(request, response: HttpResponse, matter_id: PathId, payload: MatterRatingIn):
    user = request.auth
    services.rate(user, valid_id(matter_id, Matter), rating=payload.rating, comment=payload.comment)
    return detail(user, matter_id, response)


@router.post(
    "/{int:matter_id}/escalate",
    response={200: MatterDetailOut, **WRITE_ERRORS},
    summary="升级督办(工作人员,须说明原因)",
)
def escalate_matter(request, response: HttpResponse, matter_id: PathId, payload: MatterEscalateIn):
    user = request.auth
    services.escalate(user, valid_id(matter_id, Matter), reason=payload.reason)
    return detail(user, matter_id, response)


@router.post(
    "/{int:matter_id}/appointments",
    response={201: AppointmentOut, **WRITE_ERRORS},
    summary="预约代办(预约 / 延时 / 上门办理;同一窗口同一时间只能预约一次)",
)
def add_appointment(request, matter_id: PathId, payload: AppointmentIn):
    pk = valid_id(matter_id, Matter)
    a = agency.add_appointment(request.auth, pk, **payload.model_dump())
    return Status(201, {
        "id": a.pk, "matter": a.matter_id, "item": a.item_id, "mode": a.mode,
        "mode_name": str(a.get_mode_display()), "starts_at": a.starts_at, "place": a.place,
        "note": a.note, "created_by_name": a.created_by_name, "is_cancelled": a.is_cancelled,
    })  # fmt: skip
