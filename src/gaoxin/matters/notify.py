"""Notifications: in the product (`Notification`, each person's bell) and by e-mail (SMTP in
production, the console in development). Services call the `on_*` functions inside their
transaction; the rows are written with it and the e-mails go out after it commits.

`run_daily()` is the daily job (`gaoxin remind`): due-soon and overdue reminders once each, and the
escalation of matters red for `MATTERS_ESCALATE_AFTER_DAYS` to the zone's leaders.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.models import User

from .models import Matter, Notification, Status

logger = logging.getLogger(__name__)
Type = Notification.Type


def _active_users(**filters):
    return User.objects.filter(is_active=True, **filters).distinct()


def department_staff(matter):
    return _active_users(
        memberships__zone_id=matter.zone_id,
        memberships__role="zone_staff",
        memberships__department_id=matter.department_id,
    )


def zone_admins(zone_id):
    return _active_users(memberships__zone_id=zone_id, memberships__role="zone_admin")


def zone_leaders(zone_id):
    return _active_users(memberships__zone_id=zone_id, memberships__role="zone_leader")


def enterprise_users(matter):
    if not (matter.enterprise_id and matter.visible_to_enterprise):
        return User.objects.none()
    return _active_users(
        memberships__role="enterprise_user", memberships__enterprise_id=matter.enterprise_id
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


def send(users, matter, type_, text) -> list[Notification]:
    """One notification per person (each once), e-mailed after the commit."""
    seen, rows = set(), []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, matter=matter, type=type_, text=text[:300]))
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    ids = [n.pk for n in rows if n.pk] or None
    transaction.on_commit(lambda: email(ids, matter.pk, type_))
    return rows


def email(ids, matter_id, type_) -> int:
    """E-mail the notifications (those of people with an address); failures are logged and the
    notification stays in the product."""
    rows = Notification.objects.filter(matter_id=matter_id, type=type_, emailed_at__isnull=True)
    if ids:
        rows = rows.filter(pk__in=ids)
    sent = 0
    for n in rows.select_related("user", "matter"):
        if not n.user.email:
            continue
        link = settings.SITE_URL + reverse("matters:detail", args=[n.matter_id])
        try:
            send_mail(
                f"[{settings.PLATFORM_NAME}] {n.get_type_display()}:{n.matter.title}",
                f"{n.user.display_name}:\n\n{n.text}\n\n{link}\n",
                None,
                [n.user.email],
            )
        except OSError:
            logger.warning("notification e-mail to %s failed", n.user.email, exc_info=True)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _label(matter):
    return f"{matter.number} {matter.title}"


def on_new(matter):
    if matter.officer_id:
        on_assigned(matter)
    else:
        send(owners(matter), matter, Type.ASSIGNED, _("新事项待受理:%(m)s") % {"m": _label(matter)})


def on_assigned(matter):
    text = _("您有新的待办事项:%(m)s,期限 %(d)s") % {"m": _label(matter), "d": matter.due_on}
    send(owners(matter), matter, Type.ASSIGNED, text)


def on_status(matter, to):
    label = _label(matter)
    if to == Status.RESOLVED:
        text = _("您的诉求已办结,请查看办理结果并评价:%(m)s") % {"m": label}
        send(enterprise_users(matter), matter, Type.RESOLVED, text)
    elif to == Status.REOPENED:
        send(owners(matter), matter, Type.REOPENED, _("事项重新办理:%(m)s") % {"m": label})
    elif to == Status.WITHDRAWN and matter.officer_id:
        send([matter.officer], matter, Type.COMMENT, _("事项已撤回:%(m)s") % {"m": label})


def on_comment(matter, event):
    text = _("%(who)s 在事项 %(m)s 中留言") % {"who": event.actor_name, "m": _label(matter)}
    author = event.actor_id
    if event.actor is not None and event.actor.is_enterprise_only() or event.internal:
        people = owners(matter)
    else:
        people = list(enterprise_users(matter)) + owners(matter)
    send([p for p in people if p.pk != author], matter, Type.COMMENT, text)


def on_rated(matter):
    text = _("企业评价 %(n)s 星:%(m)s") % {"n": matter.rating, "m": _label(matter)}
    send(owners(matter), matter, Type.RATED, text)


def on_escalated(matter, reason):
    text = _("升级督办:%(m)s(期限 %(d)s)。%(r)s") % {
        "m": _label(matter), "d": matter.due_on, "r": reason,
    }  # fmt: skip
    people = list(zone_leaders(matter.zone_id)) + list(zone_admins(matter.zone_id))
    send(people + owners(matter), matter, Type.ESCALATED, text)


# --- the daily job ---------------------------------------------------------------------------------


def run_daily(today: datetime.date | None = None) -> dict:
    """Send due-soon and overdue reminders (each once per due date) and escalate matters red for
    `MATTERS_ESCALATE_AFTER_DAYS` days. Safe to run more than once a day."""
    from . import services

    today = today or timezone.localdate()
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0}
    # Each reminder names the matter's owners: its officer and helpers, read with the matters.
    active = Matter.objects.active().select_related("zone", "officer").prefetch_related("helpers")
    for matter in active.light("yellow", today).filter(due_soon_notified_on__isnull=True):
        with transaction.atomic():
            text = _("事项将于 %(d)s 到期:%(m)s") % {"d": matter.due_on, "m": _label(matter)}
            send(owners(matter), matter, Type.DUE_SOON, text)
            Matter.objects.filter(pk=matter.pk).update(due_soon_notified_on=today)
        counts["due_soon"] += 1
    for matter in active.light("red", today).filter(overdue_notified_on__isnull=True):
        with transaction.atomic():
            text = _("事项已逾期(期限 %(d)s):%(m)s") % {"d": matter.due_on, "m": _label(matter)}
            people = owners(matter)
            if matter.department_id:
                people += list(department_staff(matter))
            send(people, matter, Type.OVERDUE, text)
            Matter.objects.filter(pk=matter.pk).update(overdue_notified_on=today)
        counts["overdue"] += 1
    late = today - datetime.timedelta(days=settings.MATTERS_ESCALATE_AFTER_DAYS)
    for matter in active.filter(due_on__lte=late, escalated_at__isnull=True):
        services.escalate(None, matter, on=today)
        counts["escalated"] += 1
    return counts
