"""Read-only in the Django admin: returns, findings, official figures, deadlines and reminders
change through the pages, API and importers, and the catalogue through its own pages; their
services validate and audit every change. The accepted values and their rollups (millions of
rows, derived from accepted returns) are not listed here."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import Deadline, Finding, Indicator, OfficialFigure, Reminder, Return, Rule


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit", "source", "frequency", "zone", "is_active"]
    list_filter = ["source", "frequency", "is_active", "zone"]
    search_fields = ["code", "name"]


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "severity", "indicator", "zone", "is_active"]
    list_filter = ["kind", "severity", "is_active", "zone"]
    search_fields = ["code", "name"]


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "period", "status", "zone", "due_on", "submitted_at", "revision"]
    list_filter = ["zone", "status"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise", "zone"]
    show_full_result_count = False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "period", "rule_code", "severity", "status", "zone"]
    list_filter = ["zone", "severity", "status"]
    search_fields = ["enterprise__name", "rule_code", "message"]
    list_select_related = ["enterprise", "zone"]
    show_full_result_count = False


@admin.register(OfficialFigure)
class OfficialFigureAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period", "value", "yoy_pct", "source", "zone"]
    list_filter = ["zone", "source"]
    list_select_related = ["indicator", "zone"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["period", "due_on", "zone"]
    list_filter = ["zone"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "period", "sent_by_name", "sent_at", "read_at", "zone"]
    list_filter = ["zone"]
    search_fields = ["enterprise__name", "sent_by_name"]
    list_select_related = ["enterprise", "zone"]
    show_full_result_count = False
