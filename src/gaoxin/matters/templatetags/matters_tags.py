"""Template helpers of the matters module: the traffic-light badge.

{% load matters_tags %}
{% light_badge matter %}          the matter's light today (or a light value: "red")

(The bell's unread count is core's: {% load notifications %}{% unread_count as n %}.)
"""

from django import template

from gaoxin.core.clock import today as today_

from ..models import Light, Matter

register = template.Library()


def light_of(value, today=None) -> str:
    if isinstance(value, Matter):
        return getattr(value, "light_db", None) or value.light(today or today_())
    return value if value in Light.values else ""


@register.inclusion_tag("matters/_light.html")
def light_badge(value, today=None):
    return {"light": light_of(value, today)}


@register.filter
def light(value):
    """The light of a matter (green / yellow / red / done) for CSS classes and tests."""
    return light_of(value)
