from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import Notification, User
from accounts.permissions import require_head


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


def user_list(request: HttpRequest) -> HttpResponse:
    """The head's view of who has an account and whether their two-factor login is set up."""
    require_head(request)
    users = User.objects.visible_to(request.user).order_by("role", "full_name")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@require_POST
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A user lost their phone: the head removes their second factor; the next login sets it
    up anew. Logged in the audit trail and told to the user by e-mail."""
    head = require_head(request)
    user = get_object_or_404(User.objects.visible_to(head), pk=pk)
    services.reset_mfa(user, by=head)
    messages.success(
        request,
        _("The two-factor login of %(name)s is reset; they set it up again at the next login.")
        % {"name": user},
    )
    return redirect("user_list")
