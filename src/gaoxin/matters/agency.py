"""Agency service (项目代办): an agency case is a `Matter(kind="agency", project=...)` whose
checklist is its `ApprovalItem` rows (one per approval item category: 项目备案/核准, 施工许可 ...)
and whose appointments (预约办理 / 延时办理 / 上门办理) have a date and a place.

Every write runs in one transaction, checks access through `Matter.restrict()` (officers only:
the enterprise reads its case and checklist), validates with Chinese messages, bumps the item's
version, appends to the case's timeline and writes the audit record.

Elapsed working days (`core.workdays`): an item counts from its acceptance (受理) to its approval
or today; the project from the case's creation or its first acceptance, whichever is earlier, to
the last approval once every needed item is approved, or today.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW
from gaoxin.core.records import check_version
from gaoxin.core.workdays import add_working_days, is_working_day, working_days_between

from . import agency_time, catalogue, services
from .models import ACTIVE, Appointment, ApprovalItem, Category, Kind, Matter, ServiceMode

State = ApprovalItem.State
# States with an acceptance date (受理日期); only approved items have an approval date.
SUBMITTED_STATES = (State.SUBMITTED, State.RETURNED, State.APPROVED)
# Appointment modes: a regular visit to the service hall needs none.
APPOINTMENT_MODES = (ServiceMode.APPOINTMENT, ServiceMode.AFTER_HOURS, ServiceMode.ON_SITE)
# Modes served at a window of the service hall: one booking per window and time.
WINDOW_MODES = (ServiceMode.APPOINTMENT, ServiceMode.AFTER_HOURS)
# Office hours: an after-hours appointment is outside them or on a day off.
OFFICE_HOURS = (datetime.time(8, 30), datetime.time(17, 30))
NOTE_MAX = 200  # an item's or an appointment's note
# A cancelled appointment's note is "已取消:" and the reason, within the note's 200 characters.
CANCEL_REASON_MAX = 150


# --- reading -------------------------------------------------------------------------------------


def approval_categories(zone):
    """The zone's active approval items (the agency kind's categories)."""
    return catalogue.categories_for(zone, Kind.AGENCY).order_by("order", "id")


def agency_cases(actor, zone):
    """The agency cases `actor` may read in `zone`, with what the list shows, in few queries."""
    return (
        Matter.objects.restrict(actor, VIEW)
        .filter(zone=zone, kind=Kind.AGENCY)
        .select_related("project", "enterprise", "officer", "department")
        .prefetch_related("helpers", "approval_items")
    )


def items_of(matter):
    return list(matter.approval_items.select_related("category").order_by("order", "id"))


def item_elapsed(item, on: datetime.date | None = None) -> int | None:
    """Working days from acceptance to approval (or `on`, today), less the days it sat with the
    applicant (退回补正); None before acceptance."""
    if item.submitted_on is None or item.state == State.NOT_NEEDED:
        return None
    on = on or today()
    end = item.approved_on if item.state == State.APPROVED and item.approved_on else on
    return agency_time.elapsed(item, item.submitted_on, end, on)


def item_due(item, on: datetime.date | None = None) -> datetime.date | None:
    """The promised date as of `on`: the stored one, moved on by the working days the item has
    been waiting for the applicant since it was sent back (the stored date counts the pauses that
    ended). An item already late when sent back keeps its date."""
    if item.due_on is None:
        return None
    pause = agency_time.open_pause(item)
    if pause is None or item.state != State.RETURNED:
        return item.due_on
    returned = datetime.date.fromisoformat(pause["returned_on"])
    if item.due_on <= returned:
        return item.due_on
    left = working_days_between(returned, item.due_on)
    return add_working_days(max(on or today(), returned), left)


def item_late(item, on: datetime.date | None = None) -> bool:
    """Past its promised date: still waiting after it, or approved after it. The days with the
    applicant do not count (`item_due`)."""
    if item.due_on is None:
        return False
    if item.state == State.APPROVED:
        return bool(item.approved_on and item.approved_on > item.due_on)
    on = on or today()
    return item.state in (State.SUBMITTED, State.RETURNED) and item_due(item, on) < on


@dataclass
class Progress:
    approved: int = 0
    total: int = 0  # items needed (not 不涉及)
    elapsed: int | None = None  # working days for the project
    started_on: datetime.date | None = None
    finished_on: datetime.date | None = None
    late: int = 0  # items past their promised date
    items: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.approved == self.total


def progress(matter, items=None, on: datetime.date | None = None) -> Progress:
    """A case's approvals done / needed and its elapsed working days. `items` defaults to the
    prefetched or stored checklist."""
    on = on or today()
    items = list(matter.approval_items.all()) if items is None else list(items)
    needed = [i for i in items if i.state != State.NOT_NEEDED]
    approved = [i for i in needed if i.state == State.APPROVED]
    result = Progress(approved=len(approved), total=len(needed), items=items)
    result.late = sum(item_late(i, on) for i in needed)
    created = timezone.localdate(matter.created_at) if matter.created_at else on
    submitted = [i.submitted_on for i in needed if i.submitted_on]
    result.started_on = min([created, *submitted])
    if result.done and all(i.approved_on for i in approved):
        result.finished_on = max(i.approved_on for i in approved)
    end = result.finished_on or on
    paused = agency_time.project_paused(needed, result.started_on, end, on)
    result.elapsed = working_days_between(result.started_on, end) - paused
    return result


# --- access --------------------------------------------------------------------------------------


def _lock_case(actor, matter) -> Matter:
    """The agency case locked for update if `actor` is an officer who may change it."""
    matter = services.lock(actor, matter)
    services.require_officer(actor, matter)
    if matter.kind != Kind.AGENCY:
        raise ValidationError({"kind": _("只有项目代办事项有审批清单和预约")})
    if matter.status not in ACTIVE:
        raise ValidationError(
            {"status": _("代办事项已%(s)s,不能再修改") % {"s": matter.get_status_display()}}
        )
    return matter


def get_item(actor, pk, action=VIEW) -> ApprovalItem:
    try:
        return (
            ApprovalItem.objects.restrict(actor, action)
            .select_related("category", "matter")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise ApprovalItem.DoesNotExist(_("未找到该审批事项")) from None


def get_appointment(actor, pk, action=VIEW) -> Appointment:
    try:
        return Appointment.objects.restrict(actor, action).select_related("matter").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Appointment.DoesNotExist(_("未找到该预约")) from None


def _checklist_text(items) -> list[str]:
    return [str(i.category) for i in items]


# --- the checklist -------------------------------------------------------------------------------


@transaction.atomic
def set_checklist(actor, matter, category_ids) -> list[ApprovalItem]:
    """Make the case's checklist the approval items `category_ids`: new ones are added as 未启动,
    ones left out are removed unless they have started (受理 / 办结 / 退回 keep their history)."""
    matter = _lock_case(actor, matter)
    wanted = []
    for value in category_ids or ():
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit():
            raise ValidationError({"categories": _("审批事项不存在")})
        wanted.append(int(pk))
    categories = {
        c.pk: c
        for c in Category.objects.filter(zone_id=matter.zone_id, kind=Kind.AGENCY, pk__in=wanted)
    }
    missing = [pk for pk in wanted if pk not in categories]
    if missing:
        raise ValidationError({"categories": _("审批事项不存在或不属于本园区")})
    existing = {i.category_id: i for i in matter.approval_items.select_related("category")}
    for pk in wanted:
        if pk not in existing and not categories[pk].is_active:
            raise ValidationError(
                {"categories": _("审批事项“%(c)s”已停用") % {"c": categories[pk]}}
            )
    before = sorted(_checklist_text(existing.values()))
    removed = [i for pk, i in existing.items() if pk not in categories]
    started = [i for i in removed if i.state in SUBMITTED_STATES]
    if started:
        names = "、".join(str(i.category) for i in started)
        raise ValidationError({"categories": _("%(n)s 已受理或已办结,不能移出清单") % {"n": names}})
    ApprovalItem.objects.filter(pk__in=[i.pk for i in removed]).delete()
    added = [
        ApprovalItem(zone_id=matter.zone_id, matter=matter, category=categories[pk])
        for pk in wanted
        if pk not in existing
    ]
    ApprovalItem.objects.bulk_create(added)
    for item in matter.approval_items.select_related("category"):
        order = item.category.order
        if item.order != order:
            ApprovalItem.objects.filter(pk=item.pk).update(order=order)
    items = items_of(matter)
    after = sorted(_checklist_text(items))
    if before != after:
        text = _("审批清单:%(l)s") % {"l": "、".join(_checklist_text(items)) or _("(空)")}
        services.add_event(actor, matter, services.EventType.UPDATE, text)
        audit.record(
            actor,
            AuditRecord.Action.UPDATE,
            matter,
            before={"approval_items": before},
            after={"approval_items": after},
            message=text,
        )
        Matter.objects.filter(pk=matter.pk).update(updated_at=timezone.now())
    return items


def _date(value, field, label):
    """A date not after today, from a date or an ISO string; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("%(l)s格式应为 YYYY-MM-DD") % {"l": label}})
    if value > today():
        raise ValidationError({field: _("%(l)s不能晚于今天") % {"l": label}})
    return value


