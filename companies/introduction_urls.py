from django.urls import path

from companies import introduction_views, matching_views

urlpatterns = [
    # The Lotsen's matching pages.
    path("needs/<int:pk>/matches/", matching_views.need_matches, name="need_matches"),
    path("newcomers/<int:pk>/matches/", matching_views.newcomer_matches, name="newcomer_matches"),
    # The Lotsen's steps of an introduction.
    path(
        "needs/<int:pk>/propose/<int:newcomer_pk>/",
        introduction_views.introduction_propose,
        name="introduction_propose",
    ),
    path(
        "introductions/<int:pk>/",
        introduction_views.introduction_detail,
        name="introduction_detail",
    ),
    path(
        "introductions/<int:pk>/agreement/",
        introduction_views.introduction_agreement,
        name="introduction_agreement",
    ),
    path(
        "introductions/<int:pk>/hire/",
        introduction_views.introduction_hire,
        name="introduction_hire",
    ),
    path(
        "introductions/<int:pk>/withdraw/",
        introduction_views.introduction_withdraw,
        name="introduction_withdraw",
    ),
    # The company's side.
    path(
        "company/introductions/",
        introduction_views.company_introductions,
        name="company_introductions",
    ),
    path(
        "company/introductions/<int:pk>/interest/",
        introduction_views.company_introduction_interest,
        name="company_introduction_interest",
    ),
    path(
        "company/introductions/<int:pk>/decline/",
        introduction_views.company_introduction_decline,
        name="company_introduction_decline",
    ),
]
