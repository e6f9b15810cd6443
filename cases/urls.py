from django.urls import path

from cases import follow_up_views, procedure_views, referral_views, views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/bulk/", views.case_bulk, name="case_bulk"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/status/", views.case_status, name="case_status"),
    path("cases/<str:reference>/reassign/", views.case_reassign, name="case_reassign"),
    path("cases/<str:reference>/note/", views.case_note, name="case_note"),
    path("cases/<str:reference>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("cases/<str:reference>/document/", views.case_document, name="case_document"),
    path(
        "cases/<str:reference>/referrals/new/",
        referral_views.case_referral,
        name="case_referral",
    ),
    path(
        "cases/<str:reference>/referrals/<int:pk>/answer/",
        referral_views.referral_answer,
        name="referral_answer",
    ),
    path(
        "cases/<str:reference>/referrals/<int:pk>/withdraw/",
        referral_views.referral_withdraw,
        name="referral_withdraw",
    ),
    path(
        "cases/<str:reference>/procedure-81a/start/",
        procedure_views.procedure_start,
        name="procedure_start",
    ),
    path(
        "cases/<str:reference>/procedure-81a/",
        procedure_views.procedure_edit,
        name="procedure_edit",
    ),
    path("follow-ups/", follow_up_views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/move/", follow_up_views.follow_up_move, name="follow_up_move"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
