"""Forms of the findings page: a query to the enterprise (deadline and message), closing a warning
with a note, and the enterprise's explanation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, style_form


class QueryForm(forms.Form):
    due_on = forms.DateField(label=_("回复期限"), widget=DateInput())
    message = forms.CharField(label=_("询问内容"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("关闭说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("情况说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
