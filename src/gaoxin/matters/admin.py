"""Read-only in the Django admin: matters, their timelines, the agency checklists, meetings, working
groups, the help ledgers and the categories change through the pages, API and daily job, whose
services keep the rules (transitions, service levels, versions) and write the audit trail and the
timeline. The admin shows them and changes nothing, so it leaves nothing unaudited."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import (
    Appointment,
    ApprovalItem,
    Award,
    Category,
    JobFair,
    JobOffer,
    Loan,
    Matter,
    MatterEvent,
    Meeting,
    Resumption,
    WorkingGroup,
)


class MatterEventInline(admin.TabularInline):
    model = MatterEvent
    fields = ["time", "type", "actor_name", "from_status", "to_status", "internal", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "zone", "kind", "status", "department", "due_on"]
    list_filter = ["zone", "kind", "status", "priority", "channel"]
    search_fields = ["number", "title", "raised_by_name"]
    date_hierarchy = "created_at"
    list_select_related = ["zone", "department"]
    inlines = [MatterEventInline]


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "kind", "code", "service_days", "department", "is_active"]
    list_filter = ["zone", "kind", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["zone", "department"]


@admin.register(ApprovalItem)
class ApprovalItemAdmin(ReadOnlyAdmin):
    list_display = ["matter", "category", "state", "submitted_on", "approved_on", "due_on"]
    list_filter = ["zone", "state"]
    search_fields = ["matter__number", "matter__title"]
    list_select_related = ["matter", "category"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["matter", "mode", "starts_at", "place", "is_cancelled"]
    list_filter = ["zone", "mode", "is_cancelled"]
    search_fields = ["matter__number", "place"]
    list_select_related = ["matter"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "zone", "held_on", "chair"]
    list_filter = ["zone"]
    search_fields = ["title", "chair"]
    date_hierarchy = "held_on"


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "leader_name", "department"]
    list_filter = ["zone"]
    search_fields = ["name", "leader_name"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["policy", "enterprise", "zone", "amount", "paid_on"]
    list_filter = ["zone"]
    search_fields = ["policy", "enterprise__name"]
    list_select_related = ["enterprise", "zone"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["bank", "kind", "enterprise", "zone", "amount", "granted_on"]
    list_filter = ["zone", "kind"]
    search_fields = ["bank", "enterprise__name"]
    list_select_related = ["enterprise", "zone"]


@admin.register(JobFair)
class JobFairAdmin(ReadOnlyAdmin):
    list_display = ["title", "zone", "held_on", "ends_on", "online"]
    list_filter = ["zone", "online"]
    search_fields = ["title"]


@admin.register(JobOffer)
class JobOfferAdmin(ReadOnlyAdmin):
    list_display = ["fair", "enterprise", "positions"]
    list_filter = ["zone"]
    search_fields = ["fair__title", "enterprise__name"]
    list_select_related = ["fair", "enterprise"]


@admin.register(Resumption)
class ResumptionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "subject", "zone", "tracked_from", "resumed_on"]
    list_filter = ["zone", "subject"]
    list_select_related = ["enterprise", "project", "zone"]
