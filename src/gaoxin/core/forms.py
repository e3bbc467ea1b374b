"""Form helpers shared by every app's pages."""

from decimal import ROUND_DOWN, Decimal
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .spreadsheets.normalize import clean_text, parse_usd_wan, parse_wan

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


class OnlyChosen:
    """A select of a set too large to write into a page (a zone's 100,000 enterprises): it writes
    the chosen option(s) alone, one query by primary key, and the page's picker (gaoxin.js) asks
    the URL in `data-search` for the rest as one types. The field still validates against its
    whole queryset."""

    def optgroups(self, name, value, attrs=None):
        whole = self.choices
        field = whole.field
        keys = [v for v in value if str(v).isdigit() and len(str(v)) <= 19 and int(v) <= MAX_DB_INT]
        chosen = whole.queryset.filter(pk__in=keys) if keys else ()
        empty = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
        self.choices = empty + [(o.pk, field.label_from_instance(o)) for o in chosen]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = whole


class SearchedSelect(OnlyChosen, Select):
    pass


class SearchedSelectMultiple(OnlyChosen, SelectMultiple):
    pass


SEARCHED_SELECTS = {Select: SearchedSelect, SelectMultiple: SearchedSelectMultiple}
# model label → the URL name of its picker's search (a module registers its large sets).
SEARCHES: dict[str, str] = {}


def register_search(model_label: str, url_name: str) -> None:
    """Selects of `model_label` rows search `url_name` (GET ?q= → {"results": [{value, text}]})
    instead of listing every row."""
    SEARCHES[model_label] = url_name


def _searched(field) -> None:
    url_name = SEARCHES.get(field.queryset.model._meta.label)
    widget = field.widget
    if url_name and type(widget) in SEARCHED_SELECTS:
        widget.__class__ = SEARCHED_SELECTS[type(widget)]
        widget.attrs.update({"data-picker": "1", "data-search": reverse(url_name)})


def style_form(form) -> None:
    """Give every widget Bootstrap's classes (server-rendered forms without a template pack), and
    plain selects the options written in Python (OptionsInPython)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) in FAST_SELECTS:
            widget.__class__ = FAST_SELECTS[type(widget)]  # the same state, a faster render()
        if isinstance(field, forms.ModelChoiceField):
            _searched(field)
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


def add_rule_errors(form, errors: dict) -> None:
    """On a form that did not parse, also what the service's rules (a dry run over the fields
    that did) say, so that every error shows at once; a field keeps its own parse error."""
    for field, messages in errors.items():
        if field in form.fields:
            if field not in form.errors:
                form.add_error(field, messages)
        else:
            form.add_error(None, messages)


def add_service_errors(form, exc) -> None:
    """A service's ValidationError on the form: next to the field it names, the rest above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


# --- money --------------------------------------------------------------------------------------

MONEY_INPUT_MAX = 40  # characters: the longest amount anyone types, with its unit and separators
PARSERS = {"万元": parse_wan, "万美元": parse_usd_wan}


