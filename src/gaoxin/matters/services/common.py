"""What the matter services share: who is who, reading with access, the checks of references and
text, the timeline entry and the audit record."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import Membership, User
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.roles import ENTERPRISE_USER, ZONE_OFFICERS
from gaoxin.enterprises.models import Enterprise

from ..models import Category, Kind, Matter, MatterEvent

EventType = MatterEvent.Type


# --- who is who --------------------------------------------------------------------------------


def is_officer(actor, zone) -> bool:
    """Officers of the zone handle matters: platform and zone admins, zone staff."""
    return can_in_zone(actor, Matter, zone, ADD) and not actor.is_enterprise_only()


def enterprise_of(actor) -> Enterprise | None:
    """The enterprise an enterprise user speaks for (None for officers)."""
    for m in actor.memberships_cached():
        if m.role == ENTERPRISE_USER:
            return m.enterprise
    return None


def zone_people(zone):
    """The zone's officers (admins, leaders, staff): who may own or help with a matter."""
    return (
        User.objects.filter(
            is_active=True, memberships__zone=zone, memberships__role__in=ZONE_OFFICERS
        )
        .distinct()
        .order_by("username")
    )


def department_of(user, zone):
    """The department `user` works in, in `zone` (their first membership with one)."""
    m = Membership.objects.filter(user=user, zone=zone, department__isnull=False).first()
    return m.department if m else None


def actor_name(actor) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "") or ""


# --- reading -----------------------------------------------------------------------------------


def get_for(actor, pk, action: str = VIEW, *, related=()) -> Matter:
    """The matter `pk` if `actor` may do `action` to it; missing and forbidden look the same."""
    try:
        return Matter.objects.restrict(actor, action).select_related(*related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Matter.DoesNotExist(_("未找到该事项")) from None


def events_for(actor, matter):
    """The matter's timeline as `actor` may read it: enterprise users do not see internal notes."""
    events = matter.events.select_related("actor")
    if actor.is_enterprise_only():
        events = events.filter(internal=False)
    return events


def lock(actor, matter, action=CHANGE) -> Matter:
    """The matter locked for update if `actor` may do `action` to it: 404 when not visible, 403
    when visible but not changeable."""
    pk = getattr(matter, "pk", matter)
    if not Matter.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise Matter.DoesNotExist(_("未找到该事项"))
    if not Matter.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权办理该事项"))
    return (
        Matter.objects.select_for_update(of=("self",)).select_related("zone", "category").get(pk=pk)
    )


def require_officer(actor, matter):
    if not is_officer(actor, matter.zone):
        raise Forbidden(_("只有园区工作人员可以办理事项"))


# --- validation --------------------------------------------------------------------------------


def clean_text(value, field: str, label, limit: int, *, required=None) -> str:
    """`value` without its surrounding blanks. `required`: the message when it is empty (else
    empty is allowed). Longer than `limit` characters is refused, naming the field and the limit:
    text is never cut."""
    value = (value or "").strip()
    if not value and required:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {field: _("%(label)s不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
                "label": label, "max": limit, "n": len(value)}}
        )  # fmt: skip
    return value


def in_zone(model, value, zone, field, message):
    """A reference by object or pk that must belong to `zone`."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = model.objects.filter(pk=pk, zone=zone).first() if str(pk).isdigit() else None
    if found is None:
        raise ValidationError({field: message})
    return found


def person(value, zone, field):
    """One of the zone's officers (`zone_people`), by object or pk."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    if not str(pk).isdigit() or not zone_people(zone).filter(pk=pk).exists():
        raise ValidationError({field: _("应为本园区的工作人员")})
    return User.objects.get(pk=pk)


def project_in_zone(value, zone):
    from gaoxin.investment.models import Project

    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = (
        Project.objects.filter(pk=pk, zone=zone, is_deleted=False).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise ValidationError({"project": _("项目不存在或不属于本园区")})
    return found


def category_of(value, zone, kind):
    """An active category of `kind` in `zone`, by object or pk (None when not given)."""
    if value in (None, ""):
        return None
    found = in_zone(Category, value, zone, "category", _("分类不存在或不属于本园区"))
    if found.kind != kind:
        raise ValidationError(
            {"category": _("分类“%(c)s”不属于%(k)s") % {"c": found, "k": Kind(kind).label}}
        )
    if not found.is_active:
        raise ValidationError({"category": _("分类“%(c)s”已停用") % {"c": found}})
    return found


def choice(value, choices, field, default):
    if value in (None, ""):
        return default
    if value not in choices.values:
        allowed = "、".join(f"{v}({label})" for v, label in choices.choices)
        raise ValidationError({field: _("取值应为 %(a)s 之一") % {"a": allowed}})
    return value


# --- writing -----------------------------------------------------------------------------------


def add_event(actor, matter, type_, text="", *, before=None, internal=False, **fields):
    """Append to the matter's timeline."""
    return MatterEvent.objects.create(
        zone_id=matter.zone_id,
        matter=matter,
        type=type_,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name(actor),
        text=text,
        from_status=before or "",
        to_status=fields.pop("to_status", ""),
        internal=internal,
        **fields,
    )


def audit_change(actor, action, matter, before, message=""):
    audit.record(
        actor, action, matter, before=before, after=audit.snapshot(matter), message=message
    )


def save(matter, *fields):
    """Save `fields` of the matter, a new version."""
    matter.version += 1
    matter.save(update_fields=[*fields, "version", "updated_at"])
