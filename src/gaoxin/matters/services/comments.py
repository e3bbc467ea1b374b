"""Comments on a matter's timeline: a message, a file, or an officers' internal note."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.uploads import check_upload

from .. import notices
from ..models import Matter, MatterEvent, Status
from .common import EventType, add_event, clean_text, lock

COMMENT_MAX = 5000


@transaction.atomic
def comment(actor, matter, *, text, internal=False, attachment=None) -> MatterEvent:
    """Add to the timeline: a message, optionally with a file. Internal notes are the officers'
    own. An enterprise's reply to a data query also explains the statistics finding behind it."""
    matter = lock(actor, matter)
    enterprise_user = actor.is_enterprise_only()
    if internal and enterprise_user:
        raise Forbidden(_("企业用户不能发布内部备注"))
    text = clean_text(text, "text", _("留言内容"), COMMENT_MAX)
    if not text and attachment is None:
        raise ValidationError({"text": _("请填写留言内容或上传附件")})
    if matter.status == Status.WITHDRAWN:
        raise ValidationError({"text": _("事项已撤回,不能留言")})
    fields = {}
    if attachment is not None:
        name, _content_type = check_upload(attachment)
        fields = {"attachment": attachment, "attachment_name": name}
    event = add_event(
        actor,
        matter,
        EventType.ATTACHMENT if attachment is not None and not text else EventType.COMMENT,
        text,
        internal=bool(internal),
        **fields,
    )
    if enterprise_user and matter.finding_id and text:
        from gaoxin.statistics import services as statistics

        finding = matter.finding
        if finding.status != "closed":
            statistics.explain(actor, finding, text)
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        matter,
        message=(_("留言:%(t)s") % {"t": text}) if text else _("上传附件"),
    )
    Matter.objects.filter(pk=matter.pk).update(updated_at=timezone.now())
    notices.on_comment(matter, event)
    return event
