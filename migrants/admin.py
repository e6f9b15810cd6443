from django.contrib import admin

from migrants.models import (
    ArrivalChecklistEntry,
    ConsentRecord,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)


class HouseholdInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


class LanguageInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0


class QualificationInline(admin.StackedInline):
    model = Qualification
    extra = 0
    raw_id_fields = ["competent_authority"]


class ResidencePermitInline(admin.TabularInline):
    model = ResidencePermit
    extra = 0


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ["scope", "text_version", "language", "method", "given_at", "recorded_by"]
    can_delete = False


class ChecklistInline(admin.TabularInline):
    model = ArrivalChecklistEntry
    extra = 0
    raw_id_fields = ["done_by"]


@admin.register(Newcomer)
class NewcomerAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "last_name",
        "first_name",
        "kind_of_arrival",
        "country_of_origin",
        "created_at",
    ]
    list_filter = ["kind_of_arrival", "preferred_language", "gender"]
    search_fields = ["reference", "last_name", "first_name", "email"]
    raw_id_fields = ["target_company", "possible_duplicate_of"]
    date_hierarchy = "created_at"
    inlines = [
        HouseholdInline,
        LanguageInline,
        QualificationInline,
        ResidencePermitInline,
        ConsentInline,
        ChecklistInline,
    ]
