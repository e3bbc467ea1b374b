"""The matter list as a table on the page and as an .xlsx export of the same filtered rows."""

import functools

import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gaoxin.core.spreadsheets.spec import Column

from .models import Light, Matter, Status

STATUS_COLOURS = {
    Status.OPEN: "secondary",
    Status.ASSIGNED: "info",
    Status.IN_PROGRESS: "primary",
    Status.RESOLVED: "success",
    Status.CLOSED: "light",
    Status.REOPENED: "warning",
    Status.WITHDRAWN: "light",
}
# Red first, then yellow, green, done: the order a person acts in.
LIGHT_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.DONE: 3}


def light_rank():
    """`light_db` (from `with_light`) as a number to sort by: red, yellow, green, done."""
    return Case(
        *(When(light_db=light, then=Value(rank)) for light, rank in LIGHT_RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )


def status_badge(matter) -> str:
    colour = STATUS_COLOURS.get(matter.status, "secondary")
    css = "text-bg-light border" if colour == "light" else f"text-bg-{colour}"
    return format_html(
        '<span class="badge {} matter-status" data-status="{}">{}</span>',
        css,
        matter.status,
        matter.get_status_display(),
    )


@functools.lru_cache(maxsize=32)
def _light_badge(light: str, language: str) -> str:
    return render_to_string("matters/_light.html", {"light": light})


def light_badge(light: str) -> str:
    """The badge of a light, rendered once a light and language (a template for each of a page's
    rows was a tenth of the matter list)."""
    return _light_badge(light, get_language())


def subject(matter) -> str:
    parts = [p for p in (matter.enterprise, matter.project) if p is not None]
    return " / ".join(getattr(p, "name", str(p)) for p in parts)


class MatterTable(tables.Table):
    number = tables.Column(verbose_name=gettext_lazy("编号"))
    kind = tables.Column(verbose_name=gettext_lazy("类型"))
    category = tables.Column(
        verbose_name=gettext_lazy("分类"), order_by=("category__order", "category__name")
    )
    title = tables.Column(
        verbose_name=gettext_lazy("标题"),
        attrs={"td": {"style": "white-space: normal; min-width: 14rem"}},
    )
    subject = tables.Column(
        verbose_name=gettext_lazy("对象"),
        accessor="enterprise",
        order_by=("enterprise__name", "project__name"),
        empty_values=(),
    )
    department = tables.Column(
        verbose_name=gettext_lazy("责任部门"), order_by=("department__name",)
    )
    officer = tables.Column(verbose_name=gettext_lazy("责任人"), order_by=("officer__username",))
    due_on = tables.DateColumn(verbose_name=gettext_lazy("办理期限"), format="Y-m-d")
    light = tables.Column(
        verbose_name=gettext_lazy("灯"), accessor="light_db", order_by=("light_rank", "due_on")
    )
    status = tables.Column(verbose_name=gettext_lazy("状态"))

    def render_number(self, record):
        url = reverse("matters:detail", args=[record.pk])
        return format_html('<a href="{}" class="matter-link">{}</a>', url, record.number)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_category(self, value):
        return value.name

    def render_subject(self, record):
        return subject(record) or "—"

    def render_department(self, value):
        return value.name

    def render_officer(self, value):
        return value.display_name

    def render_light(self, value):
        return light_badge(value)

    def render_status(self, record):
        badge = status_badge(record)
        if record.escalated_at and record.status not in (Status.RESOLVED, Status.CLOSED):
            badge = format_html('{} <span class="badge text-bg-danger">{}</span>', badge, _("督办"))
        return badge

    class Meta:
        model = Matter
        fields = ("number", "kind", "category", "title", "subject", "department", "officer",
                  "due_on", "light", "status")  # fmt: skip
        attrs = {"class": "table table-sm table-hover align-middle", "id": "matter-table"}
        empty_text = gettext_lazy("没有符合条件的事项")


def export_columns() -> list[Column]:
    return [
        Column("number", _("编号"), width=16),
        Column("kind", _("类型"), width=10),
        Column("category", _("分类"), width=16),
        Column("title", _("标题"), width=36),
        Column("enterprise", _("企业"), width=30),
        Column("project", _("项目"), width=30),
        Column("department", _("责任部门"), width=16),
        Column("officer", _("责任人"), width=12),
        Column("helpers", _("协办人"), width=20),
        Column("priority", _("优先级"), width=8),
        Column("channel", _("来源渠道"), width=10),
        Column("created_at", _("提出时间"), width=18),
        Column("due_on", _("办理期限"), date=True, width=12),
        Column("light", _("红黄绿灯"), width=8),
        Column("status", _("状态"), width=10),
        Column("escalated_at", _("升级时间"), width=18),
        Column("resolved_at", _("办结时间"), width=18),
        Column("resolution", _("办理结果"), width=40),
        Column("rating", _("评价"), width=6),
        Column("rating_comment", _("评价意见"), width=30),
    ]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def export_rows(queryset):
    """The (restricted, filtered, light-annotated) matters as the export's rows."""
    for m in (
        queryset.select_related("category", "enterprise", "project", "department", "officer")
        .prefetch_related("helpers")
        .iterator(chunk_size=2000)
    ):
        yield {
            "number": m.number,
            "kind": m.get_kind_display(),
            "category": m.category.name if m.category_id else "",
            "title": m.title,
            "enterprise": m.enterprise.name if m.enterprise_id else "",
            "project": m.project.name if m.project_id else "",
            "department": m.department.name if m.department_id else "",
            "officer": m.officer.display_name if m.officer_id else "",
            "helpers": "、".join(h.display_name for h in m.helpers.all()),
            "priority": m.get_priority_display(),
            "channel": m.get_channel_display(),
            "created_at": _local(m.created_at),
            "due_on": m.due_on,
            "light": str(Light(m.light_db).label),
            "status": m.get_status_display(),
            "escalated_at": _local(m.escalated_at),
            "resolved_at": _local(m.resolved_at),
            "resolution": m.resolution,
            "rating": m.rating,
            "rating_comment": m.rating_comment,
        }
