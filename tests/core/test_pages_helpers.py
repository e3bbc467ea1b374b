"""core.pages: the zone a request works in, and a service call run for a page."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

from gaoxin.core.errors import Forbidden, NotFound, StaleVersion
from gaoxin.core.models import Tag
from gaoxin.core.pages import PageCall, ServiceCall, zone_for

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()


def _bound():
    form = NameForm({"name": "甲"})
    assert form.is_valid()
    return form


def test_success_leaves_the_form_alone():
    form = _bound()
    call = ServiceCall(form)
    with call:
        pass
    assert call.ok and call.status is None and not form.errors


@pytest.mark.parametrize(
    ("error", "status", "where"),
    [
        (ValidationError({"name": "名称已存在"}), 422, "name"),
        (ValidationError("整体有误"), 422, "__all__"),
        (StaleVersion(3), 409, "__all__"),
        (Forbidden("只有园区管理员可以删除"), 403, "__all__"),
    ],
)
def test_service_errors_go_onto_the_form(error, status, where):
    form = _bound()
    call = ServiceCall(form)
    with call:
        raise error
    assert call.status == status and not call.ok
    assert form.errors[where]
    assert form.data["name"] == "甲"  # what was typed stays
    assert call.message()


def test_not_found_is_a_404_and_other_errors_propagate():
    with pytest.raises(Http404), ServiceCall(_bound()):
        raise NotFound("未找到该企业")
    with pytest.raises(KeyError), ServiceCall(_bound()):
        raise KeyError("not a service's answer")


def test_zone_for(world):
    request = SimpleNamespace(zone=world.zone_a, user=world.zone_admin)
    assert zone_for(request) == world.zone_a
    assert zone_for(request, Tag, "change") == world.zone_a
    with pytest.raises(Http404):
        zone_for(SimpleNamespace(zone=None, user=world.zone_admin))
    with pytest.raises(Http404):
        zone_for(SimpleNamespace(zone=world.zone_a, user=world.leader), Tag, "change")


@pytest.mark.parametrize("refusal", [Forbidden("只有园区管理员可以删除"), Tag.DoesNotExist()])
def test_page_call_answers_a_refusal_or_a_row_not_found_with_404(refusal):
    """PageCall: for pages that show no reason, a refused action reads like a missing page."""
    form = _bound()
    with pytest.raises(Http404), PageCall(form):
        raise refusal
    assert not form.errors


def test_renames_put_the_services_fields_under_the_forms():
    form = _bound()
    call = PageCall(form, renames={"title": "name", "version": "__all__"})
    with call:
        raise ValidationError({"title": "名称已存在", "version": "版本不对"})
    assert (call.ok, call.status) == (False, 422)
    assert form.errors == {"name": ["名称已存在"], "__all__": ["版本不对"]}
    assert call.messages() == ["名称已存在", "版本不对"]
    assert call.message() == "名称已存在;版本不对"
