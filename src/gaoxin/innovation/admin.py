"""Read-only in the Django admin: the innovation records change through the pages, API, imports
and the daily job, whose services keep the rules (check digits, computed expiry, one valid
certificate at a time, versions) and derive the registry's high-tech flag, and write the audit
trail. The admin shows them and changes nothing, so it leaves nothing unaudited."""

from django.contrib import admin

from gaoxin.core.admin import ReadOnlyAdmin

from .models import (
    AnnualReport,
    AssessmentInput,
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
    Target,
    Title,
)


class AnnualReportInline(admin.TabularInline):
    model = AnnualReport
    fields = ["year", "due_on", "filed_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "status", "number", "field", "issued_on", "expires_on"]
    list_filter = ["zone", "kind", "status", "field"]
    search_fields = ["number", "enterprise__name"]
    list_select_related = ["enterprise", "zone"]
    inlines = [AnnualReportInline]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["certification", "year", "due_on", "filed_on"]
    list_filter = ["zone", "year"]
    search_fields = ["certification__number", "certification__enterprise__name"]
    list_select_related = ["certification"]


@admin.register(Title)
class TitleAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "yearly"]
    list_filter = ["zone"]
    search_fields = ["name"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["year", "zone", "new_hightech", "invention_patents", "cloud_enterprises"]
    list_filter = ["zone"]


@admin.register(Patent)
class PatentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "enterprise", "kind", "status", "applied_on", "granted_on"]
    list_filter = ["zone", "kind", "status"]
    search_fields = ["number", "title", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(SoftwareCopyright)
class SoftwareCopyrightAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "enterprise", "registered_on"]
    list_filter = ["zone"]
    search_fields = ["number", "title", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(Platform)
class PlatformAdmin(ReadOnlyAdmin):
    list_display = ["name", "enterprise", "kind", "level", "recognised_on"]
    list_filter = ["zone", "kind", "level"]
    search_fields = ["name", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(Talent)
class TalentAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "level", "year", "enterprise"]
    list_filter = ["zone", "level", "year"]
    search_fields = ["name", "programme", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(Cooperation)
class CooperationAdmin(ReadOnlyAdmin):
    list_display = ["partner", "project", "enterprise", "amount", "starts_on", "ends_on"]
    list_filter = ["zone"]
    search_fields = ["partner", "project", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(CloudAdoption)
class CloudAdoptionAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "level", "adopted_on", "provider"]
    list_filter = ["zone", "level"]
    search_fields = ["enterprise__name", "provider"]
    list_select_related = ["enterprise"]


@admin.register(AssessmentInput)
class AssessmentInputAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "year", "entered_by_name", "updated_at"]
    list_filter = ["zone", "year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]
