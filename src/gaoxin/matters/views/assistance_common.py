"""Helpers shared by the help pages (帮扶): the working groups (`groups`) and the help ledgers
(`ledgers`) — the zone check, the object lookup, running a service from a form, the form page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.forms import add_service_errors, style_form
from gaoxin.core.models.access import VIEW, can_in_zone
from gaoxin.enterprises.models import Enterprise


def _zone(request):
    if request.zone is None:
        raise Http404(_("未找到园区"))
    return request.zone


def _allowed(request, model, action=VIEW):
    """The zone, when the user may `action` `model` across it; else 404."""
    zone = _zone(request)
    if not can_in_zone(request.user, model, zone, action):
        raise Http404(_("未找到该页面"))
    return zone


def _get(request, model, pk, action=VIEW):
    obj = model.objects.restrict(request.user, action).filter(pk=pk, zone=request.zone).first()
    if obj is None:
        raise Http404(_("未找到该记录"))
    return obj


def _post_service(request, form, act):
    """Run a service with the form's data; its errors land on the form. True when done."""
    if not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    except StaleVersion as exc:
        form.add_error(None, str(exc))
        return False
    except Forbidden:
        raise Http404 from None
    return True


class ZoneForm(forms.Form):
    """A form whose choices are the zone's: enterprises, departments, people, projects."""

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(
                zone=zone, is_deleted=False
            ).order_by("name")
            self.fields["enterprise"].widget.attrs["data-picker"] = "1"
        style_form(self)


def _form_page(request, form, *, title, nav="ledgers", back, form_id, obj=None):
    return render(
        request,
        "matters/ledger_form.html",
        {"form": form, "title": title, "nav": nav, "back": back, "form_id": form_id, "obj": obj},
    )
