from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import set_language

from welcome_center import views

admin.site.site_header = settings.CENTER_NAME
admin.site.site_title = settings.CENTER_NAME
# The admin's own login form knows no second factor: everyone logs in through allauth (with
# two-factor login) and the admin only checks that they are the head or a superuser.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("migrants.urls")),
    path("", include("cases.urls")),
    path("", include("partners.urls")),
    path("", include("companies.urls")),
    path("", include("privacy.urls")),
    path("", include("figures.urls")),
    path("", include("partners.referral_urls")),
    path("", include("reminders.urls")),
    path("", include("companies.introduction_urls")),
    path("admin/", admin.site.urls),
]
