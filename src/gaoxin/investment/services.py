"""Every write to the investment module goes through here: pages, API, importer, CLI and demo.

Each function runs in one transaction, checks access through `restrict()` / `can_add`, validates,
bumps the version where the record has one and writes the audit record. Stage moves are also
kept as dated business events (`StageEvent`), by the rules in `stages`.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today  # noqa: F401 (a name callers use: the platform's clock)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department, Zone
from gaoxin.core.models.access import CHANGE, DELETE, VIEW, can_add, user_scope_q
from gaoxin.core.records import check_version, refuse_in_zone, soft_delete
from gaoxin.core.roles import ADMINS, ENTERPRISE_USER, ZONE_STAFF
from gaoxin.core.uploads import check_upload

from . import references, stages
from .models import (
    Commitment,
    Document,
    FundsEntry,
    Project,
    Stage,
    Thresholds,
)

EDITABLE_FIELDS = (
    "name",
    "category",
    "investor_name",
    "investor_enterprise",
    "origin_province",
    "origin_country",
    "industry",
    "chain",
    "channel",
    "planned_investment",
    "fixed_asset_investment",
    "foreign_investment_usd",
    "land_mu",
    "building_area",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "department",
    "officer",
    "site",
    "summary",
)
REFERENCES = (
    "investor_enterprise",
    "origin_province",
    "industry",
    "chain",
    "channel",
    "department",
    "officer",
)
COMMITMENT_FIELDS = (
    "investment",
    "funds_in_place",
    "funds_by",
    "start_by",
    "production_by",
    "land_mu",
    "annual_output",
    "annual_tax",
    "jobs",
    "note",
)
REASON_MAX = 200  # a deletion's reason (a project's is stored in deleted_reason, 200 long)
# The 5020 threshold by zone level when a zone has not set its own (DOMAIN.md): 50亿元 for a
# city-level (national) zone, 20亿元 for a county-level (provincial) one.
DEFAULT_5020 = {Zone.Level.NATIONAL: Decimal("500000"), Zone.Level.PROVINCIAL: Decimal("200000")}
DEFAULT_LARGE = Decimal("10000")


# --- reading ----------------------------------------------------------------------------------


# What a project's page shows of it beside its own fields.
SHOWN_WITH = (
    "zone",
    "investor_enterprise",
    "origin_province",
    "industry",
    "chain",
    "channel",
    "department",
    "officer",
)


def get_for(actor, pk, action: str = "view", *, related=()) -> Project:
    """The project `pk` if `actor` may do `action` to it; missing and forbidden look the same.
    `related`: foreign keys to read in the same query."""
    try:
        return Project.objects.restrict(actor, action).active().select_related(*related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Project.DoesNotExist(_("未找到该项目")) from None


def thresholds_for(zone) -> Thresholds:
    """The zone's size-class thresholds (an unsaved default when the zone has set none)."""
    found = Thresholds.objects.filter(zone=zone).first()
    if found is not None:
        return found
    return Thresholds(
        zone=zone,
        large=DEFAULT_LARGE,
        class_5020=DEFAULT_5020.get(zone.level, DEFAULT_5020["national"]),
    )


# Roles that work on the pipeline; an enterprise user sees only their own project's public status.
PIPELINE_ROLES = frozenset(role for role in Project.access_policy if role != ENTERPRISE_USER)


def sees_pipeline(user) -> bool:
    return bool(user.roles() & PIPELINE_ROLES)


def pipeline_q(user):
    """The projects `user` sees in full, as a role that works on the pipeline (not only as an
    investor's public status); True means every project."""
    return user_scope_q(
        user,
        "view",
        policy=Project.access_policy,
        department_path="department",
        enterprise_path=None,
    )


def pipeline(user):
    """The pipeline behind the cockpit, campaigns, targets and the summary endpoint."""
    if not (user and user.is_authenticated and user.is_active):
        return Project.objects.none()
    q = pipeline_q(user)
    return (Project.objects.all() if q is True else Project.objects.filter(q)).active()


def is_staff_only(actor) -> bool:
    """A department officer: sees the zone's pipeline, edits only their department's projects."""
    return not (actor.roles() & ADMINS) and ZONE_STAFF in actor.roles()


def own_departments(actor, zone) -> set[int]:
    return {
        m.department_id
        for m in actor.memberships_cached()
        if m.role == ZONE_STAFF and m.zone_id == zone.pk and m.department_id
    }


# --- validating -------------------------------------------------------------------------------


