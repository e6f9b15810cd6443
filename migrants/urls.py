from django.urls import path

from migrants import views

urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("intake/done/", views.intake_done, name="intake_done"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:pk>/claim/", views.triage_claim, name="triage_claim"),
    path("triage/<int:pk>/duplicate/", views.duplicate_compare, name="duplicate_compare"),
    path("triage/<int:pk>/duplicate/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("triage/<int:pk>/duplicate/dismiss/", views.duplicate_dismiss, name="duplicate_dismiss"),
]

urlpatterns += [
    path("newcomers/<int:pk>/", views.newcomer_detail, name="newcomer_detail"),
    path("newcomers/<int:pk>/edit/", views.newcomer_edit, name="newcomer_edit"),
    path("newcomers/<int:pk>/history/", views.newcomer_history, name="newcomer_history"),
    path(
        "newcomers/<int:pk>/household/new/",
        views.household_member_edit,
        name="household_member_add",
    ),
    path(
        "newcomers/<int:pk>/household/<int:member_pk>/",
        views.household_member_edit,
        name="household_member_edit",
    ),
    path("newcomers/<int:pk>/languages/new/", views.language_skill_edit, name="language_skill_add"),
    path(
        "newcomers/<int:pk>/languages/<int:skill_pk>/",
        views.language_skill_edit,
        name="language_skill_edit",
    ),
    path(
        "newcomers/<int:pk>/permits/new/", views.residence_permit_edit, name="residence_permit_add"
    ),
    path(
        "newcomers/<int:pk>/permits/<int:permit_pk>/",
        views.residence_permit_edit,
        name="residence_permit_edit",
    ),
    path(
        "newcomers/<int:pk>/qualifications/new/", views.qualification_edit, name="qualification_add"
    ),
    path(
        "newcomers/<int:pk>/qualifications/<int:qualification_pk>/",
        views.qualification_edit,
        name="qualification_edit",
    ),
    path(
        "newcomers/<int:pk>/checklist/<int:entry_pk>/",
        views.checklist_tick,
        name="checklist_tick",
    ),
]