def promised_on(category, submitted_on, item=None) -> datetime.date | None:
    """The promised date (承诺办结日期): acceptance plus the item's service level in working days,
    not counting the days `item` sat with the applicant; while it still waits, as of the day it
    was sent back (`item_due` moves it on)."""
    if not submitted_on:
        return None
    if item is None or not item.pauses:
        return add_working_days(submitted_on, category.service_days)
    pause = agency_time.open_pause(item)
    on = datetime.date.fromisoformat(pause["returned_on"]) if pause else today()
    return agency_time.due(item, submitted_on, category.service_days, on)


def _pauses(item, state, submitted_on, approved_on, returned_on, resubmitted_on) -> list[dict]:
    """The item's pauses after this change: sent back (→ 退回补正) opens one on `returned_on`
    (today by default); leaving 退回补正 closes it on `resubmitted_on` (the approval date or today
    by default). An item no longer accepted has none."""
    pauses = [dict(p) for p in item.pauses or ()]
    if submitted_on is None:
        return []
    last = pauses[-1] if pauses else None
    if state == State.RETURNED and item.state != State.RETURNED:
        back = _date(returned_on, "returned_on", _("退回日期")) or today()
        if back < submitted_on:
            raise ValidationError({"returned_on": _("退回日期不能早于受理日期")})
        if (
            last
            and last.get("resumed_on")
            and back < datetime.date.fromisoformat(last["resumed_on"])
        ):
            raise ValidationError({"returned_on": _("退回日期不能早于上次补正日期")})
        pauses.append({"returned_on": back.isoformat(), "resumed_on": None})
    elif state != State.RETURNED and last and not last.get("resumed_on"):
        default = approved_on if state == State.APPROVED and approved_on else today()
        back = _date(resubmitted_on, "resubmitted_on", _("补正日期")) or default
        if back < datetime.date.fromisoformat(last["returned_on"]):
            raise ValidationError({"resubmitted_on": _("补正日期不能早于退回日期")})
        if approved_on and approved_on < back:
            raise ValidationError({"approved_on": _("办结日期不能早于补正日期")})
        last["resumed_on"] = back.isoformat()
    return pauses


