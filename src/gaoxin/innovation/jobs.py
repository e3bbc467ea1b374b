"""Innovation's daily job (`gaoxin daily`): per zone, the registry's high-tech flags brought to
today's valid certificates, then the pipeline's reminders (reminders.py) sent to the zone's
innovation officers (科技创新局, or the zone's staff when it has none) and the enterprise's
users; those someone must act on (a report missing, a criterion below its threshold) also open a
matter (走访跟进) for the officers. Each reminder is sent once: a notification of its kind about
its row is the memory, so running the job twice a day sends nothing new."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import clock
from gaoxin.core.models import Department, Membership, Notification, Role, Zone
from gaoxin.core.notifications import notify, register_kind
from gaoxin.core.workdays import add_working_days

from . import reminders
from .services import sync_high_tech_flags

OFFICER_DEPARTMENT = "科技创新局"
MATTER_DAYS = 10  # working days an officer has to follow a reminder up
TITLE_MAX = 90
KINDS = {
    reminders.EXPIRING: register_kind(
        "innovation.expiring", gettext_lazy("高企证书即将到期"), tone="warning"
    ).code,
    reminders.REPORT_MISSING: register_kind(
        "innovation.report_missing", gettext_lazy("高企年报未报"), tone="danger"
    ).code,
    reminders.AT_RISK: register_kind(
        "innovation.at_risk", gettext_lazy("高企资格风险"), tone="danger"
    ).code,
}
MATTER_TITLES = {
    reminders.REPORT_MISSING: gettext_lazy("督促填报高企年报:%(e)s"),
    reminders.AT_RISK: gettext_lazy("高企资格风险跟进:%(e)s"),
}


def innovation_department(zone) -> Department | None:
    return Department.objects.filter(zone=zone, name=OFFICER_DEPARTMENT).first()


def officers(zone) -> list:
    """The zone's innovation officers: the 科技创新局's members, else the zone's staff and
    administrators."""
    members = Membership.objects.filter(
        zone=zone, role__in=(Role.ZONE_STAFF, Role.ZONE_ADMIN), user__is_active=True
    ).select_related("user")
    department = innovation_department(zone)
    own = [m.user for m in members if department and m.department_id == department.pk]
    return own or [m.user for m in members.order_by("role", "pk")]


def enterprise_users(enterprise) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            enterprise=enterprise, role=Role.ENTERPRISE_USER, user__is_active=True
        ).select_related("user")
    ]


def _url(reminder) -> str:
    cert = getattr(reminder.target, "certification", reminder.target)
    try:
        return reverse("innovation:certification", args=[cert.pk])
    except NoReverseMatch:
        return ""


def already_sent(reminder) -> bool:
    content_type = ContentType.objects.get_for_model(reminder.target)
    return Notification.objects.filter(
        kind=KINDS[reminder.kind], content_type=content_type, object_id=reminder.target.pk
    ).exists()


def _open_matter(zone, reminder, people, department) -> bool:
    from gaoxin.matters.models import Kind
    from gaoxin.matters.services import create_matter

    actor = people[0] if people else None
    if actor is None:
        return False
    title = str(MATTER_TITLES[reminder.kind]) % {"e": reminder.enterprise.name}
    create_matter(
        actor,
        zone,
        kind=Kind.VISIT,
        title=title[:TITLE_MAX],
        description=reminder.message,
        enterprise=reminder.enterprise,
        department=department,
        officer=actor,
        due_on=add_working_days(clock.today(), MATTER_DAYS),
    )
    return True


def send(zone, reminder, people, department) -> tuple[bool, bool]:
    """Send one reminder unless it was sent before: (sent, matter opened)."""
    if already_sent(reminder):
        return False, False
    recipients = people + enterprise_users(reminder.enterprise)
    with transaction.atomic():
        sent = notify(
            recipients, reminder.message, kind=KINDS[reminder.kind], target=reminder.target,
            url=_url(reminder),
        )  # fmt: skip
        opened = bool(sent) and reminder.acts and _open_matter(zone, reminder, people, department)
    return bool(sent), opened


def run_zone(zone, today: datetime.date) -> dict:
    counts = {"flags": sync_high_tech_flags(zone, today), "matters": 0}
    counts.update({kind: 0 for kind in KINDS})
    people = officers(zone)
    department = innovation_department(zone)
    for reminder in reminders.for_zone(zone, today):
        sent, opened = send(zone, reminder, people, department)
        counts[reminder.kind] += sent
        counts["matters"] += opened
    return counts


def daily(today: datetime.date | None = None) -> str:
    today = today or clock.today()
    total = {"flags": 0, "matters": 0, **{kind: 0 for kind in KINDS}}
    for zone in Zone.objects.order_by("pk"):
        for key, n in run_zone(zone, today).items():
            total[key] += n
    return (
        _(
            "科技创新:高企标记更新 %(flags)s 家;提醒已发送:证书临期 %(expiring)s 条,年报未报 "
            "%(report_missing)s 条,资格风险 %(at_risk)s 条;新建跟进事项 %(matters)s 件。"
        )
        % total
    )
