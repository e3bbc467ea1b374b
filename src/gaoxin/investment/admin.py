"""Read-only in the Django admin: the pipeline changes through the pages, API and importer, whose
services keep the stage rules and the audit trail."""

from django.contrib import admin

from .models import Campaign, Project


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ["name", "zone", "category", "stage", "stage_on", "planned_investment"]
    list_filter = ["zone", "category", "stage", "is_deleted"]
    search_fields = ["name", "investor_name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ["name", "zone", "start", "end"]
    list_filter = ["zone"]
