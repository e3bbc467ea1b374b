from django import template

from ..money import format_wan, plain_number

register = template.Library()


@register.filter
def wan(value):
    """A 万元 amount shown as 万元 or 亿元: {{ e.registered_capital|wan }}."""
    return format_wan(value)


@register.filter
def number(value):
    return plain_number(value) if value is not None else "—"