def validate(project: Project) -> None:
    """The rules of one project record; raises ValidationError keyed by field name."""
    errors = {}
    for field in project._meta.concrete_fields:
        value = getattr(project, field.attname)
        if isinstance(value, str) and "\x00" in value:
            errors[field.name] = [_("含有不可见的空字符(NUL),请删除后重试")]
    project.name = " ".join((project.name or "").split())
    project.investor_name = " ".join((project.investor_name or "").split())
    # References were resolved (and checked) by `references`; the stage by `stages`.
    exclude = {*REFERENCES, "zone", "stage", "stage_on", "halted_from", *errors}
    try:
        project.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    planned = project.planned_investment
    fixed = project.fixed_asset_investment
    both = planned is not None and fixed is not None and "fixed_asset_investment" not in errors
    if both and fixed > planned:
        errors["fixed_asset_investment"] = [
            _("其中固定资产投资(%(f)s 万元)不能超过计划总投资(%(p)s 万元)")
            % {"f": _plain(fixed), "p": _plain(planned)}
        ]
    if project.origin_province_id and project.origin_country.strip():
        errors["origin_country"] = [_("投资方来源填写省份或国家/地区其一")]
    if errors:
        raise ValidationError(errors)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _check_department(actor, project: Project) -> None:
    """Department officers keep their own department's projects and cannot hand them away."""
    if not is_staff_only(actor):
        return
    own = own_departments(actor, project.zone)
    if project.department_id not in own:
        raise ValidationError({"department": _("只能登记或修改本部门负责的项目")})


# --- projects ---------------------------------------------------------------------------------


@transaction.atomic
def create_project(
    actor, zone, *, stage: str = Stage.LEAD, on=None, note: str = "", **data
) -> Project:
    if not can_add(actor, Project, zone):
        refuse_in_zone(actor, zone, _("无权在该园区登记招商项目"))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("未知字段") for f in unknown})
    if is_staff_only(actor) and not data.get("department"):
        own = own_departments(actor, zone)
        data["department"] = Department.objects.filter(pk__in=own).first()
    data, errors = references.resolved(zone, data)
    project = Project(zone=zone, **data)
    try:
        validate(project)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    try:
        event = stages.enter(
            project, stage, on=on or today(), note=note, actor=actor, today=today()
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _check_department(actor, project)
    project.save()
    event.project = project
    event.save()
    audit.record(actor, AuditRecord.Action.CREATE, project, after=audit.snapshot(project))
    return project


def check_project(actor, zone, data: dict, *, project=None) -> dict[str, list[str]]:
    """Dry run for a page whose form did not parse: the errors the record's rules find in the
    fields that did (`data`), without writing anything; `project` is the one being edited."""
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    current = project.officer_id if project is not None else None
    data, errors = references.resolved(zone, data, current_officer=current)
    draft = Project.objects.get(pk=project.pk) if project is not None else Project(zone=zone)
    for field, value in data.items():
        setattr(draft, field, value)
    try:
        validate(draft)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    return errors


def refusal(actor, action: str) -> str:
    """Why `actor`, who sees a project, may not `action` it (the 403's message)."""
    if action == CHANGE and is_staff_only(actor):
        return _("只能修改本部门负责的招商项目")
    return {CHANGE: _("无权修改该招商项目"), DELETE: _("无权删除该招商项目")}[action]


def _lock(actor, project_or_pk, action) -> Project:
    """The project, locked for update, if `actor` may `action` it: Project.DoesNotExist (404)
    when they cannot see it, Forbidden with the reason (403) when they see it but may not."""
    pk = getattr(project_or_pk, "pk", project_or_pk)
    try:
        get_for(actor, pk, action)
    except Project.DoesNotExist:
        get_for(actor, pk, VIEW)  # not even seen: answers DoesNotExist
        raise Forbidden(refusal(actor, action)) from None
    return Project.objects.select_for_update().get(pk=pk)


@transaction.atomic
def update_project(actor, project_or_pk, changes: dict, *, version=None) -> Project:
    project = _lock(actor, project_or_pk, CHANGE)
    check_version(project, version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("该字段不可修改") for f in unknown})
    before = audit.snapshot(project)
    changes, errors = references.resolved(project.zone, changes, current_officer=project.officer_id)
    for field, value in changes.items():
        setattr(project, field, value)
    try:
        validate(project)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    _check_department(actor, project)
    after = audit.snapshot(project)
    if after == before:
        return project
    project.version += 1
    after["version"] = project.version
    project.save()
    audit.record(actor, AuditRecord.Action.UPDATE, project, before=before, after=after)
    return project


