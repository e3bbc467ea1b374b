"""The innovation records' filters: one FilterSet a concept serves its list page, its export and
(later) its API list. Their parameters are a contract: the cockpit links to the lists with
`?year=&level=&kind=&status=&field=` and the count there equals the cockpit's number.

year: the year the record counts for — a certificate's year of issue (a yearly 科技型中小企业
without an issue date: its `year`), a patent's year of grant, a platform's year of recognition, a
talent's year of selection, a cooperation's start, a cloud adoption's date, a copyright's
registration. level accepts `provincial_plus` (省级以上: national or provincial) besides the levels.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core import clock
from gaoxin.core.forms import StyledFilterMixin
from gaoxin.enterprises import search
from gaoxin.enterprises.models import Enterprise

from .models import (
    Certification,
    CertKind,
    CertStatus,
    CloudAdoption,
    CloudLevel,
    Cooperation,
    Level,
    Patent,
    PatentKind,
    PatentStatus,
    Platform,
    PlatformKind,
    SoftwareCopyright,
    Talent,
    TechField,
)
from .models.choices import PROVINCIAL_PLUS
from .services.flags import valid_on

ALL = _("全部")
PROVINCIAL_PLUS_KEY = "provincial_plus"
LEVEL_CHOICES = [*Level.choices, (PROVINCIAL_PLUS_KEY, _("省级以上"))]
FIRST_YEAR, LAST_YEAR = 1985, 2100  # the first Chinese patent law; a bound the date lookups take


class YearFilter(django_filters.NumberFilter):
    """A year (1985–2100) matched by `method`; anything else is a form error, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


def _choice(choices, label, **kwargs):
    return django_filters.ChoiceFilter(choices=choices, label=label, empty_label=ALL, **kwargs)


class RecordFilter(StyledFilterMixin, django_filters.FilterSet):
    """What every record list filters by: `q` (searched in `search_fields`) and the enterprise,
    among the enterprises of the zone (an enterprise user: its own)."""

    q = django_filters.CharFilter(method="filter_q", label=_("关键词"), max_length=100)
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.none(), label=_("企业")
    )

    search_fields: tuple[str, ...] = ("enterprise__name",)
    picker_fields = ("enterprise",)
    year_field = ""  # the date field whose year `year` matches

    class Meta:
        fields = []

    def __init__(self, data=None, queryset=None, *, zone=None, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        enterprises = Enterprise.objects.none()
        if zone is not None:
            enterprises = Enterprise.objects.filter(zone=zone, is_deleted=False)
            if user is not None and user.is_enterprise_only():
                enterprises = enterprises.filter(pk__in=user.own_enterprise_ids())
        self.filters["enterprise"].queryset = enterprises.order_by("name")

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            if field == "enterprise__name":  # the registry's name search (an index, not LIKE)
                q |= search.name_q(value, "enterprise")
            else:
                q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.year_field}__year": value})

    def filter_level(self, queryset, name, value):
        if not value:
            return queryset
        if value == PROVINCIAL_PLUS_KEY:
            return queryset.filter(level__in=PROVINCIAL_PLUS)
        return queryset.filter(level=value)


class CertificationFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("发证年度"))
    kind = _choice(CertKind.choices, _("类别"))
    status = _choice(CertStatus.choices, _("状态"))
    field = _choice(TechField.choices, _("技术领域"))
    valid = django_filters.ChoiceFilter(
        choices=(("1", _("有效期内的高企证书")),),
        method="filter_valid",
        label=_("有效"),
        empty_label=ALL,
    )

    search_fields = ("number", "enterprise__name", "note")

    class Meta:
        model = Certification
        fields = ["q", "year", "kind", "status", "field", "enterprise", "valid"]

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(issued_on__year=value) | Q(issued_on__isnull=True, year=value))

    def filter_valid(self, queryset, name, value):
        """High-tech certificates valid today: what the registry's flag and the cockpit count."""
        if value != "1":
            return queryset
        return queryset.filter(valid_on(clock.today()))


class PatentFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("授权年度"))
    kind = _choice(PatentKind.choices, _("专利类型"))
    status = _choice(PatentStatus.choices, _("法律状态"))

    search_fields = ("number", "title", "enterprise__name")
    year_field = "granted_on"

    class Meta:
        model = Patent
        fields = ["q", "year", "kind", "status", "enterprise"]

    def filter_q(self, queryset, name, value):
        # A granted patent is quoted as ZL + its application number: search without it.
        value = (value or "").strip()
        if value[:2].upper() == "ZL":
            value = value[2:].strip()
        return super().filter_q(queryset, name, value)


class CopyrightFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("登记年度"))

    search_fields = ("number", "title", "enterprise__name")
    year_field = "registered_on"

    class Meta:
        model = SoftwareCopyright
        fields = ["q", "year", "enterprise"]


class PlatformFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("认定年度"))
    level = _choice(LEVEL_CHOICES, _("级别"), method="filter_level")
    kind = _choice(PlatformKind.choices, _("平台类型"))

    search_fields = ("name", "enterprise__name")
    year_field = "recognised_on"

    class Meta:
        model = Platform
        fields = ["q", "year", "level", "kind", "enterprise"]


class TalentFilter(RecordFilter):
    year = YearFilter(field_name="year", label=_("入选年度"))
    level = _choice(LEVEL_CHOICES, _("级别"), method="filter_level")

    search_fields = ("name", "programme", "enterprise__name")

    class Meta:
        model = Talent
        fields = ["q", "year", "level", "enterprise"]


class CooperationFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("开始年度"))

    search_fields = ("partner", "project", "enterprise__name")
    year_field = "starts_on"

    class Meta:
        model = Cooperation
        fields = ["q", "year", "enterprise"]


class CloudFilter(RecordFilter):
    year = YearFilter(method="filter_year", label=_("上云年度"))
    level = _choice(CloudLevel.choices, _("上云层级"))

    search_fields = ("provider", "enterprise__name")
    year_field = "adopted_on"

    class Meta:
        model = CloudAdoption
        fields = ["q", "year", "level", "enterprise"]
