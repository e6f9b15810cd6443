from django.contrib import admin

from cases.models import Case, CaseEvent, Document, FollowUp, Referral


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "text", "old_value", "new_value"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # the timeline is written by the services only


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "newcomer", "category", "status", "owner", "priority", "opened_at"]
    list_filter = ["status", "category", "priority"]
    search_fields = ["reference", "newcomer__last_name", "newcomer__first_name"]
    list_select_related = ["newcomer", "owner"]
    raw_id_fields = ["newcomer", "owner", "company", "need"]
    date_hierarchy = "opened_at"
    inlines = [EventInline]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["case", "partner", "status", "sent_at", "answer_by"]
    list_filter = ["status"]
    list_select_related = ["case", "partner"]
    raw_id_fields = ["case", "partner", "contact", "created_by"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["case", "due_on", "text", "assignee", "done_at"]
    list_select_related = ["case", "assignee"]
    raw_id_fields = ["case", "assignee", "assignee_contact", "created_by", "done_by"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "newcomer", "case", "kind", "size", "uploaded_at"]
    list_select_related = ["newcomer", "case"]
    raw_id_fields = ["newcomer", "case", "uploaded_by"]
    exclude = ["file"]  # files are served only through the permission-checked download view
