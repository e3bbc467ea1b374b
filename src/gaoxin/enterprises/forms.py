"""Page forms of the registry: they parse input; the rules live in services.validate."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models import Industry, Tag

from .models import Contact, Enterprise, Status
from .services import EDITABLE_FIELDS

# The service's editable fields; the admins' check-exception reason comes last on the page.
FORM_FIELDS = [f for f in EDITABLE_FIELDS if f != "uscc_override_reason"] + ["uscc_override_reason"]


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class EnterpriseForm(forms.Form):
    """Create/edit form. `fields` narrows it (enterprise users edit only a few fields)."""

    # Half the row in `core/_form_fields.html`; the others a quarter.
    wide_fields = ("name", "address", "industry", "tags", "uscc_override_reason")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, zone, fields=None, admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        names = [
            f
            for f in (fields or FORM_FIELDS)
            if f != "uscc_override_reason" or admin  # only admins may record a check exception
        ]
        model_fields = fields_for_model(Enterprise, fields=[f for f in names if f != "industry"])
        for name in names:
            if name == "industry":
                self.fields[name] = IndustryChoiceField(
                    Industry.objects.filter(level=Industry.Level.CLASS),
                    label=_("国民经济行业(小类)"),
                    widget=forms.Select(attrs={"data-picker": "1"}),
                    error_messages={"invalid_choice": _("请选择有效的 4 位小类行业")},
                )
            else:
                self.fields[name] = model_fields[name]
        if "tags" in self.fields:
            self.fields["tags"].queryset = Tag.objects.filter(zone=zone)
            self.fields["tags"].widget.attrs["data-picker"] = "1"
        for name in ("established_on", "above_scale_since"):
            if name in self.fields:
                self.fields[name].widget = DateInput()
        style_form(self)

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if "tags" in data:
            data["tags"] = list(data["tags"])
        for key in ("uscc", "name", "legal_representative", "address", "uscc_override_reason"):
            if data.get(key) is None and key in data:
                data[key] = ""
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
        self.fields["name"].required = False


ContactFormSet = forms.formset_factory(ContactForm, extra=2, max_num=10)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=Status.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除理由"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