def check_item(state, submitted_on, approved_on) -> None:
    """The state and its dates agree: accepted states have an acceptance date, only approved
    items an approval date, and approval does not come before acceptance."""
    errors = {}
    if state in SUBMITTED_STATES and submitted_on is None:
        errors["submitted_on"] = _("“%(s)s”须填写受理日期") % {"s": State(state).label}
    if state not in SUBMITTED_STATES and submitted_on is not None:
        errors["submitted_on"] = _("“%(s)s”的事项不应有受理日期") % {"s": State(state).label}
    if state == State.APPROVED and approved_on is None:
        errors["approved_on"] = _("已办结须填写办结日期")
    if state != State.APPROVED and approved_on is not None:
        errors["approved_on"] = _("只有已办结的事项才有办结日期")
    if submitted_on and approved_on and approved_on < submitted_on:
        errors["approved_on"] = _("办结日期不能早于受理日期")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_item(
    actor,
    item,
    *,
    version,
    state,
    submitted_on=None,
    approved_on=None,
    approver="",
    note="",
    returned_on=None,
    resubmitted_on=None,
) -> ApprovalItem:
    """Record an approval item's progress; its promised date follows (`promised_on`). Sending it
    back (退回补正) stops its clock from `returned_on`; leaving 退回补正 restarts it from
    `resubmitted_on` (both default to today; see `_pauses`)."""
    pk = getattr(item, "pk", item)
    found = get_item(actor, pk)
    _lock_case(actor, found.matter_id)
    item = ApprovalItem.objects.select_for_update().select_related("category", "matter").get(pk=pk)
    check_version(item, version)
    if state in (None, "") or state not in State.values:
        allowed = "、".join(f"{v}({label})" for v, label in State.choices)
        raise ValidationError({"state": _("取值应为 %(a)s 之一") % {"a": allowed}})
    approver = services.clean_text(approver, "approver", _("审批部门/经办人"), 100)
    note = services.clean_text(note, "note", _("备注"), NOTE_MAX)
    submitted_on = _date(submitted_on, "submitted_on", _("受理日期"))
    approved_on = _date(approved_on, "approved_on", _("办结日期"))
    check_item(state, submitted_on, approved_on)
    pauses = _pauses(item, state, submitted_on, approved_on, returned_on, resubmitted_on)
    before = audit.snapshot(item)
    old_state = item.get_state_display()
    item.state = state
    item.submitted_on, item.approved_on = submitted_on, approved_on
    item.pauses = pauses
    item.due_on = promised_on(item.category, submitted_on, item)
    item.approver, item.note = approver, note
    after = audit.snapshot(item)
    if {k: v for k, v in before.items() if k != "version"} == {
        k: v for k, v in after.items() if k != "version"
    }:
        return item
    item.version += 1
    item.save()
    text = _("%(c)s:%(a)s → %(b)s") % {
        "c": item.category, "a": old_state, "b": item.get_state_display(),
    }  # fmt: skip
    if approved_on:
        text += _("(%(d)s 办结)") % {"d": approved_on.isoformat()}
    elif state == State.RETURNED and pauses and not pauses[-1]["resumed_on"]:
        text += _("(%(d)s 退回补正,补正期间不计办理时限)") % {"d": pauses[-1]["returned_on"]}
    elif submitted_on:
        text += _("(%(d)s 受理,承诺 %(p)s 前办结)") % {
            "d": submitted_on.isoformat(), "p": item.due_on.isoformat(),
        }  # fmt: skip
    services.add_event(actor, item.matter, services.EventType.UPDATE, text)
    audit.record(
        actor, AuditRecord.Action.UPDATE, item, before=before, after=audit.snapshot(item),
        message=text,
    )  # fmt: skip
    Matter.objects.filter(pk=item.matter_id).update(updated_at=timezone.now())
    return item


