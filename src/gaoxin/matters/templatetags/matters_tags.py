"""Template helpers of the matters module: the traffic-light badge and the bell's unread count.

{% load matters_tags %}
{% light_badge matter %}          the matter's light today (or a light value: "red")
{% unread_count as n %}           the signed-in user's unread notifications (one query a request)
"""

from django import template

from ..models import Light, Matter, Notification

register = template.Library()


def light_of(value, today=None) -> str:
    if isinstance(value, Matter):
        from ..services import today as today_

        return getattr(value, "light_db", None) or value.light(today or today_())
    return value if value in Light.values else ""


@register.inclusion_tag("matters/_light.html")
def light_badge(value, today=None):
    return {"light": light_of(value, today)}


@register.filter
def light(value):
    """The light of a matter (green / yellow / red / done) for CSS classes and tests."""
    return light_of(value)


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """How many unread notifications the signed-in user has: one indexed COUNT, kept on the
    request for the page's other uses (the notifications page); 0 and no query when signed out."""
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_unread_notifications"):
        mine = Notification.objects.restrict(getattr(request, "user", None))
        request._unread_notifications = mine.unread().count()
    return request._unread_notifications