class MoneyField(forms.Field):
    """An amount as the importer reads it (`core.spreadsheets.normalize.parse_wan`, and
    `parse_usd_wan` for 万美元): 1.2亿,
    500万, 3,000,000元, 1,234.5, full-width digits and stray spaces; a plain number is in `unit`.

    Stored as Decimal within max_digits / decimal_places (the model's); anything else, 1e30, NaN,
    an amount beyond the column, too many decimals, a negative one unless `allow_negative`, is a
    Chinese message on the field, never a 500."""

    widget = forms.TextInput
    default_error_messages = {
        "negative": _("金额不能为负数"),
        "not_positive": _("金额应大于 0"),
    }

    def __init__(
        self,
        *,
        unit: str = "万元",
        max_digits: int = 16,
        decimal_places: int = 4,
        allow_negative: bool = False,
        positive: bool = False,
        **kwargs,
    ):
        if unit not in PARSERS:
            raise ValueError(f"MoneyField: unit {unit!r} is not 万元 or 万美元")
        self.unit, self.max_digits, self.decimal_places = unit, max_digits, decimal_places
        self.allow_negative, self.positive = allow_negative, positive
        for key in ("localize", "empty_value", "min_value", "max_value", "step_size"):
            kwargs.pop(key, None)  # what a model's DecimalField hands its form field
        if not kwargs.get("help_text"):
            kwargs["help_text"] = (
                _("单位:万元;也可写 1.2亿、500万")
                if unit == "万元"
                else _("单位:万美元;也可写 1.2亿美元、500万美元")
            )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # 10000.0000 → "10000": the amount as it was typed
            return format(value.normalize(), "f") if value.is_finite() else str(value)
        return value

    def to_python(self, value):
        if value is None or (isinstance(value, str) and not clean_text(value)):
            return None
        if isinstance(value, Decimal):
            amount = value
        else:
            text = str(value)
            if len(text) > MONEY_INPUT_MAX:
                raise ValidationError(
                    _("金额过长:请填写不超过 %(n)s 个字符的数字") % {"n": MONEY_INPUT_MAX},
                    code="invalid",
                )
            try:
                amount = PARSERS[self.unit](text)
            except ValueError as exc:
                raise ValidationError(str(exc), code="invalid") from None
        if not amount.is_finite():
            raise ValidationError(_("请填写有限的金额数字"), code="invalid")
        return amount

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.positive and value <= 0:
            raise ValidationError(self.error_messages["not_positive"], code="not_positive")
        if value < 0 and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        whole = self.max_digits - self.decimal_places
        if abs(value) >= Decimal(10) ** whole:
            raise ValidationError(
                _("金额过大:不能超过 %(n)s 位整数(单位:%(u)s),请确认单位")
                % {"n": whole, "u": self.unit},
                code="max_digits",
            )
        if value != value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_DOWN):
            raise ValidationError(
                _("金额最多保留 %(n)s 位小数(单位:%(u)s)")
                % {"n": self.decimal_places, "u": self.unit},
                code="max_decimal_places",
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def as_money(form, names, **options) -> None:
    """Turn `names` of a form (a ModelForm's or fields_for_model's DecimalFields) into
    MoneyFields with the same label, requiredness and help; `options` go to MoneyField."""
    for name in names:
        old = form.fields.get(name)
        if old is None:
            continue
        form.fields[name] = MoneyField(
            label=old.label,
            required=old.required,
            help_text=old.help_text,
            initial=old.initial,
            **options,
        )


# --- the industry picker ------------------------------------------------------------------------


class IndustryField(forms.ModelChoiceField):
    """The searchable GB/T 4754-2017 picker ("3974 显示器件制造"); `levels`: which levels may be
    chosen (the registry keeps 4-digit classes; a project may know only its 大类)."""

    def __init__(self, *, levels=("class",), **kwargs):
        from .models import Industry  # models are read when a form is built, not on import

        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("请选择有效的 4 位小类行业")
                if tuple(levels) == ("class",)
                else _("请选择 GB/T 4754-2017 中的行业")
            },
        )
        kwargs.setdefault("widget", forms.Select(attrs={"data-picker": "1"}))
        super().__init__(Industry.objects.filter(level__in=levels).order_by("code"), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class IndustryPicker(Select):
    """A GB/T 4754 code of any level (A, 39, 397, 3974) for a code filter: the page holds the
    chosen code alone and the picker searches the API's `/industries` (code prefix or name
    fragment, in code order) as one types: the whole list is 1,971 options."""

    def __init__(self, empty_label, attrs=None):
        super().__init__(attrs)
        self.empty_label = empty_label

    def optgroups(self, name, value, attrs=None):
        from .models import Industry

        value = [str(v).strip().upper() for v in value]  # as the filter reads it (c is C)
        codes = [v for v in value if v and len(v) <= 4]
        chosen = Industry.objects.filter(code__in=codes).only("code", "name")
        self.choices = [("", self.empty_label)] + [(i.code, str(i)) for i in chosen]
        return super().optgroups(name, value, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-picker": "1",
                "data-search": reverse("api:industries"),  # {"items": [{code, name, …}]}
                "data-search-value": "code",
                "data-search-text": "code name",
            }
        )
        return context
