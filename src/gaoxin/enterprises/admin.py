"""Read-only in the Django admin: registry changes go through the pages and API (services audit
them)."""

from django.contrib import admin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "zone", "industry", "status", "is_deleted"]
    list_filter = ["zone", "status", "is_deleted"]
    search_fields = ["name", "uscc"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
