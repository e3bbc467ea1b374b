from django import template

from ..audit_display import present
from ..money import format_wan, plain_number
from ..tables import render_body
from ..units import unit_label

register = template.Library()


@register.filter
def wan(value):
    """A 万元 amount shown as 万元 or 亿元: {{ e.registered_capital|wan }}."""
    return format_wan(value)


@register.filter
def number(value):
    return plain_number(value) if value is not None else "—"


@register.filter
def unit(value):
    """An indicator's unit as a column header names it ({{ ind.unit|unit }}): Chinese as it is,
    English with its magnitude in digits ("10,000 yuan" for 万元; core.units.unit_label)."""
    return unit_label(value)


@register.simple_tag
def audit_entries(records):
    """{% audit_entries timeline as entries %}: audit records as people read them
    (core.audit_display), the references of the whole list looked up at once."""
    return present(records)


@register.simple_tag(takes_context=True)
def table_body(context, table):
    """{% table_body table %}: a django-tables2 table's rows (core.tables.render_body)."""
    return render_body(table, context)
