"""Form helpers shared by every app's pages."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

# SQLite cannot even compare an integer beyond 64 bits (OverflowError, a 500): numbers and ids
# past it are refused by the form like any other wrong value.
MAX_DB_INT = 2**63 - 1


class DateInput(forms.DateInput):
    """The browser's date picker; it only understands ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OptionsInPython:
    """A select whose options are written in Python, not through Django's template per option:
    the industry list (about 1,400 classes) or a zone's enterprises took 0.3 s a page that way.
    The same HTML as Django's select.html and select_option.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            parts.extend(
                f'<option value="{escape(str(o["value"]))}"{flatatt(o["attrs"]) if o["attrs"] else ""}>'
                f"{escape(str(o['label']))}</option>"
                for o in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value escaped above


class Select(OptionsInPython, forms.Select):
    pass


class SelectMultiple(OptionsInPython, forms.SelectMultiple):
    pass


FAST_SELECTS = {forms.Select: Select, forms.SelectMultiple: SelectMultiple}


def style_form(form) -> None:
    """Give every widget Bootstrap's classes (server-rendered forms without a template pack), and
    plain selects the options written in Python (OptionsInPython)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) in FAST_SELECTS:
            widget.__class__ = FAST_SELECTS[type(widget)]  # the same state, a faster render()
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
