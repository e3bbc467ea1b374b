"""Form helpers shared by every app's pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# SQLite cannot even compare an integer beyond 64 bits (OverflowError, a 500): numbers and ids
# past it are refused by the form like any other wrong value.
MAX_DB_INT = 2**63 - 1


class DateInput(forms.DateInput):
    """The browser's date picker; it only understands ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_form(form) -> None:
    """Give every widget Bootstrap's classes (server-rendered forms without a template pack)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    bound_numbers(form)


def _too_big(value) -> bool:
    digits = str(value if value is not None else "").strip().removeprefix("-")
    return digits.isdigit() and (len(digits) > 19 or int(digits) > MAX_DB_INT)


def _checked_choice(field):
    clean = field.clean

    def checked(value):
        for v in value if isinstance(value, list | tuple) else [value]:
            if _too_big(v):
                raise ValidationError(
                    field.error_messages["invalid_choice"], "invalid_choice", {"value": v}
                )
        return clean(value)

    return checked


def bound_numbers(form) -> None:
    """Keep every number and integer id a form reads within what the database can compare."""
    for field in form.fields.values():
        if getattr(field, "_gx_bounded", False):
            continue
        field._gx_bounded = True
        if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
            model = field.queryset.model
            key = field.to_field_name
            key_field = model._meta.get_field(key) if key else model._meta.pk
            if isinstance(key_field, models.IntegerField):
                field.clean = _checked_choice(field)
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            field.validators += [MinValueValidator(-MAX_DB_INT), MaxValueValidator(MAX_DB_INT)]


class StyledFilterMixin:
    """Styles a FilterSet's form when it is first built, so querysets set after __init__ count."""

    picker_fields: tuple[str, ...] = ()  # multi-selects shown as searchable pickers

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_gx_styled", False):
            style_form(form)
            for name in self.picker_fields:
                form.fields[name].widget.attrs["data-picker"] = "1"
            form._gx_styled = True
        return form


def add_service_errors(form, exc) -> None:
    """A service's ValidationError on the form: next to the field it names, the rest above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
