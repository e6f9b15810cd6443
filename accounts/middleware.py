"""Two-factor login is not optional for the head, Lotsen and partner users."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class MFARequiredMiddleware:
    """Until they have set up an authenticator app, users of the roles in MFA_REQUIRED_ROLES
    reach only the account pages (two-factor setup, logout, password); every other page sends
    them to the setup. Logging in itself asks for the code through allauth's MFA stage."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # allauth's pages (two-factor setup, recovery codes, logout, password) and the
        # language switch.
        self.allowed_prefixes = ("/accounts/", "/i18n/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.role in settings.MFA_REQUIRED_ROLES
            and user.mfa_enabled_at is None
            and not request.path_info.startswith(self.allowed_prefixes)
        ):
            messages.info(
                request,
                _("Please set up two-factor login with an authenticator app to continue."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
