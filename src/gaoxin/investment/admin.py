"""Read-only in the Django admin: the pipeline changes through the pages, API and importer, whose
services keep the stage rules and the audit trail."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import Campaign, Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "category", "stage", "stage_on", "planned_investment"]
    list_filter = ["zone", "category", "stage", "is_deleted"]
    search_fields = ["name", "investor_name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "start", "end"]
    list_filter = ["zone"]
