from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Notification


def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.visible_to(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@require_POST
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    text = ngettext(
        "%(count)d notification marked as read.", "%(count)d notifications marked as read.", count
    )
    messages.success(request, text % {"count": count})
    return redirect("notifications")
