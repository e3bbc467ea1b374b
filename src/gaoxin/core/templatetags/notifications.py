"""The bell's unread count.

{% load notifications %}
{% unread_count as n %}           the signed-in user's unread notifications (one query a request)
"""

from django import template

from ..notifications import unread_count as count_unread

register = template.Library()


def unread_for(request) -> int:
    """The signed-in user's unread notifications, counted once a request (the bell and the
    notifications page share it); 0 and no query when signed out."""
    if not hasattr(request, "_unread_notifications"):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        request._unread_notifications = count_unread(user) if signed_in else 0
    return request._unread_notifications


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    request = context.get("request")
    return 0 if request is None else unread_for(request)
