"""The one access path (DESIGN.md mechanism 2).

`Model.objects.restrict(user, action)` returns exactly the rows a user may see ("view") or act on
("add", "change", "delete"), from the user's role memberships. Pages, API, exports, counts and
dashboards all start from it; a row outside it answers 404, the same as a missing one.
"""

from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..roles import (
    ENTERPRISE_USER,
    PLATFORM_ADMIN,
    PROVINCE_VIEWER,
    ZONE_ADMIN,
    ZONE_LEADER,
    ZONE_STAFF,
)

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

# The named policies: what each role may do (role → actions). A model picks one with its
# `access_policy`; DEFAULT_POLICY applies when it names none.
#
# Business records (enterprises, projects, returns, matters …): officers keep them, leaders and
# the province read, an enterprise user reads and keeps its own.
RECORDS_POLICY = {
    PLATFORM_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    PROVINCE_VIEWER: {VIEW},
    ZONE_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    ZONE_LEADER: {VIEW},
    ZONE_STAFF: {VIEW, ADD, CHANGE},
    ENTERPRISE_USER: {VIEW, CHANGE},
}
DEFAULT_POLICY = RECORDS_POLICY
# Settings that steer the zone's work and how it is judged (campaigns, department targets,
# thresholds, matter categories with their service levels): the zone's admins decide them;
# officers, leaders and the province read them.
ZONE_SETTINGS_POLICY = {
    PLATFORM_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    PROVINCE_VIEWER: {VIEW},
    ZONE_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    ZONE_LEADER: {VIEW},
    ZONE_STAFF: {VIEW},
}
# The zone's own working records that its officers keep as part of their work, with no
# enterprise's share in them: the figures and the statistics catalogue (official figures,
# rollups, indicators, check rules), meetings, working groups and help ledgers. Staff add and
# change, admins also delete; leaders and the province read; enterprise users see none of it.
ZONE_FIGURES_POLICY = {
    PLATFORM_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    PROVINCE_VIEWER: {VIEW},
    ZONE_ADMIN: {VIEW, ADD, CHANGE, DELETE},
    ZONE_LEADER: {VIEW},
    ZONE_STAFF: {VIEW, ADD, CHANGE},
}


def user_scope_q(
    user,
    action: str,
    *,
    zone_path: str = "zone",
    enterprise_path: str | None = None,
    policy: dict | None = None,
    zone_field: str | None = None,
    department_path: str | None = None,
):
    """A Q over a model's rows for `user` doing `action`; True means every row.

    zone_path: the lookup from the model to its zone ("zone", "enterprise__zone", "" for Zone).
    enterprise_path: the lookup to the enterprise the row belongs to; None means enterprise users
    see nothing of this model.
    department_path: the lookup to the responsible department; when set, zone staff see the whole
    zone but change only their own department's rows.
    """
    policy = DEFAULT_POLICY if policy is None else policy
    zone_id = zone_field or (f"{zone_path}_id" if zone_path else "pk")
    zone_province = f"{zone_path}__province_id" if zone_path else "province_id"
    q = Q(pk__in=[])
    for m in user.memberships_cached():
        if action not in policy.get(m.role, ()):
            continue
        if m.role == PLATFORM_ADMIN:
            return True
        if m.role == PROVINCE_VIEWER:
            q |= Q(**{zone_province: m.province_id})
        elif m.role == ZONE_STAFF and department_path and action != VIEW:
            q |= Q(**{zone_id: m.zone_id, f"{department_path}_id": m.department_id})
        elif m.role in (ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF):
            q |= Q(**{zone_id: m.zone_id})
        elif m.role == ENTERPRISE_USER:
            if enterprise_path is not None:
                q |= Q(**{enterprise_path: m.enterprise_id})
            elif zone_path == "" and action == VIEW:
                q |= Q(**{zone_id: m.zone_id})
    return q


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        model = self.model
        q = user_scope_q(
            user,
            action,
            zone_path=getattr(model, "access_zone_path", "zone"),
            enterprise_path=getattr(model, "access_enterprise_path", None),
            policy=getattr(model, "access_policy", None),
            department_path=getattr(model, "access_department_path", None),
        )
        return self.all() if q is True else self.filter(q)


def can_in_zone(user, model, zone, action: str) -> bool:
    """Whether `user` may do `action` to `model` rows across a whole zone (not only to their own
    enterprise's): adding, or reading the zone as an officer does."""
    if not (user and user.is_authenticated and user.is_active) or zone is None:
        return False
    policy = getattr(model, "access_policy", None) or DEFAULT_POLICY
    for m in user.memberships_cached():
        if action not in policy.get(m.role, ()):
            continue
        if m.role == PLATFORM_ADMIN:
            return True
        if m.role == PROVINCE_VIEWER and zone.province_id == m.province_id:
            return True
        if m.role in (ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF) and m.zone_id == zone.pk:
            return True
    return False


def can_add(user, model, zone) -> bool:
    """Whether `user` may create a `model` row in `zone` (adds have no row to filter yet)."""
    return can_in_zone(user, model, zone, ADD)


# {(field, language): {value: label}}: the labels of a field's choices, read once a language.
_CHOICE_LABELS: dict = {}


class ZoneScopedModel(models.Model):
    """Base of every zone-scoped table: carries `zone` and answers `restrict()`."""

    zone = models.ForeignKey(
        "core.Zone", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    access_zone_path = "zone"
    access_enterprise_path: str | None = None

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """`get_<field>_display()` from a per-language dict of the field's labels. Django's own
        builds the dict on every call and hashes every lazy label, translating each one: about
        0.15 ms a call, 15 ms for a page of 50 rows with two such fields."""
        key = (field, get_language())
        labels = _CHOICE_LABELS.get(key)
        if labels is None:
            labels = {make_hashable(v): str(label) for v, label in field.flatchoices}
            _CHOICE_LABELS[key] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
