"""Read-only in the Django admin: the utilities' records change through the pages, the API, the
imports and the daily job, whose services keep the rules (versions, all-or-nothing batches, a
correction as a new entry, never an overwrite) and write the audit trail. The admin shows them
and changes nothing, so it leaves nothing unaudited."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import (
    Account,
    Batch,
    Charge,
    CutOff,
    Finding,
    Reading,
    Tariff,
    TariffVersion,
    TopUp,
    UtilityCompany,
    Warning,
    ZoneUtilitySettings,
)


@admin.register(UtilityCompany)
class UtilityCompanyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "zone"]
    list_filter = ["zone", "kind"]
    search_fields = ["name"]


@admin.register(Tariff)
class TariffAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "structure", "zone"]
    list_filter = ["zone", "kind", "structure"]
    search_fields = ["name"]


@admin.register(TariffVersion)
class TariffVersionAdmin(ReadOnlyAdmin):
    list_display = ["tariff", "valid_from", "note"]
    list_filter = ["zone"]
    list_select_related = ["tariff"]


@admin.register(ZoneUtilitySettings)
class ZoneUtilitySettingsAdmin(ReadOnlyAdmin):
    list_display = ["zone", "first_level_days", "second_level_days", "drop_percent",
                    "mismatch_percent"]  # fmt: skip


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["meter_no", "kind", "enterprise", "company", "balance", "days_left", "level",
                    "protected"]  # fmt: skip
    list_filter = ["zone", "kind", "level", "protected"]
    search_fields = ["meter_no", "enterprise__name"]
    list_select_related = ["enterprise", "company"]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "what", "company", "source", "rows", "written", "repeated"]
    list_filter = ["zone", "what", "source"]
    list_select_related = ["company"]


@admin.register(Reading)
class ReadingAdmin(ReadOnlyAdmin):
    list_display = ["account", "read_at", "register", "index", "usage", "amount", "source"]
    list_filter = ["zone", "register", "source"]
    search_fields = ["account__meter_no"]
    list_select_related = ["account"]


@admin.register(TopUp)
class TopUpAdmin(ReadOnlyAdmin):
    list_display = ["account", "paid_at", "amount", "transaction_id", "channel"]
    list_filter = ["zone", "source"]
    search_fields = ["account__meter_no", "transaction_id"]
    list_select_related = ["account"]


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = ["account", "day", "kind", "amount", "reason"]
    list_filter = ["zone", "kind"]
    search_fields = ["account__meter_no", "reason"]
    list_select_related = ["account"]


@admin.register(CutOff)
class CutOffAdmin(ReadOnlyAdmin):
    list_display = ["account", "at", "reason", "restored_at", "surprise"]
    list_filter = ["zone", "surprise"]
    search_fields = ["account__meter_no"]
    list_select_related = ["account"]


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ["account", "level", "raised_at", "days_left", "balance", "cleared_at"]
    list_filter = ["zone", "level"]
    search_fields = ["account__meter_no"]
    list_select_related = ["account"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "detected_on", "period", "change_percent", "status"]
    list_filter = ["zone", "kind", "status"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]
