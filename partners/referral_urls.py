from django.urls import path

from partners import referral_views

urlpatterns = [
    # Short, because it travels in e-mails; the token is the whole secret.
    path("r/<str:token>/", referral_views.referral_by_link, name="referral_by_link"),
    path("partner/referrals/", referral_views.partner_referrals, name="partner_referrals"),
    path(
        "partner/referrals/<int:pk>/",
        referral_views.partner_referral_detail,
        name="partner_referral_detail",
    ),
]
