from collections.abc import Callable

from django.conf import settings
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation


class StaffLanguageMiddleware:
    """Logged-in users work in German or English: the newcomers' languages are for the public
    pages. A Lotse whose browser asks for Arabic gets their own account language instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and translation.get_language() not in settings.STAFF_LANGUAGES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class InvalidFormStatusMiddleware:
    """A form sent back with errors answers 400, not 200. The portal's own views set the
    status themselves; django-allauth's (log in, sign up, password reset, two-factor setup)
    and the admin's render an invalid form with 200. Their responses are TemplateResponses,
    whose context can still be looked at here, before rendering."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        if request.method == "POST" and response.status_code == 200:
            context = response.context_data or {}
            form = context.get("form") or getattr(context.get("adminform"), "form", None)
            if isinstance(form, BaseForm) and form.is_bound and form.errors:
                response.status_code = 400
        return response
