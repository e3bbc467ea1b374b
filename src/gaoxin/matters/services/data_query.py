"""The statistics seam: a finding an officer sent to the enterprise as a query becomes a data-query
matter (registered with `statistics.queries` in `MattersConfig.ready`)."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gaoxin.core.clock import today

from .. import catalogue
from ..models import Channel, Kind, Matter
from .common import department_of, zone_people
from .create import DESCRIPTION_MAX, TITLE_MAX, create_matter

ELLIPSIS = "…"  # one character, in every language


def _fit(text: str, room: int) -> str:
    return Truncator(text).chars(room, truncate=ELLIPSIS) if len(text) > room else text


def query_title(indicator: str, finding_text: str) -> str:
    """The matter's title: 数据询问, the indicator and the finding. Generated text: when the
    finding is longer than a title holds it is shortened with an ellipsis ("…"), and it is kept
    whole in the matter's description."""
    title = _("数据询问:%(i)s %(m)s") % {"i": indicator, "m": finding_text}
    if len(title) <= TITLE_MAX:
        return title
    room = TITLE_MAX - (len(title) - len(finding_text))
    if room < 2:
        return _fit(title, TITLE_MAX)
    return _("数据询问:%(i)s %(m)s") % {"i": indicator, "m": _fit(finding_text, room)}


def query_description(message: str, finding_text: str) -> str:
    """The officer's message, then the finding. The message is the statistics module's (not
    bounded there): what passes the description's limit is shortened with an ellipsis."""
    message = (message or "").strip()
    room = DESCRIPTION_MAX - len(finding_text) - 1
    return "\n".join(p for p in (_fit(message, max(room, 1)), finding_text) if p)


def open_data_query(finding, message="", sender=None) -> Matter | None:
    """Registered with `statistics.queries`: an officer (`sender`, handed over by the statistics
    module, not looked up by name) sent a finding to the enterprise as a query; it becomes a
    data-query matter owned by that officer, due when the query is."""
    if sender is None or Matter.objects.filter(finding=finding).exists():
        return None
    finding_text = finding.message
    indicator = getattr(finding.indicator, "name", "")
    return create_matter(
        sender,
        finding.zone,
        kind=Kind.DATA_QUERY,
        title=query_title(indicator, finding_text),
        description=query_description(message, finding_text),
        category=catalogue.standard(finding.zone, Kind.DATA_QUERY),
        enterprise=finding.enterprise,
        channel=Channel.SYSTEM,
        department=department_of(sender, finding.zone),
        officer=sender if zone_people(finding.zone).filter(pk=sender.pk).exists() else None,
        due_on=max(finding.query_due_on or today(), today()),
        finding=finding,
    )
