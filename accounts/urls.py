from django.urls import path

from accounts import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications_read"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/mfa/reset/", views.user_mfa_reset, name="user_mfa_reset"),
]
