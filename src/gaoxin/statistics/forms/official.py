"""The official figure form: an indicator of the zone's catalogue, the period, the value in the
indicator's unit and/or the growth, and where it came from."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.forms import style_form
from gaoxin.core.periods import Period

from ..models import Indicator, OfficialSource

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－，−", "0123456789.-,-")
MAX_WHOLE = Decimal(10) ** 15


def parse_number(text) -> Decimal | None:
    """A typed figure: thousands separators and spaces ignored, full-width digits accepted."""
    raw = str(text if text is not None else "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw.translate(FULL_WIDTH).replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(_("「%(v)s」不是数字") % {"v": raw}) from None
    if not value.is_finite() or abs(value) >= MAX_WHOLE:
        raise ValueError(_("「%(v)s」不是可填写的数字") % {"v": raw})
    return value


class NumberField(forms.CharField):
    """A typed figure, cleaned to Decimal | None (thousands separators, full-width digits)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_number(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class OfficialForm(forms.Form):
    indicator = forms.TypedChoiceField(label=gettext_lazy("指标"), coerce=str)
    period = forms.CharField(
        label=gettext_lazy("报告期"), max_length=20, help_text=gettext_lazy("YYYY-MM,如 2019-12")
    )
    value = NumberField(label=gettext_lazy("数值"))
    yoy_pct = NumberField(label=gettext_lazy("同比增长(%)"))
    source = forms.ChoiceField(label=gettext_lazy("数据来源"), choices=OfficialSource.choices)
    source_note = forms.CharField(
        label=gettext_lazy("来源说明"), max_length=200, required=False,
        help_text=gettext_lazy("如 统计局 2020 年 1 月快报"),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicators=(), editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        official = [i for i in indicators if i.source == Indicator.Source.OFFICIAL]
        others = [i for i in indicators if i.source != Indicator.Source.OFFICIAL]
        self.fields["indicator"].choices = [
            ("", "---------"),
            (_("官方发布指标"), [(i.code, f"{i.name}({i.unit})") for i in official]),
            (
                _("其他指标(仅税务局等非统计局来源)"),
                [(i.code, f"{i.name}({i.unit})") for i in others],
            ),
        ]
        if editing is not None:  # the indicator and period of a saved figure stay as they are
            for name in ("indicator", "period"):
                self.fields[name].disabled = True
        style_form(self)

    def clean_indicator(self):
        code = self.cleaned_data["indicator"]
        if code not in self.indicators:
            raise forms.ValidationError(_("请选择指标"))
        return self.indicators[code]

    def clean_period(self):
        return Period.parse(self.cleaned_data["period"], reporting=False).key
