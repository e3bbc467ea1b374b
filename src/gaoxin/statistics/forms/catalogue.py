"""Forms of the catalogue pages: the zone's own indicator, and a zone's version of a check rule
(its thresholds, severity, whether it runs)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import style_form

from ..models import Indicator, Rule
from ..services.configuration import PARAM_LABELS, RULE_PARAMS
from .official import NumberField

INDICATOR_SOURCES = [
    (Indicator.Source.RETURN.value, Indicator.Source.RETURN.label),
    (Indicator.Source.OFFICIAL.value, Indicator.Source.OFFICIAL.label),
]
INDICATOR_AGGREGATIONS = [
    (Indicator.Aggregation.SUM.value, Indicator.Aggregation.SUM.label),
    (Indicator.Aggregation.NONE.value, Indicator.Aggregation.NONE.label),
]


class IndicatorForm(forms.Form):
    code = forms.SlugField(
        label=_("指标代码"), max_length=40,
        help_text=_("英文字母、数字、下划线,如 patents;保存后不能修改"),
    )  # fmt: skip
    name = forms.CharField(label=_("指标名称"), max_length=60)
    unit = forms.CharField(label=_("计量单位"), max_length=12)
    frequency = forms.ChoiceField(label=_("频率"), choices=Indicator.Frequency.choices)
    cumulative = forms.BooleanField(label=_("本年累计值"), required=False, initial=True)
    source = forms.ChoiceField(label=_("来源"), choices=INDICATOR_SOURCES)
    aggregation = forms.ChoiceField(label=_("汇总方式"), choices=INDICATOR_AGGREGATIONS)
    decimal_places = forms.IntegerField(label=_("小数位数"), min_value=0, max_value=4, initial=2)
    department = forms.CharField(label=_("责任部门"), max_length=50, required=False)
    definition = forms.CharField(
        label=_("指标解释"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            self.fields["code"].disabled = True
        style_form(self)

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        data.pop("version", None)
        return data


class RuleForm(forms.Form):
    """The thresholds a rule of this kind reads, its severity and whether it runs."""

    severity = forms.ChoiceField(label=_("级别"), choices=Rule.Severity.choices)
    is_active = forms.BooleanField(label=_("启用"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.param_names = RULE_PARAMS.get(rule.kind, ())
        for name in self.param_names:
            self.fields[f"p_{name}"] = NumberField(label=PARAM_LABELS[name])
        style_form(self)

    def params(self) -> dict:
        return {
            name: self.cleaned_data[f"p_{name}"]
            for name in self.param_names
            if self.cleaned_data.get(f"p_{name}") is not None
        }

    @staticmethod
    def initial_for(rule) -> dict:
        initial = {"severity": rule.severity, "is_active": rule.is_active, "version": rule.version}
        for name, value in (rule.params or {}).items():
            initial[f"p_{name}"] = value
        return initial
