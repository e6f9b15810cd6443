from django.contrib import admin

from companies.models import Company, CompanyContact, SkilledWorkerNeed


class ContactInline(admin.TabularInline):
    model = CompanyContact
    extra = 0
    raw_id_fields = ["user"]


class NeedInline(admin.TabularInline):
    model = SkilledWorkerNeed
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "size_band", "city", "status", "created_at"]
    list_filter = ["status", "sector", "chamber"]
    search_fields = ["name", "city"]
    raw_id_fields = ["decided_by"]
    inlines = [ContactInline, NeedInline]


@admin.register(SkilledWorkerNeed)
class SkilledWorkerNeedAdmin(admin.ModelAdmin):
    list_display = ["occupation", "company", "headcount", "german_level", "start_date", "status"]
    list_filter = ["status", "kind", "qualification_level"]
    search_fields = ["occupation", "occupation_code", "company__name"]
    list_select_related = ["company"]
    raw_id_fields = ["company"]