@transaction.atomic
def move_stage(actor, project_or_pk, stage: str, *, on, note: str = "", version=None) -> Project:
    """Move a project along its stages as one dated event (see `stages` for the rules)."""
    project = _lock(actor, project_or_pk, CHANGE)
    check_version(project, version)
    before = audit.snapshot(project)
    event = stages.apply_move(project, stage, on=on, note=note, actor=actor, today=today())
    project.version += 1
    project.save()
    event.save()
    audit.record(
        actor,
        AuditRecord.Action.STAGE,
        project,
        before=before,
        after=audit.snapshot(project),
        message=_("%(f)s → %(t)s(%(d)s)%(n)s")
        % {
            "f": stages.label(event.from_stage),
            "t": stages.label(stage),
            "d": on,
            "n": f":{event.note}" if event.note else "",
        },
    )
    return project


@transaction.atomic
def delete_project(actor, project_or_pk, *, reason: str, version=None) -> Project:
    project = _lock(actor, project_or_pk, DELETE)
    check_version(project, version)
    reason = _reason(reason, _("删除项目必须填写理由"))
    return soft_delete(actor, project, reason, reason_required=_("删除项目必须填写理由"))


def _reason(text, required: str | None = None) -> str:
    """A deletion's reason, stripped: required when `required` (its message) is given, and
    never longer than REASON_MAX (refused, not cut)."""
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({"reason": required})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("理由不能超过 %(n)d 个字(现为 %(c)d 个字)")
                % {"n": REASON_MAX, "c": len(text)}
            }
        )
    return text


def _visible_record(actor, model, pk, *, missing: str, refused: str, **live):
    """A project's funds entry or document if `actor` may change it: DoesNotExist (404) when
    they cannot see it (or its project is deleted), Forbidden with `refused` (403) when they see
    it but may not change it."""
    seen = model.objects.restrict(actor, VIEW).filter(project__is_deleted=False, **live)
    record = seen.filter(pk=pk).select_related("project").first()
    if record is None:
        raise model.DoesNotExist(missing)
    if not model.objects.restrict(actor, CHANGE).filter(pk=record.pk).exists():
        raise Forbidden(refused)
    return record


# --- commitments and funds in place ----------------------------------------------------------


# A commitment's deadlines: none may fall before the project was signed.
DEADLINES = ("funds_by", "start_by", "production_by")


def validate_commitment(commitment: Commitment, *, signed_on=None) -> None:
    """The rules of what an investor promised; `signed_on`: the project's signing date (read
    from the commitment's project when not given, as the importer gives it from its row)."""
    errors = {}
    if all(
        getattr(commitment, f) in (None, "") or (f == "note" and not commitment.note.strip())
        for f in COMMITMENT_FIELDS
    ):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("投资承诺为空:请至少填写一项承诺的金额、期限、用地、用工或备注")}
        )
    try:
        commitment.clean_fields(exclude={"zone", "project"})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    start, production = commitment.start_by, commitment.production_by
    if start and production and production < start and "production_by" not in errors:
        errors["production_by"] = [
            _("投产期限(%(p)s)不能早于开工期限(%(s)s)") % {"p": production, "s": start}
        ]
    promised, funds = commitment.investment, commitment.funds_in_place
    if promised is not None and funds is not None and funds > promised:
        errors["funds_in_place"] = [_("承诺到位资金不能超过承诺投资")]
    if commitment.funds_in_place and not commitment.funds_by:
        errors["funds_by"] = [_("承诺了到位资金,请填写到位期限")]
    if signed_on is None and commitment.project_id:
        signed_on = commitment.project.signed_on
    for field in DEADLINES:  # after the order of the deadlines, which says more
        due = getattr(commitment, field)
        if signed_on and isinstance(due, datetime.date) and due < signed_on and field not in errors:
            errors[field] = [
                _("%(what)s(%(d)s)不能早于项目签约日期(%(s)s)")
                % {"what": Commitment._meta.get_field(field).verbose_name, "d": due, "s": signed_on}
            ]
    if errors:
        raise ValidationError(errors)


def check_commitment(project: Project, data: dict) -> dict[str, list[str]]:
    """Dry run for a page whose form did not parse: what the commitment rules say of the fields
    that did, on top of the stored commitment, without writing anything."""
    draft = Commitment.objects.filter(project=project).first() or Commitment(
        zone=project.zone, project=project
    )
    for field, value in data.items():
        if field in COMMITMENT_FIELDS:
            setattr(draft, field, value if value is not None or field != "note" else "")
    try:
        validate_commitment(draft, signed_on=project.signed_on)
    except ValidationError as exc:
        return {f: m for f, m in exc.message_dict.items() if f != NON_FIELD_ERRORS}
    return {}


