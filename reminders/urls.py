from django.urls import path

from reminders import views

urlpatterns = [
    path("reminders/", views.my_reminders, name="my_reminders"),
    path("reminders/settings/", views.reminder_settings, name="reminder_settings"),
]
