"""The statistics pages' PageCall: core's ServiceCall, with these pages' 404 for a refused action
and the form's names for the service's fields."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.statistics.models import Return
from gaoxin.statistics.views.common import PageCall


class FigureForm(forms.Form):
    v_output = forms.CharField(required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def form():
    bound = FigureForm({"v_output": "12", "version": "3"})
    assert bound.is_valid()
    return bound


@pytest.mark.parametrize(
    "refusal", [Forbidden("只有园区经济运行工作人员可以审核报表"), Return.DoesNotExist()]
)
def test_a_refused_action_or_a_row_the_service_does_not_find_answers_404(refusal):
    bound = form()
    with pytest.raises(Http404), PageCall(bound):
        raise refusal
    assert not bound.errors


def test_errors_go_under_the_forms_names_and_the_version_above_the_form():
    bound = form()
    call = PageCall(bound, renames={"output": "v_output", "version": "__all__"})
    with call:
        raise ValidationError({"output": "工业总产值不能为负数", "version": "版本不对"})
    assert (call.ok, call.status) == (False, 422)
    assert bound.errors == {"v_output": ["工业总产值不能为负数"], "__all__": ["版本不对"]}
    assert call.messages() == ["工业总产值不能为负数", "版本不对"]


def test_a_stale_save_is_409_above_the_form_and_the_input_is_kept():
    bound = form()
    call = PageCall(bound)
    with call:
        raise StaleVersion(4)
    assert call.status == 409 and bound.data["v_output"] == "12"
    assert bound.non_field_errors() == ["该记录已被他人修改(当前版本 4),请刷新后重新编辑。"]
    assert call.messages() == ["该记录已被他人修改(当前版本 4),请刷新后重新编辑。"]


def test_success_and_other_errors():
    call = PageCall()
    with call:
        pass
    assert call.ok and call.messages() == []
    with pytest.raises(KeyError), PageCall():  # not a service's answer: it propagates
        raise KeyError("x")
