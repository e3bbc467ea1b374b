"""Django admin for platform admins: organisation and accounts. Audit rows are read only;
business records are changed through the product's pages so that services audit them.

Accounts, role memberships, zones, departments and tags changed here are audited like the
product's own changes (gaoxin.core.people.admin_audit): each save, inline row, deletion and
password set writes its record in the admin's transaction.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import AuditRecord, Department, Division, Membership, Tag, User, Zone
from .people import acting, admin_audit
from .people.services import membership_snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Creations, changes and deletions of plain records, audited with before/after."""

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj)
        if before == after:
            return
        action = AuditRecord.Action.UPDATE if change else AuditRecord.Action.CREATE
        audit.record(request.user, action, obj, zone=self._zone(obj), before=before, after=after)

    def delete_model(self, request, obj):
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request, obj):
        audit.record(
            request.user,
            AuditRecord.Action.DELETE,
            obj,
            zone=self._zone(obj),
            before=audit.snapshot(obj),
            message=_("在管理后台删除"),
        )

    @staticmethod
    def _zone(obj):
        return obj.pk if isinstance(obj, Zone) else getattr(obj, "zone_id", None)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["province", "zone", "department"]
    raw_id_fields = ["enterprise"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("gaoxin", {"fields": ["full_name", "phone", "must_change_password"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The "before" rides on the form (one per request; the ModelAdmin is shared).
        form._people_before = (
            admin_audit.admin_snapshot(User.objects.get(pk=obj.pk)) if change and obj.pk else None
        )
        with acting(request.user):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        admin_audit.audit_admin_account(request.user, form.instance, form._people_before)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {
            m.pk: membership_snapshot(m)
            for m in Membership.objects.filter(user=form.instance).select_related(
                "zone", "department", "enterprise", "province"
            )
        }
        instances = formset.save(commit=False)
        for m in formset.deleted_objects:
            admin_audit.audit_admin_membership(request.user, form.instance, before[m.pk], None)
            m.delete()
        for m in instances:
            m.save()
            admin_audit.audit_admin_membership(request.user, form.instance, before.get(m.pk), m)
        formset.save_m2m()

    def delete_model(self, request, obj):
        admin_audit.audit_admin_delete(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            admin_audit.audit_admin_delete(request.user, user)
        super().delete_queryset(request, queryset)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        with transaction.atomic(), acting(request.user):
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    admin_audit.audit_admin_password(request.user, user)
        return response


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "division"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["division"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "zone"]
    list_filter = ["zone"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
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