# --- appointments --------------------------------------------------------------------------------


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError({"starts_at": _("时间格式应为 YYYY-MM-DD HH:MM")}) from None
    if not isinstance(value, datetime.datetime):
        raise ValidationError({"starts_at": _("请填写预约时间")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def in_office_hours(moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment)
    return is_working_day(local.date()) and OFFICE_HOURS[0] <= local.time() < OFFICE_HOURS[1]


def window_taken(zone_id, mode, place, starts_at, exclude=None) -> bool:
    """Whether the window `place` is already booked at `starts_at` (an active booking by
    appointment or after hours; on-site visits are at the project and never clash)."""
    if mode not in WINDOW_MODES:
        return False
    clash = Appointment.objects.filter(
        zone_id=zone_id, place=place, starts_at=starts_at, is_cancelled=False,
        mode__in=WINDOW_MODES,
    )  # fmt: skip
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    return clash.exists()


def _taken_message(place, starts_at) -> str:
    local = timezone.localtime(starts_at)
    return _("“%(p)s”在 %(t)s 已有预约,同一窗口同一时间只能预约一次,请另选时间或窗口") % {
        "p": place, "t": f"{local:%Y-%m-%d %H:%M}",
    }  # fmt: skip


@transaction.atomic
def add_appointment(actor, matter, *, mode, starts_at, place, item=None, note="") -> Appointment:
    """Book an appointment for the case: by appointment, after hours (outside office hours or on
    a day off) or on site, at a time not in the past."""
    matter = _lock_case(actor, matter)
    if mode not in APPOINTMENT_MODES:
        allowed = "、".join(str(ServiceMode(m).label) for m in APPOINTMENT_MODES)
        raise ValidationError({"mode": _("预约方式应为 %(a)s 之一") % {"a": allowed}})
    starts_at = _aware(starts_at).replace(second=0, microsecond=0)  # bookings are by the minute
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("预约时间不能早于现在")})
    if mode == ServiceMode.AFTER_HOURS and in_office_hours(starts_at):
        raise ValidationError({"starts_at": _("延时办理应安排在工作日 8:30 前、17:30 后或节假日")})
    place = services.clean_text(place, "place", _("地点"), 100, required=_("请填写地点"))
    note = services.clean_text(note, "note", _("备注"), NOTE_MAX)
    if item not in (None, ""):
        pk = getattr(item, "pk", item)
        item = (
            matter.approval_items.filter(pk=pk).select_related("category").first()
            if str(pk).isdigit()
            else None
        )
        if item is None:
            raise ValidationError({"item": _("审批事项不在该代办事项的清单中")})
    else:
        item = None
    values = {
        "zone_id": matter.zone_id, "matter": matter, "item": item, "mode": mode,
        "starts_at": starts_at, "place": place, "note": note,
        "created_by_name": getattr(actor, "display_name", "") or actor.username,
    }  # fmt: skip
    if window_taken(matter.zone_id, mode, place, starts_at):
        raise ValidationError({"starts_at": _taken_message(place, starts_at)})
    try:
        with transaction.atomic():  # a savepoint: a booking made meanwhile by someone else
            appointment = Appointment.objects.create(**values)
    except IntegrityError:
        raise ValidationError({"starts_at": _taken_message(place, starts_at)}) from None
    text = _("预约:%(a)s") % {"a": appointment}
    if item is not None:
        text += f"({item.category})"
    services.add_event(actor, matter, services.EventType.UPDATE, text)
    audit.record(actor, AuditRecord.Action.CREATE, appointment, after=audit.snapshot(appointment))
    if matter.service_mode == ServiceMode.REGULAR:
        Matter.objects.filter(pk=matter.pk).update(service_mode=mode, updated_at=timezone.now())
    return appointment


