"""The agency panel on an agency case's detail page (helper B's; `matters/_agency_panel.html`
calls it): the checklist with each item's state, dates, promised date and elapsed working days,
inline forms to update them, and the appointments with the form to add one.

{% load agency_tags %}{% agency_panel matter %}
"""

from django import template

from gaoxin.core.clock import today as today_

from .. import agency, agency_time
from ..models import Matter

register = template.Library()


@register.inclusion_tag("matters/agency_panel.html", takes_context=True)
def agency_panel(context, matter: Matter):
    from ..views.agency import AppointmentForm, ChecklistForm, ItemForm

    request = context.get("request")
    user = getattr(request, "user", None)
    today = today_()
    items = agency.items_of(matter)
    progress = agency.progress(matter, items, on=today)
    manage = bool(user) and agency.may_manage(user, matter)
    rows = [
        {
            "item": item,
            "elapsed": agency.item_elapsed(item, today),
            "late": agency.item_late(item, today),
            "due": agency.item_due(item, today),
            "paused": agency_time.open_pause(item),
            "form": ItemForm(initial=_item_initial(item), auto_id=f"id_item{item.pk}_%s")
            if manage
            else None,
        }
        for item in items
    ]
    context = {
        "matter": matter,
        "rows": rows,
        "progress": progress,
        "appointments": list(matter.appointments.select_related("item__category")),
        "manage": manage,
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "today": today,
    }
    if manage:
        context["checklist_form"] = ChecklistForm(
            initial={"categories": [i.category_id for i in items]}, zone=matter.zone
        )
        context["appointment_form"] = AppointmentForm(items=items)
    return context


def _item_initial(item) -> dict:
    return {
        name: getattr(item, name)
        for name in ("version", "state", "submitted_on", "approved_on", "approver", "note")
    }
