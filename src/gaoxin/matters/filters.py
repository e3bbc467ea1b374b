"""The matter list's filter (page and export). Its parameters are a contract: the cockpit links to
the list with them and the count there equals the cockpit's number.

q (number / title / enterprise name), kind, status (repeatable), light (green / yellow / red /
done), department (pk, or `none` for unassigned), category, enterprise, project, meeting,
working_group, escalated (1), created_from / created_to (the day raised), closed_from /
closed_to (the day resolved: `resolved_at`), rated (1), rating (1–5).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from gaoxin.core import clock
from gaoxin.core.forms import DateInput, StyledFilterMixin
from gaoxin.core.models import Department
from gaoxin.enterprises import search
from gaoxin.enterprises.models import Enterprise

from .models import Category, Kind, Light, Matter, Meeting, Status, WorkingGroup

NONE = "none"
ALL = gettext_lazy("全部")
YES = (("1", gettext_lazy("是")),)


def _day(field, lookup, label):
    """A day bound (`gte` / `lte`) on a datetime field, with the date picker."""
    return django_filters.DateFilter(
        field_name=field, lookup_expr=f"date__{lookup}", label=label, widget=DateInput()
    )


def _present(field, label):
    """`1`: the matter has `field` (escalated, rated)."""
    return django_filters.ChoiceFilter(
        choices=YES, field_name=field, method="filter_present", label=label, empty_label=ALL
    )


class MatterFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("编号/标题/企业"))
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, label=gettext_lazy("类型"), empty_label=ALL
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=gettext_lazy("状态"))
    light = django_filters.ChoiceFilter(
        choices=Light.choices,
        method="filter_light",
        label=gettext_lazy("红黄绿灯"),
        empty_label=ALL,
    )
    department = django_filters.ChoiceFilter(
        method="filter_department", label=gettext_lazy("责任部门"), empty_label=ALL
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.none(), label=gettext_lazy("分类")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.none(), label=gettext_lazy("企业")
    )
    project = django_filters.NumberFilter(field_name="project_id", label=gettext_lazy("项目"))
    meeting = django_filters.ModelChoiceFilter(
        queryset=Meeting.objects.none(), label=gettext_lazy("调度会")
    )
    working_group = django_filters.ModelChoiceFilter(
        queryset=WorkingGroup.objects.none(), label=gettext_lazy("帮扶工作组")
    )
    escalated = _present("escalated_at", gettext_lazy("已升级督办"))
    created_from = _day("created_at", "gte", gettext_lazy("提出日期自"))
    created_to = _day("created_at", "lte", gettext_lazy("提出日期至"))
    closed_from = _day("resolved_at", "gte", gettext_lazy("办结日期自"))
    closed_to = _day("resolved_at", "lte", gettext_lazy("办结日期至"))
    rated = _present("rating", gettext_lazy("已评价"))
    rating = django_filters.ChoiceFilter(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        field_name="rating",
        label=gettext_lazy("评价星级"),
        empty_label=ALL,
    )

    picker_fields = ("status", "enterprise")  # the zone's enterprises: hundreds, searchable
    # Shown on the page for officers; the rest (project, meeting...) arrive in links.
    OFFICER_FIELDS = ("q", "kind", "status", "light", "department", "category", "enterprise",
                      "escalated", "created_from", "created_to", "closed_from", "closed_to",
                      "rated", "rating")  # fmt: skip
    ENTERPRISE_FIELDS = ("q", "status", "light", "category", "created_from", "created_to")

    class Meta:
        model = Matter
        fields = []

    def __init__(self, data=None, queryset=None, *, zone=None, officer=True, today=None, **kw):
        super().__init__(data, queryset, **kw)
        self.officer = officer
        self.today = today or clock.today()
        if zone is None:
            return
        categories = Category.objects.filter(zone=zone).order_by("kind", "order", "id")
        if not officer:
            # An enterprise picks among the categories of the matters it sees, not the zone's
            # internal ones (approval items, scheduling problems).
            categories = categories.filter(pk__in=self.queryset.values("category_id"))
        self.filters["category"].queryset = categories
        if officer:
            departments = Department.objects.filter(zone=zone).order_by("name")
            self.filters["department"].extra["choices"] = [
                (str(d.pk), d.name) for d in departments
            ] + [(NONE, gettext_lazy("未分派部门"))]
            self.filters["enterprise"].queryset = Enterprise.objects.filter(
                zone=zone, is_deleted=False
            ).order_by("name")
            self.filters["meeting"].queryset = Meeting.objects.filter(zone=zone)
            self.filters["working_group"].queryset = WorkingGroup.objects.filter(zone=zone)
        else:
            self.filters["department"].extra["choices"] = []

    def shown_fields(self):
        names = self.OFFICER_FIELDS if self.officer else self.ENTERPRISE_FIELDS
        return [self.form[name] for name in names]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | search.name_q(value, "enterprise")
        )

    def filter_light(self, queryset, name, value):
        return queryset.light(value, self.today) if value else queryset

    def filter_department(self, queryset, name, value):
        if not value:
            return queryset
        if value == NONE:
            return queryset.filter(department__isnull=True)
        return queryset.filter(department_id=value)

    def filter_present(self, queryset, name, value):
        return queryset.filter(**{f"{name}__isnull": False}) if value == "1" else queryset
