"""One FilterSet serves the list page, the API and the export (DESIGN.md: tables & filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from gaoxin.core.forms import IndustryPicker, StyledFilterMixin
from gaoxin.core.models import Tag

from . import search
from .models import Enterprise, Scale, Status


class YesNoAny(BooleanWidget):
    """全部 / 是 / 否, keeping the choice selected after the search."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


def industry_q(code: str) -> Q:
    """Enterprises whose 4-digit class lies under `code` at any level (A, 39, 397, 3974)."""
    code = (code or "").strip().upper()
    if not code:
        return Q()
    if code.isalpha():
        return Q(industry__section=code)
    return Q(industry__code__startswith=code)


class EnterpriseFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("名称或信用代码"),
        help_text=_("名称任意 2 个字以上的片段、信用代码前缀或拼音首字母(如 ghgd)"),
    )
    # A code of any level (A, 39, 397, 3974), chosen in the GB/T 4754 picker, which searches
    # the codes as one types (core.forms.IndustryPicker).
    industry = django_filters.CharFilter(
        method="filter_industry",
        label=_("国民经济行业(任一层级)"),
        widget=IndustryPicker(_("全部行业")),
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("经营状态"))
    scale = django_filters.MultipleChoiceFilter(choices=Scale.choices, label=_("企业规模"))
    above_scale = django_filters.BooleanFilter(label=_("规上企业"), widget=YesNoAny)
    high_tech = django_filters.BooleanFilter(label=_("高新技术企业"), widget=YesNoAny)
    tag = django_filters.ModelMultipleChoiceFilter(
        field_name="tags", queryset=Tag.objects.none(), label=_("产业链标签")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("industry", "industry"),
            ("registered_capital", "registered_capital"),
            ("established_on", "established_on"),
            ("status", "status"),
            ("updated_at", "updated_at"),
        ),
        label=_("排序"),
    )

    picker_fields = ("status", "scale", "tag")

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "status", "scale", "above_scale", "high_tech", "tag"]

    def __init__(self, data=None, queryset=None, *, zone=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.zone = zone
        # The page offers industry chains only (the API widens this to every visible tag).
        tags = Tag.objects.filter(zone=zone) if zone is not None else Tag.objects.all()
        self.filters["tag"].queryset = tags.filter(category=Tag.Category.INDUSTRY_CHAIN)

    def filter_q(self, queryset, name, value):
        return search.filter_by_name(queryset, value, zone=self.zone, uscc=True)

    def filter_queryset(self, queryset):
        """A search (2 characters or more) without a chosen order lists the best matches first
        (exact name, then names that start with it); otherwise the registry's order, by name
        within a zone."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("ordering"):
            return queryset
        if search.uses_index(data.get("q")):  # one character: by name, the index's order
            return search.ranked(queryset, data["q"])
        if self.zone is not None:  # one zone: the (zone, name, id) index's order
            return queryset.order_by("name", "pk")
        return queryset

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_q(value))