@transaction.atomic
def save_commitment(actor, project_or_pk, data: dict, *, version=None) -> Commitment:
    """Record or correct what the investor promised; only a signed project has commitments."""
    project = _lock(actor, project_or_pk, CHANGE)
    unknown = set(data) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValidationError({f: _("未知字段") for f in unknown})
    if project.signed_on is None:
        raise ValidationError({"stage": _("项目签约后才能登记投资承诺")})
    commitment = Commitment.objects.filter(project=project).first()
    created = commitment is None
    if created:
        commitment = Commitment(zone=project.zone, project=project)
    else:
        check_version(commitment, version)
    before = None if created else audit.snapshot(commitment)
    for field, value in data.items():
        setattr(commitment, field, value if value is not None or field != "note" else "")
    validate_commitment(commitment, signed_on=project.signed_on)
    after = audit.snapshot(commitment)
    if not created and after == before:
        return commitment
    if not created:
        commitment.version += 1
        after["version"] = commitment.version
    commitment.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE,
        commitment,
        before=before,
        after=after,
        repr_=_("%(p)s 的投资承诺") % {"p": project.name},
    )
    return commitment


@transaction.atomic
def add_funds(
    actor, project_or_pk, *, on, amount, source=FundsEntry.Source.OUT_OF_PROVINCE, note=""
):
    project = _lock(actor, project_or_pk, CHANGE)
    entry = FundsEntry(
        zone=project.zone,
        project=project,
        on=on,
        amount=amount,
        source=source,
        note=(note or "").strip(),
        actor_name=actor.username,
    )
    errors = {}
    try:
        entry.clean_fields(exclude={"zone", "project"})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if isinstance(on, datetime.date) and on > today():
        errors["on"] = [_("到位日期不能晚于今天")]
    if isinstance(on, datetime.date) and project.signed_on and on < project.signed_on:
        errors["on"] = [_("到位日期不能早于签约日期 %(d)s") % {"d": project.signed_on}]
    if amount is not None and "amount" not in errors and amount <= 0:
        errors["amount"] = [_("到位金额应大于 0")]
    if project.signed_on is None:
        errors["stage"] = [_("项目签约后才能登记到位资金")]
    if errors:
        raise ValidationError(errors)
    entry.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        entry,
        after=audit.snapshot(entry),
        repr_=_("%(p)s 到位资金 %(a)s 万元") % {"p": project.name, "a": _plain(entry.amount)},
    )
    return entry


@transaction.atomic
def delete_funds(actor, entry_pk, *, reason: str):
    entry = _visible_record(
        actor, FundsEntry, entry_pk, missing=_("未找到该到位资金记录"),
        refused=_("无权删除该到位资金记录"),
    )  # fmt: skip
    reason = _reason(reason, _("删除到位资金记录必须填写理由"))
    before = audit.snapshot(entry)
    repr_ = _("%(p)s 到位资金 %(a)s 万元") % {"p": entry.project.name, "a": _plain(entry.amount)}
    audit.record(
        actor, AuditRecord.Action.DELETE, entry, before=before, message=reason, repr_=repr_
    )
    entry.delete()


# --- documents --------------------------------------------------------------------------------


@transaction.atomic
def add_document(actor, project_or_pk, *, kind: str, upload) -> Document:
    """Attach a file to a project after checking its type and size (see `documents`)."""
    project = _lock(actor, project_or_pk, CHANGE)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("无效的材料类型 %(k)s") % {"k": kind}})
    name, content_type = check_upload(upload)
    document = Document(
        zone=project.zone,
        project=project,
        kind=kind,
        name=name,
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor.username,
    )
    document.file.save(name, upload, save=False)
    try:
        document.save()
        audit.record(
            actor,
            AuditRecord.Action.CREATE,
            document,
            after={"project": project.pk, "kind": kind, "name": name, "size": upload.size},
            repr_=_("%(p)s 材料:%(n)s") % {"p": project.name, "n": name},
        )
    except Exception:
        document.file.delete(save=False)  # nothing written, nothing left on disk
        raise
    return document


@transaction.atomic
def delete_document(actor, document_pk, *, reason: str = "") -> Document:
    document = _visible_record(
        actor, Document, document_pk, missing=_("未找到该材料"), refused=_("无权删除该材料"),
        is_deleted=False,
    )  # fmt: skip
    reason = _reason(reason)
    document.is_deleted = True
    document.save(update_fields=["is_deleted"])
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        document,
        before={"name": document.name, "kind": document.kind},
        message=reason,
        repr_=_("%(p)s 材料:%(n)s") % {"p": document.project.name, "n": document.name},
    )
    return document
