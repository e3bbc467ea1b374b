"""The zone's promise: prepaid supply never stops by surprise. After every ledger batch (ingest
calls `after_ledger` in its transaction) and every day (jobs.daily), each account's forecast and
level are refreshed, and:

- a level reached (1: days left ≤ first_level_days, 2: ≤ second_level_days, 3: balance used up)
  raises its Warning once an episode (one open Warning an account and level) and notifies the
  enterprise's users and its service officers (its support working group's members, else the
  officers of the department its matters go to, else the zone's administrators); levels passed
  at once are recorded together and notified once, at the highest;
- the second level (or the third, reached at once) opens a matter in the closed loop: a help
  request in the zone's category 水电气保障 (found, else created through matters' categories),
  routed by matters (the category's department, else the enterprise's working group's);
- a top-up that lifts the days left above the first level ends the episode: the open warnings
  are cleared by it (`cleared_by`) and the matter is resolved with what happened;
- a cut-off reported by the utility for an account that was not warned at both levels before it
  (or of supply under 保电) is a surprise stop: `surprise=True`, a red (high-priority) matter,
  counted on the cockpit. Every cut-off is notified once (the notification is its memory).

The automatic matters are raised and resolved as the zone's administrator (the first active
one; a platform administrator where a zone has none): matters' services require an officer.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import clock
from gaoxin.core.models import Membership, Notification, Role, User
from gaoxin.core.notifications import TEXT_MAX, notify, register_kind

from .. import forecast
from ..models import Account, CutOff, Level, TopUp, Warning

logger = logging.getLogger(__name__)

KIND_WARNING = register_kind("utilities.warning", gettext_lazy("余额预警"), tone="warning").code
KIND_CUTOFF = register_kind("utilities.cutoff", gettext_lazy("停供"), tone="danger").code
CATEGORY_NAME = "水电气保障"
CATEGORY_DAYS = 3  # working days to see a second-level warning through
TITLE_MAX = 100


def after_ledger(account_ids, now=None) -> None:
    """Refresh the forecasts, levels and warnings of `account_ids` after a ledger batch, and
    handle the cut-offs it reported. Runs in the caller's transaction. An account with a fresh
    forecast (≤ 36 h) whose days left stay beyond twice the first level only has its days left
    moved by its new balance (forecast.estimate); the rest are recomputed from their history."""
    ids = sorted(set(account_ids))
    if not ids:
        return
    now = now or clock.now()
    full = forecast.estimate(ids, now)  # far from every level: days left moved, no history read
    if full:
        forecast.recompute(account_ids=full, now=now)
    refresh(account_ids=ids, now=now)
    handle_cutoffs(account_ids=ids, now=now)


# --- who is told -------------------------------------------------------------------------------


class People:
    """Who is told and who acts, looked up once per zone and enterprise in a run."""

    def __init__(self):
        self._actors: dict = {}
        self._enterprise: dict = {}
        self._officers: dict = {}
        self._category: dict = {}

    def actor(self, zone_id):
        """The zone's first active administrator, else a platform administrator (or None)."""
        if zone_id not in self._actors:
            m = (
                Membership.objects.filter(
                    zone_id=zone_id, role=Role.ZONE_ADMIN, user__is_active=True
                )
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if m is None:
                m = (
                    Membership.objects.filter(role=Role.PLATFORM_ADMIN, user__is_active=True)
                    .select_related("user")
                    .order_by("pk")
                    .first()
                )
            self._actors[zone_id] = m.user if m else None
        return self._actors[zone_id]

    def enterprise_users(self, enterprise_id) -> list[User]:
        if enterprise_id not in self._enterprise:
            self._enterprise[enterprise_id] = [
                m.user
                for m in Membership.objects.filter(
                    enterprise_id=enterprise_id, role=Role.ENTERPRISE_USER, user__is_active=True
                ).select_related("user")
            ]
        return self._enterprise[enterprise_id]

    def officers(self, zone_id, enterprise_id) -> list[User]:
        """The enterprise's service officers: its support working groups' members, else the
        officers of the department its 水电气保障 matters go to, else the zone's admins."""
        key = (zone_id, enterprise_id)
        if key not in self._officers:
            from gaoxin.matters.models import WorkingGroup

            found = list(
                User.objects.filter(
                    is_active=True,
                    pk__in=WorkingGroup.members.through.objects.filter(
                        workinggroup__zone_id=zone_id, workinggroup__enterprises=enterprise_id
                    ).values("user_id"),
                ).order_by("pk")
            )
            if not found:
                category = self.category(zone_id)
                department_id = category.department_id if category else None
                members = Membership.objects.filter(
                    zone_id=zone_id, user__is_active=True,
                    role__in=(Role.ZONE_STAFF, Role.ZONE_ADMIN),
                )  # fmt: skip
                if department_id:
                    found = [m.user for m in members.filter(department_id=department_id)]
                if not found:
                    found = [m.user for m in members.filter(role=Role.ZONE_ADMIN).order_by("pk")]
            self._officers[key] = found
        return self._officers[key]

    def category(self, zone_id):
        """The zone's 水电气保障 help category, created through matters' categories when
        missing (by the zone's administrator)."""
        if zone_id not in self._category:
            from gaoxin.matters import categories
            from gaoxin.matters.models import Category, Kind, Matter

            found = Category.objects.filter(
                zone_id=zone_id, kind=Kind.HELP, name=CATEGORY_NAME
            ).first()
            actor = self.actor(zone_id)
            if found is None and actor is not None:
                from gaoxin.core.models import Department, Zone

                # Owned by the department that serves most of the zone's help requests (企业服务).
                serving = (
                    Matter.objects.filter(zone_id=zone_id, kind=Kind.HELP)
                    .exclude(department=None)
                    .values("department")
                    .annotate(n=Count("pk"))
                    .order_by("-n", "department")
                    .first()
                )
                found = categories.create_category(
                    actor, Zone.objects.get(pk=zone_id), kind=Kind.HELP, name=CATEGORY_NAME,
                    service_days=CATEGORY_DAYS,
                    department=Department.objects.get(pk=serving["department"]) if serving else None,
                )  # fmt: skip
            self._category[zone_id] = found
        return self._category[zone_id]


def account_url(account) -> str:
    try:
        return reverse("utilities:account", args=[account.pk])
    except NoReverseMatch:
        return ""


def _text(text: str) -> str:
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def describe(account) -> str:
    """ "江西鸿泰光电科技有限公司的电费账户(表号 M001)"."""
    return _("%(e)s的%(k)s费账户(表号 %(m)s)") % {
        "e": account.enterprise.name, "k": account.get_kind_display(), "m": account.meter_no,
    }  # fmt: skip


def warning_text(account, level) -> str:
    days = account.days_left
    if level == Level.EXHAUSTED:
        text = _("%(a)s余额已用尽(余额 %(b)s 元),供应方可能随时停供,请立即充值。")
    elif level == Level.SECOND:
        text = _("%(a)s余额 %(b)s 元,预计仅可用 %(d)s 天,已达二级预警,已转园区跟进,请尽快充值。")
    else:
        text = _("%(a)s余额 %(b)s 元,预计可用 %(d)s 天,已达一级预警,请及时充值。")
    return _text(text % {"a": describe(account), "b": account.balance, "d": days})


# --- warnings ----------------------------------------------------------------------------------


def refresh(*, account_ids=None, zone=None, now=None) -> dict:
    """Raise and clear the warnings of the accounts (their forecasts already recomputed): only
    those at a level or with open warnings are looked at. Returns counts."""
    now = now or clock.now()
    counts = {"raised": 0, "cleared": 0, "matters": 0, "resolved": 0}
    accounts = Account.objects.all()
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    elif zone is not None:
        accounts = accounts.filter(zone=zone)
    open_warnings = defaultdict(dict)
    for w in Warning.objects.filter(cleared_at__isnull=True, account__in=accounts.values("pk")):
        open_warnings[w.account_id][w.level] = w
    ids = set(open_warnings) | set(
        accounts.filter(level__gt=Level.NONE).values_list("pk", flat=True)
    )
    if not ids:
        return counts
    people = People()
    chosen = Account.objects.filter(pk__in=ids).select_related("enterprise", "zone").order_by("pk")
    for account in chosen:
        held = open_warnings.get(account.pk, {})
        if account.level == Level.NONE:
            if held:
                cleared, resolved = _clear(account, held, now, people)
                counts["cleared"] += cleared
                counts["resolved"] += resolved
            continue
        raised, opened = _raise(account, held, now, people)
        counts["raised"] += raised
        counts["matters"] += opened
    return counts


def _raise(account, held: dict, now, people: People) -> tuple[int, int]:
    missing = [lv for lv in (Level.FIRST, Level.SECOND, Level.EXHAUSTED) if lv <= account.level]
    missing = [lv for lv in missing if lv not in held]
    if not missing:
        return 0, 0
    with transaction.atomic():
        made = {
            lv: Warning.objects.create(
                zone_id=account.zone_id,
                account=account,
                level=lv,
                raised_at=now,
                days_left=account.days_left,
                balance=account.balance,
            )  # fmt: skip
            for lv in missing
        }
        top = made[max(missing)]
        recipients = people.enterprise_users(account.enterprise_id) + people.officers(
            account.zone_id, account.enterprise_id
        )
        sent = notify(
            recipients, warning_text(account, top.level), kind=KIND_WARNING, target=top,
            url=account_url(account),
        )  # fmt: skip
        top.notified = len(sent)
        top.save(update_fields=["notified"])
        has_matter = any(w.matter_id for w in held.values())
        opened = 0
        if account.level >= Level.SECOND and not has_matter:
            matter = _open_matter(account, people, warning_text(account, account.level))
            if matter is not None:
                target = made.get(Level.SECOND) or top
                target.matter = matter
                target.save(update_fields=["matter"])
                opened = 1
    return len(missing), opened


def _open_matter(account, people: People, description: str, *, title=None, priority=None):
    from gaoxin.matters.services import create_matter

    actor = people.actor(account.zone_id)
    category = people.category(account.zone_id)
    if actor is None or category is None:
        logger.warning("no administrator in zone %s: no matter for %s", account.zone_id, account)
        return None
    title = title or _("水电气保障:%(e)s%(k)s费余额不足") % {
        "e": account.enterprise.name, "k": account.get_kind_display(),
    }  # fmt: skip
    return create_matter(
        actor, account.zone, kind="help", title=title[:TITLE_MAX], description=description,
        category=category, enterprise=account.enterprise, priority=priority,
    )  # fmt: skip


def _clear(account, held: dict, now, people: People) -> tuple[int, int]:
    """End the episode when a top-up since its first warning lifted the days left (the level is
    back to none); without a top-up (consumption fell) the warnings stay open."""
    since = min(w.raised_at for w in held.values())
    topup = (
        TopUp.objects.filter(account=account, paid_at__gte=since)
        .order_by("-paid_at", "-pk")
        .first()
    )
    if topup is None:
        return 0, 0
    resolved = 0
    with transaction.atomic():
        for w in held.values():
            w.cleared_at, w.cleared_by = now, topup
            w.save(update_fields=["cleared_at", "cleared_by"])
        for w in held.values():
            if w.matter_id and _resolve(w.matter_id, account, topup, people):
                resolved += 1
    return len(held), resolved


def _resolve(matter_id, account, topup, people: People) -> bool:
    from gaoxin.matters.models import ACTIVE, Matter
    from gaoxin.matters.services import transition

    matter = Matter.objects.filter(pk=matter_id, status__in=ACTIVE).first()
    actor = people.actor(account.zone_id)
    if matter is None or actor is None:
        return False
    text = _("%(t)s 充值 %(a)s 元,余额 %(b)s 元,预计可用 %(d)s 天,预警解除,系统自动办结。") % {
        "t": timezone.localtime(topup.paid_at).strftime("%Y-%m-%d %H:%M"), "a": topup.amount,
        "b": account.balance, "d": account.days_left if account.days_left is not None else "—",
    }  # fmt: skip
    transition(actor, matter, "resolved", version=matter.version, text=text)
    return True


# --- cut-offs ----------------------------------------------------------------------------------


def warned_before(account_id, at) -> bool:
    """Whether the account stood warned at both levels when it was cut off: a first- and a
    second-level warning raised before `at` and not cleared by then."""
    levels = set(
        Warning.objects.filter(account_id=account_id, raised_at__lte=at, level__gte=Level.FIRST)
        .exclude(cleared_at__lte=at)
        .values_list("level", flat=True)
    )
    return {Level.FIRST, Level.SECOND} <= levels


def protected_on(account, day) -> bool:
    if not account.protected:
        return False
    return (account.protected_from is None or account.protected_from <= day) and (
        account.protected_until is None or day <= account.protected_until
    )


def handle_cutoffs(*, account_ids=None, zone=None, now=None) -> dict:
    """Judge the cut-offs not judged yet (no matter, not notified): a surprise stop gets a red
    matter; every one is notified once to the enterprise and its service officers."""
    from django.contrib.contenttypes.models import ContentType

    counts = {"cutoffs": 0, "surprises": 0}
    cutoffs = CutOff.objects.filter(matter__isnull=True).select_related(
        "account__enterprise", "account__zone"
    )
    if account_ids is not None:
        cutoffs = cutoffs.filter(account_id__in=list(account_ids))
    elif zone is not None:
        cutoffs = cutoffs.filter(zone=zone)
    cutoffs = list(cutoffs.order_by("at", "pk"))
    if not cutoffs:
        return counts
    told = set(
        Notification.objects.filter(
            kind=KIND_CUTOFF,
            content_type=ContentType.objects.get_for_model(CutOff),
            object_id__in=[c.pk for c in cutoffs],
        ).values_list("object_id", flat=True)
    )
    people = People()
    for cut in cutoffs:
        if cut.pk in told:
            continue
        account = cut.account
        day = timezone.localdate(cut.at)
        surprise = protected_on(account, day) or not warned_before(account.pk, cut.at)
        with transaction.atomic():
            recipients = people.enterprise_users(account.enterprise_id) + people.officers(
                account.zone_id, account.enterprise_id
            )
            text = cutoff_text(account, cut, surprise)
            notify(recipients, text, kind=KIND_CUTOFF, target=cut, url=account_url(account))
            if surprise:
                from gaoxin.matters.models import Priority

                cut.surprise = True
                cut.matter = _open_matter(
                    account, people, text, priority=Priority.HIGH,
                    title=_("意外停供:%(e)s%(k)s(表号 %(m)s)") % {
                        "e": account.enterprise.name, "k": account.get_kind_display(),
                        "m": account.meter_no,
                    },
                )  # fmt: skip
                cut.save(update_fields=["surprise", "matter"])
                counts["surprises"] += 1
        counts["cutoffs"] += 1
    return counts


def cutoff_text(account, cut, surprise: bool) -> str:
    at = timezone.localtime(cut.at).strftime("%Y-%m-%d %H:%M")
    if surprise:
        text = _("%(a)s于 %(t)s 被停供,停供前未经两级预警(意外停供),已转园区紧急处理。")
    else:
        text = _("%(a)s于 %(t)s 因欠费停供,请充值后联系供应单位恢复。")
    return _text(text % {"a": describe(account), "t": at})


__all__ = ["KIND_CUTOFF", "KIND_WARNING", "after_ledger", "handle_cutoffs", "refresh"]
