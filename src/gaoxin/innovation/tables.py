"""The innovation records as tables: the list pages show them, and their exports write the same
columns of the same rows (`export_table`: the table's own values, without the actions)."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gaoxin.core.money import format_wan

from .models import (
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)

ATTRS = {"class": "table table-sm table-hover align-middle", "id": "record-table"}
ACTIONS = "actions"  # the column the export leaves out


class DayColumn(tables.DateColumn):
    """A date shown as 2019-11-28 and exported as a date."""

    def __init__(self, **kwargs):
        super().__init__(format="Y-m-d", **kwargs)

    def value(self, value, **kwargs):
        return value


class RecordTable(tables.Table):
    """A record list. `links` (obj → (edit url or None, delete url or None)) draws each row's
    edit link and removal form (with its reason); `request` gives that form its CSRF token and
    the page to come back to."""

    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",))
    actions = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    def __init__(self, *args, links=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = links
        self.request = request
        if links is None:
            self.columns.hide(ACTIONS)

    def render_enterprise(self, record):
        return record.enterprise.name

    def value_enterprise(self, record):
        return record.enterprise.name

    def render_actions(self, record):
        edit, delete = self.links(record)
        parts = []
        if edit:
            parts.append(
                format_html(
                    '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', edit, _("修改")
                )
            )
        if delete:
            parts.append(
                format_html(
                    '<form method="post" action="{}" class="d-inline-flex gap-1 ms-1">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<input type="hidden" name="next" value="{}">'
                    '<input name="reason" class="form-control form-control-sm" placeholder="{}"'
                    ' required maxlength="200" aria-label="{}">'
                    '<button class="btn btn-sm btn-outline-danger">{}</button></form>',
                    delete,
                    get_token(self.request),
                    self.request.get_full_path(),
                    _("删除理由"),
                    _("删除理由"),
                    _("删除"),
                )
            )
        return mark_safe("".join(parts))  # each part built by format_html

    class Meta:
        attrs = ATTRS
        empty_text = _("没有符合条件的记录")
        sequence = ("...", ACTIONS)


class CertificationTable(RecordTable):
    number = tables.Column(verbose_name=_("证书编号"))
    applied_on = DayColumn(verbose_name=_("申报日期"))
    issued_on = DayColumn(verbose_name=_("发证日期"))
    expires_on = DayColumn(verbose_name=_("有效期至"))

    def render_number(self, record, value):
        url = reverse("innovation:certification", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_kind(self, record):
        if record.title_id:
            return f"{record.get_kind_display()}·{record.title.name}"
        return record.get_kind_display()

    value_kind = render_kind

    def value_number(self, record):
        return record.number

    class Meta(RecordTable.Meta):
        model = Certification
        fields = ("enterprise", "kind", "status", "number", "field", "applied_on", "issued_on",
                  "expires_on", "year", "score", "source")  # fmt: skip
        sequence = ("number", "enterprise", "...", ACTIONS)
        order_by = ("-issued_on",)


class PatentTable(RecordTable):
    applied_on = DayColumn(verbose_name=_("申请日"))
    granted_on = DayColumn(verbose_name=_("授权公告日"))
    enterprise = tables.Column(verbose_name=_("权利人"), order_by=("enterprise__name",))

    class Meta(RecordTable.Meta):
        model = Patent
        fields = ("number", "title", "kind", "enterprise", "applied_on", "granted_on", "status",
                  "source")  # fmt: skip
        sequence = (*fields, ACTIONS)
        order_by = ("-applied_on",)


class CopyrightTable(RecordTable):
    registered_on = DayColumn(verbose_name=_("登记日期"))
    enterprise = tables.Column(verbose_name=_("著作权人"), order_by=("enterprise__name",))

    class Meta(RecordTable.Meta):
        model = SoftwareCopyright
        fields = ("number", "title", "enterprise", "registered_on")
        sequence = (*fields, ACTIONS)
        order_by = ("-registered_on",)


class PlatformTable(RecordTable):
    recognised_on = DayColumn(verbose_name=_("认定日期"))

    class Meta(RecordTable.Meta):
        model = Platform
        fields = ("name", "kind", "level", "enterprise", "recognised_on", "source", "note")
        sequence = (*fields, ACTIONS)
        order_by = ("-recognised_on",)


class TalentTable(RecordTable):
    class Meta(RecordTable.Meta):
        model = Talent
        fields = ("name", "programme", "level", "year", "enterprise", "source", "note")
        sequence = (*fields, ACTIONS)
        order_by = ("-year",)


class CooperationTable(RecordTable):
    amount = tables.Column(verbose_name=_("合同金额"), attrs={"td": {"class": "text-end"}})
    starts_on = DayColumn(verbose_name=_("开始日期"))
    ends_on = DayColumn(verbose_name=_("结束日期"))

    def render_amount(self, value):
        return format_wan(value)

    def value_amount(self, value):
        return value

    class Meta(RecordTable.Meta):
        model = Cooperation
        fields = ("enterprise", "partner", "project", "amount", "starts_on", "ends_on", "note")
        sequence = (*fields, ACTIONS)
        order_by = ("-starts_on",)


class CloudTable(RecordTable):
    adopted_on = DayColumn(verbose_name=_("上云日期"))

    class Meta(RecordTable.Meta):
        model = CloudAdoption
        fields = ("enterprise", "level", "adopted_on", "provider", "source", "note")
        sequence = (*fields, ACTIONS)
        order_by = ("-adopted_on",)


def export_table(table):
    """(headers, rows) of what `table` shows, every row (not only a page), without the actions:
    values as data (dates as dates, amounts as numbers, choices by their labels)."""
    values = table.as_values(exclude_columns=(ACTIONS,))
    headers = [str(h) for h in next(values)]
    return headers, values
