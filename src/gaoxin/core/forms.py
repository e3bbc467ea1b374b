"""Form helpers shared by every app's pages."""

from django import forms


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
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
