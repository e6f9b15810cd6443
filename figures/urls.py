from django.urls import path

from figures import views

urlpatterns = [
    path("figures/", views.statistics_page, name="figures_statistics"),
    path(
        "figures/export/<slug:table>.<str:fmt>",
        views.statistics_export,
        name="figures_statistics_export",
    ),
    path("figures/esf/", views.esf_page, name="figures_esf"),
    path("figures/esf/export.<str:fmt>", views.esf_export, name="figures_esf_export"),
    path("figures/esf/participants/", views.participants_export, name="figures_participants"),
    path("figures/exports/<uuid:pk>/", views.export_status, name="figures_export"),
    path(
        "figures/exports/<uuid:pk>/download/",
        views.export_download,
        name="figures_export_download",
    ),
    path(
        "newcomers/<int:pk>/exit-questionnaire/",
        views.exit_questionnaire,
        name="exit_questionnaire",
    ),
]
