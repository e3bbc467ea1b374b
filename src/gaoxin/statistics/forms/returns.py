"""Forms of the returns pages: the monthly return (one field per return indicator of the zone),
the reason of a send-back or a revision, the period's deadline and a reminder's message.

A value field accepts any number the stored amounts hold, negative ones too, typed as people
type them (1.2亿, 500万 in the indicator's unit, 1,234.5, full-width digits): a value the rules
forbid (a negative output) is a finding of the checks, shown with its rule, not a form error.
What is not a number ("abc", NaN, ∞, 1e30), too large, or with more than 4 decimals is refused
at its field with the reason, the figures typed kept.
"""

from django import forms
from django.utils.translation import gettext_lazy

from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.periods import Period

from ..services.returns import read_figure

PREFIX = "v_"  # a value field: v_<indicator code>
EXPLAIN = "x_"  # an explanation box: x_<rule code>


class ValueField(forms.CharField):
    """A figure typed in the return: kept as text for re-showing, cleaned to Decimal | None by
    the service's reader (`services.returns.read_figure`, the API's too). No maxlength on the
    input: a browser would cut a long paste to something that looks right; the reader refuses
    what is too long with a message."""

    def __init__(self, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(required=False, strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return read_figure(self.indicator, value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReturnForm(forms.Form):
    """The monthly return: `v_<code>` per indicator, `x_<rule>` explanations, the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    reason = forms.CharField(
        label=gettext_lazy("修订理由"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, data=None, *, indicators, explain_codes=(), **kwargs):
        super().__init__(data, **kwargs)
        self.indicators = list(indicators)
        for ind in self.indicators:
            field = ValueField(ind, label=ind.name)
            field.widget.attrs.update(
                {
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "form-control form-control-sm text-end gx-value",
                    "data-code": ind.code,
                }
            )
            self.fields[PREFIX + ind.code] = field
        self.explain_codes = list(explain_codes)
        if data is not None:  # explanations typed for warnings of the live check
            self.explain_codes += [
                k[len(EXPLAIN) :]
                for k in data
                if k.startswith(EXPLAIN) and k[len(EXPLAIN) :] not in self.explain_codes
            ]
        for code in self.explain_codes:
            self.fields[EXPLAIN + code] = forms.CharField(
                required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
            )
        style_form(self)

    @staticmethod
    def initial_for(ret, indicators) -> dict:
        initial = {"version": ret.version if ret and ret.pk else 0}
        if ret is not None:
            for ind in indicators:
                value = (ret.data or {}).get(ind.code)
                if value is not None:
                    initial[PREFIX + ind.code] = value
            for code, text in (ret.explanations or {}).items():
                initial[EXPLAIN + code] = text
        return initial

    def values(self) -> dict:
        """{indicator code: Decimal | None} of the cleaned form."""
        return {ind.code: self.cleaned_data.get(PREFIX + ind.code) for ind in self.indicators}

    def explanations(self) -> dict:
        out = {}
        for code in self.explain_codes:
            text = (self.cleaned_data.get(EXPLAIN + code) or "").strip()
            if text:
                out[code] = text
        return out

    def raw_values(self) -> dict:
        """What could be read as figures from the bound data, for the live check (a field that
        cannot be stored is left out; the form shows its error)."""
        out = {}
        for ind in self.indicators:
            try:
                out[ind.code] = read_figure(ind, self.data.get(PREFIX + ind.code))
            except ValueError:
                out[ind.code] = None
        return out

    def bad_fields(self) -> list[tuple[str, str]]:
        """(indicator name, message) of the fields that cannot be stored."""
        out = []
        for ind in self.indicators:
            try:
                read_figure(ind, self.data.get(PREFIX + ind.code))
            except ValueError as exc:
                out.append((ind.name, str(exc)))
        return out


class ReasonForm(forms.Form):
    """退回 / 修订: a reason is required; the version read guards against a stale page."""

    reason = forms.CharField(
        label=gettext_lazy("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写理由")},
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PeriodField(forms.CharField):
    """A reporting period typed as YYYY-MM, cleaned to a `Period` (January refused)."""

    def clean(self, value):
        value = super().clean(value)
        return Period.parse(value) if value else None


class DeadlineForm(forms.Form):
    period = PeriodField(label=gettext_lazy("报告期"), max_length=10)
    due_on = forms.DateField(label=gettext_lazy("截止日期"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class RemindForm(forms.Form):
    period = PeriodField(label=gettext_lazy("报告期"), max_length=10)
    message = forms.CharField(label=gettext_lazy("提醒内容"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
