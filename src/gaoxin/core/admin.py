"""Django admin for platform admins: organisation and accounts. Audit rows are read only;
business records are changed through the product's pages so that services audit them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditRecord, Department, Division, Membership, Tag, User, Zone


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["province", "zone", "department"]
    raw_id_fields = ["enterprise"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("gaoxin", {"fields": ["full_name", "phone"]})]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "division"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["division"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "zone"]
    list_filter = ["zone"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "zone"]
    list_filter = ["zone", "category"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through services (which validate and audit): the Django admin
    shows them and nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_name", "action", "zone", "object_repr", "request_id"]
    list_filter = ["action", "zone"]
    search_fields = ["actor_name", "object_repr", "request_id"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]
    list_display = ["code", "name", "level"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
