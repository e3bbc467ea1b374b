"""The officers' forms for the utilities' pages. A form only parses what is typed; the rules are
the services' (H1's `services.accounts` and `services.corrections`, H4's `services.findings`),
whose errors the pages put back next to the fields (core.pages.ServiceCall). Each field is the
service's argument of the same name."""

import json

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, style_form
from gaoxin.enterprises.models import Enterprise

from .models import FindingStatus, Kind, Structure, Tariff, UtilityCompany, ZoneUtilitySettings


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


def _yuan(label, required=True, **kwargs):
    """An amount in 元 (two decimals, as the ledger keeps it)."""
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, **kwargs
    )


class AccountForm(forms.Form):
    """A prepaid account in `zone`; when `editing`, the enterprise, kind and meter stay and the
    version (for the stale-save check) travels with the form."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    meter_no = forms.CharField(label=_("表号"), max_length=32)
    company = forms.ModelChoiceField(label=_("供应单位"), queryset=UtilityCompany.objects.none())
    tariff = forms.ModelChoiceField(label=_("价格方案"), queryset=Tariff.objects.none())
    capacity_kva = forms.DecimalField(
        label=_("受电容量(kVA)"), required=False, max_digits=10, decimal_places=1, min_value=0
    )
    demand_kw = forms.DecimalField(
        label=_("核定需量(kW)"), required=False, max_digits=10, decimal_places=1, min_value=0
    )
    opened_on = _date(_("开户日期"))
    closed_on = _date(_("销户日期"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    FIXED = ("enterprise", "kind", "meter_no")

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone, self.editing = zone, editing
        self.fields["enterprise"].queryset = Enterprise.objects.filter(zone=zone).order_by("name")
        self.fields["company"].queryset = UtilityCompany.objects.filter(zone=zone)
        self.fields["tariff"].queryset = Tariff.objects.filter(zone=zone)
        if editing:
            for name in self.FIXED:
                del self.fields[name]
        else:
            del self.fields["closed_on"]
            del self.fields["version"]
        style_form(self)

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ProtectForm(forms.Form):
    """保电: supply that must never be cut, why and from when to when."""

    protected = forms.BooleanField(label=_("保电"), required=False)
    protected_reason = forms.CharField(label=_("保电原因"), max_length=100, required=False)
    protected_from = _date(_("保电开始"), required=False)
    protected_until = _date(_("保电结束"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self):
        data = super().clean()
        if data.get("protected") and not (data.get("protected_reason") or "").strip():
            self.add_error("protected_reason", _("设为保电时请说明原因"))
        start, end = data.get("protected_from"), data.get("protected_until")
        if start and end and end < start:
            self.add_error("protected_until", _("保电结束日期不能早于开始日期"))
        return data


class CorrectionForm(forms.Form):
    """A correction: a new charge (negative gives money back), never an overwrite. It may name
    the reading or top-up it corrects (among the account's own)."""

    amount = _yuan(_("更正金额(元)"), help_text=_("正数为补收,负数为退还"))
    reason = forms.CharField(label=_("更正原因"), max_length=200)
    reading = forms.ChoiceField(label=_("更正的读数"), required=False)
    topup = forms.ChoiceField(label=_("更正的充值"), required=False)

    def __init__(self, *args, readings=(), topups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading"].choices = [("", "—")] + [
            (
                str(r.pk),
                f"{localtime(r.read_at):%Y-%m-%d %H:%M} {r.get_register_display()} {r.index}",
            )
            for r in readings
        ]
        self.fields["topup"].choices = [("", "—")] + [
            (str(t.pk), f"{localtime(t.paid_at):%Y-%m-%d %H:%M} {t.amount} {t.transaction_id}")
            for t in topups
        ]
        style_form(self)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("更正金额不能为 0"))
        return amount


class FindingForm(forms.Form):
    status = forms.ChoiceField(
        label=_("核实结果"),
        choices=[(FindingStatus.VISITED, FindingStatus.VISITED.label),
                 (FindingStatus.DISMISSED, FindingStatus.DISMISSED.label)],
    )  # fmt: skip
    note = forms.CharField(label=_("核实说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ZoneUtilitySettings
        fields = [
            "first_level_days",
            "second_level_days",
            "drop_percent",
            "drop_days",
            "mismatch_percent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("max", 32767)
        style_form(self)

    def clean(self):
        data = super().clean()
        first, second = data.get("first_level_days"), data.get("second_level_days")
        if first is not None and second is not None and second >= first:
            self.add_error("second_level_days", _("二级预警天数应小于一级预警天数"))
        return data


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class RatesField(forms.CharField):
    """A tariff version's prices as JSON (the shapes in TariffVersion's docstring)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            rates = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("价格不是有效的 JSON:%(e)s") % {"e": error.msg}) from None
        if not isinstance(rates, dict):
            raise forms.ValidationError(_('价格应为一个对象,如 {"price": "0.65"}'))
        return rates


class TariffForm(forms.Form):
    """A tariff with its first version."""

    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    structure = forms.ChoiceField(label=_("计价方式"), choices=Structure.choices)
    valid_from = _date(_("执行日期"))
    rates = RatesField(
        label=_("价格"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('如 {"price": "0.6512"};分时、两部制、阶梯价的写法见说明'),
    )
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class TariffVersionForm(forms.Form):
    valid_from = _date(_("执行日期"))
    rates = RatesField(label=_("价格"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
