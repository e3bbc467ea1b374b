"""Who hears of what happens to a matter, and what they are told: the services call the `on_*`
functions inside their transaction; each person gets a notification (core's, the bell) with the
transaction and an e-mail after it commits (`gaoxin.core.notifications.notify`).

This module imports no service (the services import it; the daily job, `notify`, imports both).
"""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.models import User
from gaoxin.core.notifications import TEXT_MAX, notify, register_kind
from gaoxin.core.roles import ENTERPRISE_USER, ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF

from .models import Status

ELLIPSIS = "…"  # one character, in every language

# The kinds of the matters' notifications (their code in core: "matters.<event>").
ASSIGNED = register_kind("matters.assigned", gettext_lazy("新分派")).code
DUE_SOON = register_kind("matters.due_soon", gettext_lazy("即将到期"), tone="warning").code
OVERDUE = register_kind("matters.overdue", gettext_lazy("已逾期"), tone="danger").code
ESCALATED = register_kind("matters.escalated", gettext_lazy("升级督办"), tone="danger").code
COMMENT = register_kind("matters.comment", gettext_lazy("新留言")).code
RESOLVED = register_kind("matters.resolved", gettext_lazy("已办结待评价")).code
REOPENED = register_kind("matters.reopened", gettext_lazy("重新办理")).code
RATED = register_kind("matters.rated", gettext_lazy("企业评价")).code


def _active_users(**filters):
    return User.objects.filter(is_active=True, **filters).distinct()


def department_staff(matter):
    return _active_users(
        memberships__zone_id=matter.zone_id,
        memberships__role=ZONE_STAFF,
        memberships__department_id=matter.department_id,
    )


def zone_admins(zone_id):
    return _active_users(memberships__zone_id=zone_id, memberships__role=ZONE_ADMIN)


def zone_leaders(zone_id):
    return _active_users(memberships__zone_id=zone_id, memberships__role=ZONE_LEADER)


def enterprise_users(matter):
    if not (matter.enterprise_id and matter.visible_to_enterprise):
        return User.objects.none()
    return _active_users(
        memberships__role=ENTERPRISE_USER, memberships__enterprise_id=matter.enterprise_id
    )


def owners(matter) -> list:
    """Who acts on a matter: its officer and helpers; else its department's staff; else the
    zone's admins (who assign it)."""
    people = [matter.officer] if matter.officer_id else []
    people += list(matter.helpers.all()) if matter.pk else []
    if not people and matter.department_id:
        people = list(department_staff(matter))
    if not people:
        people = list(zone_admins(matter.zone_id))
    return [p for p in people if p.is_active]


def send(users, matter, kind, text, sender=None):
    """Notify `users` (each once) of `matter`; its page opens from the notification."""
    return notify(
        users, text, kind=kind, target=matter, url=matter.get_absolute_url(), sender=sender
    )


def _label(matter):
    return f"{matter.number} {matter.title}"


def on_new(matter, sender=None):
    if matter.officer_id:
        on_assigned(matter, sender)
    else:
        text = _("新事项待受理:%(m)s") % {"m": _label(matter)}
        send(owners(matter), matter, ASSIGNED, text, sender)


def on_assigned(matter, sender=None):
    text = _("您有新的待办事项:%(m)s,期限 %(d)s") % {"m": _label(matter), "d": matter.due_on}
    send(owners(matter), matter, ASSIGNED, text, sender)


def on_status(matter, to, sender=None):
    label = _label(matter)
    if to == Status.RESOLVED:
        text = _("您的诉求已办结,请查看办理结果并评价:%(m)s") % {"m": label}
        send(enterprise_users(matter), matter, RESOLVED, text, sender)
    elif to == Status.REOPENED:
        send(owners(matter), matter, REOPENED, _("事项重新办理:%(m)s") % {"m": label}, sender)
    elif to == Status.WITHDRAWN and matter.officer_id:
        send([matter.officer], matter, COMMENT, _("事项已撤回:%(m)s") % {"m": label}, sender)


def on_comment(matter, event):
    text = _("%(who)s 在事项 %(m)s 中留言") % {"who": event.actor_name, "m": _label(matter)}
    author = event.actor_id
    if event.actor is not None and event.actor.is_enterprise_only() or event.internal:
        people = owners(matter)
    else:
        people = list(enterprise_users(matter)) + owners(matter)
    send([p for p in people if p.pk != author], matter, COMMENT, text, event.actor)


def on_rated(matter, sender=None):
    text = _("企业评价 %(n)s 星:%(m)s") % {"n": matter.rating, "m": _label(matter)}
    send(owners(matter), matter, RATED, text, sender)


def escalation_text(matter, reason) -> str:
    """The escalation notice: the matter, its due date and the reason. A notification holds
    `TEXT_MAX` characters; a longer reason is shortened here with an ellipsis ("…") and stays
    whole on the matter's timeline."""
    values = {"m": _label(matter), "d": matter.due_on, "r": reason}
    text = _("升级督办:%(m)s(期限 %(d)s)。%(r)s") % values
    if len(text) > TEXT_MAX:
        room = max(TEXT_MAX - (len(text) - len(reason)), 1)
        text = _("升级督办:%(m)s(期限 %(d)s)。%(r)s") % {
            **values,
            "r": Truncator(reason).chars(room, truncate=ELLIPSIS),
        }
    return text


def on_escalated(matter, reason, sender=None):
    people = list(zone_leaders(matter.zone_id)) + list(zone_admins(matter.zone_id))
    send(people + owners(matter), matter, ESCALATED, escalation_text(matter, reason), sender)


def on_due_soon(matter):
    text = _("事项将于 %(d)s 到期:%(m)s") % {"d": matter.due_on, "m": _label(matter)}
    send(owners(matter), matter, DUE_SOON, text)


def on_overdue(matter):
    text = _("事项已逾期(期限 %(d)s):%(m)s") % {"d": matter.due_on, "m": _label(matter)}
    people = owners(matter)
    if matter.department_id:
        people += list(department_staff(matter))
    send(people, matter, OVERDUE, text)
