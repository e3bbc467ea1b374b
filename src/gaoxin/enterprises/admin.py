"""Read-only in the Django admin: registry changes go through the pages and API (services audit
them)."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "zone", "industry", "status", "is_deleted"]
    list_filter = ["zone", "status", "is_deleted"]
    search_fields = ["name", "uscc"]
