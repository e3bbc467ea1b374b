"""Page forms of the registry: they parse input; the rules live in services.validate."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, IndustryField, as_money, style_form
from gaoxin.core.models import Tag

from . import derived, services
from .models import Contact, Enterprise, Status
from .services import EDITABLE_FIELDS

# The service's editable fields; the admins' check-exception reason comes last on the page.
FORM_FIELDS = [f for f in EDITABLE_FIELDS if f != "uscc_override_reason"] + ["uscc_override_reason"]


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
                self.fields[name] = IndustryField(label=_("国民经济行业(小类)"))
            else:
                self.fields[name] = model_fields[name]
        if "tags" in self.fields:
            self.fields["tags"].queryset = Tag.objects.filter(zone=zone)
            self.fields["tags"].widget.attrs["data-picker"] = "1"
        for name in ("established_on", "above_scale_since"):
            if name in self.fields:
                self.fields[name].widget = DateInput()
        for name, message in derived.fields().items():
            if name in self.fields:  # shown, not typed: another module sets it
                self.fields[name].disabled = True
                self.fields[name].help_text = message
        as_money(self, ["registered_capital"])
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
        self.fields["phone"].widget.attrs["placeholder"] = "0791-88888888"

    def clean_phone(self):
        # The service's rule, shown beside the field it is about (the service checks it again).
        try:
            return services.clean_phone(self.cleaned_data.get("phone"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["phone"]) from None


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