@transaction.atomic
def cancel_appointment(actor, appointment, *, reason) -> Appointment:
    """Cancel an appointment, with the reason on the timeline."""
    pk = getattr(appointment, "pk", appointment)
    found = get_appointment(actor, pk)
    _lock_case(actor, found.matter_id)
    appointment = Appointment.objects.select_for_update().select_related("matter").get(pk=pk)
    reason = services.clean_text(
        reason, "reason", _("取消原因"), CANCEL_REASON_MAX, required=_("取消预约须说明原因")
    )
    if appointment.is_cancelled:
        raise ValidationError({"reason": _("该预约已取消")})
    before = audit.snapshot(appointment)
    appointment.is_cancelled = True
    appointment.note = _("已取消:%(r)s") % {"r": reason}  # fits: the reason is bounded
    appointment.save(update_fields=["is_cancelled", "note"])
    text = _("取消预约 %(a)s:%(r)s") % {"a": appointment, "r": reason}
    services.add_event(actor, appointment.matter, services.EventType.UPDATE, text)
    audit.record(
        actor, AuditRecord.Action.STATUS, appointment, before=before,
        after=audit.snapshot(appointment), message=text,
    )  # fmt: skip
    return appointment


def may_manage(actor, matter) -> bool:
    """Whether `actor` may change the case's checklist and appointments (for the pages)."""
    if matter.kind != Kind.AGENCY or matter.status not in ACTIVE:
        return False
    if not services.is_officer(actor, matter.zone):
        return False
    return Matter.objects.restrict(actor, CHANGE).filter(pk=matter.pk).exists()
