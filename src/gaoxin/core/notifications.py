"""Notify a person, from any module: a row in their notifications (the bell, `/notifications/`)
and an e-mail (SMTP in production, the console in development).

    from gaoxin.core import notifications
    notifications.register_kind("matters.assigned", _("新分派"))            # once, at import
    notifications.notify(people, text, kind="matters.assigned", target=matter,
                         url=reverse("matters:detail", args=[matter.pk]), sender=actor)

`notify()` writes the rows inside the caller's transaction (a service's); the e-mails go out after
it commits (`transaction.on_commit`), so a rolled-back write notifies nobody. The text is at most
`TEXT_MAX` characters: a longer one is refused (ValidationError), never cut. Core imports no
domain module: the target is any row (a generic relation), the kinds are registered by the
modules that send them.
"""

import logging
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models.notifications import (
    KINDS,
    TEXT_MAX,
    URL_MAX,
    Notification,
    NotificationKind,
    check_kind_code,
    kind_of,
    register_kind,
)

__all__ = [
    "KINDS",
    "TEXT_MAX",
    "Notification",
    "NotificationKind",
    "kind_of",
    "notify",
    "register_kind",
    "send_emails",
    "unread_count",
]

logger = logging.getLogger(__name__)


def _check_text(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("通知内容不能为空")})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": _("通知内容不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
                "max": TEXT_MAX, "n": len(text)}}
        )  # fmt: skip
    return text


def _check_url(url) -> str:
    """A page of this site: a path ("/matters/3/"), never another host."""
    url = url or ""
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX):
        raise ValueError(f"a notification opens a page of this site, not {url!r}")
    return url


def notify(
    users, text, *, kind, target=None, url="", sender=None, email=True
) -> list[Notification]:
    """One notification for each of `users` (each person once, inactive accounts skipped), about
    `target` (any saved row, or None), opening `url`; e-mailed after the caller's transaction
    commits unless `email` is False. Returns the rows written (none when nobody is left)."""
    text = _check_text(text)
    check_kind_code(kind)
    url = _check_url(url)
    if target is not None and not isinstance(getattr(target, "pk", None), int):
        raise ValueError("a notification's target is a saved row with an integer key")
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    sender = sender if getattr(sender, "pk", None) else None
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                user=user,
                kind=kind,
                text=text,
                content_type=content_type,
                object_id=target.pk if target is not None else None,
                url=url,
                sender=sender,
            )
        )
    if not rows:
        return []
    Notification.objects.bulk_create(rows)  # sets the pks on SQLite and PostgreSQL
    if email:
        ids = [n.pk for n in rows]
        transaction.on_commit(lambda: send_emails(ids))
    return rows


def _subject(n: Notification) -> str:
    about = str(n.target) if n.content_type_id and n.target is not None else n.text
    line = re.sub(r"\s+", " ", f"{kind_of(n.kind).label}:{about}").strip()
    return f"[{settings.PLATFORM_NAME}] {line}"


def send_emails(ids) -> int:
    """E-mail the notifications `ids` not e-mailed yet, to the people with an address. A failure
    is logged and the notification stays in the product. Returns how many went out."""
    sent = 0
    rows = (
        Notification.objects.filter(pk__in=list(ids), emailed_at__isnull=True)
        .select_related("user")
        .prefetch_related("target")
        .order_by("pk")
    )
    for n in rows:
        if not n.user.email:
            continue
        link = settings.SITE_URL + (n.url or reverse("notifications"))
        try:
            send_mail(
                _subject(n),
                f"{n.user.display_name}:\n\n{n.text}\n\n{link}\n",
                None,
                [n.user.email],
            )
        except OSError:  # smtplib's errors included
            logger.warning("notification e-mail to %s failed", n.user.email, exc_info=True)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def unread_count(user) -> int:
    """How many unread notifications `user` has (0 when signed out): one indexed COUNT."""
    return Notification.objects.restrict(user).unread().count()
