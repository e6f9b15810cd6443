from django.contrib import admin

from partners.models import Partner, PartnerContact, PartnerService


class ServiceInline(admin.TabularInline):
    model = PartnerService
    extra = 0


class ContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "city", "response_days", "is_active"]
    list_filter = ["type", "is_active", "services__category"]
    search_fields = ["name", "city"]
    inlines = [ServiceInline, ContactInline]
